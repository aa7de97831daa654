package gatepayload

import (
	"strconv"
	"time"
)

// Birth years outside these bounds are misreads; whether a year is in the
// future is for the caller, who has a clock.
const (
	minYear = 1900
	maxYear = 2100
)

// compactDate reads ddmmyyyy. When the day and month do not make a date
// (cards of people born on an unknown day carry zeros) the year alone is
// kept if it is plausible.
func compactDate(s string) (time.Time, int) {
	if !digits(s, 8, 8) {
		return time.Time{}, 0
	}
	if d, err := time.Parse("02012006", s); err == nil && plausible(d.Year()) {
		return d, d.Year()
	}
	return time.Time{}, year(s[4:])
}

// birthDate reads NgaySinh of a 1405 code: dd/mm/yyyy (one-digit day and
// month allowed), ddmmyyyy, or a year alone.
func birthDate(s string) (time.Time, int) {
	if d, err := time.Parse("2/1/2006", s); err == nil && plausible(d.Year()) {
		return d, d.Year()
	}
	if len(s) == 4 {
		return time.Time{}, year(s)
	}
	return compactDate(s)
}

// year reads four digits as a plausible year, 0 otherwise.
func year(s string) int {
	if !digits(s, 4, 4) {
		return 0
	}
	y, _ := strconv.Atoi(s)
	if !plausible(y) {
		return 0
	}
	return y
}

func plausible(y int) bool { return y >= minYear && y <= maxYear }
