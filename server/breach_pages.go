package server

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/breaches"
)

// breachRoutes are the data-protection officer's breach register: the
// list with its deadlines, each breach with its history, the notification
// report (page, PDF, text) and the affected people.
func (s *Server) breachRoutes() []Route {
	perm := ravao.PermProtectData
	return []Route{
		page("GET", "/dpo/breaches", perm, s.breachesList),
		page("POST", "/dpo/breaches", perm, s.breachRecordSubmit),
		page("POST", "/dpo/breaches/settings", perm, s.breachSettingsSubmit),
		page("GET", "/dpo/breaches/{id}", perm, s.breachShow),
		page("POST", "/dpo/breaches/{id}", perm, s.breachUpdateSubmit),
		page("POST", "/dpo/breaches/{id}/affected", perm, s.breachAffectedSubmit),
		page("POST", "/dpo/breaches/{id}/affected.csv", perm, s.breachPhonesSubmit),
		page("GET", "/dpo/breaches/{id}/report", perm, s.breachReportShow),
		page("GET", "/dpo/breaches/{id}/report.pdf", perm, s.breachReportPDF),
		page("GET", "/dpo/breaches/{id}/report.txt", perm, s.breachReportText),

		api("GET", "/api/v1/breaches", perm, s.apiBreachesList, breachesListDoc),
		api("POST", "/api/v1/breaches", perm, s.apiBreachRecord, breachRecordDoc),
		api("GET", "/api/v1/breaches/{id}", perm, s.apiBreachShow, breachShowDoc),
		api("PATCH", "/api/v1/breaches/{id}", perm, s.apiBreachUpdate, breachUpdateDoc),
		api("GET", "/api/v1/breaches/{id}/report", perm, s.apiBreachReport, breachReportDoc),
		api("POST", "/api/v1/breaches/{id}/affected", perm, s.apiBreachAffected, breachAffectedDoc),
	}
}

// breachesData is the data of the register's page.
type breachesData struct {
	Rows     []breachRow
	Form     breachForm
	Kinds    []breachKind
	Settings breaches.Controller
	Done     string
	Failure  formFailure
	Failed   string // "record" or "settings": which form Failure is about
}

// breachRow is a breach in the register's list.
type breachRow struct {
	ID       int64
	Title    string
	Found    string
	Deadline string
	Status   ravao.BreachStatus
	Clock    string // "còn 41 giờ", "quá hạn 3 giờ", "đã thông báo đúng hạn"
	Overdue  bool
}

// breachKind is a kind of data in the form, ticked or not.
type breachKind struct {
	Value   string
	Key     string
	Checked bool
}

// breachForm is what was typed in a breach's form.
type breachForm struct {
	Title, What, Place, Measures, Consequences, LateReason string
	OccurredAt, FoundAt, NotifiedAt, People, Status, Ref   string
	Kinds                                                  []string
}

// breachFields are the fields the breach forms show errors beside.
var breachFields = []string{"title", "what", "place", "measures", "consequences", "late_reason", "occurred_at",
	"found_at", "notified_at", "people_affected", "data_kinds", "status", "authority_ref"}

// breachesDone are the results the pages announce after a redirect.
var breachesDone = map[string]string{"recorded": "breaches.done_recorded", "updated": "breaches.done_updated",
	"settings": "breaches.done_settings"}

// breachesList shows the register, the new-breach form and the
// controller's details.
func (s *Server) breachesList(w http.ResponseWriter, r *http.Request) error {
	d := &breachesData{Done: breachesDone[r.URL.Query().Get("done")], Form: breachForm{
		FoundAt: s.localTime(s.clock.Now(), dateTimeInput)}}
	return s.renderBreaches(w, r, http.StatusOK, d)
}

// renderBreaches loads the register and shows the page with d.
func (s *Server) renderBreaches(w http.ResponseWriter, r *http.Request, status int, d *breachesData) error {
	list, err := s.breaches.List(r.Context(), principal(r))
	if err != nil {
		return err
	}
	if d.Failed != "settings" {
		if d.Settings, err = s.breaches.Controller(r.Context(), principal(r)); err != nil {
			return err
		}
	}
	lang, now := s.lang(r), s.clock.Now()
	for _, b := range list {
		row := breachRow{ID: b.ID, Title: b.Title, Found: s.localTime(b.FoundAt, shownTime),
			Deadline: s.localTime(b.Deadline(), shownTime), Status: b.Status}
		row.Clock, row.Overdue = s.breachClock(lang, b, now)
		d.Rows = append(d.Rows, row)
	}
	d.Kinds = breachKinds(d.Form.Kinds)
	return s.views.render(w, status, "breaches.html", s.page(r, "breaches.title", d))
}

// breachClock says how the deadline stands: whole hours left or overdue
// while the authority has not been notified, on time or late once it has.
func (s *Server) breachClock(lang string, b ravao.Breach, now time.Time) (string, bool) {
	switch {
	case !b.NotifiedAt.IsZero() && b.Late(now):
		return s.cat.T(lang, "breaches.notified_late"), true
	case !b.NotifiedAt.IsZero():
		return s.cat.T(lang, "breaches.notified_on_time"), false
	case b.Status == ravao.BreachClosed:
		return "", false
	}
	left := b.Deadline().Sub(now)
	if left >= 0 {
		return s.cat.T(lang, "breaches.left", int(left/time.Hour)), false
	}
	return s.cat.T(lang, "breaches.overdue", int(-left/time.Hour)), true
}

// breachKinds lists the kinds of data, ticking those given.
func breachKinds(ticked []string) []breachKind {
	out := make([]breachKind, len(ravao.BreachDataKinds))
	for i, k := range ravao.BreachDataKinds {
		out[i] = breachKind{Value: k, Key: "breach.kind." + k, Checked: slices.Contains(ticked, k)}
	}
	return out
}

func readBreachForm(v url.Values) breachForm {
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return breachForm{
		Title: get("title"), What: v.Get("what"), Place: v.Get("place"), Measures: v.Get("measures"),
		Consequences: v.Get("consequences"), LateReason: v.Get("late_reason"), OccurredAt: get("occurred_at"),
		FoundAt: get("found_at"), NotifiedAt: get("notified_at"), People: get("people_affected"),
		Status: get("status"), Ref: get("authority_ref"), Kinds: v["data_kinds"],
	}
}

// people reads the estimated number of people (0 when empty).
func (f breachForm) people(fe ravao.FieldErrors) int {
	if f.People == "" {
		return 0
	}
	n, err := strconv.Atoi(f.People)
	if err != nil || n < 0 {
		fe.Add("people_affected", "err.breach_people")
	}
	return n
}

// breachRecordSubmit records a breach and opens it; bad input shows the
// form again with what was typed.
func (s *Server) breachRecordSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	form := readBreachForm(r.PostForm)
	fe := ravao.FieldErrors{}
	in := breaches.Input{Title: form.Title, What: form.What, Place: form.Place, Measures: form.Measures,
		Consequences: form.Consequences, OccurredAt: s.formDateTime(form.OccurredAt, "occurred_at", fe),
		FoundAt: s.formDateTime(form.FoundAt, "found_at", fe), DataKinds: form.Kinds, PeopleAffected: form.people(fe)}
	if len(fe) > 0 {
		fe.Merge(in.Check(s.clock.Now()))
	}
	err := fe.Err()
	var b ravao.Breach
	if err == nil {
		b, err = s.breaches.Record(r.Context(), principal(r), in)
	}
	if err != nil {
		f, ok := s.formFailed(w, r, err, breachFields...)
		if !ok {
			return err
		}
		return s.renderBreaches(w, r, f.Status, &breachesData{Form: form, Failure: f, Failed: "record"})
	}
	http.Redirect(w, r, breachURL(b.ID)+"?done=recorded", http.StatusSeeOther)
	return nil
}

// breachSettingsSubmit stores the controller's name and contact.
func (s *Server) breachSettingsSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	c := breaches.Controller{Name: r.PostForm.Get("controller_name"), Contact: r.PostForm.Get("dpo_contact")}
	if err := s.breaches.SetController(r.Context(), principal(r), c); err != nil {
		f, ok := s.formFailed(w, r, err, "controller_name", "dpo_contact")
		if !ok {
			return err
		}
		return s.renderBreaches(w, r, f.Status, &breachesData{Settings: c, Failure: f, Failed: "settings"})
	}
	http.Redirect(w, r, "/dpo/breaches?done=settings", http.StatusSeeOther)
	return nil
}

func breachURL(id int64) string { return "/dpo/breaches/" + strconv.FormatInt(id, 10) }

// breachData is the data of a breach's page.
type breachData struct {
	B         ravao.Breach
	Found     string
	Occurred  string
	Deadline  string
	Notified  string
	Listed    string
	Clock     string
	Overdue   bool
	Kinds     []breachKind
	Events    []breachEventRow
	Statuses  []ravao.BreachStatus
	Form      breachForm
	Crit      breachCrit
	Affected  *breaches.Affected
	Done      string
	Failure   formFailure
	Failed    string // "update" or "affected"
	Closed    bool
	ShownMost int
}

// breachEventRow is a step of the history.
type breachEventRow struct {
	At     string
	Action string
	Status ravao.BreachStatus
	UserID int64
}

// breachCrit is what was typed in the affected-people form.
type breachCrit struct {
	Kind, Venues, From, To, Unit string
}

// breachShow shows a breach.
func (s *Server) breachShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	d := &breachData{Done: breachesDone[r.URL.Query().Get("done")], Crit: breachCrit{Kind: "visits"}}
	return s.renderBreach(w, r, http.StatusOK, id, d)
}

// renderBreach loads a breach and shows its page with d.
func (s *Server) renderBreach(w http.ResponseWriter, r *http.Request, status int, id int64, d *breachData) error {
	v, err := s.breaches.Get(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	b := v.Breach
	d.B = b
	d.Found, d.Occurred, d.Deadline = s.localTime(b.FoundAt, shownTime), s.localTime(b.OccurredAt, shownTime), s.localTime(b.Deadline(), shownTime)
	d.Notified, d.Listed = s.localTime(b.NotifiedAt, shownTime), s.localTime(b.PeopleListedAt, shownTime)
	d.Clock, d.Overdue = s.breachClock(s.lang(r), b, s.clock.Now())
	d.Closed = b.Status == ravao.BreachClosed
	d.Statuses = ravao.BreachStatuses
	for _, e := range v.Events {
		d.Events = append(d.Events, breachEventRow{At: s.localTime(e.At, shownTime), Action: e.Action, Status: e.Status, UserID: e.UserID})
	}
	if d.Failed != "update" {
		d.Form = breachForm{
			Title: b.Title, What: b.What, Place: b.Place, Measures: b.Measures, Consequences: b.Consequences,
			LateReason: b.LateReason, OccurredAt: s.localTime(b.OccurredAt, dateTimeInput), FoundAt: s.localTime(b.FoundAt, dateTimeInput),
			NotifiedAt: s.localTime(b.NotifiedAt, dateTimeInput), People: strconv.Itoa(b.PeopleAffected),
			Status: string(b.Status), Ref: b.AuthorityRef, Kinds: b.DataKinds,
		}
	}
	d.Kinds = breachKinds(d.Form.Kinds)
	if d.Affected != nil {
		d.ShownMost = len(d.Affected.People)
	}
	return s.views.render(w, status, "breach.html", s.page(r, "breach.title", d))
}

// breachUpdateSubmit changes a breach from its page.
func (s *Server) breachUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	form := readBreachForm(r.PostForm)
	fe := ravao.FieldErrors{}
	occurred, found := s.formDateTime(form.OccurredAt, "occurred_at", fe), s.formDateTime(form.FoundAt, "found_at", fe)
	notified := s.formDateTime(form.NotifiedAt, "notified_at", fe)
	people := form.people(fe)
	st := ravao.BreachStatus(form.Status)
	c := breaches.Change{Title: &form.Title, What: &form.What, Place: &form.Place, Measures: &form.Measures,
		Consequences: &form.Consequences, LateReason: &form.LateReason, AuthorityRef: &form.Ref,
		OccurredAt: &occurred, FoundAt: &found, DataKinds: &form.Kinds, PeopleAffected: &people, Status: &st}
	if !notified.IsZero() {
		c.NotifiedAt = &notified
	}
	err = fe.Err()
	if err == nil {
		_, err = s.breaches.Update(r.Context(), principal(r), id, c)
	}
	if err != nil {
		f, ok := s.formFailed(w, r, err, breachFields...)
		if !ok {
			return err
		}
		return s.renderBreach(w, r, f.Status, id, &breachData{Form: form, Failure: f, Failed: "update", Crit: breachCrit{Kind: "visits"}})
	}
	http.Redirect(w, r, breachURL(id)+"?done=updated", http.StatusSeeOther)
	return nil
}

// breachCritFields are the fields the affected-people form shows errors beside.
var breachCritFields = []string{"criteria", "venue_ids", "from", "to", "unit_code"}

// readBreachCriteria reads the affected-people form.
func (s *Server) readBreachCriteria(v url.Values) (breachCrit, breaches.Criteria, error) {
	f := breachCrit{Kind: v.Get("kind"), Venues: strings.TrimSpace(v.Get("venue_ids")), From: v.Get("from"), To: v.Get("to"),
		Unit: strings.TrimSpace(v.Get("unit_code"))}
	fe := ravao.FieldErrors{}
	var c breaches.Criteria
	switch f.Kind {
	case "visits":
		for _, part := range strings.FieldsFunc(f.Venues, func(r rune) bool { return r == ',' || r == ' ' }) {
			id, err := strconv.ParseInt(part, 10, 64)
			if err != nil || id <= 0 {
				fe.Add("venue_ids", "err.id")
			}
			c.VenueIDs = append(c.VenueIDs, id)
		}
		if len(c.VenueIDs) == 0 {
			fe.Add("venue_ids", "err.required")
		}
	case "declarations":
		c.Declarations = true
	case "unit":
		c.UnitCode = f.Unit
		if f.Unit == "" {
			fe.Add("unit_code", "err.required")
		}
	default:
		fe.Add("criteria", "err.breach_criteria")
	}
	if f.Kind != "unit" {
		c.From, c.To = s.formDateTime(f.From, "from", fe), s.formDateTime(f.To, "to", fe)
	}
	return f, c, fe.Err()
}

// breachAffectedSubmit finds the people a breach may concern and shows
// them, masked, on the breach's page.
func (s *Server) breachAffectedSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	form, c, err := s.readBreachCriteria(r.PostForm)
	var a breaches.Affected
	if err == nil {
		a, err = s.breaches.Affected(r.Context(), principal(r), id, c)
	}
	if err != nil {
		f, ok := s.formFailed(w, r, err, breachCritFields...)
		if !ok {
			return err
		}
		return s.renderBreach(w, r, f.Status, id, &breachData{Crit: form, Failure: f, Failed: "affected"})
	}
	return s.renderBreach(w, r, http.StatusOK, id, &breachData{Crit: form, Affected: &a})
}

// breachPhonesSubmit downloads the CSV of the phones of the people the
// criteria select, for the notification SMS; never cached.
func (s *Server) breachPhonesSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	form, c, err := s.readBreachCriteria(r.PostForm)
	var csv []byte
	if err == nil {
		csv, _, err = s.breaches.PhonesCSV(r.Context(), principal(r), id, c)
	}
	if err != nil {
		f, ok := s.formFailed(w, r, err, breachCritFields...)
		if !ok {
			return err
		}
		return s.renderBreach(w, r, f.Status, id, &breachData{Crit: form, Failure: f, Failed: "affected"})
	}
	return writeDownload(w, "text/csv; charset=utf-8", fmt.Sprintf("vi-pham-%d-so-dien-thoai.csv", id), csv)
}

// breachReportData is the data of the printable notification.
type breachReportData struct {
	ID     int64
	Report breaches.NotificationReport
	Lang   string // the report's language, which may differ from the page's
	Other  string // the other language offered
}

// breachReport makes the notification in ?lang= (vi unless en).
func (s *Server) breachReport(r *http.Request) (breaches.NotificationReport, int64, error) {
	id, err := pageID(r)
	if err != nil {
		return breaches.NotificationReport{}, 0, err
	}
	rep, err := s.breaches.Report(r.Context(), principal(r), id, r.URL.Query().Get("lang"))
	return rep, id, err
}

// breachReportShow shows the notification, printable.
func (s *Server) breachReportShow(w http.ResponseWriter, r *http.Request) error {
	rep, id, err := s.breachReport(r)
	if err != nil {
		return err
	}
	d := breachReportData{ID: id, Report: rep, Lang: rep.Lang, Other: "en"}
	if rep.Lang == "en" {
		d.Other = "vi"
	}
	return s.views.render(w, http.StatusOK, "breach_report.html", s.page(r, "breach.report_links", d))
}

// breachReportPDF downloads the notification as a PDF.
func (s *Server) breachReportPDF(w http.ResponseWriter, r *http.Request) error {
	rep, id, err := s.breachReport(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := breaches.WritePDF(&buf, rep); err != nil {
		return err
	}
	return writeDownload(w, "application/pdf", fmt.Sprintf("thong-bao-vi-pham-%d-%s.pdf", id, rep.Lang), buf.Bytes())
}

// breachReportText downloads the notification as plain text.
func (s *Server) breachReportText(w http.ResponseWriter, r *http.Request) error {
	rep, id, err := s.breachReport(r)
	if err != nil {
		return err
	}
	return writeDownload(w, "text/plain; charset=utf-8", fmt.Sprintf("thong-bao-vi-pham-%d-%s.txt", id, rep.Lang), []byte(rep.Text()))
}
