package sqlstore

import (
	"database/sql"
	"time"
)

// ms is the column value of an instant: unix milliseconds, NULL for the
// zero time. Both engines keep instants as BIGINT so that results are the
// same on both and no driver ever guesses a time zone.
func ms(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// msTime scans a nullable unix-milliseconds column into a UTC time.
type msTime struct{ t *time.Time }

// Scan implements sql.Scanner.
func (m msTime) Scan(src any) error {
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return err
	}
	*m.t = time.Time{}
	if n.Valid {
		*m.t = time.UnixMilli(n.Int64).UTC()
	}
	return nil
}

// nullID is the column value of a reference that may be absent: NULL for 0.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// idOrZero scans a nullable reference column into 0 when NULL.
type idOrZero struct{ id *int64 }

// Scan implements sql.Scanner.
func (z idOrZero) Scan(src any) error {
	var n sql.NullInt64
	err := n.Scan(src)
	*z.id = n.Int64
	return err
}

// nullBytes is the column value of optional bytes: NULL when empty, so
// that unique indexes on lookup keys ignore people without a phone or ID.
func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// scanInt reads a single integer, such as a COUNT(*).
func scanInt(s scanner) (int, error) {
	var n int
	return n, s.Scan(&n)
}

// msDuration scans a milliseconds column into a duration.
type msDuration struct{ d *time.Duration }

// Scan implements sql.Scanner.
func (m msDuration) Scan(src any) error {
	var n sql.NullInt64
	err := n.Scan(src)
	*m.d = time.Duration(n.Int64) * time.Millisecond
	return err
}
