package ravao_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
)

// enterSide is one of the two copies TestEnterAllAsOneByOne writes to in
// the same store: its own venues and people, so that the check-ins written
// together and the same check-ins one by one can be compared.
type enterSide struct {
	name    string
	venues  []ravao.Venue
	cps     []ravao.Checkpoint
	people  []int64
	outcome []string
}

// enterStep is a check-in of the scenario, by index into a side's venues
// and people.
type enterStep struct {
	person, venue int
	back          time.Duration // how long before the batch's time it entered
	key           string        // "" for none
	hash          string
	red, invalid  bool
}

// TestEnterAllAsOneByOne writes random batches of check-ins with enterAll,
// the path of VisitWriter.Enter under load, and the same check-ins one by
// one through Enter with batching off, on both engines. People come back
// to a venue they are in, move between venues, enter twice in one batch,
// and retry with a key (seen before or in the same batch, with the same
// request or another); some check-ins are invalid and some entered up to
// 50 hours before the batch. Every answer, every stored visit (open or
// closed, and why) and every venue's daily counts must be the same.
func TestEnterAllAsOneByOne(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		clock := &ravao.FixedClock{T: time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)}
		st, err := open(clock)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		ctx := t.Context()
		together, oneByOne := &enterSide{name: "together"}, &enterSide{name: "one by one"}
		err = st.Update(ctx, func(tx ravao.Tx) error {
			for s, side := range []*enterSide{together, oneByOne} {
				org := ravao.Organisation{Name: "Bến xe " + side.name, UnitCode: "00001", Sector: ravao.SectorTransport}
				if err := tx.CreateOrganisation(&org); err != nil {
					return err
				}
				for i := range 3 {
					v := ravao.Venue{OrganisationID: org.ID, Name: fmt.Sprint("Quầy ", i), Type: ravao.VenueStation,
						Sector: ravao.SectorTransport, UnitCode: "00001", Address: "2 Trần Phú", Status: ravao.VenueApproved}
					if err := tx.CreateVenue(&v); err != nil {
						return err
					}
					cp := ravao.Checkpoint{VenueID: v.ID, Name: "Cổng", Kind: ravao.CheckpointGate}
					if err := tx.CreateCheckpoint(&cp); err != nil {
						return err
					}
					side.venues, side.cps = append(side.venues, v), append(side.cps, cp)
				}
				for i := range 5 {
					p := ravao.PersonRecord{ID: int64(1<<41 + s*100 + i), PhoneKey: key("phone", s*100+i),
						IDNumberKey: key("id", s*100+i), Sealed: []byte("sealed"), BirthYear: 1985, Sex: ravao.SexMale,
						UnitCode: "00001", ConsentVersion: "v1", ConsentChannel: ravao.ConsentSelf, ConsentAt: clock.T}
					if err := tx.CreatePerson(&p); err != nil {
						return err
					}
					side.people = append(side.people, p.ID)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(11, 26))
		var keys []string
		for round := range 120 {
			clock.Advance(time.Duration(rng.IntN(180)) * time.Minute)
			steps := make([]enterStep, 1+rng.IntN(12))
			for i := range steps {
				s := enterStep{person: rng.IntN(5), venue: rng.IntN(3), hash: "h"}
				switch rng.IntN(8) {
				case 0:
					s.back = time.Hour
				case 1:
					s.back = 30 * time.Hour
				case 2:
					s.back = 50 * time.Hour
				}
				switch r := rng.IntN(10); {
				case r < 3 && len(keys) > 0:
					s.key = keys[rng.IntN(len(keys))]
					if rng.IntN(3) == 0 {
						s.hash = "another request"
					}
				case r < 8:
					s.key = fmt.Sprintf("k%d.%d", round, i)
					keys = append(keys, s.key)
				}
				s.red, s.invalid = rng.IntN(5) == 0, rng.IntN(25) == 0
				steps[i] = s
			}
			now := clock.T
			for _, side := range []*enterSide{together, oneByOne} {
				vs := make([]ravao.Visit, len(steps))
				for i, s := range steps {
					vs[i] = side.visit(s)
				}
				complete := func(v *ravao.Visit, _ time.Time) { v.DueAt = v.InAt.Add(2 * time.Hour) }
				if side == together {
					err = st.Update(ctx, func(tx ravao.Tx) error {
						out, replayed, inside, errs, err := ravao.EnterAll(tx, withInAt(vs, now), complete)
						side.outcome = nil
						for i := range out {
							side.outcome = append(side.outcome, side.answer(out[i], replayed[i], inside[i], errs[i]))
						}
						return err
					})
				} else {
					w := &ravao.VisitWriter{Store: st, MaxBatch: 1}
					side.outcome = nil
					for _, v := range withInAt(vs, now) {
						replayed, inside, err := w.Enter(ctx, &v, complete)
						side.outcome = append(side.outcome, side.answer(v, replayed, inside, err))
					}
					err = nil
				}
				if err != nil {
					t.Fatalf("round %d, %s: %v", round, side.name, err)
				}
			}
			if !reflect.DeepEqual(together.outcome, oneByOne.outcome) {
				t.Fatalf("round %d %+v:\ntogether   %q\none by one %q", round, steps, together.outcome, oneByOne.outcome)
			}
		}
		a, b := together.stored(t, st), oneByOne.stored(t, st)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("stored visits differ:\ntogether   %q\none by one %q", a, b)
		}
		t.Logf("%d visits stored on each side", len(a)-3)
		if open := slices.IndexFunc(a, func(s string) bool { return len(s) > 0 && s[len(s)-1] == '-' }); open < 0 {
			t.Error("the scenario left no visit open")
		}
	})
}

// withInAt sets each visit's InAt to now minus the step's back, which
// visit left in InAt as an offset from the zero time.
func withInAt(vs []ravao.Visit, now time.Time) []ravao.Visit {
	out := slices.Clone(vs)
	for i := range out {
		out[i].InAt = now.Add(-out[i].InAt.Sub(time.Time{}))
	}
	return out
}

// visit is the check-in of step s on this side, with the step's back as
// InAt's offset from the zero time (withInAt makes it an instant).
func (side *enterSide) visit(s enterStep) ravao.Visit {
	v := ravao.Visit{PersonID: side.people[s.person], VenueID: side.venues[s.venue].ID,
		CheckpointID: side.cps[s.venue].ID, InAt: time.Time{}.Add(s.back), Decision: ravao.Green,
		Source: ravao.SourceGate}
	if s.red {
		v.Decision = ravao.Red
	}
	if s.invalid {
		v.Decision = "blue"
	}
	if s.key != "" {
		v.IdempotencyKey, v.RequestHash = side.name+"/"+s.key, []byte(s.hash)
	}
	return v
}

// answer is a check-in's answer in terms both sides share: indexes, not
// IDs.
func (side *enterSide) answer(v ravao.Visit, replayed, inside bool, err error) string {
	if err != nil {
		return "error " + string(ravao.ErrorCode(err))
	}
	if v.ID == 0 {
		return "no ID"
	}
	return fmt.Sprintf("%s replayed=%v inside=%v", side.describe(v), replayed, inside)
}

// describe is a visit by its side's indexes and times.
func (side *enterSide) describe(v ravao.Visit) string {
	out := "-"
	if !v.OutAt.IsZero() {
		out = v.OutAt.Format(time.DateTime) + " " + v.OutReason
	}
	return fmt.Sprintf("person %d venue %d %s %s in %s out %s", slices.Index(side.people, v.PersonID),
		slices.IndexFunc(side.venues, func(x ravao.Venue) bool { return x.ID == v.VenueID }), v.Decision,
		v.Source, v.InAt.Format(time.DateTime), out)
}

// stored is every visit of the side's people, then each venue's counts
// over the days of the scenario.
func (side *enterSide) stored(t *testing.T, st ravao.Store) []string {
	var out []string
	err := st.View(t.Context(), func(tx ravao.Tx) error {
		var vs []ravao.Visit
		for _, p := range side.people {
			got, err := tx.PersonVisits(p, time.Time{}, time.Time{})
			if err != nil {
				return err
			}
			vs = append(vs, got...)
		}
		slices.SortFunc(vs, func(a, b ravao.Visit) int {
			return cmp.Or(cmp.Compare(a.PersonID, b.PersonID), a.InAt.Compare(b.InAt), cmp.Compare(a.ID, b.ID))
		})
		for _, v := range vs {
			out = append(out, side.describe(v))
		}
		for i, v := range side.venues {
			days, err := tx.VenueDays(v.ID, ravao.DayOf(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), svctest.ICT),
				ravao.DayOf(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), svctest.ICT))
			if err != nil {
				return err
			}
			var s string
			for _, d := range days {
				d.VenueID = 0
				s += fmt.Sprintf("%+v ", d)
			}
			out = append(out, fmt.Sprintf("venue %d: %s", i, s))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
