package sqlstore

import "time"

// Hit adds one to key's counter in the window beginning at window and
// reports whether the count is still within limit. The key's older windows
// go at the same time, so a key keeps at most two rows.
func (t *Tx) Hit(key string, window time.Time, limit int) (bool, error) {
	win := window.UnixMilli()
	if _, err := t.exec(`DELETE FROM rate_counters WHERE key = $1 AND win < $2`, key, win); err != nil {
		return false, err
	}
	var n int
	err := t.queryRow(`INSERT INTO rate_counters (key, win, n) VALUES ($1, $2, 1)
		ON CONFLICT (key, win) DO UPDATE SET n = rate_counters.n + 1
		RETURNING n`, key, win).Scan(&n)
	if err != nil {
		return false, t.db.translate(err)
	}
	return n <= limit, nil
}

// PruneRateCounters deletes the windows of keys not seen since before.
func (t *Tx) PruneRateCounters(before time.Time) (int, error) {
	return t.exec(`DELETE FROM rate_counters WHERE win < $1`, before.UnixMilli())
}
