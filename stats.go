package ravao

import (
	"fmt"
	"time"
)

// Day is a calendar day in the deployment's time zone, as the number
// yyyymmdd (20261125). Days are what progress is counted by: 00:00 in
// Asia/Ho_Chi_Minh is 17:00 UTC the day before.
type Day int

// DayOf is the day t falls on in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return Day(y*10000 + int(m)*100 + d)
}

// ParseDay reads "2006-01-02".
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, FieldError("day", "err.date")
	}
	return DayOf(t, time.UTC), nil
}

// Date is the day's date at midnight UTC (for arithmetic and formatting).
func (d Day) Date() time.Time {
	return time.Date(int(d)/10000, time.Month(int(d)/100%100), int(d)%100, 0, 0, 0, 0, time.UTC)
}

// Start is the instant the day begins in loc.
func (d Day) Start(loc *time.Location) time.Time {
	return time.Date(int(d)/10000, time.Month(int(d)/100%100), int(d)%100, 0, 0, 0, 0, loc)
}

// Add is the day n days later (earlier when n < 0).
func (d Day) Add(n int) Day { return DayOf(d.Date().AddDate(0, 0, n), time.UTC) }

// String is "2006-01-02".
func (d Day) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", int(d)/10000, int(d)/100%100, int(d)%100)
}

// VenueDay is one venue's activity on one day, maintained in the same
// transaction as the visits it counts.
type VenueDay struct {
	VenueID   int64
	Day       Day
	CheckIns  int // visits that began that day
	CheckOuts int // visits that ended that day (by any means)
	People    int // distinct people who checked in that day
	Red       int // check-ins decided red
}

// Counts are the progress figures of a unit, sector or venue type over a
// day or a range of days; a range sums its days.
type Counts struct {
	Venues    int // registered at the end of the (last) day: pending + approved + suspended
	New       int // registered during the days
	Approved  int // approved at the end of the (last) day
	Pending   int
	Suspended int
	Active    int // venue-days with at least one check-in (for one day: venues active that day)
	CheckIns  int
	CheckOuts int
	People    int // distinct people per venue and day, summed
	Red       int
	Symptoms  int // declarations with symptoms or exposure, by the person's home unit
}

// Add adds c2 to c, for activity; the state fields (Venues, Approved,
// Pending, Suspended) are those of the later day and are left to the
// caller.
func (c *Counts) Add(c2 Counts) {
	c.New += c2.New
	c.Active += c2.Active
	c.CheckIns += c2.CheckIns
	c.CheckOuts += c2.CheckOuts
	c.People += c2.People
	c.Red += c2.Red
	c.Symptoms += c2.Symptoms
}

// StatsQuery selects progress rows: a unit and what lies below it, over
// days From to To (both included), optionally one sector.
type StatsQuery struct {
	UnitCode string // "" for the whole deployment
	Sector   Sector // "" for all
	From, To Day
	// Zone limits SilentVenues, UnitVenues and ZoneSeries to the venues of
	// one industrial zone (Venue.Zone); "" does not filter. Unit figures
	// (unit_days) have no zone and ignore it.
	Zone string
}

// UnitDayCounts is the figures of one unit (or one venue type within it)
// on one day.
type UnitDayCounts struct {
	Day       Day
	UnitCode  string
	VenueType VenueType // "" when summed over types
	Counts
}

// SilentVenue is an approved venue without a check-in on a day.
type SilentVenue struct {
	VenueID  int64
	Name     string
	UnitCode string
	Type     VenueType
	Sector   Sector
}

// VenueActivity is one place's activity summed over a range of days.
type VenueActivity struct {
	VenueID    int64
	Name       string
	UnitCode   string
	Type       VenueType
	Sector     Sector
	Status     VenueStatus
	ActiveDays int // days with at least one check-in
	CheckIns   int
	CheckOuts  int
	People     int
	Red        int
}

// ZoneCount is an industrial zone (or park) under a unit and how many
// venues are registered in it.
type ZoneCount struct {
	Zone   string
	Venues int
}

// ProgressReport is a unit's daily report as it was made: Body is the
// report's JSON, gzip-compressed, which the progress package writes and
// reads; the store keeps it opaque. Listings leave Body nil.
type ProgressReport struct {
	UnitCode string // "" for the whole deployment
	Sector   Sector
	Day      Day
	MadeAt   time.Time
	Body     []byte
}
