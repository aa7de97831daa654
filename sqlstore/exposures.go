package sqlstore

import (
	"strings"
	"time"

	"github.com/ravao/ravao"
)

// exposurePairsSQL computes ravao.Exposure for every pair of an index
// visit (cv) and another person's visit (o) at the same venue. Its
// parameters are $1 the index person, $2 Buffer, $3 OpenWindow, $4 how far
// before an index visit that was checked out another visit may have begun
// and still be there (MaxStay, or OpenWindow when longer), $5 MinOverlap,
// $6 ravao.OutAuto and $7 the vehicle kind, all durations in milliseconds;
// the window's conditions on cv follow, from $8.
//
// A stay's end is its out_at unless it was made automatically (NULL: no
// real check-out). o's check-in is bounded from cv's columns so that the
// index visits_venue_in (venue_id, in_at) serves the join with a range:
//   - an open pair needs |o.in_at − cv.in_at| ≤ OpenWindow;
//   - a closed pair needs o.in_at < cv.out + Buffer, and o.out_at > cv.in_at,
//     so o.in_at > cv.in_at − MaxStay since no visit lasts longer.
//
// min and max are CASE expressions, the same on both engines, and every
// value is an integer of milliseconds, so both return the same overlaps.
const exposurePairsSQL = `WITH cv AS (
	SELECT v.id, v.venue_id, v.checkpoint_id, v.in_at,
		CASE WHEN v.out_reason <> $6 THEN v.out_at END AS out_at,
		k.kind = $7 AS vehicle
	FROM visits v JOIN checkpoints k ON k.id = v.checkpoint_id
	WHERE v.person_id = $1%s
), pairs AS (
	SELECT cv.id AS index_id, cv.in_at AS index_in, cv.out_at AS index_out,
		o.id, o.person_id, o.venue_id, o.checkpoint_id, o.in_at,
		CASE WHEN o.out_reason <> $6 THEN o.out_at END AS out_at,
		o.checkpoint_id = cv.checkpoint_id AND cv.vehicle AS same_vehicle
	FROM cv JOIN visits o ON o.venue_id = cv.venue_id
		AND o.in_at >= CASE WHEN cv.out_at IS NULL THEN cv.in_at - $3 ELSE cv.in_at - $4 END
		AND o.in_at <= CASE WHEN cv.out_at + $2 > cv.in_at + $3 THEN cv.out_at + $2 ELSE cv.in_at + $3 END
		AND o.person_id <> $1
), scored AS (
	SELECT index_id, index_in, id, person_id, venue_id, checkpoint_id, in_at, out_at, same_vehicle,
		index_out IS NOT NULL AND out_at IS NOT NULL AS closed,
		CASE WHEN index_out IS NOT NULL AND out_at IS NOT NULL
			THEN CASE WHEN index_out + $2 < out_at THEN index_out + $2 ELSE out_at END
				- CASE WHEN index_in > in_at THEN index_in ELSE in_at END
			ELSE $3 - ABS(in_at - index_in)
		END AS overlap
	FROM pairs
)
SELECT index_id, id, person_id, venue_id, checkpoint_id, in_at, out_at, overlap, same_vehicle
FROM scored
WHERE (closed AND overlap > 0 OR NOT closed AND overlap >= 0) AND overlap >= $5
ORDER BY index_in, index_id, in_at, id`

// exposurePairsQuery returns the query of q and its arguments. The index
// visits are those PersonVisits(q.PersonID, q.From, q.To) returns.
func exposurePairsQuery(q ravao.ExposureQuery) (string, []any) {
	s := q.Settings
	back := max(ravao.MaxStay, s.OpenWindow)
	w := where{args: []any{q.PersonID, s.Buffer.Milliseconds(), s.OpenWindow.Milliseconds(),
		back.Milliseconds(), s.MinOverlap.Milliseconds(), ravao.OutAuto, string(ravao.CheckpointVehicle)}}
	if !q.To.IsZero() {
		w.add("v.in_at < ?", q.To.UnixMilli())
	}
	if !q.From.IsZero() {
		w.add("(v.out_at IS NULL OR v.out_at > ?)", q.From.UnixMilli())
	}
	var cond string
	for _, c := range w.conds {
		cond += " AND " + c
	}
	return strings.Replace(exposurePairsSQL, "%s", cond, 1), w.args
}

func scanExposurePair(s scanner) (ravao.ExposurePair, error) {
	var p ravao.ExposurePair
	var overlap int64
	err := s.Scan(&p.IndexVisitID, &p.VisitID, &p.PersonID, &p.VenueID, &p.CheckpointID, msTime{&p.In},
		msTime{&p.Out}, &overlap, &p.SameVehicle)
	p.Overlap = time.Duration(overlap) * time.Millisecond
	return p, err
}

// ExposurePairs computes every exposure to the index person's visits in
// the window, in one statement; see exposurePairsSQL.
func (t *Tx) ExposurePairs(q ravao.ExposureQuery) ([]ravao.ExposurePair, error) {
	query, args := exposurePairsQuery(q)
	return getAll(t, scanExposurePair, query, args...)
}
