package server

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
)

// caseData is the data of a case's page. The forms on it come back to it:
// Failed names the form that failed (settings, close, trace, expand,
// export, publish or notify), with what was typed in it.
type caseData struct {
	Case       ravao.Case
	Person     tracing.PersonView
	Unit       string
	Onset      string
	From, To   string // the window, shown; To is empty while open-ended
	Source     *ravao.Contact
	Settings   settingsForm
	Timeline   []timelineRow
	Contacts   []contactRow
	Exports    []exportRow
	Statuses   []choice
	Severities []choice
	Export     exportForm
	Publish    publishForm
	Done       string // what was just done, translated
	Failed     string
	Failure    formFailure
}

// Open reports whether the case is still being worked: its forms show.
func (d *caseData) Open() bool { return d.Case.Status == ravao.CaseOpen }

// settingsForm is the window and thresholds of a case as its form shows
// them: date-times in the deployment's time zone, thresholds in minutes.
type settingsForm struct {
	WindowFrom, WindowTo                                     string
	Buffer, OpenWindow, MinOverlap, CloseAfter, WindowBefore string
}

// exportForm is what was typed in the form that asks for an export.
type exportForm struct {
	Format, Reason string
}

// publishForm is what was typed in the form that publishes the case's
// exposure windows (handled with the exposures' routes).
type publishForm struct {
	Severity, MessageVI, MessageEN string
	Visits                         []int64
}

// timelineRow is one of the case's visits.
type timelineRow struct {
	VisitID           int64
	Venue, Checkpoint string
	Kind              ravao.CheckpointKind
	Unit              string
	In, Out           string // Out is empty without a check-out
	OutAuto           bool   // the check-out was made automatically: tracing ignores it
	Exposed, Close    int
	PublishChosen     bool
}

// contactRow is one person on the worked list, in clear.
type contactRow struct {
	ID          int64
	Degree      int
	Class       ravao.ContactClass
	Name, Phone string
	Via         string
	Overlap     string // minutes
	Visits      int
	SameVehicle bool
	Status      ravao.ContactStatus
	Assignee    string
	Notified    ravao.NotificationStatus
}

// exportRow is one export of the case.
type exportRow struct {
	ID          int64
	Format      string
	Rows        int
	Status      ravao.ExportStatus
	Reason      string
	RequestedBy string
	Mine        bool // asked for by the reader, who cannot approve it
	At          string
}

// caseDone are the results the page announces after a redirect: those
// of a tracing run carry ?found=N&added=N, those of a count ?n=N.
var caseDone = map[string]string{
	"open": "traced", "update": "traced", "trace": "traced", "expand": "traced", "close": "",
	"published": "n", "notified": "n",
}

// caseShow shows a case: the person, the window and thresholds, the
// timeline, the worked list, the exports and the forms that act on them.
func (s *Server) caseShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	return s.renderCase(w, r, id, http.StatusOK, &caseData{Done: s.caseDoneMessage(r)})
}

// caseDoneMessage is the announcement of ?done=..., with the counts the
// redirect carries; empty for anything else.
func (s *Server) caseDoneMessage(r *http.Request) string {
	q := r.URL.Query()
	kind, ok := caseDone[q.Get("done")]
	if !ok {
		return ""
	}
	key, lang := "case.done_"+q.Get("done"), s.lang(r)
	count := func(name string) (int, bool) {
		n, err := strconv.Atoi(q.Get(name))
		return n, err == nil && n >= 0
	}
	switch kind {
	case "traced":
		found, ok1 := count("found")
		added, ok2 := count("added")
		if ok1 && ok2 {
			return s.cat.T(lang, key+"_counts", found, added)
		}
	case "n":
		if n, ok := count("n"); ok {
			return s.cat.T(lang, key+"_n", n)
		}
	}
	return s.cat.T(lang, key)
}

// tracedQuery is the query a redirect after a tracing run carries.
func tracedQuery(done string, t tracing.Traced) string {
	return "?done=" + done + "&found=" + strconv.Itoa(t.Found) + "&added=" + strconv.Itoa(t.Added)
}

// renderCase loads the case, its worked list and its exports and shows
// the page with d.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, id int64, status int, d *caseData) error {
	ctx, p := r.Context(), principal(r)
	v, err := s.tracing.Case(ctx, p, id)
	if err != nil {
		return err
	}
	contacts, err := s.tracing.Contacts(ctx, p, id)
	if err != nil {
		return err
	}
	exports, err := s.tracing.Exports(ctx, p, id)
	if err != nil {
		return err
	}
	if err := s.fillCase(r, d, v, contacts, exports); err != nil {
		return err
	}
	return s.views.render(w, status, "case.html", s.page(r, "case.title", d))
}

// fillCase puts the case into words for its page.
func (s *Server) fillCase(r *http.Request, d *caseData, v tracing.CaseView, contacts []tracing.ContactView, exports []ravao.Export) error {
	c := v.Case
	codes := []string{c.UnitCode}
	for _, t := range v.Timeline {
		codes = append(codes, t.VenueUnit)
	}
	units, err := s.unitNames(r.Context(), s.lang(r), codes)
	if err != nil {
		return err
	}
	d.Case, d.Person, d.Source, d.Unit = c, v.Person, v.Source, units[c.UnitCode]
	d.Onset, d.From, d.To = s.localTime(c.Onset, shownTime), s.localTime(c.WindowFrom, shownTime), s.localTime(c.WindowTo, shownTime)
	if d.Failed != "settings" {
		d.Settings = s.settingsOf(c)
	}
	d.Timeline = s.timelineRows(v.Timeline, units, d.Publish.Visits)
	d.Contacts = contactRows(contacts)
	if d.Exports, err = s.exportRows(r, exports); err != nil {
		return err
	}
	d.Statuses, d.Severities = contactStatusChoices(), severityChoices()
	return nil
}

// settingsOf is the settings form of a case as it is stored.
func (s *Server) settingsOf(c ravao.Case) settingsForm {
	st := c.Settings
	return settingsForm{
		WindowFrom: s.inputDateTime(c.WindowFrom), WindowTo: s.inputDateTime(c.WindowTo),
		Buffer: minutes(st.Buffer), OpenWindow: minutes(st.OpenWindow), MinOverlap: minutes(st.MinOverlap),
		CloseAfter: minutes(st.CloseAfter), WindowBefore: minutes(st.WindowBefore),
	}
}

// timelineRows shows the case's visits; chosen are the visits ticked in a
// publish form that failed.
func (s *Server) timelineRows(visits []tracing.TimelineVisit, units map[string]string, chosen []int64) []timelineRow {
	rows := make([]timelineRow, 0, len(visits))
	for _, t := range visits {
		rows = append(rows, timelineRow{
			VisitID: t.Visit.ID, Venue: t.VenueName, Checkpoint: t.CheckpointName, Kind: t.CheckpointKind,
			Unit: units[t.VenueUnit], In: s.localTime(t.Visit.InAt, shownTime), Out: s.localTime(t.Visit.OutAt, shownTime),
			OutAuto: t.Visit.OutReason == ravao.OutAuto, Exposed: t.Exposed, Close: t.Close,
			PublishChosen: slices.Contains(chosen, t.Visit.ID),
		})
	}
	return rows
}

// contactRows shows the worked list.
func contactRows(list []tracing.ContactView) []contactRow {
	rows := make([]contactRow, 0, len(list))
	for _, cv := range list {
		c := cv.Contact
		rows = append(rows, contactRow{
			ID: c.ID, Degree: c.Degree, Class: c.Class, Name: cv.Person.FullName, Phone: cv.Person.Phone, Via: cv.Via,
			Overlap: minutes(c.Overlap), Visits: c.Visits, SameVehicle: c.SameVehicle, Status: c.Status,
			Assignee: cv.AssigneeName, Notified: cv.Notified,
		})
	}
	return rows
}

// exportRows shows a case's exports with who asked for them.
func (s *Server) exportRows(r *http.Request, list []ravao.Export) ([]exportRow, error) {
	ids := make([]int64, 0, len(list))
	for _, x := range list {
		ids = append(ids, x.RequestedBy)
	}
	names, err := s.staffNames(r.Context(), ids...)
	if err != nil {
		return nil, err
	}
	me := principal(r).User.ID
	rows := make([]exportRow, 0, len(list))
	for _, x := range list {
		rows = append(rows, exportRow{
			ID: x.ID, Format: x.Format, Rows: x.Rows, Status: x.Status, Reason: x.Reason,
			RequestedBy: names[x.RequestedBy], Mine: x.RequestedBy == me, At: s.localTime(x.CreatedAt, shownTime),
		})
	}
	return rows, nil
}

// contactStatusChoices are the options of a contact's status select.
func contactStatusChoices() []choice {
	out := make([]choice, 0, len(ravao.ContactStatuses))
	for _, st := range ravao.ContactStatuses {
		out = append(out, choice{string(st), "contact_status." + string(st)})
	}
	return out
}

// severityChoices are the options of an exposure window's severity.
func severityChoices() []choice {
	return []choice{{string(ravao.SeverityHigh), "case.severity_high"}, {string(ravao.SeverityLow), "case.severity_low"}}
}

// caseFormFailed shows the case again with the failure of one of its
// forms (form names it, shown the fields it shows errors beside), or
// passes on an error no form can fix. d carries what was typed.
func (s *Server) caseFormFailed(w http.ResponseWriter, r *http.Request, id int64, err error, d *caseData, shown ...string) error {
	f, ok := s.formFailed(w, r, err, shown...)
	if !ok {
		return err
	}
	d.Failure = f
	return s.renderCase(w, r, id, f.Status, d)
}
