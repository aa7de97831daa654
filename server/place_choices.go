package server

import (
	"context"

	"github.com/ravao/ravao"
)

// choice is one option of a select whose label comes from the catalogue.
type choice struct {
	Value string
	Key   string // message key of the label
}

func venueTypeChoices() []choice {
	out := make([]choice, 0, len(ravao.VenueTypes))
	for _, t := range ravao.VenueTypes {
		out = append(out, choice{string(t), "venue_type." + string(t)})
	}
	return out
}

func sectorChoices() []choice {
	out := make([]choice, 0, len(ravao.Sectors))
	for _, s := range ravao.Sectors {
		out = append(out, choice{string(s), "sector." + string(s)})
	}
	return out
}

func statusChoices() []choice {
	out := []choice{}
	for _, st := range []ravao.VenueStatus{ravao.VenuePending, ravao.VenueApproved, ravao.VenueSuspended} {
		out = append(out, choice{string(st), "venue_status." + string(st)})
	}
	return out
}

func checkpointKindChoices() []choice {
	out := []choice{}
	for _, k := range []ravao.CheckpointKind{ravao.CheckpointGate, ravao.CheckpointCounter, ravao.CheckpointFloor, ravao.CheckpointVehicle} {
		out = append(out, choice{string(k), "checkpoint_kind." + string(k)})
	}
	return out
}

// unitChoice is an administrative unit offered in a select, named in the
// reader's language.
type unitChoice struct {
	Code, Name string
}

// unitGroup is the units under one parent (a district), shown as an
// optgroup; Name is empty for units directly under the province.
type unitGroup struct {
	Name  string
	Units []unitChoice
}

// provinceChoices lists the top-level units of the active version.
func (s *Server) provinceChoices(ctx context.Context, lang string) ([]unitChoice, error) {
	var out []unitChoice
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		units, err := tx.Units(ravao.UnitFilter{Version: ravao.ActiveUnitVersion(tx), Roots: true})
		out = unitChoices(units, lang)
		return err
	})
	return out, err
}

// communeGroups lists the units a place of the province can be registered
// in: the children of each district, or the province's own children when
// they have none (two-level trees). An unknown province lists nothing.
func (s *Server) communeGroups(ctx context.Context, lang, province string) ([]unitGroup, error) {
	if !ravao.ValidUnitCode(province) {
		return nil, nil
	}
	var out []unitGroup
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		version := ravao.ActiveUnitVersion(tx)
		children, err := tx.Units(ravao.UnitFilter{Version: version, ParentCode: province})
		if err != nil {
			return err
		}
		loose := unitGroup{}
		for _, c := range children {
			grand, err := tx.Units(ravao.UnitFilter{Version: version, ParentCode: c.Code})
			if err != nil {
				return err
			}
			if len(grand) == 0 {
				loose.Units = append(loose.Units, unitChoice{c.Code, localName(c, lang)})
				continue
			}
			out = append(out, unitGroup{Name: localName(c, lang), Units: unitChoices(grand, lang)})
		}
		if len(loose.Units) > 0 {
			out = append([]unitGroup{loose}, out...)
		}
		return nil
	})
	return out, err
}

// isProvince reports whether code is a top-level unit of the active version.
func (s *Server) isProvince(ctx context.Context, code string) (bool, error) {
	if !ravao.ValidUnitCode(code) {
		return false, nil
	}
	found := false
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		u, err := tx.Unit(ravao.ActiveUnitVersion(tx), code)
		if ravao.IsNotFound(err) {
			return nil
		}
		found = err == nil && u.ParentCode == ""
		return err
	})
	return found, err
}

func unitChoices(units []ravao.Unit, lang string) []unitChoice {
	out := make([]unitChoice, 0, len(units))
	for _, u := range units {
		out = append(out, unitChoice{u.Code, localName(u, lang)})
	}
	return out
}
