package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
)

// Tx is one transaction; it implements ravao.Tx. In a Peek, tx is nil
// and each statement runs on its own on pool.
type Tx struct {
	ctx   context.Context
	tx    *sql.Tx
	pool  *sql.DB
	now   time.Time
	db    *DB
	stmts map[string]*sql.Stmt // statements bound to the transaction (prepared in it, or the pool's), closed with it
	cache *stmtCache           // the pool's prepared statements; nil when the engine keeps none
	// days, in a group commit's transaction, gathers the venue_days
	// changes of its fns, written in one statement before it commits;
	// nil writes them at once.
	days map[venueDay]*dayDelta
	// held is true when the savepoint of the batch's previous fn is still
	// taken: the next fn releases it together with taking its own.
	held bool
	// placesChanged is true once the transaction has changed a
	// checkpoint, venue or organisation: as it ends, the place cache is
	// emptied.
	placesChanged bool
}

// querier is what a statement runs on: the transaction, or in a Peek the
// pool.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (t *Tx) q() querier {
	if t.tx == nil {
		return t.pool
	}
	return t.tx
}

// reading panics when a Peek runs what may write (anything but a SELECT,
// or a WITH without INSERT, UPDATE or DELETE): outside a transaction a
// write would commit at once, alone. A Peek that writes is a mistake in
// Ravao, not in its input.
func (t *Tx) reading(query string) {
	if t.tx == nil && !readOnlySQL(query) {
		panic(fmt.Sprintf("sqlstore: a Peek cannot write: %.40s", strings.TrimSpace(query)))
	}
}

func readOnlySQL(query string) bool {
	q := strings.TrimSpace(query)
	switch {
	case strings.HasPrefix(q, "SELECT"):
		return true
	case strings.HasPrefix(q, "WITH"):
		return !strings.Contains(q, "INSERT") && !strings.Contains(q, "UPDATE") && !strings.Contains(q, "DELETE")
	}
	return false
}

// ended empties the place cache when the transaction changed a place; it
// runs once the transaction has committed or rolled back.
func (t *Tx) ended() {
	if t.placesChanged {
		t.db.places.invalidate()
	}
}

var _ ravao.Tx = (*Tx)(nil)

// Now returns the instant the transaction began, from the store's clock.
func (t *Tx) Now() time.Time { return t.now }

// The limits on how many rows a filtered list returns.
const (
	DefaultLimit = 1000
	MaxLimit     = 10000
)

// limit returns the number of rows a filter asks for, within bounds.
func limit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// exec runs a statement and returns the number of rows it touched.
func (t *Tx) exec(query string, args ...any) (int, error) {
	t.reading(query)
	var res sql.Result
	var err error
	if st := t.prepared(query); st != nil {
		res, err = st.ExecContext(t.ctx, args...)
	} else {
		res, err = t.q().ExecContext(t.ctx, query, args...)
	}
	if err != nil {
		return 0, t.db.translate(err)
	}
	n, err := res.RowsAffected()
	return int(n), t.db.translate(err)
}

// execOne runs a statement that must touch exactly one row: none is
// NotFound.
func (t *Tx) execOne(query string, args ...any) error {
	n, err := t.exec(query, args...)
	if err == nil && n == 0 {
		err = ravao.Errorf(ravao.NotFound, "err.not_found")
	}
	return err
}

// insertID runs an INSERT ... RETURNING id.
func (t *Tx) insertID(query string, args ...any) (int64, error) {
	var id int64
	err := t.queryRow(query, args...).Scan(&id)
	return id, t.db.translate(err)
}

// query runs a query, prepared when it can be.
func (t *Tx) query(query string, args ...any) (*sql.Rows, error) {
	t.reading(query)
	if st := t.prepared(query); st != nil {
		return st.QueryContext(t.ctx, args...)
	}
	return t.q().QueryContext(t.ctx, query, args...)
}

// queryRow runs a query that returns one row, prepared when it can be.
func (t *Tx) queryRow(query string, args ...any) *sql.Row {
	t.reading(query)
	if st := t.prepared(query); st != nil {
		return st.QueryRowContext(t.ctx, args...)
	}
	return t.q().QueryRowContext(t.ctx, query, args...)
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// joined is a scanner for a row of joined tables, read by the scan
// function of each table in turn: Scan hands its destinations on to rest,
// which adds those of the next table (with that table's scan function,
// given another joined, or by calling Scan) and scans them all at once.
type joined struct {
	s    scanner
	rest func(scanner) error
}

// Scan implements scanner.
func (j joined) Scan(dest ...any) error { return j.rest(prefixed{j.s, dest}) }

// prefixed is a scanner that scans dest before what it is asked to.
type prefixed struct {
	s    scanner
	dest []any
}

// Scan implements scanner.
func (p prefixed) Scan(dest ...any) error { return p.s.Scan(append(slices.Clip(p.dest), dest...)...) }

// getOne reads the single row query returns with scan.
func getOne[T any](t *Tx, scan func(scanner) (T, error), query string, args ...any) (T, error) {
	v, err := scan(t.queryRow(query, args...))
	return v, t.db.translate(err)
}

// getAll reads every row query returns with scan; no rows is an empty
// slice, not an error.
func getAll[T any](t *Tx, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := t.query(query, args...)
	return readAll(t, scan, rows, err)
}

// readAll reads rows with scan and closes them.
func readAll[T any](t *Tx, scan func(scanner) (T, error), rows *sql.Rows, err error) ([]T, error) {
	if err != nil {
		return nil, t.db.translate(err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, t.db.translate(err)
		}
		out = append(out, v)
	}
	return out, t.db.translate(rows.Err())
}

// stmt returns query prepared in the transaction, preparing it the first
// time: a batch of thousands of rows is parsed once, not once per chunk.
func (t *Tx) stmt(query string) (*sql.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	t.reading(query)
	if st := t.prepared(query); st != nil {
		return st, nil
	}
	st, err := t.tx.PrepareContext(t.ctx, query)
	if err != nil {
		return nil, t.db.translate(err)
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[query] = st
	return st, nil
}

// batchRows is how many rows of cols values one multi-row statement
// carries, within the engine's budget of bound parameters.
func (t *Tx) batchRows(cols int) int {
	return max(1, t.db.Dialect.BatchParams/cols)
}

// insertAll inserts rows in multi-row INSERTs of as many rows as the
// engine binds at once and gives each row its ID. head is the statement up
// to VALUES ("INSERT INTO t (a, b) VALUES "); values returns a row's cols
// column values (and may fill its defaults first); setID stores its ID.
// The IDs come back from RETURNING in no promised order, but both engines
// number the rows of one INSERT ... VALUES in increasing order as they
// insert them, so sorted IDs match the input.
func insertAll[T any](t *Tx, rows []T, cols int, head string, values func(T) []any, setID func(T, int64)) error {
	for len(rows) > 0 {
		chunk := rows[:min(len(rows), t.batchRows(cols))]
		rows = rows[len(chunk):]
		args := make([]any, 0, len(chunk)*cols)
		for _, r := range chunk {
			args = append(args, values(r)...)
		}
		st, err := t.stmt(head + placeholders(len(chunk), cols) + ` RETURNING id`)
		if err != nil {
			return err
		}
		res, err := st.QueryContext(t.ctx, args...)
		ids, err := readAll(t, func(s scanner) (int64, error) {
			var id int64
			return id, s.Scan(&id)
		}, res, err)
		if err != nil {
			return err
		}
		if len(ids) != len(chunk) {
			return fmt.Errorf("sqlstore: %d rows inserted, %d IDs returned", len(chunk), len(ids))
		}
		slices.Sort(ids)
		for i, r := range chunk {
			setID(r, ids[i])
		}
	}
	return nil
}

// stamp fills a zero CreatedAt or UpdatedAt with the transaction's Now.
func (t *Tx) stamp(ts ...*time.Time) {
	for _, p := range ts {
		if p.IsZero() {
			*p = t.now
		}
	}
}

// where builds a WHERE clause from conditions whose arguments are
// numbered in order.
type where struct {
	conds []string
	args  []any
}

// add appends a condition; each "?" in cond becomes the next $n.
func (w *where) add(cond string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(w.args)), 1)
	}
	w.conds = append(w.conds, cond)
}

// sql returns " WHERE ..." or "".
func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// limit appends a LIMIT clause with its argument.
func (w *where) limit(n int) string {
	w.args = append(w.args, limit(n))
	return " LIMIT $" + strconv.Itoa(len(w.args))
}

// inList returns the list of an "IN (...)" for values, numbering its
// placeholders from first (those before it belong to the rest of the
// statement), and the arguments to bind. The list is padded to a power of
// two by repeating the last value, which changes nothing in an IN, so
// that a statement built for batches of any size has a few texts for the
// statement cache instead of one per length. values must not be empty.
func inList[T any](first int, values []T) (string, []any) {
	n := 1
	for n < len(values) {
		n *= 2
	}
	var b strings.Builder
	args := make([]any, n)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(first + i))
		args[i] = values[min(i, len(values)-1)]
	}
	return b.String(), args
}

// inRows is how many values one IN list of inList takes at most beside
// extra other parameters: a power of two, so that padding keeps it
// within what the engine binds at once.
func (t *Tx) inRows(extra int) int {
	n := 1
	for 2*n+extra <= t.db.Dialect.BatchParams {
		n *= 2
	}
	return n
}

// oneOf returns what follows a column to say it is one of values,
// numbering its placeholders from first, and the arguments to bind: one
// array parameter, "= ANY($first)", on an engine that binds arrays
// (Dialect.Arrays), so that one statement text and one kept plan serve
// lists of every length; an IN list padded as inList does otherwise.
// values must not be empty.
func oneOf[T any](t *Tx, first int, values []T) (string, []any) {
	if t.db.Dialect.Arrays {
		return "= ANY($" + strconv.Itoa(first) + ")", []any{values}
	}
	in, args := inList(first, values)
	return "IN (" + in + ")", args
}

// listChunks splits values into the lists oneOf takes, for a statement
// that binds extra other parameters: all of them at once on an engine
// that binds arrays, runs within the budget of parameters otherwise.
func listChunks[T any](t *Tx, values []T, extra int) [][]T {
	if t.db.Dialect.Arrays {
		return chunks(values, max(len(values), 1))
	}
	return chunks(values, t.inRows(extra))
}

// chunks splits values into runs of at most size.
func chunks[T any](values []T, size int) [][]T {
	var out [][]T
	for len(values) > 0 {
		n := min(len(values), size)
		out = append(out, values[:n:n])
		values = values[n:]
	}
	return out
}

// placeholders returns "($1, $2, ...), (...)" for rows of cols values.
func placeholders(rows, cols int) string {
	var b strings.Builder
	n := 0
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		}
		b.WriteByte(')')
	}
	return b.String()
}
