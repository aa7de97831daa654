package sqlstore

import (
	"time"

	"github.com/ravao/ravao"
)

// CreateOrganisation stores an organisation and sets its ID.
func (t *Tx) CreateOrganisation(o *ravao.Organisation) error {
	t.stamp(&o.CreatedAt)
	id, err := t.insertID(`INSERT INTO organisations (name, unit_code, sector, created_at)
		VALUES ($1, $2, $3, $4) RETURNING id`, o.Name, o.UnitCode, string(o.Sector), ms(o.CreatedAt))
	if err == nil {
		o.ID = id
	}
	return err
}

// Organisation returns an organisation by ID.
func (t *Tx) Organisation(id int64) (ravao.Organisation, error) {
	return getOne(t, func(s scanner) (ravao.Organisation, error) {
		var o ravao.Organisation
		return o, s.Scan(&o.ID, &o.Name, &o.UnitCode, &o.Sector, msTime{&o.CreatedAt})
	}, `SELECT id, name, unit_code, sector, created_at FROM organisations WHERE id = $1`, id)
}

// CreateVenue stores a venue of an existing organisation and sets its ID.
func (t *Tx) CreateVenue(v *ravao.Venue) error {
	t.stamp(&v.CreatedAt)
	id, err := t.insertID(`INSERT INTO venues (organisation_id, name, type, sector, unit_code, address,
		status, default_stay_ms, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		v.OrganisationID, v.Name, string(v.Type), string(v.Sector), v.UnitCode, v.Address,
		string(v.Status), v.DefaultStay.Milliseconds(), ms(v.CreatedAt))
	if err == nil {
		v.ID = id
	}
	return err
}

// Venue returns a venue by ID.
func (t *Tx) Venue(id int64) (ravao.Venue, error) {
	return getOne(t, func(s scanner) (ravao.Venue, error) {
		var v ravao.Venue
		var stay int64
		err := s.Scan(&v.ID, &v.OrganisationID, &v.Name, &v.Type, &v.Sector, &v.UnitCode, &v.Address,
			&v.Status, &stay, msTime{&v.CreatedAt})
		v.DefaultStay = time.Duration(stay) * time.Millisecond
		return v, err
	}, `SELECT id, organisation_id, name, type, sector, unit_code, address, status, default_stay_ms,
		created_at FROM venues WHERE id = $1`, id)
}

// CreateCheckpoint stores a checkpoint of an existing venue and sets its ID.
func (t *Tx) CreateCheckpoint(c *ravao.Checkpoint) error {
	t.stamp(&c.CreatedAt)
	id, err := t.insertID(`INSERT INTO checkpoints (venue_id, name, kind, plate, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, c.VenueID, c.Name, string(c.Kind), c.Plate, ms(c.CreatedAt))
	if err == nil {
		c.ID = id
	}
	return err
}

// Checkpoint returns a checkpoint by ID.
func (t *Tx) Checkpoint(id int64) (ravao.Checkpoint, error) {
	return getOne(t, func(s scanner) (ravao.Checkpoint, error) {
		var c ravao.Checkpoint
		return c, s.Scan(&c.ID, &c.VenueID, &c.Name, &c.Kind, &c.Plate, msTime{&c.CreatedAt})
	}, `SELECT id, venue_id, name, kind, plate, created_at FROM checkpoints WHERE id = $1`, id)
}
