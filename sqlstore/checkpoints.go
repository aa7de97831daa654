package sqlstore

import (
	"time"

	"github.com/ravao/ravao"
)

const checkpointCols = `id, venue_id, name, kind, plate, route, serial, revoked, created_at, updated_at`

func scanCheckpoint(s scanner) (ravao.Checkpoint, error) {
	var c ravao.Checkpoint
	err := s.Scan(&c.ID, &c.VenueID, &c.Name, &c.Kind, &c.Plate, &c.Route, &c.Serial, &c.Revoked,
		msTime{&c.CreatedAt}, msTime{&c.UpdatedAt})
	return c, err
}

// CreateCheckpoint stores a checkpoint of an existing venue and sets its ID.
func (t *Tx) CreateCheckpoint(c *ravao.Checkpoint) error {
	t.stamp(&c.CreatedAt, &c.UpdatedAt)
	id, err := t.insertID(`INSERT INTO checkpoints (venue_id, name, kind, plate, route, serial, revoked,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		c.VenueID, c.Name, string(c.Kind), c.Plate, c.Route, int64(c.Serial), c.Revoked,
		ms(c.CreatedAt), ms(c.UpdatedAt))
	if err == nil {
		c.ID = id
	}
	return err
}

// Checkpoint returns a checkpoint by ID.
func (t *Tx) Checkpoint(id int64) (ravao.Checkpoint, error) {
	return getOne(t, scanCheckpoint, `SELECT `+checkpointCols+` FROM checkpoints WHERE id = $1`, id)
}

// Checkpoints lists the checkpoints of a venue, or of every venue of an
// organisation, by venue then ID. A filter with neither is Invalid rather
// than every checkpoint of the deployment.
func (t *Tx) Checkpoints(f ravao.CheckpointFilter) ([]ravao.Checkpoint, error) {
	var w where
	if f.VenueID != 0 {
		w.add("venue_id = ?", f.VenueID)
	}
	if f.OrganisationID != 0 {
		w.add("venue_id IN (SELECT id FROM venues WHERE organisation_id = ?)", f.OrganisationID)
	}
	if len(w.conds) == 0 {
		return nil, &ravao.Error{Code: ravao.Invalid, Key: "err.invalid_fields",
			Fields: map[string]string{"venue": "err.required"}}
	}
	q := `SELECT ` + checkpointCols + ` FROM checkpoints` + w.sql() + ` ORDER BY venue_id, id`
	return getAll(t, scanCheckpoint, q, w.args...)
}

// UpdateCheckpoint writes a checkpoint's name, kind, plate, route, serial
// and revocation, and sets UpdatedAt to the transaction's Now.
func (t *Tx) UpdateCheckpoint(c *ravao.Checkpoint) error {
	err := t.execOne(`UPDATE checkpoints SET name = $1, kind = $2, plate = $3, route = $4, serial = $5,
		revoked = $6, updated_at = $7 WHERE id = $8`,
		c.Name, string(c.Kind), c.Plate, c.Route, int64(c.Serial), c.Revoked, ms(t.now), c.ID)
	t.placesChanged = true
	if err == nil {
		c.UpdatedAt = t.now
	}
	return err
}

var checkpointPlaceSQL = `SELECT ` + qualified("c.", checkpointCols) + `, ` + qualified("v.", venueCols) + `, ` +
	qualified("o.", orgCols) + ` FROM checkpoints c JOIN venues v ON v.id = c.venue_id
	JOIN organisations o ON o.id = v.organisation_id WHERE c.id = $1`

// CheckpointPlace returns a checkpoint with its venue and the venue's
// organisation, in one statement: what a poster's code leads to. In a
// Peek it may come from memory (placeCache), at most PlaceTTL old.
func (t *Tx) CheckpointPlace(id int64) (c ravao.Checkpoint, v ravao.Venue, o ravao.Organisation, err error) {
	// Only a Peek uses the cache: each of its statements reads the
	// database as it is when it runs, after get, so that what put keeps
	// is never older than the generation get returned. A transaction may
	// hold a snapshot taken before a change that has since emptied the
	// cache.
	var gen uint64
	if t.tx == nil {
		p, ok, g := t.db.places.get(id)
		if ok {
			return p.c, p.v, p.o, nil
		}
		gen = g
	}
	row := t.queryRow(checkpointPlaceSQL, id)
	c, err = scanCheckpoint(joined{row, func(s scanner) error {
		var err error
		v, err = scanVenue(joined{s, func(s scanner) (err error) {
			o, err = scanOrganisation(s)
			return err
		}})
		return err
	}})
	if err == nil && t.tx == nil {
		t.db.places.put(id, cachedPlace{c: c, v: v, o: o, at: time.Now()}, gen)
	}
	return c, v, o, t.db.translate(err)
}
