package sqlstore

import (
	"database/sql"
	"errors"
	"time"
)

// AcquireLease takes or renews the lease name for holder until Now+ttl, in
// one statement: the insert wins a free name; the update runs only when
// the lease has expired or is already holder's, so two servers racing for
// it cannot both win.
func (t *Tx) AcquireLease(name, holder string, ttl time.Duration) (bool, error) {
	now := t.now.UnixMilli()
	var got string
	err := t.queryRow(`INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
		WHERE leases.until < $4 OR leases.holder = excluded.holder
		RETURNING holder`, name, holder, now+ttl.Milliseconds(), now).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, t.db.translate(err)
	}
	return got == holder, nil
}

// ReleaseLease ends holder's lease on name at once, so that another
// server takes the job over without waiting for it to expire.
func (t *Tx) ReleaseLease(name, holder string) error {
	_, err := t.exec(`DELETE FROM leases WHERE name = $1 AND holder = $2`, name, holder)
	return err
}

// Lease returns the holder of name and the end of its lease.
func (t *Tx) Lease(name string) (string, time.Time, error) {
	var holder string
	var until int64
	err := t.queryRow(`SELECT holder, until FROM leases WHERE name = $1`, name).Scan(&holder, &until)
	if err != nil {
		return "", time.Time{}, t.db.translate(err)
	}
	return holder, time.UnixMilli(until).UTC(), nil
}
