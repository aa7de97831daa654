package server

import (
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/visitors"
)

// declaredJSON answers a declaration.
type declaredJSON struct {
	Device   string `json:"device"`
	PersonID int64  `json:"person_id"`
	Risk     bool   `json:"risk"`
}

// visitJSON is a visit as its visitor sees it.
type visitJSON struct {
	ID           int64             `json:"id"`
	VenueID      int64             `json:"venue_id"`
	CheckpointID int64             `json:"checkpoint_id"`
	InAt         time.Time         `json:"in_at"`
	OutAt        *time.Time        `json:"out_at"`
	DueAt        *time.Time        `json:"due_at"`
	Decision     ravao.Decision    `json:"decision"`
	Source       ravao.VisitSource `json:"source"`
}

func toVisitJSON(v ravao.Visit) visitJSON {
	return visitJSON{
		ID: v.ID, VenueID: v.VenueID, CheckpointID: v.CheckpointID, InAt: v.InAt,
		OutAt: timeOrNil(v.OutAt), DueAt: timeOrNil(v.DueAt), Decision: v.Decision, Source: v.Source,
	}
}

// timeOrNil makes a zero time null in JSON.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// passJSON is the pass a check-in gives.
type passJSON struct {
	Visit visitJSON `json:"visit"`
	Venue struct {
		ID    int64  `json:"id"`
		Name  string `json:"name"`
		Place string `json:"place"`
	} `json:"venue"`
	Checkpoint struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"checkpoint"`
	Dependants []visitJSON `json:"dependants"`
	Repeated   bool        `json:"repeated"`
}

func toPassJSON(p visitors.Pass) passJSON {
	out := passJSON{Visit: toVisitJSON(p.Visit), Dependants: make([]visitJSON, 0, len(p.Dependants)), Repeated: p.Repeated}
	out.Venue.ID, out.Venue.Name, out.Venue.Place = p.Venue.ID, p.Venue.Name, p.Place
	out.Checkpoint.ID, out.Checkpoint.Name = p.Checkpoint.ID, p.Checkpoint.Name
	for _, d := range p.Dependants {
		out.Dependants = append(out.Dependants, toVisitJSON(d))
	}
	return out
}

type visitsJSON struct {
	Visits []visitJSON `json:"visits"`
}

// dependantJSON is a dependant with a masked name.
type dependantJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type dependantsJSON struct {
	Dependants []dependantJSON `json:"dependants"`
}

type personalQRJSON struct {
	Payload   string    `json:"payload"`
	ExpiresAt time.Time `json:"expires_at"`
}
