package sqlstore

import (
	"slices"

	"github.com/ravao/ravao"
)

const orgCols = `id, name, unit_code, sector, tax_code, created_at`

func scanOrganisation(s scanner) (ravao.Organisation, error) {
	var o ravao.Organisation
	return o, s.Scan(&o.ID, &o.Name, &o.UnitCode, &o.Sector, &o.TaxCode, msTime{&o.CreatedAt})
}

// CreateOrganisation stores an organisation and sets its ID.
func (t *Tx) CreateOrganisation(o *ravao.Organisation) error {
	t.stamp(&o.CreatedAt)
	id, err := t.insertID(`INSERT INTO organisations (name, unit_code, sector, tax_code, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, o.Name, o.UnitCode, string(o.Sector), o.TaxCode, ms(o.CreatedAt))
	if err == nil {
		o.ID = id
	}
	return err
}

// Organisation returns an organisation by ID.
func (t *Tx) Organisation(id int64) (ravao.Organisation, error) {
	return getOne(t, scanOrganisation, `SELECT `+orgCols+` FROM organisations WHERE id = $1`, id)
}

// Organisations returns the organisations with the given IDs in ID order,
// skipping unknown ones; a list of venues names its organisations this way
// in one query per batch rather than one per venue.
func (t *Tx) Organisations(ids []int64) ([]ravao.Organisation, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := []ravao.Organisation{}
	for len(ids) > 0 {
		n := min(len(ids), t.batchRows(1))
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		got, err := getAll(t, scanOrganisation, `SELECT `+orgCols+` FROM organisations
			WHERE id IN `+placeholders(1, n)+` ORDER BY id`, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
		ids = ids[n:]
	}
	return out, nil
}

// UpdateOrganisation writes an organisation's name, unit, sector and tax
// code.
func (t *Tx) UpdateOrganisation(o *ravao.Organisation) error {
	t.placesChanged = true
	return t.execOne(`UPDATE organisations SET name = $1, unit_code = $2, sector = $3, tax_code = $4 WHERE id = $5`,
		o.Name, o.UnitCode, string(o.Sector), o.TaxCode, o.ID)
}
