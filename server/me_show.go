package server

import (
	"context"
	"encoding/base64"
	"html/template"
	"net/http"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/poster"
	"github.com/ravao/ravao/visitors"
)

// meData is the data of the visitor's own page: their visits (and their
// dependants'), their dependants and the form that adds one.
type meData struct {
	Known      bool // the device has a person
	Visits     []visitRow
	Alerts     []alertRow // exposure windows the household's visits fall in
	Dependants []visitors.Dependant
	Added      bool
	Erased     bool // the visitor has just erased their data
	Form       visitorForm
	Picker     unitPicker
	Sexes      []choice
	Failure    formFailure
}

// visitRow is one visit as the visitor's page lists it.
type visitRow struct {
	ID                         int64
	Venue, Checkpoint, In, Out string
	Red                        bool
}

// meShow lists the device person's visits and dependants. A device that
// has not declared sees how to start: scanning a poster.
func (s *Server) meShow(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return s.renderMe(w, r, http.StatusOK, &meData{Added: q.Get("added") == "1", Erased: q.Get("erased") == "1"})
}

// meDependantSubmit adds a dependant (a child, an elderly relative without
// a phone) who can then be ticked at check-in.
func (s *Server) meDependantSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	d := &meData{Form: readVisitorForm(r.PostForm), Picker: unitPicker{Province: r.PostForm.Get("province")}}
	if r.PostForm.Get("step") == "province" {
		return s.renderMe(w, r, http.StatusOK, d)
	}
	_, err := s.visits.AddDependant(r.Context(), s.deviceToken(r), visitors.Profile{
		FullName: d.Form.FullName, Phone: d.Form.Phone, BirthYear: d.Form.birthYear(), Sex: d.Form.Sex, UnitCode: d.Form.Unit,
	})
	if isDeviceUnknown(err) {
		return s.renderMe(w, r, http.StatusOK, d)
	}
	if err != nil {
		f, ok := s.formFailed(w, r, err, profileFields...)
		if !ok {
			return err
		}
		d.Failure = f
		return s.renderMe(w, r, f.Status, d)
	}
	http.Redirect(w, r, "/me?added=1", http.StatusSeeOther)
	return nil
}

// renderMe loads the device's visits and dependants and shows the page.
func (s *Server) renderMe(w http.ResponseWriter, r *http.Request, status int, d *meData) error {
	token, lang := s.deviceToken(r), s.lang(r)
	deps, err := s.visits.Dependants(r.Context(), token)
	if err != nil && !isDeviceUnknown(err) {
		return err
	}
	d.Known, d.Dependants = err == nil, deps
	if d.Known {
		if d.Visits, err = s.visitRows(r.Context(), token); err != nil {
			return err
		}
		if d.Alerts, err = s.exposureAlerts(r.Context(), lang, token); err != nil {
			return err
		}
		if err := s.fillPicker(r.Context(), lang, &d.Picker, ""); err != nil {
			return err
		}
		d.Sexes = sexChoices()
	}
	p := s.page(r, "me.title", d)
	p.Device, p.DeviceUnknown = s.knownDevice(token, d.Known)
	return s.views.render(w, status, "me.html", p)
}

// visitRows lists the device's visits with their places' names.
func (s *Server) visitRows(ctx context.Context, token string) ([]visitRow, error) {
	visits, err := s.visits.Visits(ctx, token, time.Time{})
	if err != nil {
		return nil, err
	}
	named, err := s.visits.Name(ctx, visits)
	if err != nil {
		return nil, err
	}
	rows := make([]visitRow, 0, len(named))
	for _, v := range named {
		rows = append(rows, s.visitRow(v))
	}
	return rows, nil
}

// visitRow is a visit as the visitor's pages list it.
func (s *Server) visitRow(v visitors.NamedVisit) visitRow {
	return visitRow{
		ID: v.ID, Venue: v.Venue, Checkpoint: v.Checkpoint,
		In: s.localTime(v.In, "15:04 02/01/2006"), Out: s.localTime(v.Out, "15:04 02/01/2006"), Red: v.Decision == string(ravao.Red),
	}
}

// meQRData is the data of the personal QR page.
type meQRData struct {
	Image   template.URL // the code as a PNG data URL
	Expires string
	Refresh int // seconds until the page's script reloads it for a new code
}

// meQRShow shows a fresh personal QR code for gates to scan: digits only,
// signed, with no personal data, valid a few minutes (reload for a new one).
func (s *Server) meQRShow(w http.ResponseWriter, r *http.Request) error {
	payload, expires, err := s.visits.PersonalQR(r.Context(), s.deviceToken(r))
	if isDeviceUnknown(err) {
		http.Redirect(w, r, "/me", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	png, err := poster.PNG(payload, 320)
	if err != nil {
		return err
	}
	d := meQRData{
		Image:   template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)),
		Expires: s.localTime(expires, "15:04:05 02/01/2006"),
		// The script fetches a new code a little before this one expires.
		Refresh: max(int(expires.Sub(s.clock.Now())/time.Second)-30, 30),
	}
	p := s.page(r, "me_qr.title", d)
	p.Device = s.deviceToken(r)
	return s.views.render(w, http.StatusOK, "me_qr.html", p)
}
