package server

import (
	"context"
	"net/http"
)

// registerData is the data of the registration page. Step 1 asks the
// contact phone and the province; step 2 is the form, with the secret of
// the SMS challenge in a hidden field (the phone never goes in a URL).
type registerData struct {
	Step      int
	Phone     string
	Picker    unitPicker
	Challenge string
	Form      registerForm
	Types     []choice
	Sectors   []choice
	Failure   formFailure
}

// registerForm is what the person typed in step 2, shown again when the
// form comes back with errors (never the password or the code).
type registerForm struct {
	Organisation, TaxCode, Name, Type, Sector, Unit, Address, Zone string
	OpeningHours, Capacity, ContactName, ContactPhone              string
	Checkpoints, Route, Login, DisplayName                         string
}

// registerShow shows step 1 of the registration of a new organisation and
// its first place.
func (s *Server) registerShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderRegister(w, r, http.StatusOK, &registerData{Step: 1})
}

// fillRegister loads the choices of the step d is at.
func (s *Server) fillRegister(ctx context.Context, lang string, d *registerData) error {
	var err error
	if d.Picker.Provinces, err = s.provinceChoices(ctx, lang); err != nil {
		return err
	}
	if d.Step == 1 {
		return nil
	}
	d.Types, d.Sectors = venueTypeChoices(), sectorChoices()
	d.Picker.Communes, err = s.communeGroups(ctx, lang, d.Picker.Province)
	return err
}
