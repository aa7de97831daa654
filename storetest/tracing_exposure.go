package storetest

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"time"

	"github.com/ravao/ravao"
)

// mustCheckpoint adds a checkpoint of a kind to a place's venue.
func (e *env) mustCheckpoint(p place, name string, kind ravao.CheckpointKind) ravao.Checkpoint {
	e.t.Helper()
	c := ravao.Checkpoint{VenueID: p.ven.ID, Name: name, Kind: kind}
	if kind == ravao.CheckpointVehicle {
		c.Plate = "90B-123.45"
	}
	e.update(func(tx ravao.Tx) error { return tx.CreateCheckpoint(&c) })
	return c
}

// stayVisit returns a visit through a checkpoint, not stored: closed at out
// for the reason given, or open when out is zero.
func stayVisit(venueID, checkpointID, personID int64, in, out time.Time, reason string) ravao.Visit {
	v := ravao.Visit{PersonID: personID, VenueID: venueID, CheckpointID: checkpointID, InAt: in,
		Decision: ravao.Green, Source: ravao.SourceGate}
	if !out.IsZero() {
		v.OutAt, v.OutReason = out, reason
	}
	return v
}

// exposurePairs runs ExposurePairs in a read transaction.
func (e *env) exposurePairs(q ravao.ExposureQuery) []ravao.ExposurePair {
	e.t.Helper()
	var got []ravao.ExposurePair
	e.view(func(tx ravao.Tx) (err error) {
		got, err = tx.ExposurePairs(q)
		return err
	})
	return got
}

// testExposureBoundaries checks hand-made pairs on each side of every
// boundary of the rule, to the millisecond.
func testExposureBoundaries(e *env) {
	a, b := e.mustPlace("Xe buýt 01"), e.mustPlace("Chợ Bầu")
	veh := e.mustCheckpoint(a, "Xe 90B-123.45", ravao.CheckpointVehicle)
	index := e.mustPerson()
	var people []int64
	for range 15 {
		people = append(people, e.mustPerson().ID)
	}
	base := hour(0)
	at := func(min, ms int) time.Time {
		return base.Add(time.Duration(min)*time.Minute + time.Duration(ms)*time.Millisecond)
	}
	none := time.Time{}
	const day = 24 * 60
	type want struct {
		overlap time.Duration
		same    bool
	}
	vs := []ravao.Visit{
		stayVisit(a.ven.ID, veh.ID, index.ID, at(0, 0), at(60, 0), ravao.OutTap),             // 0: I1, 10:00–11:00 on the bus
		stayVisit(b.ven.ID, b.cp.ID, index.ID, at(300, 0), none, ""),                         // 1: I2, open
		stayVisit(a.ven.ID, a.cp.ID, people[0], at(90, -1), at(120, 0), ravao.OutTap),        // 2: in 1 ms before the buffer ends
		stayVisit(a.ven.ID, a.cp.ID, people[1], at(90, 0), at(120, 0), ravao.OutTap),         // 3: in as it ends
		stayVisit(a.ven.ID, a.cp.ID, people[2], at(-60, 0), at(0, 0), ravao.OutGate),         // 4: left as I1 came
		stayVisit(a.ven.ID, a.cp.ID, people[3], at(-60, 0), at(0, 1), ravao.OutMove),         // 5: left 1 ms after
		stayVisit(a.ven.ID, veh.ID, people[4], at(15, 0), at(45, 0), ravao.OutTap),           // 6: same bus, inside
		stayVisit(a.ven.ID, a.cp.ID, people[5], at(-60, 0), at(180, 0), ravao.OutTap),        // 7: the whole stay and buffer
		stayVisit(a.ven.ID, veh.ID, people[6], at(60, 0), none, ""),                          // 8: open, 60 min after
		stayVisit(a.ven.ID, a.cp.ID, people[7], at(60, 1), none, ""),                         // 9: open, 1 ms too late
		stayVisit(a.ven.ID, a.cp.ID, people[8], at(-60, 0), at(30, 0), ravao.OutAuto),        // 10: closed automatically, 60 min before
		stayVisit(a.ven.ID, a.cp.ID, people[9], at(-60, -1), none, ""),                       // 11: open, 1 ms too early
		stayVisit(a.ven.ID, a.cp.ID, people[10], at(-day, 1), at(0, 1), ravao.OutTap),        // 12: a whole MaxStay, 1 ms into I1
		stayVisit(a.ven.ID, a.cp.ID, people[11], at(-day, 0), at(0, 0), ravao.OutTap),        // 13: a whole MaxStay, ends as I1 came
		stayVisit(b.ven.ID, b.cp.ID, people[12], at(240, 0), at(250, 0), ravao.OutTap),       // 14: 60 min before I2
		stayVisit(b.ven.ID, b.cp.ID, people[13], at(330, 0), at(331, 0), ravao.OutTap),       // 15: 30 min after I2
		stayVisit(b.ven.ID, b.cp.ID, people[14], at(0, 0), at(60, 0), ravao.OutTap),          // 16: with I1's times, elsewhere
		stayVisit(a.ven.ID, a.cp.ID, index.ID, at(20, 0), at(40, 0), ravao.OutTap),           // 17: the index person's own, I3
		stayVisit(b.ven.ID, b.cp.ID, people[14], at(359, 0), at(360, 0), ravao.OutTap),       // 18: 59 min after I2
		stayVisit(b.ven.ID, b.cp.ID, people[14], at(360, 1), at(361, 0), ravao.OutTap),       // 19: 1 ms too late for I2
		stayVisit(a.ven.ID, veh.ID, people[4], at(-1000, 0), at(-900, 0), ravao.OutTap),      // 20: same bus, long before
		stayVisit(a.ven.ID, a.cp.ID, people[10], at(day+30, 0), at(day+90, 0), ravao.OutTap), // 21: the next day
	}
	vs = e.mustVisits(vs...)
	pair := func(index, i int, w want) ravao.ExposurePair {
		v := vs[i]
		s := ravao.StayOf(v)
		return ravao.ExposurePair{IndexVisitID: vs[index].ID, VisitID: v.ID, PersonID: v.PersonID, VenueID: v.VenueID,
			CheckpointID: v.CheckpointID, In: v.InAt, Out: s.Out, Overlap: w.overlap, SameVehicle: w.same}
	}
	ms := time.Millisecond
	// I3 (20–40 min), inside I1, has pairs of its own: its buffer ends at
	// 70 min.
	i1 := []ravao.ExposurePair{pair(0, 12, want{ms, false}), pair(0, 5, want{ms, false}),
		pair(0, 7, want{90 * time.Minute, false}), pair(0, 10, want{0, false}), pair(0, 6, want{30 * time.Minute, true}),
		pair(0, 8, want{0, true}), pair(0, 2, want{ms, false})}
	i3 := []ravao.ExposurePair{pair(17, 7, want{50 * time.Minute, false}),
		pair(17, 6, want{25 * time.Minute, false}), pair(17, 8, want{20 * time.Minute, false}),
		pair(17, 9, want{20*time.Minute - ms, false})}
	i2 := []ravao.ExposurePair{pair(1, 14, want{0, false}), pair(1, 15, want{30 * time.Minute, false}),
		pair(1, 18, want{time.Minute, false})}
	sortPairs(vs, i1)
	def := ravao.DefaultTraceSettings()
	tight := ravao.TraceSettings{MinOverlap: 30 * time.Minute, Buffer: def.Buffer, OpenWindow: def.OpenWindow}
	zero := ravao.TraceSettings{}
	cases := []struct {
		name string
		q    ravao.ExposureQuery
		want []ravao.ExposurePair
	}{
		{"every visit", ravao.ExposureQuery{Settings: def}, slices.Concat(i1, i3, i2)},
		{"to is exclusive", ravao.ExposureQuery{To: at(300, 0), Settings: def}, slices.Concat(i1, i3)},
		{"to just after", ravao.ExposureQuery{To: at(300, 1), Settings: def}, slices.Concat(i1, i3, i2)},
		{"from is exclusive", ravao.ExposureQuery{From: at(60, 0), Settings: def}, i2},
		{"from just before", ravao.ExposureQuery{From: at(60, -1), To: at(20, 0), Settings: def}, i1},
		{"min overlap", ravao.ExposureQuery{Settings: tight}, []ravao.ExposurePair{pair(0, 7, want{90 * time.Minute, false}),
			pair(0, 6, want{30 * time.Minute, true}), pair(17, 7, want{50 * time.Minute, false}),
			pair(1, 15, want{30 * time.Minute, false})}},
		{"no buffer or window", ravao.ExposureQuery{Settings: zero}, []ravao.ExposurePair{pair(0, 12, want{ms, false}),
			pair(0, 5, want{ms, false}), pair(0, 7, want{60 * time.Minute, false}), pair(0, 6, want{30 * time.Minute, true}),
			pair(17, 7, want{20 * time.Minute, false}), pair(17, 6, want{20 * time.Minute, false})}},
		// The buffer extends the index person's stay only: people[13] came
		// in after I2 and left before 18 and 19 came, yet they are exposed.
		{"someone else's visits", ravao.ExposureQuery{PersonID: people[13], Settings: def}, []ravao.ExposurePair{
			pair(15, 1, want{30 * time.Minute, false}), pair(15, 18, want{time.Minute, false}),
			pair(15, 19, want{time.Minute - ms, false})}},
		{"nobody's", ravao.ExposureQuery{PersonID: index.ID + 1_000_000, Settings: def}, []ravao.ExposurePair{}},
	}
	for _, c := range cases {
		if c.q.PersonID == 0 {
			c.q.PersonID = index.ID
		}
		got := e.exposurePairs(c.q)
		if !reflect.DeepEqual(got, c.want) {
			e.t.Errorf("ExposurePairs (%s):\ngot  %s\nwant %s", c.name, fmtPairs(vs, got), fmtPairs(vs, c.want))
		}
	}
}

// sortPairs orders pairs as ExposurePairs does.
func sortPairs(vs []ravao.Visit, ps []ravao.ExposurePair) {
	in := map[int64]time.Time{}
	for _, v := range vs {
		in[v.ID] = v.InAt
	}
	slices.SortFunc(ps, func(a, b ravao.ExposurePair) int {
		return cmp.Or(in[a.IndexVisitID].Compare(in[b.IndexVisitID]), cmp.Compare(a.IndexVisitID, b.IndexVisitID),
			a.In.Compare(b.In), cmp.Compare(a.VisitID, b.VisitID))
	})
}

// fmtPairs shows pairs by visit index in vs, for failure messages.
func fmtPairs(vs []ravao.Visit, ps []ravao.ExposurePair) string {
	idx := map[int64]int{}
	for i, v := range vs {
		idx[v.ID] = i
	}
	s := ""
	for _, p := range ps {
		s += fmt.Sprintf("[%d→%d %v%s] ", idx[p.IndexVisitID], idx[p.VisitID], p.Overlap, map[bool]string{true: " same vehicle"}[p.SameVehicle])
	}
	return s
}

// testExposureBruteForce seeds three days of visits of every shape and
// compares ExposurePairs with ravao.Exposure applied to every pair of
// visits, for several people, windows and settings.
func testExposureBruteForce(e *env) {
	w := newExposureWorld(e)
	settings := []ravao.TraceSettings{
		ravao.DefaultTraceSettings(),
		{},
		{Buffer: 17*time.Minute + 3*time.Millisecond, OpenWindow: 24 * time.Hour, MinOverlap: 10 * time.Minute},
		{Buffer: 2 * time.Hour, OpenWindow: 90 * time.Minute, CloseAfter: 15 * time.Minute},
	}
	checked, pairs := 0, 0
	for _, person := range w.index {
		for _, win := range w.windows(person) {
			for _, s := range settings {
				q := ravao.ExposureQuery{PersonID: person, From: win[0], To: win[1], Settings: s}
				want := w.expected(q)
				got := e.exposurePairs(q)
				if !reflect.DeepEqual(got, want) {
					e.t.Errorf("ExposurePairs(person %d, %v–%v, %+v): got %d pairs, want %d\n%s",
						person, win[0], win[1], s, len(got), len(want), diffPairs(got, want))
				}
				checked++
				pairs += len(want)
			}
		}
	}
	if pairs < 500 {
		e.t.Errorf("the brute force found only %d pairs in %d queries: the seed data is too thin to test anything", pairs, checked)
	}
}

// diffPairs shows the first difference between two lists of pairs.
func diffPairs(got, want []ravao.ExposurePair) string {
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			return fmt.Sprintf("missing at %d: %+v", i, want[i])
		case i >= len(want):
			return fmt.Sprintf("extra at %d: %+v", i, got[i])
		case !reflect.DeepEqual(got[i], want[i]):
			return fmt.Sprintf("at %d: got %+v\n        want %+v", i, got[i], want[i])
		}
	}
	return ""
}

// exposureWorld is the seed data of the brute force.
type exposureWorld struct {
	visits  []ravao.Visit
	vehicle map[int64]bool // checkpoints that are vehicles
	index   []int64        // the people whose exposures are computed
	day     time.Time
}

func newExposureWorld(e *env) *exposureWorld {
	rng := rand.New(rand.NewPCG(6, 2026))
	a, b, v := e.mustPlace("Siêu thị"), e.mustPlace("Bệnh viện"), e.mustPlace("Tuyến xe buýt 03")
	counter := e.mustCheckpoint(a, "Quầy 2", ravao.CheckpointCounter)
	bus1, bus2 := e.mustCheckpoint(v, "Xe 1", ravao.CheckpointVehicle), e.mustCheckpoint(v, "Xe 2", ravao.CheckpointVehicle)
	type door struct{ venue, cp int64 }
	doors := []door{{a.ven.ID, a.cp.ID}, {a.ven.ID, counter.ID}, {b.ven.ID, b.cp.ID}, {v.ven.ID, v.cp.ID},
		{v.ven.ID, bus1.ID}, {v.ven.ID, bus2.ID}, {v.ven.ID, bus1.ID}}
	w := &exposureWorld{vehicle: map[int64]bool{bus1.ID: true, bus2.ID: true},
		day: t0.Truncate(24 * time.Hour)}
	people := make([]ravao.PersonRecord, 40)
	e.update(func(tx ravao.Tx) error {
		for i := range people {
			people[i] = newPerson()
			if err := tx.CreatePerson(&people[i]); err != nil {
				return err
			}
		}
		return nil
	})
	for _, p := range people[:4] {
		w.index = append(w.index, p.ID)
	}
	// Check-ins on a 5-minute grid, so that many boundaries coincide, and
	// some at odd milliseconds.
	instant := func() time.Time {
		t := w.day.Add(time.Duration(rng.IntN(3*24*12)) * 5 * time.Minute)
		if rng.IntN(5) == 0 {
			t = t.Add(time.Duration(rng.IntN(600_000)) * time.Millisecond)
		}
		return t
	}
	stays := []time.Duration{0, time.Millisecond, 5 * time.Minute, 30 * time.Minute, time.Hour, 90 * time.Minute,
		3 * time.Hour, 8 * time.Hour, 23*time.Hour + 55*time.Minute, ravao.MaxStay}
	stay := func() time.Duration {
		if rng.IntN(2) == 0 {
			return stays[rng.IntN(len(stays))]
		}
		return time.Duration(rng.IntN(6*12)) * 5 * time.Minute
	}
	visit := func(person int64, d door, in time.Time) ravao.Visit {
		switch rng.IntN(10) {
		case 0, 1:
			return stayVisit(d.venue, d.cp, person, in, time.Time{}, "")
		case 2, 3:
			return stayVisit(d.venue, d.cp, person, in, in.Add(stay()), ravao.OutAuto)
		case 4:
			return stayVisit(d.venue, d.cp, person, in, in.Add(stay()), ravao.OutMove)
		default:
			return stayVisit(d.venue, d.cp, person, in, in.Add(stay()), ravao.OutTap)
		}
	}
	for i := range 320 {
		person := people[rng.IntN(len(people))].ID
		if i%4 == 0 {
			person = w.index[rng.IntN(len(w.index))]
		}
		w.visits = append(w.visits, visit(person, doors[rng.IntN(len(doors))], instant()))
	}
	w.visits = append(w.visits, w.edges(rng, people)...)
	for _, v := range w.visits {
		if !v.OutAt.IsZero() && v.OutAt.Sub(v.InAt) > ravao.MaxStay {
			e.t.Fatalf("seed visit %v–%v is longer than MaxStay, which ExposurePairs relies on", v.InAt, v.OutAt)
		}
	}
	w.visits = e.mustVisits(w.visits...)
	return w
}

// latest returns the later of two times.
func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// edges adds, around some index visits, visits on each side of the
// boundaries of the default settings. No stay is longer than MaxStay, as
// the automatic check-out guarantees.
func (w *exposureWorld) edges(rng *rand.Rand, people []ravao.PersonRecord) []ravao.Visit {
	var out []ravao.Visit
	def := ravao.DefaultTraceSettings()
	ms := time.Millisecond
	for _, cv := range w.visits {
		if !slices.Contains(w.index, cv.PersonID) || rng.IntN(3) != 0 {
			continue
		}
		other := func() int64 { return people[4+rng.IntN(len(people)-4)].ID }
		c := cv.InAt
		for _, d := range []time.Duration{-def.OpenWindow - ms, -def.OpenWindow, def.OpenWindow, def.OpenWindow + ms} {
			out = append(out, stayVisit(cv.VenueID, cv.CheckpointID, other(), c.Add(d), time.Time{}, ""))
		}
		out = append(out,
			stayVisit(cv.VenueID, cv.CheckpointID, other(), c.Add(-ravao.MaxStay), c, ravao.OutTap),
			stayVisit(cv.VenueID, cv.CheckpointID, other(), c.Add(-ravao.MaxStay+ms), c.Add(ms), ravao.OutTap),
			stayVisit(cv.VenueID, cv.CheckpointID, other(), c.Add(-time.Hour), c.Add(ms), ravao.OutGate))
		if s := ravao.StayOf(cv); !s.Out.IsZero() {
			end := s.Out.Add(def.Buffer)
			out = append(out,
				stayVisit(cv.VenueID, cv.CheckpointID, other(), end, end.Add(time.Hour), ravao.OutTap),
				stayVisit(cv.VenueID, cv.CheckpointID, other(), end.Add(-ms), end.Add(time.Hour), ravao.OutTap),
				stayVisit(cv.VenueID, cv.CheckpointID, other(), latest(c.Add(-time.Hour), end.Add(-ravao.MaxStay)), end, ravao.OutTap),
				stayVisit(cv.VenueID, cv.CheckpointID, other(), end.Add(-def.OpenWindow), time.Time{}, ""))
		}
	}
	return out
}

// windows returns the windows [From, To) to query for a person: open on
// either side or both, a day in the middle, and bounds exactly at the ends
// of their own visits.
func (w *exposureWorld) windows(person int64) [][2]time.Time {
	var none time.Time
	out := [][2]time.Time{{none, none}, {w.day.Add(36 * time.Hour), w.day.Add(60 * time.Hour)},
		{w.day.Add(24 * time.Hour), none}, {none, w.day.Add(48 * time.Hour)}}
	var own []ravao.Visit
	for _, v := range w.visits {
		if v.PersonID == person && !v.OutAt.IsZero() {
			own = append(own, v)
		}
	}
	if len(own) >= 4 {
		out = append(out, [2]time.Time{own[1].OutAt, own[3].InAt}, [2]time.Time{own[0].InAt, own[2].OutAt})
	}
	return out
}

// expected computes ExposurePairs by brute force: PersonVisits' window,
// then ravao.Exposure for every visit of someone else at the same venue.
func (w *exposureWorld) expected(q ravao.ExposureQuery) []ravao.ExposurePair {
	sorted := slices.Clone(w.visits)
	slices.SortFunc(sorted, func(a, b ravao.Visit) int {
		return cmp.Or(a.InAt.Compare(b.InAt), cmp.Compare(a.ID, b.ID))
	})
	out := []ravao.ExposurePair{}
	for _, cv := range sorted {
		if cv.PersonID != q.PersonID || !q.To.IsZero() && !cv.InAt.Before(q.To) ||
			!q.From.IsZero() && !cv.OutAt.IsZero() && !cv.OutAt.After(q.From) {
			continue
		}
		for _, o := range sorted {
			if o.VenueID != cv.VenueID || o.PersonID == cv.PersonID {
				continue
			}
			overlap, ok := ravao.Exposure(ravao.StayOf(cv), ravao.StayOf(o), q.Settings)
			if !ok {
				continue
			}
			out = append(out, ravao.ExposurePair{IndexVisitID: cv.ID, VisitID: o.ID, PersonID: o.PersonID,
				VenueID: o.VenueID, CheckpointID: o.CheckpointID, In: o.InAt, Out: ravao.StayOf(o).Out,
				Overlap: overlap, SameVehicle: o.CheckpointID == cv.CheckpointID && w.vehicle[o.CheckpointID]})
		}
	}
	return out
}
