package places

import (
	"context"
	"slices"
	"strconv"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/placeimport"
)

// ImportResult says what a bulk import did. Written is false when nothing
// was stored (some row was invalid and the caller did not ask for the valid
// rows only). ImportID names the batch for its posters.
type ImportResult struct {
	Written  bool
	ImportID int64
	Created  []ImportedVenue
	Errors   []placeimport.RowError
	Rows     int // data rows in the file
}

// ImportedVenue is one venue created by an import.
type ImportedVenue struct {
	Line        int
	VenueID     int64
	Name        string
	Checkpoints int
}

// Import stores the places of a parsed file. Each row is checked against
// the unit tree and the actor's scope first; with any error nothing is
// written unless validOnly, and then only the valid rows are. Everything is
// written in one transaction. Rows with the same organisation name become
// one organisation; a venue manager imports into their own organisation.
// Places imported by an official who may approve them are approved.
func (s *Service) Import(ctx context.Context, actor *ravao.Principal, file placeimport.Result, validOnly bool, lang string) (ImportResult, error) {
	if !actor.MayEver(ravao.PermImportPlaces) {
		return ImportResult{}, errForbidden()
	}
	res := ImportResult{Errors: append([]placeimport.RowError(nil), file.Errors...), Rows: len(file.Rows) + len(file.Errors)}
	var plan []plannedRow
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		var errs []placeimport.RowError
		var err error
		plan, errs, err = s.planImport(tx, actor, file.Rows, lang)
		res.Errors = append(res.Errors, errs...)
		return err
	})
	if err != nil {
		return res, err
	}
	sortRowErrors(res.Errors)
	if len(res.Errors) > 0 && !validOnly || len(plan) == 0 {
		return res, nil
	}
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		res.Created = res.Created[:0]
		e := audit(ctx, actor, "venue.import", "import", 0, "")
		e.Reason = strconv.Itoa(len(plan))
		if err := tx.AppendAudit(e); err != nil {
			return err
		}
		res.ImportID = e.ID
		orgs := map[string]*ravao.Organisation{}
		for _, p := range plan {
			o := orgs[p.orgKey]
			if o == nil {
				var err error
				if o, err = importOrganisation(tx, p); err != nil {
					return err
				}
				orgs[p.orgKey] = o
			}
			v := p.venue
			v.ImportID = e.ID
			cps := append([]ravao.Checkpoint(nil), p.checkpoints...)
			if err := s.createPlace(ctx, tx, actor, o, &v, p.contact, cps); err != nil {
				return err
			}
			res.Created = append(res.Created, ImportedVenue{Line: p.row.Line, VenueID: v.ID, Name: v.Name, Checkpoints: len(cps)})
		}
		return nil
	})
	res.Written = err == nil
	return res, err
}

// plannedRow is a checked row, ready to write.
type plannedRow struct {
	row         placeimport.Row
	orgKey      string
	orgID       int64 // the manager's own organisation, or 0 for a new one
	venue       ravao.Venue
	contact     Contact
	checkpoints []ravao.Checkpoint
	taxCode     string // the organisation's, from whichever of its rows gave one
}

// importOrganisation is the organisation of a planned row: a new one, or
// the manager's own, which takes the file's tax code when it had none.
func importOrganisation(tx ravao.Tx, p plannedRow) (*ravao.Organisation, error) {
	if p.orgID == 0 {
		return &ravao.Organisation{Name: p.row.Organisation, UnitCode: p.venue.UnitCode, Sector: p.venue.Sector, TaxCode: p.taxCode}, nil
	}
	o, err := tx.Organisation(p.orgID)
	if err != nil || o.TaxCode != "" || p.taxCode == "" {
		return &o, err
	}
	o.TaxCode = p.taxCode
	return &o, tx.UpdateOrganisation(&o)
}

// orgTaxCodes is the tax code of each organisation of a file, by
// organisation key: rows of one organisation may leave it out, but may not
// give two.
type orgTaxCodes map[string]string

// add records a row's tax code for its organisation, and says false when
// the organisation already has another.
func (t orgTaxCodes) add(key, code string) bool {
	switch known := t[key]; {
	case code == "" || known == code:
		return true
	case known != "":
		return false
	}
	t[key] = code
	return true
}

// fill gives every planned row its organisation's tax code.
func (t orgTaxCodes) fill(plan []plannedRow) {
	for i := range plan {
		plan[i].taxCode = t[plan[i].orgKey]
	}
}

// planImport checks every row against the unit tree and the actor's scope.
func (s *Service) planImport(tx ravao.Tx, actor *ravao.Principal, rows []placeimport.Row, lang string) ([]plannedRow, []placeimport.RowError, error) {
	var plan []plannedRow
	var errs []placeimport.RowError
	paths := map[string]string{}
	var managed *ravao.Organisation
	taxes := orgTaxCodes{}
	if id := managedOrganisation(actor); id != 0 {
		o, err := tx.Organisation(id)
		if err != nil {
			return nil, nil, err
		}
		managed = &o
		taxes[ravao.FoldDiacritics(o.Name)] = o.TaxCode
	}
	for _, r := range rows {
		path, ok := paths[r.UnitCode]
		if !ok {
			var err error
			path, err = ravao.UnitPathFor(tx, r.UnitCode)
			if err != nil && ravao.ErrorCode(err) != ravao.Invalid {
				return nil, nil, err
			}
			paths[r.UnitCode] = path
		}
		if path == "" {
			errs = append(errs, rowError(r.Line, "unit_code", "err.unit_unknown"))
			continue
		}
		v := ravao.Venue{
			Name: r.Venue, Type: r.Type, Sector: r.Sector, UnitCode: r.UnitCode, UnitPath: path,
			Address: r.Address, DefaultStay: ravao.DefaultStayFor(r.Type), Status: ravao.VenuePending,
		}
		p := plannedRow{row: r, orgKey: ravao.FoldDiacritics(r.Organisation), venue: v,
			contact: Contact{Name: r.ContactName, Phone: r.ContactPhone}}
		target := v.Target()
		if managed != nil {
			if ravao.FoldDiacritics(managed.Name) != p.orgKey {
				errs = append(errs, rowError(r.Line, "organisation", "err.import_other_organisation"))
				continue
			}
			p.orgID, target.OrganisationID = managed.ID, managed.ID
		}
		if !actor.Can(ravao.PermImportPlaces, target) {
			errs = append(errs, rowError(r.Line, "unit_code", "err.unit_out_of_scope"))
			continue
		}
		if !taxes.add(p.orgKey, r.TaxCode) {
			errs = append(errs, rowError(r.Line, "tax_code", "err.import_tax_code_differs"))
			continue
		}
		if s.cfg.AutoApprove || actor.Can(ravao.PermApprovePlaces, target) {
			p.venue.Status = ravao.VenueApproved
		}
		p.checkpoints = s.importCheckpoints(r, lang)
		plan = append(plan, p)
	}
	taxes.fill(plan)
	return plan, errs, nil
}

// managedOrganisation is the organisation a venue manager imports into,
// when the actor holds no wider import scope; 0 for officials.
func managedOrganisation(actor *ravao.Principal) int64 {
	var org int64
	for _, a := range actor.Roles {
		switch a.Role {
		case ravao.RoleAdmin, ravao.RoleLocal, ravao.RoleSector:
			return 0
		case ravao.RoleVenueManager:
			if org == 0 {
				org = a.OrganisationID
			}
		}
	}
	return org
}

// importCheckpoints names a row's checkpoints: the names in the file, a
// vehicle per plate, or numbered gates.
func (s *Service) importCheckpoints(r placeimport.Row, lang string) []ravao.Checkpoint {
	var out []ravao.Checkpoint
	switch {
	case len(r.Plates) > 0:
		for _, p := range r.Plates {
			out = append(out, ravao.Checkpoint{Name: s.cat.T(lang, "checkpoint.vehicle", p), Kind: ravao.CheckpointVehicle, Plate: p})
		}
	case len(r.Checkpoints) > 0:
		kind := ravao.CheckpointGate
		if r.Type == ravao.VenueVehicle {
			kind = ravao.CheckpointVehicle
		}
		for _, n := range r.Checkpoints {
			out = append(out, ravao.Checkpoint{Name: n, Kind: kind})
		}
	case r.CheckpointCount > 1:
		for i := 1; i <= r.CheckpointCount; i++ {
			out = append(out, ravao.Checkpoint{Name: s.cat.T(lang, "checkpoint.numbered", i), Kind: ravao.CheckpointGate})
		}
	default:
		out = append(out, ravao.Checkpoint{Name: s.cat.T(lang, "checkpoint.default"), Kind: ravao.CheckpointGate})
	}
	return out
}

func rowError(line int, field, key string) placeimport.RowError {
	return placeimport.RowError{Line: line, Fields: map[string]string{field: key}}
}

// sortRowErrors orders errors by line: the file's own errors and the
// unit and scope errors found here come from two passes.
func sortRowErrors(errs []placeimport.RowError) {
	slices.SortStableFunc(errs, func(a, b placeimport.RowError) int { return a.Line - b.Line })
}
