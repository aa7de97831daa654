package progress

import (
	"time"

	"github.com/ravao/ravao"
)

func errForbidden() error { return ravao.Errorf(ravao.Forbidden, "err.forbidden") }

// validDay reports whether d is a real calendar day.
func validDay(d ravao.Day) bool {
	return d > 0 && ravao.DayOf(d.Date(), time.UTC) == d
}

// days checks a range of days as a view takes it: To defaults to today and
// From to To; the range runs forwards, ends today at the latest and spans
// at most MaxDays.
func (s *Service) days(from, to ravao.Day) (ravao.Day, ravao.Day, error) {
	today := s.Today()
	if to == 0 {
		to = today
	}
	if from == 0 {
		from = min(to, today)
	}
	return from, to, checkRange(from, to, today, s.cfg.MaxDays)
}

// span is the number of days from..to, both included.
func span(from, to ravao.Day) int {
	return int(to.Date().Sub(from.Date()).Hours()/24) + 1
}

// each calls fn for every day from..to in order.
func each(from, to ravao.Day, fn func(ravao.Day)) {
	for d := from; d <= to; d = d.Add(1) {
		fn(d)
	}
}

// checkRange checks days from..to: real days, forwards, ending today at the
// latest, and at most maxDays long (0: no bound).
func checkRange(from, to, today ravao.Day, maxDays int) error {
	fe := ravao.FieldErrors{}
	switch {
	case !validDay(from):
		fe.Add("from", "err.date")
	case !validDay(to):
		fe.Add("to", "err.date")
	case to > today:
		fe.Add("to", "err.date_future")
	case to < from:
		fe.Add("to", "err.date_range")
	case maxDays > 0 && span(from, to) > maxDays:
		fe.Add("from", "err.date_range_long")
	}
	return fe.Err()
}
