package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
)

// exposuresData is the data of the officials' page of exposure windows:
// those in their units, current and withdrawn, and the form that
// publishes one by hand.
type exposuresData struct {
	Rows       []windowRow
	Form       exposureForm
	Severities []choice
	Done       string // message key of what was just done
	Failure    formFailure
}

// windowRow is one window in the officials' list.
type windowRow struct {
	ID                int64
	Venue, Checkpoint string
	VenueID, CaseID   int64
	From, To          string
	Severity          ravao.Severity
	Withdrawn         string // when it was withdrawn; empty while current
}

// exposureForm is what was typed in the form that publishes a window by
// hand: the venue by its number, or a checkpoint by the code on its poster
// (which limits the window to that checkpoint).
type exposureForm struct {
	Venue, Code, From, To, Severity, MessageVI, MessageEN, Reason string
}

// exposureFields are the fields the form shows errors beside.
var exposureFields = []string{"venue", "code", "from", "to", "severity", "message_vi", "message_en", "reason"}

// exposuresDone are the results the page announces after a redirect.
var exposuresDone = map[string]string{"published": "exposures.done_published", "withdrawn": "exposures.done_withdrawn"}

// exposuresList shows the windows in the official's units and the form.
func (s *Server) exposuresList(w http.ResponseWriter, r *http.Request) error {
	d := &exposuresData{Done: exposuresDone[r.URL.Query().Get("done")], Form: exposureForm{Severity: string(ravao.SeverityHigh)}}
	return s.renderExposures(w, r, http.StatusOK, d)
}

// renderExposures loads the windows and shows the page with d.
func (s *Server) renderExposures(w http.ResponseWriter, r *http.Request, status int, d *exposuresData) error {
	list, err := s.tracing.Windows(r.Context(), principal(r), ravao.ExposureWindowFilter{
		IncludeWithdrawn: true, EndsAfter: s.clock.Now().Add(-tracing.ShownFor),
	})
	if err != nil {
		return err
	}
	for _, v := range list {
		win := v.Window
		d.Rows = append(d.Rows, windowRow{
			ID: win.ID, Venue: v.VenueName, Checkpoint: v.CheckpointName, VenueID: win.VenueID, CaseID: win.CaseID,
			From: s.localTime(win.From, shownTime), To: s.localTime(win.To, shownTime), Severity: win.Severity,
			Withdrawn: s.localTime(win.WithdrawnAt, shownTime),
		})
	}
	d.Severities = severityChoices()
	return s.views.render(w, status, "exposures.html", s.page(r, "exposures.title", d))
}

// exposurePublishSubmit publishes a window by hand and goes back to the
// list; bad input shows the form again with what was typed.
func (s *Server) exposurePublishSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	form := readExposureForm(r.PostForm)
	in, err := s.publishInput(r, form)
	if err == nil {
		_, err = s.tracing.PublishWindow(r.Context(), principal(r), in)
	}
	if err != nil {
		f, ok := s.formFailed(w, r, err, exposureFields...)
		if !ok {
			return err
		}
		return s.renderExposures(w, r, f.Status, &exposuresData{Form: form, Failure: f})
	}
	http.Redirect(w, r, "/exposures?done=published", http.StatusSeeOther)
	return nil
}

func readExposureForm(v url.Values) exposureForm {
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return exposureForm{
		Venue: get("venue"), Code: get("code"), From: get("from"), To: get("to"), Severity: get("severity"),
		MessageVI: v.Get("message_vi"), MessageEN: v.Get("message_en"), Reason: v.Get("reason"),
	}
}

// publishInput reads the form into a publication: the venue from its
// number or from a checkpoint's code, the times in the deployment's zone.
func (s *Server) publishInput(r *http.Request, form exposureForm) (tracing.Publish, error) {
	fe := ravao.FieldErrors{}
	in := tracing.Publish{
		From: s.formDateTime(form.From, "from", fe), To: s.formDateTime(form.To, "to", fe), Severity: ravao.Severity(form.Severity),
		MessageVI: form.MessageVI, MessageEN: form.MessageEN, Reason: form.Reason,
	}
	if form.Venue != "" {
		id, err := strconv.ParseInt(form.Venue, 10, 64)
		if err != nil || id <= 0 {
			fe.Add("venue", "err.id")
		}
		in.VenueID = id
	}
	switch {
	case form.Code != "":
		l, err := s.places.Resolve(r.Context(), form.Code)
		if ravao.IsNotFound(err) {
			fe.Add("code", "err.code_unknown")
			break
		}
		if err != nil {
			return in, err
		}
		if in.VenueID != 0 && in.VenueID != l.Venue.ID {
			fe.Add("code", "err.place_code_mismatch")
		}
		in.VenueID, in.CheckpointID = l.Venue.ID, l.Checkpoint.ID
	case form.Venue == "":
		fe.Add("venue", "err.place_choose")
	}
	return in, fe.Err()
}

// exposureWithdrawSubmit takes a window down and goes back to the list. A
// window withdrawn already (a second click) is as good as done.
func (s *Server) exposureWithdrawSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	err = s.tracing.Withdraw(r.Context(), principal(r), id)
	if err != nil && ravao.ErrorCode(err) != ravao.Conflict {
		return err
	}
	http.Redirect(w, r, "/exposures?done=withdrawn", http.StatusSeeOther)
	return nil
}

// casePublishSubmit publishes windows from the visits ticked on a case's
// page (all of them when none is ticked) and goes back to the case.
func (s *Server) casePublishSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	form := publishForm{Severity: r.PostForm.Get("severity"), MessageVI: r.PostForm.Get("message_vi"), MessageEN: r.PostForm.Get("message_en")}
	form.Visits, err = formIDs(r.PostForm["visit"], "visit")
	var ws []ravao.ExposureWindow
	if err == nil {
		ws, err = s.tracing.PublishCase(r.Context(), principal(r), id, tracing.PublishFromCase{
			VisitIDs: form.Visits, Severity: ravao.Severity(form.Severity), MessageVI: form.MessageVI, MessageEN: form.MessageEN,
		})
	}
	if err != nil {
		return s.caseFormFailed(w, r, id, err, &caseData{Failed: "publish", Publish: form}, "severity", "message_vi", "message_en", "visit")
	}
	http.Redirect(w, r, caseURL(id)+"?done=published&n="+strconv.Itoa(len(ws)), http.StatusSeeOther)
	return nil
}

// caseNotifySubmit queues the SMS to the case's close contacts and goes
// back to the case, saying how many were queued.
func (s *Server) caseNotifySubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	n, err := s.tracing.Notify(r.Context(), principal(r), id)
	if err != nil {
		return s.caseFormFailed(w, r, id, err, &caseData{Failed: "notify"})
	}
	http.Redirect(w, r, caseURL(id)+"?done=notified&n="+strconv.Itoa(n), http.StatusSeeOther)
	return nil
}
