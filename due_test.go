package ravao

import (
	"testing"
	"time"
)

func TestDueAt(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, ict) }
	market := Venue{DefaultStay: time.Hour, ClosesAt: 19 * time.Hour}
	factory := Venue{DefaultStay: 8 * time.Hour, ClosesAt: 22 * time.Hour}
	hospital := Venue{DefaultStay: 0}
	night := Venue{DefaultStay: 12 * time.Hour, ClosesAt: 6 * time.Hour}
	for _, tc := range []struct {
		name string
		in   time.Time
		v    Venue
		want time.Time
	}{
		{"default stay first", at(26, 8, 0), market, at(26, 9, 0)},
		{"closing time first", at(26, 18, 30), market, at(26, 19, 0)},
		{"after closing: next day's closing is later than the stay", at(26, 20, 0), market, at(26, 21, 0)},
		{"shift cut at closing", at(26, 16, 0), factory, at(26, 22, 0)},
		{"no default stay: 24-hour cap", at(26, 10, 0), hospital, at(27, 10, 0)},
		{"closing after midnight", at(26, 23, 0), night, at(27, 6, 0)},
	} {
		if got := DueAt(tc.in, tc.v, ict); !got.Equal(tc.want) {
			t.Errorf("%s: DueAt(%s) = %s, want %s", tc.name, tc.in, got.In(ict), tc.want)
		}
	}
}
