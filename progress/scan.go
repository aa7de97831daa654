package progress

// ScanSQL is the naive query the roll-ups replace, kept for the
// benchmarks that measure them against it (progress's BenchmarkProgress
// and `ravao bench`): a unit's totals straight from the visits between
// $1 and $2 (unix ms) of the venues whose unit path is LIKE $3, grouped
// by venue and day (Vietnam's time, 7 hours after UTC) to count the
// distinct people of each. It returns active venue-days, check-ins,
// check-outs, people and red decisions.
const ScanSQL = `SELECT COUNT(*), COALESCE(SUM(n), 0), COALESCE(SUM(o), 0), COALESCE(SUM(p), 0), COALESCE(SUM(r), 0)
	FROM (SELECT v.venue_id, (v.in_at + 25200000) / 86400000 AS d, COUNT(*) AS n,
			SUM(CASE WHEN v.out_at < $2 THEN 1 ELSE 0 END) AS o,
			COUNT(DISTINCT v.person_id) AS p,
			SUM(CASE WHEN v.decision = 'red' THEN 1 ELSE 0 END) AS r
		FROM visits v JOIN venues e ON e.id = v.venue_id
		WHERE e.unit_path LIKE $3 AND v.in_at >= $1 AND v.in_at < $2
		GROUP BY v.venue_id, (v.in_at + 25200000) / 86400000) AS g`
