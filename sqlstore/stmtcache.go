package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds the statements kept prepared per pool:
// queries built with a varying number of placeholders (batches, IN
// lists) beyond it run unprepared, as before.
const maxCachedStatements = 512

// stmtCache keeps statements prepared on a pool, so that a transaction
// reuses them instead of parsing its SQL again: on SQLite, parsing was
// 39 % of a check-in's CPU (ravao bench --cpuprofile). A transaction
// cannot prepare on the pool itself (SQLite's writer pool has the one
// connection the transaction holds), so a statement first seen in a
// transaction is noted and prepared on the pool once the transaction has
// ended; the next transaction runs it prepared (Tx.StmtContext reuses the
// connection's prepared statement).
type stmtCache struct {
	pool    *sql.DB
	mu      sync.Mutex
	stmts   map[string]*sql.Stmt // nil value: could not be prepared, run as is
	pending map[string]bool
}

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// lookup returns the statement prepared for query, or nil after noting
// it for preparing.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.stmts[query]
	if !ok && len(c.stmts)+len(c.pending) < maxCachedStatements {
		c.pending[query] = true
	}
	return st
}

// flush prepares the statements noted since the last flush. A statement
// the pool cannot prepare (it needs something the transaction had, such
// as a temporary table) is remembered as such and always runs unprepared.
func (c *stmtCache) flush(ctx context.Context) {
	c.mu.Lock()
	if len(c.pending) == 0 {
		c.mu.Unlock()
		return
	}
	queries := make([]string, 0, len(c.pending))
	for q := range c.pending {
		queries = append(queries, q)
	}
	clear(c.pending)
	c.mu.Unlock()
	for _, q := range queries {
		st, err := c.pool.PrepareContext(context.WithoutCancel(ctx), q)
		if err != nil {
			st = nil
		}
		c.mu.Lock()
		if _, ok := c.stmts[q]; ok || st == nil {
			if st != nil {
				st.Close()
			}
			if !ok {
				c.stmts[q] = nil
			}
		} else {
			c.stmts[q] = st
		}
		c.mu.Unlock()
	}
}

// close closes every prepared statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		if st != nil {
			st.Close()
		}
		delete(c.stmts, q)
	}
}

// prepared returns query prepared for the transaction when the engine
// caches statements and the pool has it; nil otherwise (run it as is).
func (t *Tx) prepared(query string) *sql.Stmt {
	if t.cache == nil {
		return nil
	}
	if st, ok := t.stmts[query]; ok {
		return st // bound to this transaction already
	}
	st := t.cache.lookup(query)
	if st == nil || t.tx == nil {
		return st // a Peek runs the pool's statement as it is
	}
	st = t.tx.StmtContext(t.ctx, st)
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[query] = st
	return st
}

// flushAfter prepares what the transaction noted, once it has ended (the
// connection is back in the pool); nothing on a nil cache.
func (c *stmtCache) flushAfter(ctx context.Context) {
	if c != nil {
		c.flush(ctx)
	}
}
