package server

import (
	"context"
	"net/http"
	"slices"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/visitors"
)

// residentNewData is the data of the declaration an official makes on a
// resident's behalf.
type residentNewData struct {
	Form      visitorForm
	Consent   bool // the official ticked the resident's consent
	Picker    unitPicker
	Sexes     []choice
	Questions []questions.LocalQuestion
	Answers   questions.Answers
	Failure   formFailure
}

// residentNewShow shows an empty declaration, the unit picker starting at
// the official's own unit.
func (s *Server) residentNewShow(w http.ResponseWriter, r *http.Request) error {
	code, path, err := s.officialUnit(r.Context(), principal(r))
	if err != nil {
		return err
	}
	d := &residentNewData{Form: visitorForm{Unit: code}}
	return s.renderResidentNew(w, r, http.StatusOK, d, path)
}

// residentNewSubmit records the resident and their answers and goes back
// to the list; errors are shown beside their fields and nothing is
// stored. "Change province" only lists the other province's communes.
func (s *Server) residentNewSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	d := &residentNewData{
		Form: readVisitorForm(r.PostForm), Consent: r.PostForm.Get("consent") == "yes",
		Picker: unitPicker{Province: r.PostForm.Get("province")}, Answers: questions.FromForm(r.PostForm),
	}
	if r.PostForm.Get("step") == "province" {
		return s.renderResidentNew(w, r, http.StatusOK, d, "")
	}
	_, err := s.visits.DeclareResident(r.Context(), principal(r), visitors.Declaration{
		Consent: d.Consent, Answers: d.Answers,
		Profile: visitors.Profile{FullName: d.Form.FullName, Phone: d.Form.Phone, IDNumber: d.Form.IDNumber,
			BirthYear: d.Form.birthYear(), Sex: d.Form.Sex, UnitCode: d.Form.Unit},
	})
	if err != nil {
		shown := slices.Concat(s.questionFields(), profileFields, []string{"phone", "id_number", "consent"})
		f, ok := s.formFailed(w, r, err, shown...)
		if !ok {
			return err
		}
		d.Failure = f
		return s.renderResidentNew(w, r, f.Status, d, "")
	}
	http.Redirect(w, r, "/residents?added=1", http.StatusSeeOther)
	return nil
}

// renderResidentNew fills the choices and questions and shows the form;
// the picker starts in the province of fallback (a unit path) when none
// was chosen.
func (s *Server) renderResidentNew(w http.ResponseWriter, r *http.Request, status int, d *residentNewData, fallback string) error {
	lang := s.lang(r)
	if err := s.fillPicker(r.Context(), lang, &d.Picker, fallback); err != nil {
		return err
	}
	d.Sexes, d.Questions = sexChoices(), s.visits.Questions().Localised(lang)
	return s.views.render(w, status, "resident_new.html", s.page(r, "resident_new.title", d))
}

// officialUnit is the unit (code and path) of the official's first scope
// that lets them declare residents, where their residents most likely
// live; both are empty when that unit left the active tree.
func (s *Server) officialUnit(ctx context.Context, p *ravao.Principal) (code, path string, err error) {
	for _, a := range p.Roles {
		if !a.Role.Grants(ravao.PermResidents) || a.UnitCode == "" {
			continue
		}
		err = s.store.View(ctx, func(tx ravao.Tx) error {
			var perr error
			path, perr = ravao.UnitPathFor(tx, a.UnitCode)
			return perr
		})
		if ravao.ErrorCode(err) == ravao.Invalid {
			return "", "", nil
		}
		return a.UnitCode, path, err
	}
	return "", "", nil
}
