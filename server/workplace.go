package server

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/workplaces"
)

// workplaceRoutes are the staff lists of organisations, their daily
// compliance and staff cards (a venue manager's pages and API), and the
// compliance per business for boards and supervisors. Whose list is
// whose is the service's decision: another organisation's list is not
// found.
func (s *Server) workplaceRoutes() []Route {
	m, mon := ravao.PermManagePlaces, ravao.PermMonitor
	return []Route{
		page("GET", "/workplaces", m, s.workplacesRedirect),
		page("GET", "/organisations/{id}/staff", m, s.staffShow),
		withMaxBody(page("POST", "/organisations/{id}/staff/upload", m, s.staffUpload), maxImportBody),
		page("POST", "/organisations/{id}/staff/cards", m, s.staffCardsSubmit),
		page("GET", "/organisations/{id}/staff/new", m, s.staffNewShow),
		page("POST", "/organisations/{id}/staff/new", m, s.staffNewSubmit),
		page("GET", "/organisations/{id}/staff/{member}", m, s.staffEditShow),
		page("POST", "/organisations/{id}/staff/{member}", m, s.staffEditSubmit),
		page("POST", "/organisations/{id}/staff/{member}/delete", m, s.staffDeleteSubmit),
		page("GET", "/organisations/{id}/compliance", m, s.complianceShow),
		page("GET", "/stats/units/{code}/compliance", mon, s.workplaceStatsShow),
		page("GET", "/stats/units/{code}/zones/view/compliance", mon, s.workplaceStatsShow),

		api("GET", "/api/v1/organisations/{id}/staff", m, s.apiStaffList, staffListDoc),
		api("POST", "/api/v1/organisations/{id}/staff", m, s.apiStaffCreate, staffCreateDoc),
		withMaxBody(api("POST", "/api/v1/organisations/{id}/staff/upload", m, s.apiStaffUpload, staffUploadDoc), maxImportBody),
		api("POST", "/api/v1/organisations/{id}/staff/cards", m, s.apiStaffCards, staffCardsDoc),
		api("PUT", "/api/v1/organisations/{id}/staff/{member}", m, s.apiStaffUpdate, staffUpdateDoc),
		api("DELETE", "/api/v1/organisations/{id}/staff/{member}", m, s.apiStaffDelete, staffDeleteDoc),
		api("GET", "/api/v1/organisations/{id}/compliance", m, s.apiCompliance, complianceDoc),
		api("GET", "/api/v1/stats/compliance", mon, s.apiStatsCompliance, statsComplianceDoc),
	}
}

// staffURL is the path of an organisation's staff list.
func staffURL(orgID int64) string { return "/organisations/" + strconv.FormatInt(orgID, 10) + "/staff" }

// complianceURL is the path of an organisation's compliance on a day (0:
// the latest workday).
func complianceURL(orgID int64, day ravao.Day) string {
	u := "/organisations/" + strconv.FormatInt(orgID, 10) + "/compliance"
	if day != 0 {
		u += "?day=" + day.String()
	}
	return u
}

// workplacesRedirect sends a manager to the staff list of their
// organisation (the first, when they manage several).
func (s *Server) workplacesRedirect(w http.ResponseWriter, r *http.Request) error {
	orgs := workplaces.Organisations(principal(r))
	if len(orgs) == 0 {
		return ravao.Errorf(ravao.NotFound, "err.organisation_not_found")
	}
	http.Redirect(w, r, staffURL(orgs[0]), http.StatusSeeOther)
	return nil
}

// staffData is the data of an organisation's staff list page.
type staffData struct {
	OrgID         int64
	OrgName       string
	Path          string
	ComplianceURL string
	Members       []staffRow
	Linked        int
	Done          string // translated: what the last action did
	Failure       formFailure
	Uploaded      bool // the failure is the upload's
	RowErrors     []importErrorRow
	CardsFailure  formFailure
}

// staffRow is one member in the list.
type staffRow struct {
	ID                                           int64
	Name, Phone, StaffNumber, Department, Venues string
	Linked                                       bool
	EditURL                                      string
}

// staffShow shows an organisation's staff list, with what the last
// action did (?uploaded=N&linked=N, ?done=added|updated|deleted).
func (s *Server) staffShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	d := &staffData{Done: s.staffDone(r)}
	return s.renderStaff(w, r, http.StatusOK, id, d)
}

// staffDone puts the result of the last action, carried by the
// redirect's query, into words.
func (s *Server) staffDone(r *http.Request) string {
	q, lang := r.URL.Query(), s.lang(r)
	if n, err := strconv.Atoi(q.Get("uploaded")); err == nil {
		linked, _ := strconv.Atoi(q.Get("linked"))
		return s.cat.T(lang, "workplace.uploaded", n, linked)
	}
	switch q.Get("done") {
	case "added", "updated", "deleted":
		return s.cat.T(lang, "workplace."+q.Get("done"))
	}
	return ""
}

// renderStaff loads the list into d and shows it with status.
func (s *Server) renderStaff(w http.ResponseWriter, r *http.Request, status int, orgID int64, d *staffData) error {
	l, err := s.workplaces.Staff(r.Context(), principal(r), orgID)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, v := range l.Venues {
		names[v.ID] = v.Name
	}
	d.OrgID, d.OrgName, d.Linked = orgID, l.Organisation.Name, l.Linked
	d.Path, d.ComplianceURL = staffURL(orgID), complianceURL(orgID, 0)
	d.Members = make([]staffRow, 0, len(l.Members))
	for _, m := range l.Members {
		var vs []string
		for _, id := range m.VenueIDs {
			vs = append(vs, names[id])
		}
		d.Members = append(d.Members, staffRow{ID: m.ID, Name: m.Name, Phone: m.Phone, StaffNumber: m.StaffNumber,
			Department: m.Department, Venues: strings.Join(vs, "; "), Linked: m.Linked,
			EditURL: staffURL(orgID) + "/" + strconv.FormatInt(m.ID, 10)})
	}
	return s.views.render(w, status, "workplace_staff.html", s.page(r, "workplace.staff_title", d))
}

// staffUpload reads an uploaded staff list. A good file replaces the list
// and the page redirects to it with what was saved; a bad one is shown
// again with its problems by line, and nothing is written.
func (s *Server) staffUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	res, err := s.uploadStaff(r, id)
	if err == nil && len(res.Errors) == 0 {
		q := url.Values{"uploaded": {strconv.Itoa(res.Members)}, "linked": {strconv.Itoa(res.Linked)}}
		http.Redirect(w, r, staffURL(id)+"?"+q.Encode(), http.StatusSeeOther)
		return nil
	}
	d := &staffData{Uploaded: true}
	status := http.StatusBadRequest
	if err != nil {
		if ravao.ErrorCode(err) == ravao.NotFound {
			return err
		}
		fail, ok := s.uploadFailed(w, r, err)
		if !ok {
			return err
		}
		if fail.Status == http.StatusRequestEntityTooLarge {
			fail.Fields["file"] = s.cat.T(s.lang(r), "workplace.file_too_large")
		}
		d.Failure, status = fail, fail.Status
	} else {
		d.RowErrors = s.rowErrorRows(s.lang(r), "workplace.col.", res.Errors)
	}
	return s.renderStaff(w, r, status, id, d)
}

// uploadStaff checks the form (a .csv or .xlsx file) and hands the file
// to the service.
func (s *Server) uploadStaff(r *http.Request, orgID int64) (workplaces.UploadResult, error) {
	if err := r.ParseMultipartForm(maxImportBody); err != nil {
		return workplaces.UploadResult{}, uploadFormError(err)
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return workplaces.UploadResult{}, ravao.FieldError("file", "err.import_file_missing")
	}
	defer file.Close()
	if !rosterFileName(hdr.Filename) {
		return workplaces.UploadResult{}, ravao.FieldError("file", "err.import_format")
	}
	return s.workplaces.Upload(r.Context(), principal(r), orgID, hdr.Filename, io.Reader(file))
}

// staffCardsSubmit prints the cards of the whole list (action all) or of
// the ticked members (action chosen), answering the PDF; a refusal (no
// consent, a birth year missing) shows the list again with the reason.
func (s *Server) staffCardsSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	req, err := readStaffCardsForm(r.PostForm)
	if err == nil {
		cs, cerr := s.workplaces.Cards(r.Context(), principal(r), id, req)
		if cerr == nil {
			return s.writeCards(w, r, cs)
		}
		err = cerr
	}
	fail, ok := s.formFailed(w, r, err, "consent")
	if !ok {
		return err
	}
	return s.renderStaff(w, r, fail.Status, id, &staffData{CardsFailure: fail})
}

// readStaffCardsForm reads the cards form: which button, the ticked
// members and the consent box.
func readStaffCardsForm(form url.Values) (workplaces.CardsRequest, error) {
	req := workplaces.CardsRequest{Consent: form.Get("consent") == "on"}
	switch form.Get("action") {
	case "all":
		return req, nil
	case "chosen":
		ids, err := formIDs(form["id"], "id")
		if err == nil && len(ids) == 0 {
			err = ravao.Errorf(ravao.Invalid, "err.cards_none")
		}
		req.IDs = ids
		return req, err
	}
	return req, ravao.FieldError("action", "err.invalid")
}
