package ravao

import (
	"testing"
	"time"
)

func TestUntilHour(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	for _, tc := range []struct {
		now  time.Time
		want time.Duration
	}{
		{time.Date(2026, 11, 26, 5, 0, 0, 0, ict), time.Hour},
		{time.Date(2026, 11, 26, 6, 0, 0, 0, ict), 24 * time.Hour},
		{time.Date(2026, 11, 26, 7, 30, 0, 0, ict), 22*time.Hour + 30*time.Minute},
		{time.Date(2026, 11, 25, 22, 0, 0, 0, time.UTC), 1 * time.Hour}, // 05:00 in Vietnam
	} {
		if got := UntilHour(tc.now, ict, 6); got != tc.want {
			t.Errorf("UntilHour(%s, 6) = %s, want %s", tc.now, got, tc.want)
		}
	}
}
