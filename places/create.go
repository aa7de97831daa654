package places

import (
	"context"

	"github.com/ravao/ravao"
)

// NewPlace is a venue registered by someone already signed in: a manager
// adding a venue to their organisation (OrganisationID set), or an official
// registering a place by hand during the commune's campaign (Organisation
// names a new organisation, TaxCode optionally gives its tax code).
type NewPlace struct {
	OrganisationID int64             `json:"organisation_id"`
	Organisation   string            `json:"organisation"`
	TaxCode        string            `json:"tax_code"`
	Venue          VenueInput        `json:"venue"`
	Checkpoints    []CheckpointInput `json:"checkpoints"`
}

// CreatePlace stores a new venue with its checkpoints. actor nil is the
// system (the demo, the command line). The venue is approved at once when
// the deployment says so or when the actor may approve it.
func (s *Service) CreatePlace(ctx context.Context, actor *ravao.Principal, in NewPlace, lang string) (VenueView, error) {
	fe := ravao.FieldErrors{}
	v, contact := venue(in.Venue, fe)
	cps := s.checkpoints(in.Checkpoints, v.Type, lang, fe)
	var orgName, tax string
	if in.OrganisationID == 0 {
		tax = taxCode(in.TaxCode, fe)
		name, err := ravao.NormalizeName(in.Organisation)
		if err != nil {
			fe.Add("organisation", "err.place_name")
		}
		orgName = name
	}
	if err := fe.Err(); err != nil {
		return VenueView{}, err
	}
	var id int64
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		o := ravao.Organisation{Name: orgName, UnitCode: v.UnitCode, Sector: v.Sector, TaxCode: tax}
		if in.OrganisationID != 0 {
			var err error
			if o, err = tx.Organisation(in.OrganisationID); ravao.IsNotFound(err) {
				return ravao.FieldError("organisation", "err.organisation_not_found")
			} else if err != nil {
				return err
			}
		}
		path, err := ravao.UnitPathFor(tx, v.UnitCode)
		if err != nil {
			return err
		}
		v.UnitPath, v.OrganisationID, v.Status = path, o.ID, ravao.VenuePending
		target := v.Target()
		if actor != nil && !actor.Can(ravao.PermImportPlaces, target) && !actor.Can(ravao.PermManagePlaces, target) {
			if in.OrganisationID != 0 {
				return ravao.FieldError("organisation", "err.organisation_not_found")
			}
			return ravao.FieldError("unit", "err.unit_out_of_scope")
		}
		if actor == nil || s.cfg.AutoApprove || actor.Can(ravao.PermApprovePlaces, target) {
			v.Status = ravao.VenueApproved
		}
		if err := s.createPlace(ctx, tx, actor, &o, &v, contact, cps); err != nil {
			return err
		}
		id = v.ID
		return nil
	})
	if err != nil {
		return VenueView{}, err
	}
	return s.venueView(ctx, id)
}

// venueView is a venue's view without a scope check, for callers that have
// just created it.
func (s *Service) venueView(ctx context.Context, id int64) (VenueView, error) {
	var out VenueView
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		v, err := tx.Venue(id)
		if err != nil {
			return err
		}
		if out, err = s.view(tx, v); err != nil {
			return err
		}
		out.Contact, err = s.OpenContact(v)
		return err
	})
	return out, err
}
