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

// DevicePerson returns the device stored under a hash and its person, in
// one statement; NotFound when there is no such device or person.
func (t *Tx) DevicePerson(hash []byte) (d ravao.Device, p ravao.PersonRecord, err error) {
	if len(hash) == 0 {
		return d, p, ravao.Errorf(ravao.NotFound, "err.not_found")
	}
	row := t.queryRow(`SELECT `+qualified("d.", deviceCols)+`, `+qualified("p.", personCols)+`
		FROM devices d JOIN people p ON p.id = d.person_id WHERE d.token_hash = $1`, hash)
	d, err = scanDevice(joined{row, func(s scanner) (err error) {
		p, err = scanPerson(s)
		return err
	}})
	return d, p, t.db.translate(err)
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
