package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/rights"
)

// proofCookie keeps, for this browsing session only, the challenge of the
// code that opens the visitor's data: first while the code is awaited,
// then, once verified, as the proof (rights.ProofTTL).
const proofCookie = "ravao_data"

// proofHeader carries the proof for API clients that keep no cookie.
const proofHeader = "X-Ravao-Data-Proof"

// rightsRoutes are the visitor's data-subject requests (the code step,
// correction and deletion on /me/data) and the data-protection officer's
// queue.
func (s *Server) rightsRoutes() []Route {
	perm := ravao.PermProtectData
	return []Route{
		page("POST", "/me/data/code", Public, s.meDataCodeSubmit),
		page("POST", "/me/data/verify", Public, s.meDataVerifySubmit),
		page("POST", "/me/data/correct", Public, s.meDataCorrectSubmit),
		page("POST", "/me/data/delete", Public, s.meDataDeleteSubmit),
		page("GET", "/dpo/requests", perm, s.dsrList),
		page("GET", "/dpo/requests/{id}", perm, s.dsrShow),
		page("POST", "/dpo/requests/{id}", perm, s.dsrResolveSubmit),

		api("POST", "/api/v1/me/data/code", Public, s.apiDataCode, dataCodeDoc),
		api("POST", "/api/v1/me/data/verify", Public, s.apiDataVerify, dataVerifyDoc),
		api("PATCH", "/api/v1/me", Public, s.apiCorrect, correctDoc),
		api("POST", "/api/v1/me/requests", Public, s.apiDeletionRequest, deletionRequestDoc),
		api("GET", "/api/v1/dsr", perm, s.apiDSRList, dsrListDoc),
		api("GET", "/api/v1/dsr/{id}", perm, s.apiDSRShow, dsrShowDoc),
		api("POST", "/api/v1/dsr/{id}/resolve", perm, s.apiDSRResolve, dsrResolveDoc),
	}
}

// proof is the data proof the request carries: the header, else the
// session cookie.
func proof(r *http.Request) string {
	if p := r.Header.Get(proofHeader); p != "" {
		return p
	}
	if c, err := r.Cookie(proofCookie); err == nil {
		return c.Value
	}
	return ""
}

// setProof keeps a challenge in the session cookie; "" clears it.
func (s *Server) setProof(w http.ResponseWriter, challenge string) {
	c := &http.Cookie{Name: proofCookie, Value: challenge, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.secure}
	if challenge == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// dataGate is the code step of the data page: whether the data are open,
// else whether a code was sent (the form to enter it shows) or cannot be
// (no phone).
type dataGate struct {
	Enabled  bool // the deployment answers data-subject requests
	Proven   bool
	Sent     bool
	NoPhone  bool
	Requests []myRequestRow
}

// myRequestRow is one of the visitor's requests on their data page.
type myRequestRow struct {
	Kind, Status, Due string
}

// gate reads the code step of the device's data page.
func (s *Server) dataGate(r *http.Request, token string) (dataGate, error) {
	g := dataGate{Enabled: s.rights != nil, Proven: s.rights == nil}
	if s.rights == nil {
		return g, nil
	}
	err := s.rights.Proven(r.Context(), token, proof(r))
	switch e := classify(err); {
	case err == nil:
		g.Proven = true
	case e.Key == "err.dsr_code_needed":
		g.Sent = proof(r) != ""
	default:
		return g, err
	}
	reqs, err := s.rights.MyRequests(r.Context(), token)
	for _, q := range reqs {
		g.Requests = append(g.Requests, myRequestRow{Kind: "dsr_kind." + string(q.Kind), Status: "dsr_status." + string(q.Status),
			Due: s.localTime(q.DueAt, "02/01/2006")})
	}
	return g, err
}

// meDataCodeSubmit sends the code to the person's phone and keeps its
// challenge in the session cookie.
func (s *Server) meDataCodeSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := s.limitSMS(r); err != nil {
		return err
	}
	ch, err := s.rights.SendCode(r.Context(), s.deviceToken(r), s.lang(r))
	if err != nil {
		return s.dataFormFailed(w, r, err)
	}
	s.setProof(w, ch)
	http.Redirect(w, r, "/me/data", http.StatusSeeOther)
	return nil
}

// meDataVerifySubmit checks the code typed; the cookie's challenge then
// opens the data for this session.
func (s *Server) meDataVerifySubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	err := s.rights.Verify(r.Context(), s.deviceToken(r), proof(r), r.PostForm.Get("code"))
	if err != nil {
		return s.dataFormFailed(w, r, err)
	}
	http.Redirect(w, r, "/me/data", http.StatusSeeOther)
	return nil
}

// meDataCorrectSubmit corrects the person's profile.
func (s *Server) meDataCorrectSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	form := &correctionForm{visitorForm: readVisitorForm(r.PostForm), Address: r.PostForm.Get("address"),
		Province: r.PostForm.Get("province")}
	if r.PostForm.Get("step") == "province" {
		form.Unit = ""
		return s.renderMyDataForm(w, r, http.StatusOK, formFailure{}, form)
	}
	in := rights.Correction{FullName: form.FullName, BirthYear: form.birthYear(), Sex: form.Sex,
		Address: form.Address, UnitCode: form.Unit}
	if err := s.rights.Correct(r.Context(), s.deviceToken(r), proof(r), in); err != nil {
		if classify(err).Key == "err.dsr_code_needed" {
			return s.dataFormFailed(w, r, err)
		}
		f, ok := s.formFailed(w, r, err, dataFields...)
		if !ok {
			return err
		}
		return s.renderMyDataForm(w, r, f.Status, f, form)
	}
	http.Redirect(w, r, "/me/data?corrected=1", http.StatusSeeOther)
	return nil
}

// meDataDeleteSubmit asks for the person's data to be deleted: at once,
// or through the officer's queue while a case needs them.
func (s *Server) meDataDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	if r.PostForm.Get("confirm") != "yes" {
		f := s.rejectForm(w, r, "delete_confirm", "err.erase_confirm", "delete_confirm")
		return s.renderMyData(w, r, f.Status, f)
	}
	req, err := s.rights.RequestDeletion(r.Context(), s.deviceToken(r), proof(r))
	if err != nil {
		return s.dataFormFailed(w, r, err)
	}
	if req.Status == ravao.DSRDone {
		s.setDevice(w, "")
		s.setProof(w, "")
		http.Redirect(w, r, "/me?erased=1", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/me/data?queued=1", http.StatusSeeOther)
	return nil
}

// dataFields are the fields of the data page's forms.
var dataFields = []string{"code", "full_name", "birth_year", "sex", "address", "unit", "delete_confirm"}

// dataFormFailed shows the data page again with what went wrong; an
// expired proof shows the code step again.
func (s *Server) dataFormFailed(w http.ResponseWriter, r *http.Request, err error) error {
	e := classify(err)
	if e.Key == "err.dsr_code_needed" {
		http.Redirect(w, r, "/me/data", http.StatusSeeOther)
		return nil
	}
	f, ok := s.formFailed(w, r, err, dataFields...)
	if !ok {
		return err
	}
	return s.renderMyData(w, r, f.Status, f)
}

// dsrListData is the officer's queue.
type dsrListData struct {
	Status string
	Rows   []dsrRow
}

// dsrRow is a request as the queue lists it.
type dsrRow struct {
	ID           int64
	Kind, Status string // catalogue keys
	Created, Due string
	Overdue      bool
}

// dsrList lists the open requests by due date, the overdue ones marked.
func (s *Server) dsrList(w http.ResponseWriter, r *http.Request) error {
	status := ravao.DSRStatus(r.URL.Query().Get("status"))
	rs, err := s.rights.Queue(r.Context(), principal(r), status)
	if err != nil {
		return err
	}
	d := dsrListData{Status: string(status)}
	if d.Status == "" {
		d.Status = string(ravao.DSROpen)
	}
	for _, q := range rs {
		d.Rows = append(d.Rows, s.dsrRow(r, q))
	}
	return s.views.render(w, http.StatusOK, "dsr_list.html", s.page(r, "dsr.title", d))
}

// dsrRow formats a request for the pages, dates in the user's language.
func (s *Server) dsrRow(r *http.Request, q ravao.DSRequest) dsrRow {
	return dsrRow{ID: q.ID, Kind: "dsr_kind." + string(q.Kind), Status: "dsr_status." + string(q.Status),
		Created: s.dsrDate(r, q.CreatedAt), Due: s.dsrDate(r, q.DueAt), Overdue: q.Overdue(s.clock.Now())}
}

// dsrDate is a date as the user's language writes it, with the time.
func (s *Server) dsrDate(r *http.Request, t time.Time) string {
	layout := "15:04 02/01/2006"
	if s.lang(r) == "en" {
		layout = "2 Jan 2006 15:04"
	}
	return s.localTime(t, layout)
}

// dsrShowData is one request for the officer.
type dsrShowData struct {
	Row       dsrRow
	Source    string // catalogue key
	Reason    string
	Fields    string
	Protected bool
	Erased    bool
	Events    []dsrEventRow
	Failure   formFailure
	Reasoned  string // the reason typed, shown again
}

type dsrEventRow struct{ At, Action, Who string }

// dsrShow shows a request with its history and the officer's answer.
func (s *Server) dsrShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderDSR(w, r, http.StatusOK, &dsrShowData{})
}

func (s *Server) renderDSR(w http.ResponseWriter, r *http.Request, status int, d *dsrShowData) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	v, err := s.rights.Request(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	d.Row, d.Source, d.Reason = s.dsrRow(r, v.Request), "dsr_source."+v.Details.Source, v.Details.Reason
	d.Fields, d.Protected, d.Erased = strings.Join(v.Details.Fields, ", "), v.Protected, v.Erased
	for _, ev := range v.Events {
		who := "dsr.by_person"
		if ev.UserID != 0 {
			who = "dsr.by_officer"
		}
		d.Events = append(d.Events, dsrEventRow{At: s.dsrDate(r, ev.At), Action: "dsr_event." + ev.Action, Who: who})
	}
	return s.views.render(w, status, "dsr_show.html", s.page(r, "dsr.request_title", d))
}

// dsrResolveSubmit marks a request done (erasing now when it asks for a
// deletion no open case blocks any more) or refused with a reason.
func (s *Server) dsrResolveSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	in := rights.Resolution{Outcome: ravao.DSRStatus(r.PostForm.Get("outcome")), Reason: r.PostForm.Get("reason")}
	if err := s.rights.Resolve(r.Context(), principal(r), id, in); err != nil {
		f, ok := s.formFailed(w, r, err, "reason")
		if !ok {
			return err
		}
		return s.renderDSR(w, r, f.Status, &dsrShowData{Failure: f, Reasoned: in.Reason})
	}
	http.Redirect(w, r, "/dpo/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// correctionForm is a correction as typed, shown again with its errors.
type correctionForm struct {
	visitorForm
	Address  string
	Province string
}

// fillCorrection fills the correction form of the data page: from form
// when given, else from the stored profile.
func (s *Server) fillCorrection(r *http.Request, d *myDataData, form *correctionForm) error {
	d.Sexes = sexChoices()
	if form != nil {
		d.Form, d.Address, d.Picker.Province = form.visitorForm, form.Address, form.Province
	} else {
		p := d.Person
		d.Form = visitorForm{FullName: p.FullName, BirthYear: strconv.Itoa(p.BirthYear), Sex: p.Sex, Unit: p.UnitCode}
		d.Address = p.Address
	}
	fallback := ""
	if u, err := s.unitPath(r.Context(), d.Form.Unit); err == nil {
		fallback = u
	}
	return s.fillPicker(r.Context(), s.lang(r), &d.Picker, fallback)
}
