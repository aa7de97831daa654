package server

import (
	"context"
	"net/http"
	"time"

	"github.com/ravao/ravao"
)

// passData is the data of the pass screen. The clock's hands start at the
// time of the request and turn by CSS alone, so the pass is live without
// any script, and a screenshot shows a stopped clock.
type passData struct {
	ID                    int64
	Venue, Checkpoint     string
	VenueID, CheckpointID int64
	// InMS and OutMS are the stay in Unix milliseconds, which the page's
	// script keeps with the visit to match exposure windows on the phone;
	// OutMS is 0 without a real check-out.
	InMS, OutMS          int64
	In, Out, Date        string
	Red, Open            bool
	With                 int // dependants checked in together with the visitor
	Hour, Minute, Second int // the clock's starting positions, 0 to 59
}

// passShow shows the pass of one of the device person's visits (or a
// dependant's). Any other visit, or no device, is the same 404.
func (s *Server) passShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	visits, err := s.ownVisits(r.Context(), s.deviceToken(r))
	if err != nil {
		return err
	}
	for _, v := range visits {
		if v.ID == id {
			d, err := s.pass(r.Context(), v, visits)
			if err != nil {
				return err
			}
			p := s.page(r, "pass.title", d)
			p.Device = s.deviceToken(r)
			return s.views.render(w, http.StatusOK, "pass.html", p)
		}
	}
	return ravao.Errorf(ravao.NotFound, "err.visit_not_found")
}

// ownVisits lists the device person's visits; an unknown device has none
// to show, which the pages answer with 404 rather than a sign-in.
func (s *Server) ownVisits(ctx context.Context, token string) ([]ravao.Visit, error) {
	if token == "" {
		return nil, ravao.Errorf(ravao.NotFound, "err.visit_not_found")
	}
	visits, err := s.visits.Visits(ctx, token, time.Time{})
	if isDeviceUnknown(err) {
		return nil, ravao.Errorf(ravao.NotFound, "err.visit_not_found")
	}
	return visits, err
}

// pass builds the pass of v; all are the device's visits, among which
// the dependants' entries made with it are counted.
func (s *Server) pass(ctx context.Context, v ravao.Visit, all []ravao.Visit) (passData, error) {
	named, err := s.visits.Name(ctx, []ravao.Visit{v})
	if err != nil {
		return passData{}, err
	}
	now := s.clock.Now().In(s.cfg.TZ)
	d := passData{
		ID: v.ID, Venue: named[0].Venue, Checkpoint: named[0].Checkpoint, VenueID: v.VenueID, CheckpointID: v.CheckpointID,
		InMS: v.InAt.UnixMilli(), OutMS: stayOutMS(v),
		In: s.localTime(v.InAt, "15:04 02/01/2006"), Out: s.localTime(v.OutAt, "15:04 02/01/2006"),
		Date: now.Format("02/01/2006"), Red: v.Decision == ravao.Red, Open: v.OutAt.IsZero(),
		Hour: now.Hour()%12*5 + now.Minute()/12, Minute: now.Minute(), Second: now.Second(),
	}
	for _, o := range all {
		if o.ID != v.ID && o.VenueID == v.VenueID && o.InAt.Equal(v.InAt) {
			d.With++
		}
	}
	return d, nil
}

// stayOutMS is when the visitor really left, in Unix milliseconds; 0
// when nobody knows (no check-out, or an automatic one).
func stayOutMS(v ravao.Visit) int64 {
	if out := ravao.StayOf(v).Out; !out.IsZero() {
		return out.UnixMilli()
	}
	return 0
}

// passCheckoutSubmit checks the visitor out by tap and shows the pass
// again, now saying when they left.
func (s *Server) passCheckoutSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	_, err = s.visits.CheckOut(r.Context(), s.deviceToken(r), id)
	if isDeviceUnknown(err) {
		err = ravao.Errorf(ravao.NotFound, "err.visit_not_found")
	}
	if err != nil && classify(err).Key != "err.visit_closed" {
		return err
	}
	http.Redirect(w, r, passPath(id), http.StatusSeeOther)
	return nil
}
