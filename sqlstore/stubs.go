package sqlstore

// Contracts for issue 7's rosters, zones and kept reports; the store
// helper replaces this file with the real methods.

import (
	"errors"

	"github.com/ravao/ravao"
)

var errStub = errors.New("sqlstore: not implemented yet")

func (t *Tx) ZoneSeries(q ravao.StatsQuery) ([]ravao.UnitDayCounts, error) { return nil, errStub }
func (t *Tx) Zones(q ravao.StatsQuery) ([]ravao.ZoneCount, error)          { return nil, errStub }
func (t *Tx) CreateRoster(r *ravao.Roster, entries []*ravao.RosterEntry) error {
	return errStub
}
func (t *Tx) Roster(unitCode string, sector ravao.Sector) (ravao.Roster, error) {
	return ravao.Roster{}, errStub
}
func (t *Tx) Rosters(unitPath string) ([]ravao.Roster, error)                 { return nil, errStub }
func (t *Tx) DeleteRoster(id int64) error                                     { return errStub }
func (t *Tx) RosterEntry(id int64) (ravao.RosterEntry, error)                 { return ravao.RosterEntry{}, errStub }
func (t *Tx) RosterEntries(f ravao.RosterFilter) ([]ravao.RosterEntry, error) { return nil, errStub }
func (t *Tx) UpdateRosterEntry(e *ravao.RosterEntry) error                    { return errStub }
func (t *Tx) Coverage(unitPath string, sector ravao.Sector) ([]ravao.CoverageCount, error) {
	return nil, errStub
}
func (t *Tx) RosterCandidates(taxCodes []string, phoneKeys [][]byte) ([]ravao.RosterCandidate, error) {
	return nil, errStub
}
func (t *Tx) PutProgressReport(r *ravao.ProgressReport) error { return errStub }
func (t *Tx) ProgressReport(unitCode string, sector ravao.Sector, day ravao.Day) (ravao.ProgressReport, error) {
	return ravao.ProgressReport{}, errStub
}
func (t *Tx) ProgressReports(unitCode string, sector ravao.Sector, limit int) ([]ravao.ProgressReport, error) {
	return nil, errStub
}
func (t *Tx) DeleteProgressReports(before ravao.Day) (int, error) { return 0, errStub }
func (t *Tx) ReportUnits(day ravao.Day) ([]string, error)         { return nil, errStub }
