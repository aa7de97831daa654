package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
)

// VisitDaysSQL is the SQL of an engine that partitions visits by day of
// entry in the store's zone (PostgreSQL). The store names the partitions
// (visits_d20261125) and computes their bounds; in the statements that
// take a partition, %[1]s stands for its name, %[2]d and %[3]d for its
// bounds [lo, hi) in unix milliseconds.
type VisitDaysSQL struct {
	// Lock serialises the changes to partitions between servers until
	// the transaction ends: two servers ensuring or purging the same day
	// at once take turns.
	Lock string
	// List returns the name, lo and hi of every day partition, by lo,
	// leaving out those another server dropped since the transaction's
	// snapshot was taken.
	List string
	// Exists, given a partition's $1 name, returns whether it exists now,
	// even if created after the transaction's snapshot was taken.
	Exists string
	// Default names the DEFAULT partition, which holds the visits of days
	// without a partition.
	Default string
	// Create creates an empty day partition.
	Create []string
	// Move creates a day partition out of the rows of its range that sit
	// in the DEFAULT partition.
	Move []string
	// KeptTable readies an empty temporary table visits_kept, shaped as
	// visits, for the rows of open cases' people while their day's
	// partition is dropped.
	KeptTable []string
	// Drop detaches and drops a day partition.
	Drop []string
	// Restore inserts the rows of visits_kept back into visits, IDs
	// included; with their day's partition gone, they land in the
	// DEFAULT partition.
	Restore string
	// Table, given a visit's $1 ID, returns the name of the table that
	// holds it.
	Table string
}

// maxVisitDays bounds one EnsureVisitDays call.
const maxVisitDays = 400

// visitDayName names the partition of a day.
func visitDayName(d ravao.Day) string { return "visits_d" + strconv.Itoa(int(d)) }

// dayPartition is a day partition as the catalog has it.
type dayPartition struct {
	name   string
	lo, hi int64
}

// EnsureVisitDays creates the missing day partitions for the days from..to
// (at most 400) and says how many it created. A day whose visits sit in
// the DEFAULT partition (stored before its partition existed) has them
// moved into its new partition in the same transaction. Engines without
// day partitions (SQLite) do nothing and return 0.
func (t *Tx) EnsureVisitDays(from, to ravao.Day) (int, error) {
	p := t.db.Dialect.VisitDays
	if p == nil {
		return 0, nil
	}
	if err := checkDays(from, to, maxVisitDays); err != nil {
		return 0, err
	}
	if _, err := t.exec(p.Lock); err != nil {
		return 0, err
	}
	n := 0
	for d := from; d <= to; d = d.Add(1) {
		var exists bool
		if err := t.queryRow(p.Exists, visitDayName(d)).Scan(&exists); err != nil {
			return n, t.db.translate(err)
		}
		if exists {
			continue
		}
		if err := t.createVisitDay(p, d); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// createVisitDay creates the partition of day d. PostgreSQL refuses to
// create a partition whose range has rows in the DEFAULT partition, so
// when there are some, the partition is built as a plain table from
// those rows (deleted from the DEFAULT partition in the same statement),
// then attached: attaching takes a lock that lets check-ins into other
// days go on, and scans only the DEFAULT partition, small in steady state.
func (t *Tx) createVisitDay(p *VisitDaysSQL, d ravao.Day) error {
	lo, hi := t.dayBounds(d)
	var stray bool
	err := t.queryRow(`SELECT EXISTS (SELECT 1 FROM `+p.Default+`
		WHERE in_at >= $1 AND in_at < $2)`, lo, hi).Scan(&stray)
	if err != nil {
		return t.db.translate(err)
	}
	stmts := p.Create
	if stray {
		stmts = p.Move
	}
	for _, s := range stmts {
		if _, err := t.exec(fmt.Sprintf(s, visitDayName(d), lo, hi)); err != nil {
			return err
		}
	}
	return nil
}

// dayPartitions lists the day partitions, by start.
func (t *Tx) dayPartitions(p *VisitDaysSQL) ([]dayPartition, error) {
	return getAll(t, func(s scanner) (dayPartition, error) {
		var d dayPartition
		return d, s.Scan(&d.name, &d.lo, &d.hi)
	}, p.List)
}

// VisitDays lists the days that have a partition of visits, in order; nil
// on engines without day partitions (SQLite).
func (t *Tx) VisitDays() ([]ravao.Day, error) {
	p := t.db.Dialect.VisitDays
	if p == nil {
		return nil, nil
	}
	parts, err := t.dayPartitions(p)
	if err != nil {
		return nil, err
	}
	days := make([]ravao.Day, 0, len(parts))
	for _, d := range parts {
		n, err := strconv.Atoi(strings.TrimPrefix(d.name, "visits_d"))
		if err != nil {
			return nil, fmt.Errorf("sqlstore: visits partition %q is not named by its day", d.name)
		}
		days = append(days, ravao.Day(n))
	}
	slices.Sort(days)
	return days, nil
}

// ProtectedPeople lists, by ID and once each, the people an open case
// needs: the persons of open cases and the people on their contact lists.
func (t *Tx) ProtectedPeople() ([]int64, error) {
	return getAll(t, func(s scanner) (int64, error) {
		var id int64
		return id, s.Scan(&id)
	}, `SELECT person_id FROM cases WHERE status = 'open'
		UNION
		SELECT k.person_id FROM contacts k JOIN cases c ON c.id = k.case_id WHERE c.status = 'open'
		ORDER BY 1`)
}

// PurgeVisits deletes the visits that began before before of the people
// not in keep, with their idempotency keys (which may then be used
// again), and says how many visits went. venue_days are not touched: the
// roll-ups outlive the visits they count.
//
// On SQLite one call deletes at most limit visits, oldest first, through
// the time index visits_in; the caller calls again until it returns 0.
//
// With day partitions (PostgreSQL) a call first drops every day partition
// that ends at or before before, however many visits it holds: the
// visits of kept people are copied aside and put back, into the DEFAULT
// partition. A day that before cuts keeps its partition until it ends
// before the cutoff: callers that want both engines to agree pass the
// start of a day. Then it deletes at most limit visits from the DEFAULT
// partition as SQLite does. See dropVisitDays for the locks.
func (t *Tx) PurgeVisits(before time.Time, keep []int64, limit int) (int, error) {
	keep = slices.Compact(slices.Sorted(slices.Values(keep)))
	table, dropped := "visits", 0
	if p := t.db.Dialect.VisitDays; p != nil {
		var err error
		if dropped, err = t.dropVisitDays(p, before.UnixMilli(), keep); err != nil {
			return 0, err
		}
		table = p.Default
	}
	n, err := t.purgeVisitBatch(table, before.UnixMilli(), keep, limit)
	return dropped + n, err
}

// purgeVisitBatch deletes at most n visits of table (visits, or the
// DEFAULT partition) that began before before of people not in keep,
// oldest first, and their keys. Both statements pick the same rows: the
// order (in_at, id) is total and nothing else writes these old rows.
func (t *Tx) purgeVisitBatch(table string, before int64, keep []int64, n int) (int, error) {
	pick := `SELECT id FROM ` + table + ` WHERE in_at < $1 AND ` + personIn(keep, false) +
		` ORDER BY in_at, id LIMIT $2`
	if _, err := t.exec(`DELETE FROM visit_keys WHERE visit_id IN (`+pick+`)`, before, limit(n)); err != nil {
		return 0, err
	}
	return t.exec(`DELETE FROM `+table+` WHERE id IN (`+pick+`)`, before, limit(n))
}

// dropVisitDays drops the day partitions that end at or before before and
// returns how many visits went with them. The slow work comes first,
// under row locks only: deleting the days' idempotency keys, copying the
// kept people's visits aside, counting. Then each partition is detached
// and dropped. A plain DETACH takes an ACCESS EXCLUSIVE lock on visits
// until the transaction commits, which stops check-ins for that time: a
// few milliseconds, since what remains (putting back the kept visits) is
// small. DETACH ... CONCURRENTLY would not stop them, but it cannot run
// in a transaction, so the purge would no longer be all or nothing; it is
// not used. A visit written into an expiring day during the purge (a
// gate's queue syncing scans a month old) goes with its day; its key
// stays, matching no visit.
func (t *Tx) dropVisitDays(p *VisitDaysSQL, before int64, keep []int64) (int, error) {
	if _, err := t.exec(p.Lock); err != nil {
		return 0, err
	}
	all, err := t.dayPartitions(p)
	if err != nil {
		return 0, err
	}
	var due []dayPartition
	for _, d := range all {
		if d.hi <= before {
			due = append(due, d)
		}
	}
	if len(due) == 0 {
		return 0, nil
	}
	for _, s := range p.KeptTable {
		if _, err := t.exec(s); err != nil {
			return 0, err
		}
	}
	dropped := 0
	for _, d := range due {
		n, err := t.setVisitDayAside(d.name, keep)
		if err != nil {
			return 0, err
		}
		dropped += n
	}
	for _, d := range due {
		for _, s := range p.Drop {
			if _, err := t.exec(fmt.Sprintf(s, d.name, d.lo, d.hi)); err != nil {
				return 0, err
			}
		}
	}
	_, err = t.exec(p.Restore)
	return dropped, err
}

// setVisitDayAside readies the partition name to be dropped: it deletes
// the keys of its visits that go, copies the visits that stay into
// visits_kept and counts those that go.
func (t *Tx) setVisitDayAside(name string, keep []int64) (int, error) {
	gone := `FROM ` + name + ` WHERE ` + personIn(keep, false)
	if _, err := t.exec(`DELETE FROM visit_keys WHERE visit_id IN (SELECT id ` + gone + `)`); err != nil {
		return 0, err
	}
	if _, err := t.exec(`INSERT INTO visits_kept SELECT * FROM ` + name + ` WHERE ` + personIn(keep, true)); err != nil {
		return 0, err
	}
	var n int
	err := t.queryRow(`SELECT COUNT(*) ` + gone).Scan(&n)
	return n, t.db.translate(err)
}

// personIn is the condition that person_id is (in) or is not in ids.
func personIn(ids []int64, in bool) string { return idIn("person_id", ids, in) }

// idIn is the condition that col is (in) or is not in ids. The IDs are
// written as integer literals, not parameters: an outbreak can keep more
// people than either engine binds parameters in one statement, and
// integers cannot inject anything.
func idIn(col string, ids []int64, in bool) string {
	if len(ids) == 0 {
		return strconv.FormatBool(!in)
	}
	var b strings.Builder
	b.WriteString(col + " ")
	if !in {
		b.WriteString("NOT ")
	}
	b.WriteString("IN (")
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte(')')
	return b.String()
}

// EnsureVisitDaysAhead creates the day partitions of today and the ahead
// days after it, today being the clock's day in the store's zone, and
// says how many it created: `ravao serve` opens the store with a week of
// partitions ready. It does nothing on engines without day partitions.
func (db *DB) EnsureVisitDaysAhead(ctx context.Context, ahead int) (int, error) {
	if db.Dialect.VisitDays == nil {
		return 0, nil
	}
	today := ravao.DayOf(db.now(), db.loc())
	var n int
	err := db.Update(ctx, func(tx ravao.Tx) error {
		var err error
		n, err = tx.EnsureVisitDays(today, today.Add(ahead))
		return err
	})
	return n, err
}

// VisitTable names the table that holds a visit: its day partition or the
// DEFAULT partition on PostgreSQL, visits on SQLite. It is for tests and
// for operators checking where rows land.
func (db *DB) VisitTable(ctx context.Context, id int64) (string, error) {
	q := `SELECT 'visits' FROM visits WHERE id = $1`
	if db.Dialect.VisitDays != nil {
		q = db.Dialect.VisitDays.Table
	}
	var name string
	err := db.Reader.QueryRowContext(ctx, q, id).Scan(&name)
	return name, db.translate(err)
}
