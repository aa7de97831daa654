package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/questions"
)

// visitorPages lists the visitor's pages: consent, declaration, pass,
// check-out, their visits and personal QR code. They work without
// JavaScript and carry no personal data in their URLs: the person is the
// device cookie's.
func (s *Server) visitorPages() []Route {
	return []Route{
		page("GET", "/q/{code}/consent", Public, s.consentShow),
		page("POST", "/q/{code}/consent", Public, s.consentSubmit),
		page("GET", "/q/{code}/declare", Public, s.declareShow),
		page("POST", "/q/{code}/declare", Public, s.declareSubmit),
		page("POST", "/q/{code}/checkin", Public, s.visitCheckinSubmit),
		page("GET", "/pass/{id}", Public, s.passShow),
		page("POST", "/pass/{id}/checkout", Public, s.passCheckoutSubmit),
		page("GET", "/me", Public, s.meShow),
		page("POST", "/me/dependants", Public, s.meDependantSubmit),
		page("GET", "/me/qr", Public, s.meQRShow),
		page("GET", "/me/data", Public, s.meDataShow),
		page("POST", "/me/erase", Public, s.meEraseSubmit),
		page("GET", "/me/cards", Public, s.meCardsShow),
		page("POST", "/me/cards", Public, s.meCardsSubmit),
	}
}

// resolveCode finds the place behind the {code} of a visitor page. As on
// the landing page, a client trying many unknown codes is slowed down.
func (s *Server) resolveCode(r *http.Request) (places.Landing, error) {
	l, err := s.places.Resolve(r.Context(), r.PathValue("code"))
	return l, s.limitUnknown(r, err)
}

// limitUnknown passes err on, but answers 429 instead of "not found" once
// the client has tried too many unknown codes (poster or invitation codes):
// real codes are never slowed, someone guessing is.
func (s *Server) limitUnknown(r *http.Request, err error) error {
	if ravao.IsNotFound(err) && !s.codeLimit.Allow(s.clientIP(r), s.clock.Now()) {
		return ravao.Errorf(ravao.TooMany, "err.rate_limited")
	}
	return err
}

// limitSMS refuses with 429 a client asking for too many SMS codes.
func (s *Server) limitSMS(r *http.Request) error {
	if !s.smsLimit.Allow(s.clientIP(r), s.clock.Now()) {
		return ravao.Errorf(ravao.TooMany, "err.rate_limited")
	}
	return nil
}

// resolveActive is resolveCode for the steps of a check-in, which only an
// approved place accepts.
func (s *Server) resolveActive(r *http.Request) (places.Landing, error) {
	l, err := s.resolveCode(r)
	if err == nil && l.Venue.Status != ravao.VenueApproved {
		err = ravao.Errorf(ravao.Conflict, "err.venue_not_active")
	}
	return l, err
}

// codePath is the path of a visitor page under a checkpoint's code.
func codePath(code, step string) string {
	return "/q/" + url.PathEscape(code) + step
}

// passPath is the path of a visit's pass.
func passPath(id int64) string { return "/pass/" + strconv.FormatInt(id, 10) }

// isDeviceUnknown reports whether err says the device has no person: the
// visitor goes (back) to consent and declaration.
func isDeviceUnknown(err error) bool {
	e := classify(err)
	return e.Code == ravao.Unauthorized && e.Key == "err.device_unknown"
}

// visitorForm is what a visitor typed about themselves (or a dependant),
// shown again when the form comes back with errors.
type visitorForm struct {
	FullName, Phone, IDNumber, BirthYear, Sex, Unit string
}

// readVisitorForm reads the profile fields of a submitted form.
func readVisitorForm(form url.Values) visitorForm {
	return visitorForm{
		FullName: form.Get("full_name"), Phone: form.Get("phone"), IDNumber: form.Get("id_number"),
		BirthYear: strings.TrimSpace(form.Get("birth_year")), Sex: form.Get("sex"), Unit: form.Get("unit"),
	}
}

// birthYear is the form's birth year; anything but a number is 0, which
// the person's checks refuse with a field error.
func (f visitorForm) birthYear() int {
	n, err := strconv.Atoi(f.BirthYear)
	if err != nil {
		return 0
	}
	return n
}

// profileFields are the fields a dependant's profile form shows errors
// beside; the declaration adds the phone and the ID number.
var profileFields = []string{"full_name", "birth_year", "sex", "unit"}

// sexChoices are the options of the sex select.
func sexChoices() []choice {
	return []choice{{string(ravao.SexFemale), "sex.f"}, {string(ravao.SexMale), "sex.m"}, {string(ravao.SexOther), "sex.x"}}
}

// unitPicker is the province select and the commune select of a profile
// form; without JavaScript, another province's communes come with a
// "change province" button that submits the form without saving it.
type unitPicker struct {
	Province  string
	Provinces []unitChoice
	Communes  []unitGroup
}

// fillPicker loads the choices of a unit picker, starting from the
// province of fallback (a unit path such as "35/347/13321/") when none was
// chosen, else from the first province.
func (s *Server) fillPicker(ctx context.Context, lang string, p *unitPicker, fallback string) error {
	if p.Province == "" {
		p.Province, _, _ = strings.Cut(fallback, "/")
	}
	var err error
	if p.Provinces, err = s.provinceChoices(ctx, lang); err != nil {
		return err
	}
	if p.Province == "" && len(p.Provinces) > 0 {
		p.Province = p.Provinces[0].Code // the select shows it chosen; list its communes
	}
	p.Communes, err = s.communeGroups(ctx, lang, p.Province)
	return err
}

// questionFields are the form fields of the deployment's questions.
func (s *Server) questionFields() []string {
	var out []string
	for _, q := range s.visits.Questions().Localised("vi") {
		out = append(out, q.Field)
	}
	return out
}

// localTime formats an instant in the deployment's time zone.
func (s *Server) localTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.cfg.TZ).Format(layout)
}

// questionBlock is the data of the "questions" partial: the questions of
// one declaration form with its answers and errors; ids start with Prefix
// so that two forms on one page do not clash.
type questionBlock struct {
	Prefix    string
	Questions []questions.LocalQuestion
	Answers   questions.Answers
	Errors    map[string]string
}

// QuestionBlock is the declaration page's questions for the partial.
func (d *declareData) QuestionBlock() questionBlock {
	return questionBlock{Prefix: "f", Questions: d.Questions, Answers: d.Answers, Errors: d.Failure.Fields}
}

// QuestionBlock is the resident form's questions for the partial.
func (d *residentNewData) QuestionBlock() questionBlock {
	return questionBlock{Prefix: "f", Questions: d.Questions, Answers: d.Answers, Errors: d.Failure.Fields}
}
