package demo

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/tracing"
	"github.com/ravao/ravao/vault"
)

// contact is one line of the staged outbreak's contact list.
type contact struct {
	name    string
	class   ravao.ContactClass
	minutes int
	visits  int
	vehicle bool
}

// wantContacts is the staged outbreak's contact list with the default
// thresholds, longest overlap first: worked out by hand from the story in
// outbreak.go, not from its code.
var wantContacts = []contact{
	{"Nguyễn Văn Hùng", ravao.ContactClose, 480, 1, false}, // the whole shift
	{"Lê Thị Thảo", ravao.ContactClose, 30, 1, false},      // ±60 minutes: 30 minutes before
	{"Đỗ Minh Khoa", ravao.ContactClose, 15, 2, false},     // 10 at the factory + 5 at the market
	{"Vũ Thị Yến", ravao.ContactPossible, 12, 1, false},    // the other bus
	{"Phạm Văn Sơn", ravao.ContactPossible, 10, 1, false},  // within the buffer
	{"Bùi Thị Hiền", ravao.ContactPossible, 8, 1, false},
	{"Hoàng Văn Đạt", ravao.ContactClose, 5, 1, true},    // the same bus
	{"Ngô Thị Loan", ravao.ContactPossible, 1, 1, false}, // 59 minutes after
	// Đặng Văn Thắng (31 minutes after), Trịnh Thị Tâm (61 minutes
	// after) and Lý Văn Vinh (the day before) are not exposed.
}

// seeded is the demo seeded on one engine, with the services to trace it.
type seeded struct {
	store   ravao.Store
	data    *Data
	auth    *auth.Service
	tracing *tracing.Service
	now     time.Time
}

func seed(t *testing.T, open svctest.Opener, now time.Time) seeded {
	t.Helper()
	clock := &ravao.FixedClock{T: now}
	st, err := open(clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, err := vault.ParseKey(vault.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	v, err := vault.New(key)
	if err != nil {
		t.Fatal(err)
	}
	a := auth.New(st, v, auth.Config{Params: auth.Params{Memory: 64, Time: 1, Threads: 1}, Clock: clock})
	svc := svctest.Start(t, st, v, clock)
	d, err := Seed(context.Background(), st, a, svc.Places, v)
	if err != nil {
		t.Fatal(err)
	}
	return seeded{store: st, data: d, auth: a, tracing: svc.Tracing, now: now}
}

// list names the summaries' people, failing on anyone not staged.
func (s seeded) list(t *testing.T, cs []ravao.ContactSummary) []contact {
	t.Helper()
	names := map[int64]string{}
	for name, id := range s.data.Outbreak.People {
		names[id] = name
	}
	var out []contact
	for _, c := range cs {
		name, ok := names[c.PersonID]
		if !ok {
			t.Errorf("person %d, who is not in the staged outbreak, is a contact (overlap %v)", c.PersonID, c.Overlap)
			continue
		}
		if c.Overlap%time.Minute != 0 {
			t.Errorf("%s: overlap %v is not whole minutes", name, c.Overlap)
		}
		out = append(out, contact{name, c.Class, int(c.Overlap / time.Minute), c.Visits, c.SameVehicle})
	}
	return out
}

func sameList(t *testing.T, what string, got []contact) {
	t.Helper()
	if !slices.Equal(got, wantContacts) {
		t.Errorf("%s:\n got %v\nwant %v", what, got, wantContacts)
	}
}

// pairs computes the exposures to the index person's visits in the
// window a case opened now starts with, as the store does.
func (s seeded) pairs(t *testing.T, set ravao.TraceSettings) []ravao.ExposurePair {
	t.Helper()
	var pairs []ravao.ExposurePair
	q := ravao.ExposureQuery{PersonID: s.data.Outbreak.IndexID, From: s.now.Add(-set.WindowBefore), Settings: set}
	if err := s.store.View(context.Background(), func(tx ravao.Tx) error {
		var err error
		pairs, err = tx.ExposurePairs(q)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return pairs
}

// TestOutbreakContacts seeds the demo on each engine and traces the
// staged index person: in the store with the default thresholds, the
// exact list above; with a buffer and an open window four times longer,
// still nobody from the random week; and through the tracing service, as
// the demo's health official opening a case by the printed phone, the
// same list.
func TestOutbreakContacts(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		s := seed(t, open, time.Date(2026, 11, 26, 3, 5, 0, 0, time.UTC)) // 10:05 in Hà Nam
		set := ravao.DefaultTraceSettings()
		sameList(t, "store", s.list(t, ravao.RankContacts(s.pairs(t, set), set)))

		wide := set
		wide.Buffer, wide.OpenWindow = 2*time.Hour, 2*time.Hour
		s.list(t, ravao.RankContacts(s.pairs(t, wide), wide))

		ctx := context.Background()
		_, actor, err := s.auth.Login(ctx, auth.Credentials{Login: s.data.Outbreak.Official, Password: Password})
		if err != nil {
			t.Fatalf("sign in as %s: %v", s.data.Outbreak.Official, err)
		}
		c, _, err := s.tracing.Open(ctx, actor, tracing.OpenCase{Phone: OutbreakPhone, Reason: "Dương tính SARS-CoV-2, xét nghiệm PCR"})
		if err != nil {
			t.Fatalf("open a case by phone %s: %v", OutbreakPhone, err)
		}
		if c.PersonID != s.data.Outbreak.IndexID {
			t.Errorf("the case is person %d, want the index person %d", c.PersonID, s.data.Outbreak.IndexID)
		}
		cs, err := s.tracing.Exposures(ctx, actor, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		sameList(t, "tracing service", s.list(t, cs))
	})
}

// TestOutbreakAtMidnight seeds the demo a second after midnight in Hà
// Nam, when yesterday is as far as it gets from now, and finds the same
// list.
func TestOutbreakAtMidnight(t *testing.T) {
	s := seed(t, svctest.SQLite(t), time.Date(2026, 11, 26, 17, 0, 1, 0, time.UTC))
	set := ravao.DefaultTraceSettings()
	sameList(t, "store", s.list(t, ravao.RankContacts(s.pairs(t, set), set)))
}

// TestWeekKeepsClearOfTheOutbreak plans the random week for many seeds
// and times of day and checks, with the domain's exposure rule and
// thresholds far above the defaults, that no visit kept near the staged
// outbreak exposes anyone to the index person: the contact list cannot
// depend on the random data.
func TestWeekKeepsClearOfTheOutbreak(t *testing.T) {
	wide := ravao.DefaultTraceSettings()
	wide.Buffer, wide.OpenWindow = 2*time.Hour, 2*time.Hour
	venues := fakeVenues()
	people := make([]int64, demoPeople)
	for i := range people {
		people[i] = int64(i + 1)
	}
	start := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	checked, dropped := 0, 0
	for run := range 48 {
		now := start.Add(time.Duration(run)*(30*time.Minute) + time.Duration(run)*time.Second)
		index, err := stagedVisits(-1, indexPerson().visits, outbreakDay(now), now, venues)
		if err != nil {
			t.Fatal(err)
		}
		keep := keepClear(index)
		for _, v := range weekVisits(rand.New(rand.NewPCG(uint64(run), 7)), now, people, venues) {
			if !keep(v) {
				dropped++
				continue
			}
			for _, c := range index {
				if c.VenueID != v.VenueID {
					continue
				}
				checked++
				if d, ok := ravao.Exposure(ravao.StayOf(*c), ravao.StayOf(*v), wide); ok {
					t.Fatalf("now %v: a visit of the week %v–%v exposes someone to the index's %v–%v for %v", now, v.InAt, v.OutAt, c.InAt, c.OutAt, d)
				}
			}
		}
		if !index[0].InAt.After(now.Add(-wide.WindowBefore)) || !index[len(index)-1].InAt.Before(now) {
			t.Errorf("now %v: the index's visits from %v are not in the last 48 hours", now, index[0].InAt)
		}
	}
	if dropped == 0 || checked == 0 {
		t.Errorf("the week kept %d visits at the outbreak's venues and dropped %d: the check checks nothing", checked, dropped)
	}
}

// fakeVenues are the demo's kinds of venue with checkpoints, without a
// database.
func fakeVenues() []places.VenueView {
	var out []places.VenueView
	for i, dp := range demoPlaces() {
		vv := places.VenueView{Venue: ravao.Venue{ID: int64(i + 1), Type: ravao.VenueType(dp.venue.Type), DefaultStay: ravao.DefaultStayFor(ravao.VenueType(dp.venue.Type))}}
		for j := range max(1, len(dp.checkpoints)) {
			vv.Checkpoints = append(vv.Checkpoints, places.CheckpointView{Checkpoint: ravao.Checkpoint{ID: int64(100*i + j)}})
		}
		out = append(out, vv)
	}
	return out
}
