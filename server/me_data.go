package server

import (
	"net/http"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/visitors"
)

// myDataData is the data of the visitor's data page: everything held
// about them, readable, with the download and the erasure.
type myDataData struct {
	Person       visitors.PersonData
	Sex          string // the catalogue key of the sex
	Dependants   []visitors.PersonData
	Declarations []declarationRow
	Visits       []visitRow
	Failure      formFailure
	// Gate is the code step before the data show; Form, Address, Picker
	// and Sexes fill the correction form.
	Gate      dataGate
	Form      visitorForm
	Address   string
	Picker    unitPicker
	Sexes     []choice
	Corrected bool // the profile was just corrected
	Queued    bool // the deletion request waits in the officer's queue
	Withdrawn bool // consent is withdrawn; deletion waits for the case
}

// declarationRow is a declaration as the data page shows it: each
// question with the answers chosen, in the page's language.
type declarationRow struct {
	At      string
	Risk    bool
	ByStaff bool
	Answers []answerRow
}

type answerRow struct{ Question, Answer string }

// meDataShow shows everything held about the device's person; a device
// that has not declared goes to its visits page, which explains.
func (s *Server) meDataShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderMyData(w, r, http.StatusOK, formFailure{})
}

func (s *Server) renderMyData(w http.ResponseWriter, r *http.Request, status int, f formFailure) error {
	return s.renderMyDataForm(w, r, status, f, nil)
}

// renderMyDataForm is the data page; form, when not nil, is a correction
// to show again instead of the stored profile. Until a code sent to the
// person's phone is entered, the page shows the code step and the
// withdrawal only.
func (s *Server) renderMyDataForm(w http.ResponseWriter, r *http.Request, status int, f formFailure, form *correctionForm) error {
	token := s.deviceToken(r)
	gate, err := s.dataGate(r, token)
	if isDeviceUnknown(err) {
		http.Redirect(w, r, "/me", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := myDataData{Gate: gate, Failure: f, Corrected: q.Get("corrected") == "1", Queued: q.Get("queued") == "1",
		Withdrawn: q.Get("withdrawn") == "1"}
	var data visitors.Data
	if gate.Proven {
		data, err = s.visits.MyData(r.Context(), token)
	}
	switch e := classify(err); {
	case isDeviceUnknown(err):
		http.Redirect(w, r, "/me", http.StatusSeeOther)
		return nil
	case e.Key == "err.consent_withdrawn":
		d.Gate.Proven, d.Withdrawn = false, true
	case err != nil:
		return err
	}
	if !d.Gate.Proven {
		p := s.page(r, "my_data.title", d)
		p.Device = token
		return s.views.render(w, status, "me_data.html", p)
	}
	lang := s.lang(r)
	d.Person, d.Sex, d.Dependants = data.Person, "sex."+data.Person.Sex, data.Dependants
	if err := s.fillCorrection(r, &d, form); err != nil {
		return err
	}
	qs := s.visits.Questions().Localised(lang)
	for _, dec := range data.Declarations {
		d.Declarations = append(d.Declarations, declarationRow{
			At: s.localTime(dec.At, "15:04 02/01/2006"), Risk: dec.Risk, ByStaff: dec.ByStaff,
			Answers: s.answerRows(lang, qs, dec.Answers),
		})
	}
	for _, v := range data.Visits {
		d.Visits = append(d.Visits, s.visitRow(v))
	}
	p := s.page(r, "my_data.title", d)
	p.Device = token
	return s.views.render(w, status, "me_data.html", p)
}

// answerRows names the chosen options of each question answered.
func (s *Server) answerRows(lang string, qs []questions.LocalQuestion, a questions.Answers) []answerRow {
	var out []answerRow
	for _, q := range qs {
		var chosen []string
		for _, o := range q.Options {
			if !a.Chosen(q.ID, o.ID) {
				continue
			}
			if o.Key != "" {
				chosen = append(chosen, s.cat.T(lang, o.Key))
			} else {
				chosen = append(chosen, o.Text)
			}
		}
		if len(chosen) > 0 {
			out = append(out, answerRow{Question: q.Text, Answer: strings.Join(chosen, ", ")})
		}
	}
	return out
}

// meEraseSubmit withdraws consent and erases everything, once the visitor
// ticked that they understand; the device is forgotten too.
func (s *Server) meEraseSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	if r.PostForm.Get("confirm") != "yes" {
		f := s.rejectForm(w, r, "confirm", "err.erase_confirm", "confirm")
		return s.renderMyData(w, r, f.Status, f)
	}
	if s.rights == nil {
		err := s.visits.Erase(r.Context(), s.deviceToken(r))
		if err != nil && !isDeviceUnknown(err) {
			return err
		}
		s.setDevice(w, "")
		http.Redirect(w, r, "/me?erased=1", http.StatusSeeOther)
		return nil
	}
	req, err := s.rights.Withdraw(r.Context(), s.deviceToken(r))
	if err != nil && !isDeviceUnknown(err) {
		return err
	}
	s.setProof(w, "")
	if err == nil && req.Status == ravao.DSROpen {
		http.Redirect(w, r, "/me/data?withdrawn=1", http.StatusSeeOther)
		return nil
	}
	s.setDevice(w, "")
	http.Redirect(w, r, "/me?erased=1", http.StatusSeeOther)
	return nil
}

// meCardsData is the data of the printed cards page: the device's person
// and dependants to choose from.
type meCardsData struct {
	People  []cardChoice
	Revoked bool
	Failure formFailure
}

type cardChoice struct {
	ID     int64
	Name   string // masked
	Serial uint32
	Self   bool
}

// meCardsShow lets the visitor print QR cards for themselves and their
// dependants (people without a phone), or revoke a lost one.
func (s *Server) meCardsShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderMyCards(w, r, http.StatusOK, &meCardsData{Revoked: r.URL.Query().Get("revoked") == "1"})
}

func (s *Server) renderMyCards(w http.ResponseWriter, r *http.Request, status int, d *meCardsData) error {
	token := s.deviceToken(r)
	members, err := s.visits.Household(r.Context(), token)
	if isDeviceUnknown(err) {
		http.Redirect(w, r, "/me", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	for i, m := range members {
		d.People = append(d.People, cardChoice{ID: m.ID, Name: m.Name, Serial: m.CardSerial, Self: i == 0})
	}
	pd := s.page(r, "my_cards.title", d)
	pd.Device = token
	return s.views.render(w, status, "me_cards.html", pd)
}

// meCardsSubmit prints the chosen people's cards (a PDF) or revokes them.
func (s *Server) meCardsSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	ids, err := formIDs(r.PostForm["person"], "person")
	if err == nil && len(ids) == 0 {
		err = ravao.FieldError("person", "err.cards_none")
	}
	if err != nil {
		f, _ := s.formFailed(w, r, err, "person")
		return s.renderMyCards(w, r, f.Status, &meCardsData{Failure: f})
	}
	token := s.deviceToken(r)
	if r.PostForm.Get("action") == "revoke" {
		if err := s.visits.RevokeMyCards(r.Context(), token, ids); err != nil {
			return err
		}
		http.Redirect(w, r, "/me/cards?revoked=1", http.StatusSeeOther)
		return nil
	}
	cs, err := s.visits.MyCards(r.Context(), token, ids)
	if err != nil {
		return err
	}
	return s.writeCards(w, r, cs)
}
