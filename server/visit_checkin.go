package server

import (
	"net/http"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/visitors"
)

// visitCheckinSubmit is the one-tap check-in of a returning visitor, with
// the dependants ticked on the landing page. A stale declaration brings
// the questions back (answered, the same form checks in); a device with no
// person goes to consent.
func (s *Server) visitCheckinSubmit(w http.ResponseWriter, r *http.Request) error {
	l, err := s.resolveActive(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	deps, err := formIDs(r.PostForm["dependant"], "dependants")
	if err != nil {
		return err
	}
	in := visitors.CheckIn{Code: l.Code, Device: s.deviceToken(r), Dependants: deps, Source: ravao.SourceSelf}
	if r.PostForm.Get("answering") == "yes" {
		in.Answers = questions.FromForm(r.PostForm)
	}
	pass, err := s.visits.CheckIn(r.Context(), in)
	switch {
	case err == nil:
		http.Redirect(w, r, passPath(pass.Visit.ID), http.StatusSeeOther)
		return nil
	case isDeviceUnknown(err):
		http.Redirect(w, r, codePath(l.Code, "/consent"), http.StatusSeeOther)
		return nil
	}
	d := &declareData{Landing: l, Action: codePath(l.Code, "/checkin"), Answers: in.Answers, Dependants: in.Dependants}
	if in.Answers == nil && ravao.ErrorCode(err) == ravao.Conflict && classify(err).Key == "err.declaration_needed" {
		d.Stale = true
		return s.renderDeclare(w, r, http.StatusOK, d)
	}
	return s.declareFailed(w, r, d, err)
}
