package sqlstore

// Stubs until the progress store lands; the store helper replaces this file.

import "github.com/ravao/ravao"

func (t *Tx) VenueDays(venueID int64, from, to ravao.Day) ([]ravao.VenueDay, error) {
	return nil, ravao.Errorf(ravao.Internal, "err.internal")
}
func (t *Tx) RollupDay(day ravao.Day) error { return ravao.Errorf(ravao.Internal, "err.internal") }
func (t *Tx) RepairVenueDays(from, to ravao.Day) (int, error) {
	return 0, ravao.Errorf(ravao.Internal, "err.internal")
}
func (t *Tx) UnitSeries(q ravao.StatsQuery) ([]ravao.UnitDayCounts, error) {
	return nil, ravao.Errorf(ravao.Internal, "err.internal")
}
func (t *Tx) UnitChildren(q ravao.StatsQuery) ([]ravao.UnitDayCounts, error) {
	return nil, ravao.Errorf(ravao.Internal, "err.internal")
}
func (t *Tx) UnitTypes(q ravao.StatsQuery) ([]ravao.UnitDayCounts, error) {
	return nil, ravao.Errorf(ravao.Internal, "err.internal")
}
func (t *Tx) SilentVenues(q ravao.StatsQuery, day ravao.Day, limit int) ([]ravao.SilentVenue, error) {
	return nil, ravao.Errorf(ravao.Internal, "err.internal")
}
