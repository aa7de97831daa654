package server

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
)

// The layouts of the date and date-time inputs of the tracing forms, read
// and written in the deployment's time zone.
const (
	dateInput     = "2006-01-02"
	dateTimeInput = "2006-01-02T15:04"
	shownTime     = "15:04 02/01/2006"
)

// formDate reads a date input as the start of that day in the deployment's
// time zone; empty is the zero time.
func (s *Server) formDate(v, field string, fe ravao.FieldErrors) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(dateInput, v, s.cfg.TZ)
	if err != nil {
		fe.Add(field, "err.date")
	}
	return t.UTC()
}

// formDateTime reads a date-time-local input in the deployment's time
// zone (browsers may add seconds); empty is the zero time.
func (s *Server) formDateTime(v, field string, fe ravao.FieldErrors) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	for _, layout := range []string{dateTimeInput, dateTimeInput + ":05"} {
		if t, err := time.ParseInLocation(layout, v, s.cfg.TZ); err == nil {
			return t.UTC()
		}
	}
	fe.Add(field, "err.datetime")
	return time.Time{}
}

// maxFormMinutes bounds a minutes field well above what any threshold
// allows, so that the multiplication cannot overflow; the settings'
// Validate gives the real limits.
const maxFormMinutes = 60 * 24 * 366

// formMinutes reads a whole number of minutes.
func formMinutes(v, field string, fe ravao.FieldErrors) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 || n > maxFormMinutes {
		fe.Add(field, "err.minutes")
		return 0
	}
	return time.Duration(n) * time.Minute
}

// inputDate is the value of a date input for t; empty for the zero time.
func (s *Server) inputDate(t time.Time) string { return s.localTime(t, dateInput) }

// inputDateTime is the value of a date-time-local input for t.
func (s *Server) inputDateTime(t time.Time) string { return s.localTime(t, dateTimeInput) }

// minutes shows a duration in whole minutes, rounded down.
func minutes(d time.Duration) string { return strconv.FormatInt(int64(d/time.Minute), 10) }

// traceUnits are the units an official may open a case in: each unit of
// their tracing roles, then its children, each child with its own
// children, as the groups of a select.
func (s *Server) traceUnits(ctx context.Context, lang string, p *ravao.Principal) ([]unitGroup, error) {
	var out []unitGroup
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		version := ravao.ActiveUnitVersion(tx)
		for _, a := range p.Roles {
			if !a.Role.Grants(ravao.PermTrace) || a.UnitCode == "" {
				continue
			}
			groups, err := unitTree(tx, lang, version, a.UnitCode)
			if err != nil {
				return err
			}
			out = append(out, groups...)
		}
		return nil
	})
	return out, err
}

// unitTree is a unit and the two levels below it as select groups: the
// unit alone, then one group per child holding the child and its children.
// A unit the active version does not know is offered by its code.
func unitTree(tx ravao.Tx, lang, version, code string) ([]unitGroup, error) {
	u, err := tx.Unit(version, code)
	if ravao.IsNotFound(err) {
		return []unitGroup{{Units: []unitChoice{{code, code}}}}, nil
	}
	if err != nil {
		return nil, err
	}
	out := []unitGroup{{Units: []unitChoice{{u.Code, localName(u, lang)}}}}
	children, err := tx.Units(ravao.UnitFilter{Version: version, ParentCode: code})
	if err != nil {
		return nil, err
	}
	for _, c := range children {
		grand, err := tx.Units(ravao.UnitFilter{Version: version, ParentCode: c.Code})
		if err != nil {
			return nil, err
		}
		name := localName(c, lang)
		out = append(out, unitGroup{Name: name, Units: append([]unitChoice{{c.Code, name}}, unitChoices(grand, lang)...)})
	}
	return out, nil
}

// unitNames names units in lang, each looked up once.
func (s *Server) unitNames(ctx context.Context, lang string, codes []string) (map[string]string, error) {
	names := map[string]string{}
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		version := ravao.ActiveUnitVersion(tx)
		for _, code := range codes {
			if _, ok := names[code]; ok || code == "" {
				continue
			}
			name, err := unitName(tx, lang, version, code)
			if err != nil {
				return err
			}
			names[code] = name
		}
		return nil
	})
	return names, err
}

// staffNames gives the display names of staff accounts, each looked up
// once; an account that is gone is shown by its number.
func (s *Server) staffNames(ctx context.Context, ids ...int64) (map[int64]string, error) {
	names := map[int64]string{}
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		for _, id := range ids {
			if _, ok := names[id]; ok || id == 0 {
				continue
			}
			u, err := tx.User(id)
			switch {
			case ravao.IsNotFound(err):
				names[id] = "#" + strconv.FormatInt(id, 10)
			case err != nil:
				return err
			default:
				names[id] = u.DisplayName
			}
		}
		return nil
	})
	return names, err
}

// tracer is a staff member who may work a case's contacts.
type tracer struct {
	ID   int64
	Name string
}

// tracers lists the active staff whose tracing roles cover the unit at
// path: the people a contact may be assigned to.
func (s *Server) tracers(ctx context.Context, path string) ([]tracer, error) {
	target, disabled := ravao.Target{UnitPath: ravao.SplitUnitPath(path)}, false
	var out []tracer
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		seen := map[int64]bool{}
		for _, role := range ravao.Roles {
			if !role.Grants(ravao.PermTrace) {
				continue
			}
			users, err := tx.Users(ravao.UserFilter{Role: role, Disabled: &disabled})
			if err != nil {
				return err
			}
			for _, u := range users {
				if seen[u.ID] {
					continue
				}
				seen[u.ID] = true
				roles, err := tx.Roles(u.ID)
				if err != nil {
					return err
				}
				if (&ravao.Principal{User: u, Roles: roles}).Can(ravao.PermTrace, target) {
					out = append(out, tracer{u.ID, u.DisplayName})
				}
			}
		}
		return nil
	})
	return out, err
}
