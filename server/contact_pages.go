package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
)

// contactData is the data of a contact's page: the person in clear, the
// history with its notes, and the forms that update the contact or open a
// case for them.
type contactData struct {
	Contact   tracing.ContactView
	FirstAt   string
	Overlap   string // minutes
	Events    []eventRow
	Statuses  []choice
	Assignees []tracer
	Form      contactForm
	Reason    string // of the promotion
	Done      string
	Failed    string // update or promote
	Failure   formFailure
}

// contactForm is what was typed in a contact's update form.
type contactForm struct {
	Status   string
	Assignee string // an account id; "0" for nobody
	Note     string
}

// eventRow is one step of a contact's history.
type eventRow struct {
	At       string
	By       string
	Status   ravao.ContactStatus
	Assignee string
	Note     string
}

// contactShow shows one contact with their history.
func (s *Server) contactShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	d := &contactData{}
	if done := r.URL.Query().Get("done"); done == "update" {
		d.Done = "contact.done_update"
	}
	return s.renderContact(w, r, id, http.StatusOK, d)
}

// renderContact loads the contact, its history and the officials it may
// be assigned to, and shows the page with d.
func (s *Server) renderContact(w http.ResponseWriter, r *http.Request, id int64, status int, d *contactData) error {
	ctx := r.Context()
	cv, events, err := s.tracing.Contact(ctx, principal(r), id)
	if err != nil {
		return err
	}
	var path string
	err = s.store.View(ctx, func(tx ravao.Tx) error {
		c, err := tx.Case(cv.Contact.CaseID)
		path = c.UnitPath
		return err
	})
	if err != nil {
		return err
	}
	if d.Assignees, err = s.tracers(ctx, path); err != nil {
		return err
	}
	c := cv.Contact
	d.Contact, d.Statuses = cv, contactStatusChoices()
	d.FirstAt, d.Overlap = s.localTime(c.FirstAt, shownTime), minutes(c.Overlap)
	if d.Failed != "update" {
		d.Form = contactForm{Status: string(c.Status), Assignee: strconv.FormatInt(c.AssigneeID, 10)}
	}
	if d.Events, err = s.eventRows(r, events); err != nil {
		return err
	}
	return s.views.render(w, status, "contact.html", s.page(r, "contact.title", d))
}

// eventRows shows a contact's history, naming the assignee after each
// step.
func (s *Server) eventRows(r *http.Request, events []tracing.EventView) ([]eventRow, error) {
	ids := make([]int64, 0, len(events))
	for _, e := range events {
		ids = append(ids, e.Event.AssigneeID)
	}
	names, err := s.staffNames(r.Context(), ids...)
	if err != nil {
		return nil, err
	}
	rows := make([]eventRow, 0, len(events))
	for _, e := range events {
		rows = append(rows, eventRow{
			At: s.localTime(e.Event.At, shownTime), By: e.UserName, Status: e.Event.Status,
			Assignee: names[e.Event.AssigneeID], Note: e.Note,
		})
	}
	return rows, nil
}

// contactUpdateFields are the fields the update form shows errors beside.
var contactUpdateFields = []string{"status", "assignee", "note"}

// contactUpdateSubmit changes a contact's status, assignee or adds a
// note, from the contact's page or from the quick form of the case's
// worked list (back=case), and goes back where it came from.
func (s *Server) contactUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	f := contactForm{Status: r.PostForm.Get("status"), Assignee: r.PostForm.Get("assignee"), Note: r.PostForm.Get("note")}
	in, err := readContactUpdate(f, r.PostForm)
	if err == nil {
		var cv tracing.ContactView
		if cv, err = s.tracing.UpdateContact(r.Context(), principal(r), id, in); err == nil {
			back := contactURL(id) + "?done=update"
			if r.PostForm.Get("back") == "case" {
				back = caseURL(cv.Contact.CaseID) + "#contact-" + strconv.FormatInt(id, 10)
			}
			http.Redirect(w, r, back, http.StatusSeeOther)
			return nil
		}
	}
	fail, ok := s.formFailed(w, r, err, contactUpdateFields...)
	if !ok {
		return err
	}
	return s.renderContact(w, r, id, fail.Status, &contactData{Failed: "update", Form: f, Failure: fail})
}

// readContactUpdate reads the fields the form sent; a field it did not
// send is left alone.
func readContactUpdate(f contactForm, form url.Values) (tracing.ContactUpdate, error) {
	fe := ravao.FieldErrors{}
	in := tracing.ContactUpdate{Note: strings.TrimSpace(f.Note)}
	if form.Has("status") {
		st := ravao.ContactStatus(f.Status)
		if !st.Valid() {
			fe.Add("status", "err.contact_status")
		}
		in.Status = &st
	}
	if form.Has("assignee") {
		n, err := strconv.ParseInt(f.Assignee, 10, 64)
		if err != nil || n < 0 {
			fe.Add("assignee", "err.id")
		}
		in.AssigneeID = &n
	}
	return in, fe.Err()
}

// contactPromoteSubmit opens a case for a contact who tested positive and
// goes to the new case.
func (s *Server) contactPromoteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	reason := r.PostForm.Get("reason")
	c, traced, err := s.tracing.Promote(r.Context(), principal(r), id, reason)
	if err != nil {
		fail, ok := s.formFailed(w, r, err, "reason")
		if !ok {
			return err
		}
		return s.renderContact(w, r, id, fail.Status, &contactData{Failed: "promote", Reason: reason, Failure: fail})
	}
	http.Redirect(w, r, caseURL(c.ID)+tracedQuery("open", traced), http.StatusSeeOther)
	return nil
}
