package sqlstore

import (
	"time"

	"github.com/ravao/ravao"
)

const deviceCols = `id, token_hash, person_id, created_at, last_seen`

func scanDevice(s scanner) (ravao.Device, error) {
	var d ravao.Device
	err := s.Scan(&d.ID, &d.TokenHash, &d.PersonID, msTime{&d.CreatedAt}, msTime{&d.LastSeen})
	return d, err
}

// CreateDevice stores a visitor's device by the hash of its secret and sets
// its ID. A device is seen when it is created, so a zero LastSeen becomes
// CreatedAt. A hash already stored is a Conflict; a missing person Invalid.
func (t *Tx) CreateDevice(d *ravao.Device) error {
	t.stamp(&d.CreatedAt)
	if d.LastSeen.IsZero() {
		d.LastSeen = d.CreatedAt
	}
	id, err := t.insertID(`INSERT INTO devices (token_hash, person_id, created_at, last_seen)
		VALUES ($1, $2, $3, $4) RETURNING id`, d.TokenHash, d.PersonID, ms(d.CreatedAt), ms(d.LastSeen))
	if err == nil {
		d.ID = id
	}
	return err
}

// DeviceByHash returns a device by the hash of its secret.
func (t *Tx) DeviceByHash(hash []byte) (ravao.Device, error) {
	if len(hash) == 0 {
		return ravao.Device{}, ravao.Errorf(ravao.NotFound, "err.not_found")
	}
	return getOne(t, scanDevice, `SELECT `+deviceCols+` FROM devices WHERE token_hash = $1`, hash)
}

var deviceVisitorSQL = `SELECT ` + qualified("d.", deviceCols) + `, ` + qualified("p.", personCols) + `,
	COALESCE(l.id, 0), COALESCE(l.person_id, 0), COALESCE(l.risk, false), l.sealed,
	l.proxy_user_id, l.created_at, ` + tracingCols("p.id") + `
	FROM devices d JOIN people p ON p.id = d.person_id
	LEFT JOIN declarations l ON l.id = (SELECT id FROM declarations
		WHERE person_id = p.id ORDER BY created_at DESC, id DESC LIMIT 1)
	WHERE d.token_hash = $1`

// DeviceVisitor returns the device stored under a hash, its person, their
// latest declaration (zero when none) and what tracing holds against them,
// in one statement: what a check-in reads about who checks in. NotFound
// when there is no such device or person.
func (t *Tx) DeviceVisitor(hash []byte) (ravao.DeviceVisitor, error) {
	var v ravao.DeviceVisitor
	if len(hash) == 0 {
		return v, ravao.Errorf(ravao.NotFound, "err.not_found")
	}
	row := t.queryRow(deviceVisitorSQL, hash)
	var err error
	v.Device, err = scanDevice(joined{row, func(s scanner) (err error) {
		v.Person, err = scanPerson(joined{s, func(s scanner) (err error) {
			v.Latest, err = scanDeclaration(joined{s, func(s scanner) error {
				return s.Scan(tracingScan(&v.Tracing)...)
			}})
			return err
		}})
		return err
	}})
	return v, t.db.translate(err)
}

// TouchDevice records when a device was last used (Now when at is zero);
// NotFound when there is no such device.
func (t *Tx) TouchDevice(id int64, at time.Time) error {
	t.stamp(&at)
	return t.execOne(`UPDATE devices SET last_seen = $1 WHERE id = $2`, ms(at), id)
}

// DeleteDevices forgets every device of a person and says how many.
func (t *Tx) DeleteDevices(personID int64) (int, error) {
	return t.exec(`DELETE FROM devices WHERE person_id = $1`, personID)
}
