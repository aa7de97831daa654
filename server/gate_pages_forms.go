package server

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ravao/ravao/gate"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/visitors"
)

// gatePhoneSubmit sends a one-time code to the phone of someone with
// nothing to scan, and shows the form for the code they read out.
func (s *Server) gatePhoneSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	phone := strings.TrimSpace(r.PostForm.Get("phone"))
	d := &gateData{Direction: gate.Direction(r.PostForm.Get("direction"))}
	challenge := ""
	err = s.limitSMS(r)
	if err == nil {
		challenge, err = s.gate.RequestPhoneCode(r.Context(), principal(r), id, phone, s.lang(r))
	}
	if err != nil {
		fail, ok := s.gateFailed(w, r, err, "phone")
		if !ok {
			return err
		}
		d.PhoneFailure = fail
		return s.renderGate(w, r, fail.Status, id, d)
	}
	d.Challenge, d.SealedPhone = challenge, s.sealPhone(phone, challenge)
	return s.renderGate(w, r, http.StatusOK, id, d)
}

// sealPhone seals a phone for the code step of the page, so that the page
// does not carry it in clear; the challenge binds it to one code.
func (s *Server) sealPhone(phone, challenge string) string {
	return base64.RawURLEncoding.EncodeToString(s.vault.Seal([]byte(phone), "gate-phone/"+challenge))
}

// openPhone opens what sealPhone sealed; anything else is no phone, which
// the scan refuses.
func (s *Server) openPhone(sealed, challenge string) string {
	b, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil {
		return ""
	}
	phone, err := s.vault.Open(b, "gate-phone/"+challenge)
	if err != nil {
		return ""
	}
	return string(phone)
}

// gateDeclareSubmit records a declaration the guard makes on someone's
// behalf: the answers of the yellow person just let in (person_id), or a
// new person with their consent, who is then let in. "Change province"
// only lists the other province's communes, keeping what was typed.
func (s *Server) gateDeclareSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	f := r.PostForm
	personID, _ := strconv.ParseInt(f.Get("person_id"), 10, 64)
	in := gate.OnBehalf{CheckpointID: id, PersonID: personID, IdempotencyKey: f.Get("idempotency_key"),
		Declaration: visitors.Declaration{Answers: questions.FromForm(f)}}
	d := &gateData{}
	shown := s.questionFields()
	if personID == 0 {
		d.DeclareOpen, d.Form, d.Consent = true, readVisitorForm(f), f.Get("consent") == "yes"
		d.Picker.Province, d.Declare.Answers = f.Get("province"), in.Declaration.Answers
		if f.Get("step") == "province" {
			return s.renderGate(w, r, http.StatusOK, id, d)
		}
		in.Declaration.Consent = d.Consent
		in.Declaration.Profile = visitors.Profile{FullName: d.Form.FullName, Phone: d.Form.Phone, IDNumber: d.Form.IDNumber,
			BirthYear: d.Form.birthYear(), Sex: d.Form.Sex, UnitCode: d.Form.Unit}
		shown = slices.Concat(shown, profileFields, []string{"phone", "id_number", "consent"})
	}
	res, err := s.gate.Declare(r.Context(), principal(r), in)
	if err != nil {
		fail, ok := s.gateFailed(w, r, err, shown...)
		if !ok {
			return err
		}
		if personID == 0 {
			d.Failure, d.Declare.Errors = fail, fail.Fields
		} else {
			d.AnswerFor, d.AnswerFailure = personID, fail
			d.Answers.Answers, d.Answers.Errors = in.Declaration.Answers, fail.Fields
		}
		return s.renderGate(w, r, fail.Status, id, d)
	}
	d = &gateData{}
	d.show(res)
	return s.renderGate(w, r, http.StatusOK, id, d)
}
