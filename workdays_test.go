package ravao

import (
	"testing"
	"time"
)

func TestAddWorkingDays(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, ict)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	end := func(s string) time.Time { return at(s+" 00:00").AddDate(0, 0, 1).Add(-time.Millisecond) }
	tet := []Day{20270205, 20270208, 20270209, 20270210}
	for _, tc := range []struct {
		name     string
		t        time.Time
		n        int
		holidays []Day
		want     time.Time
	}{
		{"monday morning", at("2026-11-23 09:00"), 2, nil, end("2026-11-25")},
		{"wednesday", at("2026-11-25 14:00"), 2, nil, end("2026-11-27")},
		{"friday evening skips the weekend", at("2026-11-27 21:30"), 2, nil, end("2026-12-01")},
		{"saturday", at("2026-11-28 10:00"), 2, nil, end("2026-12-01")},
		{"sunday", at("2026-11-29 10:00"), 1, nil, end("2026-11-30")},
		{"new year's day is a holiday", at("2026-12-31 16:00"), 2, []Day{20270101}, end("2027-01-05")},
		{"Tết holidays", at("2027-02-04 08:00"), 2, tet, end("2027-02-12")},
		{"late evening UTC is already the next local day", time.Date(2026, 11, 27, 18, 0, 0, 0, time.UTC), 2, nil, end("2026-12-01")},
		{"zero days is the end of the day", at("2026-11-25 08:00"), 0, nil, end("2026-11-25")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := AddWorkingDays(tc.t, tc.n, tc.holidays, ict); !got.Equal(tc.want) {
				t.Errorf("AddWorkingDays(%v, %d) = %v, want %v", tc.t, tc.n, got, tc.want)
			}
		})
	}
}
