package ravao

import (
	"slices"
	"time"
)

// AddWorkingDays is the end of the n-th working day after the day t falls
// on in loc: the last millisecond of that day, local time. Saturdays,
// Sundays and holidays are not working days, so a request made on a
// Friday evening with n = 2 is due at the end of Tuesday, and one made on
// the eve of a holiday gains a day. The day t falls on never counts, even
// when it is a working day: the law's "within two working days" leaves
// the whole of the second day.
func AddWorkingDays(t time.Time, n int, holidays []Day, loc *time.Location) time.Time {
	d := DayOf(t, loc)
	for counted := 0; counted < n; {
		d = d.Add(1)
		if IsWorkingDay(d, holidays) {
			counted++
		}
	}
	return d.Add(1).Start(loc).Add(-time.Millisecond)
}

// IsWorkingDay reports whether d is neither a weekend day nor a holiday.
func IsWorkingDay(d Day, holidays []Day) bool {
	switch d.Date().Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !slices.Contains(holidays, d)
}
