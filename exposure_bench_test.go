package ravao

import (
	"testing"
	"time"
)

// BenchmarkExposure is the overlap of two stays, both checked out, as
// tracing computes it for each pair at a venue.
func BenchmarkExposure(b *testing.B) {
	s := DefaultTraceSettings()
	t0 := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	c := Stay{In: t0, Out: t0.Add(2 * time.Hour)}
	o := Stay{In: t0.Add(30 * time.Minute), Out: t0.Add(3 * time.Hour)}
	for b.Loop() {
		if _, ok := Exposure(c, o, s); !ok {
			b.Fatal("no exposure")
		}
	}
}

// BenchmarkExposureOpen is the overlap when a stay has no check-out.
func BenchmarkExposureOpen(b *testing.B) {
	s := DefaultTraceSettings()
	t0 := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	c := Stay{In: t0}
	o := Stay{In: t0.Add(10 * time.Minute), Out: t0.Add(time.Hour)}
	for b.Loop() {
		Exposure(c, o, s)
	}
}

// BenchmarkRankContacts ranks 1,000 exposure pairs of 200 people, a
// case's worth at a busy market.
func BenchmarkRankContacts(b *testing.B) {
	s := DefaultTraceSettings()
	t0 := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	pairs := make([]ExposurePair, 1000)
	for i := range pairs {
		pairs[i] = ExposurePair{IndexVisitID: int64(i % 30), VisitID: int64(i + 1), PersonID: int64(i%200 + 1), VenueID: int64(i % 30),
			In: t0.Add(time.Duration(i) * time.Minute), Out: t0.Add(time.Duration(i+40) * time.Minute), Overlap: time.Duration(5+i%60) * time.Minute}
	}
	for b.Loop() {
		RankContacts(pairs, s)
	}
}
