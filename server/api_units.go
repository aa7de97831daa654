package server

import (
	"net/http"

	"github.com/ravao/ravao"
)

var unitsListDoc = Doc{
	Summary: "Children of an administrative unit, or the provinces when no parent is given", Tags: []string{"units"},
	Params: []Param{
		{Name: "parent", Description: "code of the parent unit; omit for the top level"},
		{Name: "version", Description: "dataset version; defaults to the active one"},
	},
	Response: obj(props{"version": str("dataset version"), "units": array(unitSchema)}, "version", "units"),
}

var unitShowDoc = Doc{
	Summary: "An administrative unit with its ancestors from the province down", Tags: []string{"units"},
	Params:   []Param{{Name: "version", Description: "dataset version; defaults to the active one"}},
	Response: obj(props{"version": str("dataset version"), "unit": unitSchema, "ancestors": array(unitSchema)}, "version", "unit", "ancestors"),
}

// unitJSON is a unit in the API.
type unitJSON struct {
	Code       string `json:"code"`
	ParentCode string `json:"parent_code,omitempty"`
	Level      int    `json:"level"`
	Name       string `json:"name"`
	FullName   string `json:"full_name,omitempty"`
	NameEn     string `json:"name_en,omitempty"`
	FullNameEn string `json:"full_name_en,omitempty"`
}

func toUnitsJSON(units []ravao.Unit) []unitJSON {
	out := make([]unitJSON, 0, len(units))
	for _, u := range units {
		out = append(out, unitJSON{Code: u.Code, ParentCode: u.ParentCode, Level: u.Level, Name: u.Name, FullName: u.FullName, NameEn: u.NameEn, FullNameEn: u.FullNameEn})
	}
	return out
}

// unitCodeParam checks a unit code from the request.
func unitCodeParam(field, code string) error {
	if !ravao.ValidUnitCode(code) {
		return &ravao.Error{Code: ravao.Invalid, Key: "err.invalid_fields", Fields: map[string]string{field: "err.unit_code"}}
	}
	return nil
}

// unitNotFound turns a store's NotFound into the unit message.
func unitNotFound(err error) error {
	if ravao.IsNotFound(err) {
		return &ravao.Error{Code: ravao.NotFound, Key: "err.unit_not_found", Err: err}
	}
	return err
}

// apiUnitsList lists the children of ?parent= (or the top level).
func (s *Server) apiUnitsList(w http.ResponseWriter, r *http.Request) error {
	parent, version := r.URL.Query().Get("parent"), r.URL.Query().Get("version")
	if parent != "" {
		if err := unitCodeParam("parent", parent); err != nil {
			return err
		}
	}
	var units []ravao.Unit
	err := s.store.View(r.Context(), func(tx ravao.Tx) error {
		if version == "" {
			version = ravao.ActiveUnitVersion(tx)
		}
		f := ravao.UnitFilter{Version: version, ParentCode: parent, Roots: parent == ""}
		if parent != "" {
			if _, err := tx.Unit(version, parent); err != nil {
				return unitNotFound(err)
			}
		}
		var err error
		units, err = tx.Units(f)
		return err
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"version": version, "units": toUnitsJSON(units)})
}

// apiUnitShow returns a unit with its ancestors.
func (s *Server) apiUnitShow(w http.ResponseWriter, r *http.Request) error {
	code, version := r.PathValue("code"), r.URL.Query().Get("version")
	if err := unitCodeParam("code", code); err != nil {
		return err
	}
	var u ravao.Unit
	var ancestors []ravao.Unit
	err := s.store.View(r.Context(), func(tx ravao.Tx) error {
		if version == "" {
			version = ravao.ActiveUnitVersion(tx)
		}
		var err error
		if u, err = tx.Unit(version, code); err != nil {
			return unitNotFound(err)
		}
		ancestors, err = tx.UnitAncestors(version, code)
		return err
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"version": version, "unit": toUnitsJSON([]ravao.Unit{u})[0], "ancestors": toUnitsJSON(ancestors),
	})
}
