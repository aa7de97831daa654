package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
)

// registerFields are the fields step 2 shows errors beside.
var registerFields = []string{
	"organisation", "tax_code", "name", "type", "sector", "unit", "address", "zone", "opening_hours", "capacity",
	"contact_name", "contact_phone", "checkpoints", "login", "display_name", "password", "code",
}

// registerSubmit handles both steps of registration: "phone" sends the SMS
// code, "province" shows the communes of another province without losing
// what was typed, "register" creates the organisation, the place and the
// manager's account, signs the manager in and opens the place's page.
func (s *Server) registerSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	switch r.PostForm.Get("step") {
	case "register":
		return s.registerCreate(w, r)
	case "province":
		d := s.registerStep2(r.PostForm)
		return s.renderRegister(w, r, http.StatusOK, d)
	}
	return s.registerRequestCode(w, r)
}

// registerRequestCode checks the province and sends the code to the phone.
func (s *Server) registerRequestCode(w http.ResponseWriter, r *http.Request) error {
	d := &registerData{Step: 1, Phone: r.PostForm.Get("phone"), Picker: unitPicker{Province: r.PostForm.Get("province")}}
	shown := []string{"phone", "province"}
	ok, err := s.isProvince(r.Context(), d.Picker.Province)
	if err != nil {
		return err
	}
	if !ok {
		d.Failure = s.rejectForm(w, r, "province", "err.unit_unknown", shown...)
		return s.renderRegister(w, r, d.Failure.Status, d)
	}
	if err = s.limitSMS(r); err == nil {
		d.Challenge, err = s.places.RequestCode(r.Context(), d.Phone, "register", s.lang(r))
	}
	if err != nil {
		f, ok := s.formFailed(w, r, err, shown...)
		if !ok {
			return err
		}
		d.Failure = f
		return s.renderRegister(w, r, f.Status, d)
	}
	phone, _ := ravao.NormalizePhone(d.Phone)
	d.Step, d.Form.ContactPhone = 2, phone
	return s.renderRegister(w, r, http.StatusOK, d)
}

// registerCreate registers the organisation and its first place.
func (s *Server) registerCreate(w http.ResponseWriter, r *http.Request) error {
	d := s.registerStep2(r.PostForm)
	out, err := s.places.Register(r.Context(), d.Form.registration(r.PostForm, s.lang(r)))
	if err != nil {
		f, ok := s.formFailed(w, r, err, registerFields...)
		if !ok {
			return err
		}
		d.Failure = f
		return s.renderRegister(w, r, f.Status, d)
	}
	s.setSession(w, out.Session)
	http.Redirect(w, r, "/places/"+strconv.FormatInt(out.Venue.ID, 10), http.StatusSeeOther)
	return nil
}

// registerStep2 reads step 2 back from a submitted form.
func (s *Server) registerStep2(form url.Values) *registerData {
	f := registerForm{}
	for name, dst := range f.fields() {
		*dst = form.Get(name)
	}
	return &registerData{Step: 2, Picker: unitPicker{Province: form.Get("province")}, Challenge: form.Get("challenge"), Form: f}
}

// fields maps the form's input names to the fields that keep them.
func (f *registerForm) fields() map[string]*string {
	return map[string]*string{
		"organisation": &f.Organisation, "tax_code": &f.TaxCode, "name": &f.Name, "type": &f.Type, "sector": &f.Sector,
		"unit": &f.Unit, "address": &f.Address, "zone": &f.Zone, "opening_hours": &f.OpeningHours,
		"capacity": &f.Capacity, "contact_name": &f.ContactName, "contact_phone": &f.ContactPhone,
		"checkpoints": &f.Checkpoints, "route": &f.Route, "login": &f.Login, "display_name": &f.DisplayName,
	}
}

// registration is the form as the places service takes it.
func (f registerForm) registration(form url.Values, lang string) places.Registration {
	return places.Registration{
		Challenge: form.Get("challenge"), Code: strings.TrimSpace(form.Get("code")),
		Organisation: f.Organisation, TaxCode: f.TaxCode, Venue: f.venueInput(), Checkpoints: f.checkpointInputs(),
		Login: f.Login, DisplayName: f.DisplayName, Password: form.Get("password"), Lang: lang,
	}
}

func (f registerForm) venueInput() places.VenueInput {
	return places.VenueInput{
		Name: f.Name, Type: f.Type, Sector: f.Sector, UnitCode: f.Unit, Address: f.Address, Zone: f.Zone,
		OpeningHours: f.OpeningHours, Capacity: formInt(f.Capacity),
		ContactName: f.ContactName, ContactPhone: f.ContactPhone,
	}
}

// checkpointInputs reads one checkpoint per line: names, or number plates
// for a vehicle (each plate then has the route given).
func (f registerForm) checkpointInputs() []places.CheckpointInput {
	var out []places.CheckpointInput
	for _, line := range strings.Split(f.Checkpoints, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case ravao.VenueType(f.Type) == ravao.VenueVehicle:
			out = append(out, places.CheckpointInput{Plate: line, Route: f.Route})
		default:
			out = append(out, places.CheckpointInput{Name: line})
		}
	}
	return out
}

// formInt reads an optional whole number; anything else is -1, which the
// service refuses with the field's own message.
func formInt(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// renderRegister shows the registration page at its step.
func (s *Server) renderRegister(w http.ResponseWriter, r *http.Request, status int, d *registerData) error {
	if err := s.fillRegister(r.Context(), s.lang(r), d); err != nil {
		return err
	}
	return s.views.render(w, status, "register.html", s.page(r, "register.title", d))
}
