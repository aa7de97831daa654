package tracing

import "github.com/ravao/ravao"

// TimelineVisit is one of the case's visits, with how many people it
// exposed (computed with the case's settings).
type TimelineVisit struct {
	Visit          ravao.Visit
	VenueName      string
	VenueType      ravao.VenueType
	VenueUnit      string
	CheckpointName string
	CheckpointKind ravao.CheckpointKind
	Exposed        int // people exposed at this visit
	Close          int // of whom close contacts (after ranking over all visits)
}

// timeline is the case's visits in its window, where they were, and how
// many people each exposed.
func timeline(tx ravao.Tx, c ravao.Case) ([]TimelineVisit, error) {
	visits, err := tx.PersonVisits(c.PersonID, c.WindowFrom, c.WindowTo)
	if err != nil {
		return nil, err
	}
	pairs, ranked, err := exposures(tx, c)
	if err != nil {
		return nil, err
	}
	isClose := map[int64]bool{}
	for _, r := range ranked {
		isClose[r.PersonID] = r.Class == ravao.ContactClose
	}
	exposed := map[int64]map[int64]bool{} // index visit → people
	for _, p := range pairs {
		if exposed[p.IndexVisitID] == nil {
			exposed[p.IndexVisitID] = map[int64]bool{}
		}
		exposed[p.IndexVisitID][p.PersonID] = true
	}
	pl := newPlaces(tx)
	out := make([]TimelineVisit, 0, len(visits))
	for _, v := range visits {
		tv, err := pl.visit(v)
		if err != nil {
			return nil, err
		}
		tv.Exposed = len(exposed[v.ID])
		for p := range exposed[v.ID] {
			if isClose[p] {
				tv.Close++
			}
		}
		out = append(out, tv)
	}
	return out, nil
}

// places reads venues and checkpoints, each once per transaction.
type places struct {
	tx          ravao.Tx
	venues      map[int64]ravao.Venue
	checkpoints map[int64]ravao.Checkpoint
}

func newPlaces(tx ravao.Tx) *places {
	return &places{tx: tx, venues: map[int64]ravao.Venue{}, checkpoints: map[int64]ravao.Checkpoint{}}
}

// visit is v on a timeline, with where it was.
func (pl *places) visit(v ravao.Visit) (TimelineVisit, error) {
	venue, ok := pl.venues[v.VenueID]
	if !ok {
		var err error
		if venue, err = pl.tx.Venue(v.VenueID); err != nil {
			return TimelineVisit{}, err
		}
		pl.venues[v.VenueID] = venue
	}
	cp, ok := pl.checkpoints[v.CheckpointID]
	if !ok {
		var err error
		if cp, err = pl.tx.Checkpoint(v.CheckpointID); err != nil {
			return TimelineVisit{}, err
		}
		pl.checkpoints[v.CheckpointID] = cp
	}
	return TimelineVisit{Visit: v, VenueName: venue.Name, VenueType: venue.Type, VenueUnit: venue.UnitCode,
		CheckpointName: cp.Name, CheckpointKind: cp.Kind}, nil
}
