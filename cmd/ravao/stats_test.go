package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/vault"
)

// TestStats runs `ravao stats` as an operator would after losing the
// places' days: repair rebuilds them from the visits, rollup recomputes a
// day, and bad dates are refused with a sentence, nothing written.
func TestStats(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ravao.db")
	db := "sqlite:" + path
	in := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	day := ravao.DayOf(in, svctest.ICT)
	venueID := seedVisit(t, path, in)

	st, err := sqlite.Open(ctx, path, ravao.SystemClock{}, sqlite.Options{TZ: svctest.ICT})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Writer.Exec(`DELETE FROM venue_days`); err != nil {
		t.Fatal(err)
	}
	st.Close()

	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"stats"}, 2, "Usage:"},
		{[]string{"stats", "purge"}, 2, "Usage:"},
		{[]string{"stats", "repair", "--db", db}, 1, "needs --from"},
		{[]string{"stats", "repair", "--db", db, "--from", "2026-13-01"}, 1, `--from: "2026-13-01" is not a date`},
		{[]string{"stats", "repair", "--db", db, "--from", day.String(), "--to", day.Add(-1).String()}, 1, "end date"},
		{[]string{"stats", "rollup", "--db", db, "--day", day.Add(2).String()}, 1, "has not come yet"},
		{[]string{"stats", "rollup", "--db", db, "--tz", "Mars/Olympus"}, 1, "--tz"},
		{[]string{"stats", "repair", "--db", db, "--from", day.Add(-1).String(), "--to", day.String()}, 0, "1 place-day rows written"},
		{[]string{"stats", "rollup", "--db", db}, 0, "rolled up " + ravao.DayOf(time.Now(), svctest.ICT).String()},
	} {
		code, out, stderr := runRavao(t, map[string]string{"RAVAO_TZ": "Asia/Ho_Chi_Minh"}, "", tt.args...)
		if code != tt.code || !strings.Contains(out+stderr, tt.want) {
			t.Errorf("ravao %s: exit %d, %q %q; want %d and %q", strings.Join(tt.args, " "), code, out, stderr, tt.code, tt.want)
		}
	}

	st, err = sqlite.Open(ctx, path, ravao.SystemClock{}, sqlite.Options{TZ: svctest.ICT})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.View(ctx, func(tx ravao.Tx) error {
		days, err := tx.VenueDays(venueID, day, day)
		if err != nil {
			return err
		}
		if want := []ravao.VenueDay{{VenueID: venueID, Day: day, CheckIns: 1, People: 1}}; len(days) != 1 || days[0] != want[0] {
			t.Errorf("after repair: got %+v, want %+v", days, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// seedVisit stores the units, a place and one visit at in, and returns
// the place.
func seedVisit(t *testing.T, path string, in time.Time) int64 {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, ravao.SystemClock{}, sqlite.Options{TZ: svctest.ICT})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := svctest.Units(ctx, st); err != nil {
		t.Fatal(err)
	}
	key, _ := vault.ParseKey(vault.GenerateKey())
	v, err := vault.New(key)
	if err != nil {
		t.Fatal(err)
	}
	svc := svctest.Start(t, st, v, ravao.SystemClock{})
	place, err := svc.Places.CreatePlace(ctx, nil, places.NewPlace{Organisation: "Chợ Bầu", Venue: places.VenueInput{
		Name: "Chợ Bầu", Type: string(ravao.VenueMarket), UnitCode: "13321", ContactPhone: "0987654321",
	}, Checkpoints: []places.CheckpointInput{{Name: "Cổng A"}}}, "vi")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := v.SealPerson(ravao.Person{ID: vault.NewID(), FullName: "Trần Văn Minh", BirthYear: 1980,
		Sex: ravao.SexMale, UnitCode: "13321", ConsentVersion: "1", ConsentChannel: ravao.ConsentOfficial, ConsentAt: in})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx ravao.Tx) error {
		if err := tx.CreatePerson(&rec); err != nil {
			return err
		}
		return tx.InsertVisits([]*ravao.Visit{{PersonID: rec.ID, VenueID: place.Venue.ID,
			CheckpointID: place.Checkpoints[0].ID, InAt: in.UTC(), Decision: ravao.Green, Source: ravao.SourceSelf}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return place.Venue.ID
}
