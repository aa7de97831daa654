package rights

import (
	"context"
	"slices"
	"strings"

	"github.com/ravao/ravao"
	"golang.org/x/text/unicode/norm"
)

// Correction is the profile as the person corrects it: the fields a
// declaration asks for, except the phone and the ID number, which prove
// who the person is and change only through a new declaration.
type Correction struct {
	FullName  string `json:"full_name"`
	BirthYear int    `json:"birth_year"`
	Sex       string `json:"sex"`
	Address   string `json:"address"`
	UnitCode  string `json:"unit_code"`
}

// Correct rewrites the profile of the device's person, once proof opened
// their data, validated as a declaration is. The old values are not kept:
// the person is sealed again, and the audit log and the request's history
// name the fields changed, never their values.
func (s *Service) Correct(ctx context.Context, token, proof string, in Correction) error {
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		rec, err := s.proven(tx, token, proof)
		if err != nil {
			return err
		}
		p, err := s.vault.OpenPerson(rec)
		if err != nil {
			return err
		}
		next, err := corrected(tx, p, in)
		if err != nil {
			return err
		}
		changed := changedFields(p, next)
		if len(changed) == 0 {
			return nil
		}
		sealed, err := s.vault.SealPerson(next)
		if err != nil {
			return err
		}
		rec.Sealed, rec.BirthYear, rec.Sex, rec.UnitCode = sealed.Sealed, next.BirthYear, next.Sex, next.UnitCode
		if err := tx.UpdatePerson(&rec); err != nil {
			return err
		}
		if err := personAudit(ctx, tx, "person.correct", rec.ID); err != nil {
			return err
		}
		_, err = s.record(ctx, tx, rec.ID, ravao.DSRCorrect, Details{Source: SourceRequest, Fields: changed}, "corrected")
		return err
	})
}

// corrected is p with the correction applied and checked.
func corrected(tx ravao.Tx, p ravao.Person, in Correction) (ravao.Person, error) {
	fe := ravao.FieldErrors{}
	next := p
	if name, err := ravao.NormalizeName(in.FullName); err != nil {
		fe.Add("full_name", "err.full_name")
	} else {
		next.FullName = ravao.PII(name)
	}
	next.BirthYear, next.Sex = in.BirthYear, ravao.Sex(strings.TrimSpace(in.Sex))
	next.Address = ravao.PII(norm.NFC.String(strings.TrimSpace(in.Address)))
	next.UnitCode = strings.TrimSpace(in.UnitCode)
	if next.UnitCode == "" {
		fe.Add("unit", "err.required")
	} else if _, err := tx.Unit(ravao.ActiveUnitVersion(tx), next.UnitCode); err != nil {
		fe.Add("unit", "err.unit_unknown")
	}
	if len(fe) == 0 {
		fe.Merge(next.Validate(tx.Now()))
	}
	return next, fe.Err()
}

// changedFields names the profile fields that differ.
func changedFields(a, b ravao.Person) []string {
	var out []string
	for _, f := range []struct {
		name string
		same bool
	}{
		{"full_name", a.FullName == b.FullName}, {"birth_year", a.BirthYear == b.BirthYear},
		{"sex", a.Sex == b.Sex}, {"address", a.Address == b.Address}, {"unit", a.UnitCode == b.UnitCode},
	} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return slices.Clip(out)
}
