package server

import (
	"errors"
	"net/http"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/visitors"
)

// declareData is the data of the health declaration page. The same page
// asks only the questions again when a returning visitor's declaration is
// stale (Profile false), posting to the check-in.
type declareData struct {
	places.Landing
	Action     string
	Profile    bool
	Form       visitorForm
	Picker     unitPicker
	Sexes      []choice
	Questions  []questions.LocalQuestion
	Answers    questions.Answers
	Dependants []int64 // chosen on the landing page, carried through the questions
	Stale      bool    // the questions are asked again: the declaration is too old
	// Challenge is set when the phone was declared on another device: a
	// code was sent to it, and the form asks for it.
	Challenge string
	Failure   formFailure
}

// declareShow shows the declaration form to a visitor who consented on the
// previous page; anyone else is sent to consent first.
func (s *Server) declareShow(w http.ResponseWriter, r *http.Request) error {
	l, err := s.resolveActive(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("consent") != "yes" {
		http.Redirect(w, r, codePath(l.Code, "/consent"), http.StatusSeeOther)
		return nil
	}
	return s.renderDeclare(w, r, http.StatusOK, s.newDeclare(l))
}

// newDeclare is an empty declaration form for the place behind l.
func (s *Server) newDeclare(l places.Landing) *declareData {
	return &declareData{Landing: l, Action: codePath(l.Code, "/declare"), Profile: true}
}

// declareSubmit records the declaration, remembers the device, checks the
// visitor in at once and shows the pass. "Change province" only shows the
// other province's communes, keeping what was typed.
func (s *Server) declareSubmit(w http.ResponseWriter, r *http.Request) error {
	l, err := s.resolveActive(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	d := s.newDeclare(l)
	d.Form, d.Picker.Province = readVisitorForm(r.PostForm), r.PostForm.Get("province")
	d.Answers = questions.FromForm(r.PostForm)
	if r.PostForm.Get("step") == "province" {
		return s.renderDeclare(w, r, http.StatusOK, d)
	}
	d.Challenge = r.PostForm.Get("challenge")
	out, err := s.visits.Declare(r.Context(), visitors.Declaration{
		Consent: r.PostForm.Get("consent") == "yes", Answers: d.Answers,
		Profile: visitors.Profile{FullName: d.Form.FullName, Phone: d.Form.Phone, IDNumber: d.Form.IDNumber,
			BirthYear: d.Form.birthYear(), Sex: d.Form.Sex, UnitCode: d.Form.Unit},
		Challenge: d.Challenge, Code: r.PostForm.Get("code"),
	})
	if errors.Is(err, visitors.ErrPhoneLink) {
		return s.askLinkCode(w, r, d)
	}
	if err != nil {
		return s.declareFailed(w, r, d, err)
	}
	s.setDevice(w, out.Token)
	pass, err := s.visits.CheckIn(r.Context(), visitors.CheckIn{Code: l.Code, Device: out.Token, Source: ravao.SourceSelf})
	if err != nil {
		return err
	}
	http.Redirect(w, r, passPath(pass.Visit.ID), http.StatusSeeOther)
	return nil
}

// askLinkCode sends a code to a phone declared on another device and shows
// the form again, filled in, asking for it.
func (s *Server) askLinkCode(w http.ResponseWriter, r *http.Request, d *declareData) error {
	err := s.limitSMS(r)
	if err == nil {
		d.Challenge, err = s.visits.RequestLinkCode(r.Context(), d.Form.Phone, s.lang(r))
	}
	if err != nil {
		return s.declareFailed(w, r, d, err)
	}
	return s.renderDeclare(w, r, http.StatusOK, d)
}

// declareFailed shows the form again with the errors beside their fields,
// or hands err to fail when it is not the visitor's to fix.
func (s *Server) declareFailed(w http.ResponseWriter, r *http.Request, d *declareData, err error) error {
	f, ok := s.formFailed(w, r, err, append(s.questionFields(), append(profileFields, "phone", "id_number", "code")...)...)
	if !ok {
		return err
	}
	d.Failure = f
	return s.renderDeclare(w, r, f.Status, d)
}

// renderDeclare fills the choices and questions and shows the page.
func (s *Server) renderDeclare(w http.ResponseWriter, r *http.Request, status int, d *declareData) error {
	lang := s.lang(r)
	if d.Profile {
		if err := s.fillPicker(r.Context(), lang, &d.Picker, d.Venue.UnitPath); err != nil {
			return err
		}
		d.Sexes = sexChoices()
	}
	d.Questions = s.visits.Questions().Localised(lang)
	return s.views.render(w, status, "declare.html", s.page(r, "declare.title", d))
}
