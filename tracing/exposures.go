package tracing

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/i18n"
)

// ShownFor is how long after its end a window is still shown to visitors:
// the fourteen days of an incubation period.
const ShownFor = 14 * 24 * time.Hour

// MatchStay is how long a visit without a real check-out is taken to last
// when a phone matches it against a window.
const MatchStay = time.Hour

// windowsAtOnce bounds the windows one query reads: far more than a
// province publishes in a fortnight.
const windowsAtOnce = 5000

// catalogue holds the default messages of windows and the text of the
// messages to contacts. It is read-only once loaded.
var catalogue = sync.OnceValues(func() (*i18n.Catalogue, error) { return i18n.New("vi") })

// Publish is an exposure window given by hand.
type Publish struct {
	VenueID      int64
	CheckpointID int64 // 0: the whole venue
	From, To     time.Time
	Severity     ravao.Severity
	MessageVI    string // empty: the default for the severity
	MessageEN    string
	// Reason is why the official publishes without a case (a case worked
	// elsewhere, a report from another province); it goes to the audit log
	// and must carry no personal data.
	Reason string
}

// PublishFromCase publishes one window per chosen visit of the case (all
// its visits in the window when VisitIDs is empty): the visit's stay,
// extended by the case's buffer.
type PublishFromCase struct {
	VisitIDs  []int64
	Severity  ravao.Severity
	MessageVI string
	MessageEN string
}

// PublicWindow is a current window as every visitor's phone reads it.
type PublicWindow struct {
	ID           int64             `json:"id"`
	VenueID      int64             `json:"venue_id"`
	CheckpointID int64             `json:"checkpoint_id,omitempty"`
	VenueName    string            `json:"venue_name"`
	From         time.Time         `json:"from"`
	To           time.Time         `json:"to"`
	Severity     ravao.Severity    `json:"severity"`
	Message      map[string]string `json:"message"` // "vi", "en"
}

// Matches reports whether a visit falls in the window: at its venue (and
// checkpoint, when the window names one), with a stay — in to the real
// check-out, or MatchStay from in when there is none — overlapping it.
// Visitors' phones apply the same rule to the visits they keep.
func (w PublicWindow) Matches(v ravao.Visit) bool {
	if v.VenueID != w.VenueID || (w.CheckpointID != 0 && v.CheckpointID != w.CheckpointID) {
		return false
	}
	stay := ravao.StayOf(v)
	end := stay.Out
	if end.IsZero() {
		end = stay.In.Add(MatchStay)
	}
	return stay.In.Before(w.To) && end.After(w.From)
}

// PublishWindow publishes a window by hand at a venue in the actor's
// scope, with the official's reason. Audited "exposure.publish".
func (s *Service) PublishWindow(ctx context.Context, actor *ravao.Principal, in Publish) (ravao.ExposureWindow, error) {
	if err := mayTrace(actor); err != nil {
		return ravao.ExposureWindow{}, err
	}
	w := ravao.ExposureWindow{
		VenueID: in.VenueID, CheckpointID: in.CheckpointID, From: instant(in.From), To: instant(in.To),
		Severity: in.Severity, MessageVI: clean(in.MessageVI), MessageEN: clean(in.MessageEN), CreatedBy: actor.User.ID,
	}
	reason := clean(in.Reason)
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		fe := ravao.FieldErrors{}
		checkReason(fe, reason)
		checkWhen(fe, w, tx.Now())
		v, err := windowPlace(tx, actor, &w, fe)
		if err != nil {
			return err
		}
		if err := fillMessages(&w, v.Name); err != nil {
			return err
		}
		fe.Merge(w.Validate())
		if err := fe.Err(); err != nil {
			return err
		}
		if err := tx.CreateExposureWindow(&w); err != nil {
			return err
		}
		return auditWindow(ctx, tx, actor, "exposure.publish", w, reason)
	})
	return w, err
}

// checkReason requires the reason of a publication by hand.
func checkReason(fe ravao.FieldErrors, reason string) {
	switch {
	case reason == "":
		fe.Add("reason", "err.reason_required")
	case len(reason) > 500 || !utf8.ValidString(reason):
		fe.Add("reason", "err.too_long")
	}
}

// checkWhen refuses a window by hand that has not begun yet, or that ended
// so long ago that no phone would be shown it.
func checkWhen(fe ravao.FieldErrors, w ravao.ExposureWindow, now time.Time) {
	if w.From.After(now) {
		fe.Add("from", "err.window_future")
	}
	if !w.To.IsZero() && !w.To.After(now.Add(-ShownFor)) {
		fe.Add("to", "err.window_old")
	}
}

// windowPlace checks the venue (in the actor's scope) and the checkpoint
// (of that venue) of a window by hand, as field errors.
func windowPlace(tx ravao.Tx, actor *ravao.Principal, w *ravao.ExposureWindow, fe ravao.FieldErrors) (ravao.Venue, error) {
	if w.VenueID <= 0 {
		return ravao.Venue{}, nil // Validate says it is required
	}
	v, err := tx.Venue(w.VenueID)
	switch {
	case ravao.IsNotFound(err):
		fe.Add("venue", "err.venue_not_found")
		return v, nil
	case err != nil:
		return v, err
	case !actor.Can(ravao.PermTrace, v.Target()):
		fe.Add("venue", "err.venue_out_of_scope")
		return v, nil
	}
	if w.CheckpointID == 0 {
		return v, nil
	}
	cp, err := tx.Checkpoint(w.CheckpointID)
	if err != nil && !ravao.IsNotFound(err) {
		return v, err
	}
	if err != nil || cp.VenueID != v.ID {
		fe.Add("checkpoint", "err.checkpoint_not_found")
	}
	return v, nil
}

// fillMessages writes the default message of the window's severity, in
// each language whose message is empty.
func fillMessages(w *ravao.ExposureWindow, venue string) error {
	cat, err := catalogue()
	if err != nil {
		return err
	}
	key := "exposure.default_high"
	if w.Severity == ravao.SeverityLow {
		key = "exposure.default_low"
	}
	if w.MessageVI == "" {
		w.MessageVI = cat.T("vi", key, venue)
	}
	if w.MessageEN == "" {
		w.MessageEN = cat.T("en", key, venue)
	}
	return nil
}

// PublishCase publishes windows from a case's visits: for each visit, from
// its check-in to its real check-out (or check-in plus the case's open
// window when there is none), extended by the case's buffer. A visit
// already published from the case is not published twice: its window is
// returned as it is. The window names the checkpoint only for a vehicle,
// whose passengers alone were exposed; elsewhere it covers the venue, as
// tracing does. Audited "exposure.publish" per new window.
func (s *Service) PublishCase(ctx context.Context, actor *ravao.Principal, caseID int64, in PublishFromCase) ([]ravao.ExposureWindow, error) {
	if err := mayTrace(actor); err != nil {
		return nil, err
	}
	if err := checkWording(in); err != nil {
		return nil, err
	}
	var out []ravao.ExposureWindow
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		c, err := caseFor(tx, actor, caseID)
		if err != nil {
			return err
		}
		visits, err := chosenVisits(tx, c, in.VisitIDs)
		if err != nil {
			return err
		}
		published, err := tx.ExposureWindows(ravao.ExposureWindowFilter{CaseID: c.ID, Limit: windowsAtOnce})
		if err != nil {
			return err
		}
		for _, v := range visits {
			w, err := caseWindow(ctx, tx, actor, c, v, in, published)
			if err != nil {
				return err
			}
			out = append(out, w)
		}
		return nil
	})
	return out, err
}

// checkWording checks the severity and messages of windows from a case
// before any is made (or found made already).
func checkWording(in PublishFromCase) error {
	probe := ravao.ExposureWindow{Severity: in.Severity, MessageVI: clean(in.MessageVI), MessageEN: clean(in.MessageEN)}
	e, ok := probe.Validate().(*ravao.Error)
	if !ok {
		return nil
	}
	fe := ravao.FieldErrors{}
	for _, field := range []string{"severity", "message_vi", "message_en"} {
		if key := e.Fields[field]; key != "" {
			fe.Add(field, key)
		}
	}
	return fe.Err()
}

// chosenVisits are the case's visits in its window named by ids, or all of
// them when ids is empty. An id that is not one of them is a field error.
func chosenVisits(tx ravao.Tx, c ravao.Case, ids []int64) ([]ravao.Visit, error) {
	all, err := tx.PersonVisits(c.PersonID, c.WindowFrom, c.WindowTo)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, ravao.FieldError("visit", "err.case_no_visits")
	}
	if len(ids) == 0 {
		return all, nil
	}
	var out []ravao.Visit
	for _, v := range all {
		if slices.Contains(ids, v.ID) {
			out = append(out, v)
		}
	}
	if len(out) != len(compact(ids)) {
		return nil, ravao.FieldError("visit", "err.visit_not_found")
	}
	return out, nil
}

// compact is ids without repeats.
func compact(ids []int64) []int64 {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// caseWindow publishes the window of one of the case's visits, or returns
// the one published already.
func caseWindow(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, c ravao.Case, v ravao.Visit, in PublishFromCase, published []ravao.ExposureWindow) (ravao.ExposureWindow, error) {
	w, err := windowOf(tx, c, v)
	if err != nil {
		return w, err
	}
	for _, p := range published {
		if p.WithdrawnAt.IsZero() && p.VenueID == w.VenueID && p.CheckpointID == w.CheckpointID && p.From.Equal(w.From) && p.To.Equal(w.To) {
			return p, nil
		}
	}
	w.Severity, w.MessageVI, w.MessageEN, w.CreatedBy = in.Severity, clean(in.MessageVI), clean(in.MessageEN), actor.User.ID
	venue, err := tx.Venue(v.VenueID)
	if err != nil {
		return w, err
	}
	if err := fillMessages(&w, venue.Name); err != nil {
		return w, err
	}
	if err := w.Validate(); err != nil {
		return w, err
	}
	if err := tx.CreateExposureWindow(&w); err != nil {
		return w, err
	}
	return w, audit(ctx, tx, actor, "exposure.publish", "exposure_window", w.ID, c, "")
}

// windowOf is the time and place of the window of a case's visit.
func windowOf(tx ravao.Tx, c ravao.Case, v ravao.Visit) (ravao.ExposureWindow, error) {
	stay := ravao.StayOf(v)
	end := stay.Out
	if end.IsZero() {
		end = stay.In.Add(c.Settings.OpenWindow)
	}
	w := ravao.ExposureWindow{VenueID: v.VenueID, From: instant(stay.In), To: instant(end.Add(c.Settings.Buffer)), CaseID: c.ID}
	cp, err := tx.Checkpoint(v.CheckpointID)
	if err != nil {
		return w, err
	}
	if cp.Kind == ravao.CheckpointVehicle {
		w.CheckpointID = cp.ID
	}
	return w, nil
}

// Withdraw takes a window down (the kill switch): phones stop showing it
// at their next load. A window at a venue outside the actor's scope is not
// found; one withdrawn already is a conflict. Audited "exposure.withdraw".
func (s *Service) Withdraw(ctx context.Context, actor *ravao.Principal, id int64) error {
	if err := mayTrace(actor); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		w, err := windowFor(tx, actor, id)
		if err != nil {
			return err
		}
		if !w.WithdrawnAt.IsZero() {
			return ravao.Errorf(ravao.Conflict, "err.window_withdrawn")
		}
		if err := tx.WithdrawExposureWindow(w.ID, tx.Now()); err != nil {
			if ravao.ErrorCode(err) == ravao.Conflict {
				return ravao.Errorf(ravao.Conflict, "err.window_withdrawn")
			}
			return err
		}
		if w.CaseID == 0 {
			return auditWindow(ctx, tx, actor, "exposure.withdraw", w, "")
		}
		c, err := tx.Case(w.CaseID)
		if err != nil {
			return err
		}
		return audit(ctx, tx, actor, "exposure.withdraw", "exposure_window", w.ID, c, "")
	})
}

// windowFor loads a window at a venue the actor may trace in; any other is
// not found, so that its existence does not leak.
func windowFor(tx ravao.Tx, actor *ravao.Principal, id int64) (ravao.ExposureWindow, error) {
	w, err := tx.ExposureWindow(id)
	if err != nil {
		return w, err
	}
	v, err := tx.Venue(w.VenueID)
	if err != nil {
		return w, err
	}
	if !actor.Can(ravao.PermTrace, v.Target()) {
		return ravao.ExposureWindow{}, ravao.Errorf(ravao.NotFound, "err.not_found")
	}
	return w, nil
}

// auditWindow records an action on a window published by hand, with the
// official's reason.
func auditWindow(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, action string, w ravao.ExposureWindow, reason string) error {
	return tx.AppendAudit(&ravao.AuditEvent{
		At: tx.Now(), UserID: actor.User.ID, Role: ravao.RoleHealth, Action: action,
		ObjectType: "exposure_window", ObjectID: strconv.FormatInt(w.ID, 10), Reason: reason,
		RequestID: ravao.RequestID(ctx),
	})
}

// Windows lists the windows an official manages (at venues in scope),
// current and withdrawn, newest first, with the names of their places.
func (s *Service) Windows(ctx context.Context, actor *ravao.Principal, f ravao.ExposureWindowFilter) ([]WindowView, error) {
	if err := mayTrace(actor); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	f.Limit = windowsAtOnce
	var out []WindowView
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		ws, err := tx.ExposureWindows(f)
		if err != nil {
			return err
		}
		names := placeNames{tx: tx, venues: map[int64]ravao.Venue{}}
		for _, w := range ws {
			v, err := names.venue(w.VenueID)
			if err != nil {
				return err
			}
			if !actor.Can(ravao.PermTrace, v.Target()) {
				continue
			}
			view := WindowView{Window: w, VenueName: v.Name}
			if view.CheckpointName, err = names.checkpoint(w.CheckpointID); err != nil {
				return err
			}
			if out = append(out, view); len(out) == limit {
				break
			}
		}
		return nil
	})
	return out, err
}

// WindowView is a window as officials list it: with the names of its
// venue and checkpoint.
type WindowView struct {
	Window         ravao.ExposureWindow
	VenueName      string
	CheckpointName string // "" for the whole venue
}

// placeNames looks venues and checkpoints up once each.
type placeNames struct {
	tx     ravao.Tx
	venues map[int64]ravao.Venue
}

func (p placeNames) venue(id int64) (ravao.Venue, error) {
	if v, ok := p.venues[id]; ok {
		return v, nil
	}
	v, err := p.tx.Venue(id)
	if err == nil {
		p.venues[id] = v
	}
	return v, err
}

func (p placeNames) checkpoint(id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	cp, err := p.tx.Checkpoint(id)
	return cp.Name, err
}

// Current lists the windows every phone should match: not withdrawn, ended
// within the last ShownFor. Public, no personal data.
func (s *Service) Current(ctx context.Context) ([]PublicWindow, error) {
	out := []PublicWindow{}
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		ws, err := tx.ExposureWindows(ravao.ExposureWindowFilter{EndsAfter: tx.Now().Add(-ShownFor), Limit: windowsAtOnce})
		if err != nil {
			return err
		}
		names := placeNames{tx: tx, venues: map[int64]ravao.Venue{}}
		for _, w := range ws {
			v, err := names.venue(w.VenueID)
			if err != nil {
				return err
			}
			out = append(out, PublicWindow{
				ID: w.ID, VenueID: w.VenueID, CheckpointID: w.CheckpointID, VenueName: v.Name,
				From: w.From, To: w.To, Severity: w.Severity,
				Message: map[string]string{"vi": w.MessageVI, "en": w.MessageEN},
			})
		}
		return nil
	})
	return out, err
}

// VenueWindows lists the current windows at a venue, for its manager.
// The caller has checked that the reader may see the venue.
func (s *Service) VenueWindows(ctx context.Context, venueID int64) ([]ravao.ExposureWindow, error) {
	var out []ravao.ExposureWindow
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		var err error
		out, err = tx.ExposureWindows(ravao.ExposureWindowFilter{VenueID: venueID, EndsAfter: tx.Now().Add(-ShownFor), Limit: windowsAtOnce})
		return err
	})
	return out, err
}

// instant is t as the stores keep it: UTC, whole milliseconds.
func instant(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Millisecond)
}

// clean is free text as typed, trimmed and in NFC.
func clean(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }
