package server

import (
	"net/http"
	"strconv"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
)

// casesPageSize is how many cases one page of the list shows.
const casesPageSize = 100

// casesData is the data of the official's list of cases with the form
// that opens one.
type casesData struct {
	Rows    []caseRow
	NextURL string // empty on the last page
	Form    openForm
	Units   []unitGroup
	Failure formFailure
}

// caseRow is one case in the list: the person's name masked.
type caseRow struct {
	ID       int64
	Name     string
	Status   ravao.CaseStatus
	Unit     string
	From, To string // the window; To is empty while it is open-ended
	Contacts int
}

// openForm is what was typed in the form that opens a case.
type openForm struct {
	Phone, IDNumber, PersonalQR, Reason, Unit string
	Onset, WindowFrom, WindowTo               string
}

// openFields are the fields the open form shows errors beside.
var openFields = []string{"person", "phone", "id_number", "personal_qr", "reason", "unit", "onset", "window_from", "window_to"}

// casesList shows the official's cases, newest first, 100 a page
// (?after=ID), and the form that opens a case.
func (s *Server) casesList(w http.ResponseWriter, r *http.Request) error {
	fe := ravao.FieldErrors{}
	after := queryID(r.URL.Query().Get("after"), "after", fe)
	if err := fe.Err(); err != nil {
		return err
	}
	return s.renderCases(w, r, http.StatusOK, after, &casesData{})
}

// renderCases loads the page of cases after the given id and shows it
// with d's form.
func (s *Server) renderCases(w http.ResponseWriter, r *http.Request, status int, after int64, d *casesData) error {
	ctx, p, lang := r.Context(), principal(r), s.lang(r)
	list, err := s.tracing.Cases(ctx, p, ravao.CaseFilter{AfterID: after, Limit: casesPageSize})
	if err != nil {
		return err
	}
	if d.Rows, err = s.caseRows(r, list); err != nil {
		return err
	}
	if len(list) == casesPageSize {
		d.NextURL = "/cases?after=" + strconv.FormatInt(list[len(list)-1].Case.ID, 10)
	}
	if d.Units, err = s.traceUnits(ctx, lang, p); err != nil {
		return err
	}
	if d.Form.Unit == "" && len(d.Units) > 0 {
		d.Form.Unit = d.Units[0].Units[0].Code
	}
	return s.views.render(w, status, "cases.html", s.page(r, "cases.title", d))
}

// caseRows names each case's unit in the reader's language.
func (s *Server) caseRows(r *http.Request, list []tracing.CaseRow) ([]caseRow, error) {
	codes := make([]string, 0, len(list))
	for _, c := range list {
		codes = append(codes, c.Case.UnitCode)
	}
	names, err := s.unitNames(r.Context(), s.lang(r), codes)
	if err != nil {
		return nil, err
	}
	rows := make([]caseRow, 0, len(list))
	for _, c := range list {
		rows = append(rows, caseRow{
			ID: c.Case.ID, Name: c.MaskedName, Status: c.Case.Status, Unit: names[c.Case.UnitCode],
			From: s.localTime(c.Case.WindowFrom, shownTime), To: s.localTime(c.Case.WindowTo, shownTime), Contacts: c.Contacts,
		})
	}
	return rows, nil
}

// caseOpenSubmit opens a case from the form and goes to its page; errors
// are shown beside their fields with what was typed, and nothing is
// stored.
func (s *Server) caseOpenSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	f := r.PostForm
	d := &casesData{Form: openForm{
		Phone: f.Get("phone"), IDNumber: f.Get("id_number"), PersonalQR: f.Get("personal_qr"), Reason: f.Get("reason"),
		Unit: f.Get("unit"), Onset: f.Get("onset"), WindowFrom: f.Get("window_from"), WindowTo: f.Get("window_to"),
	}}
	c, traced, err := s.openCase(r, d.Form)
	if err != nil {
		fail, ok := s.formFailed(w, r, err, openFields...)
		if !ok {
			return err
		}
		d.Failure = fail
		return s.renderCases(w, r, fail.Status, 0, d)
	}
	http.Redirect(w, r, caseURL(c.ID)+tracedQuery("open", traced), http.StatusSeeOther)
	return nil
}

// openCase reads the form's dates and opens the case.
func (s *Server) openCase(r *http.Request, f openForm) (ravao.Case, tracing.Traced, error) {
	fe := ravao.FieldErrors{}
	in := tracing.OpenCase{
		Phone: f.Phone, IDNumber: f.IDNumber, PersonalQR: f.PersonalQR, Reason: f.Reason, UnitCode: f.Unit,
		Onset:      s.formDate(f.Onset, "onset", fe),
		WindowFrom: s.formDateTime(f.WindowFrom, "window_from", fe),
		WindowTo:   s.formDateTime(f.WindowTo, "window_to", fe),
	}
	if err := fe.Err(); err != nil {
		return ravao.Case{}, tracing.Traced{}, err
	}
	return s.tracing.Open(r.Context(), principal(r), in)
}
