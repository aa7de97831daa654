package progress

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/ravao/ravao"
)

// keptVersion is the version of keptBody; a body of another version is
// not read (the report is made live instead).
const keptVersion = 1

// keptBody is a kept report as stored: what the page, the workbook, the
// PDF and the API show. The roster list of the coverage is left out (the
// report shows the counts, not the files).
type keptBody struct {
	Version  int           `json:"version"`
	Day      ravao.Day     `json:"day"`
	View     UnitView      `json:"view"`
	Coverage *CoverageView `json:"coverage"`
}

// systemActor is who the morning job makes reports as: an administrator
// without a unit, who sees every unit and the whole deployment.
func systemActor() *ravao.Principal {
	return &ravao.Principal{User: ravao.User{Login: "system"}, Roles: []ravao.RoleAssignment{{Role: ravao.RoleAdmin}}}
}

// KeepReports is how many days reports are kept: a report of day d is
// deleted when the reports of d+KeepReports+1 are made.
func (s *Service) KeepReports() int { return s.cfg.KeepReports }

// KeptReports lists the reports kept for a unit and sector, newest first.
// The scope rules are Unit's.
func (s *Service) KeptReports(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) ([]ravao.ProgressReport, error) {
	q.From, q.To = 0, 0
	q, err := s.reportScope(ctx, actor, q)
	if err != nil {
		return nil, err
	}
	var out []ravao.ProgressReport
	err = s.store.View(ctx, func(tx ravao.Tx) error {
		out, err = tx.ProgressReports(q.UnitCode, q.Sector, s.cfg.KeepReports+1)
		return err
	})
	return out, err
}

// MakeReports rolls day up once more (so that a report made soon after
// midnight has the day's last check-ins), then makes and keeps the report
// of day for every unit with places (and the whole deployment), then
// deletes reports older than KeepReports days; it says how many it made.
// Each report is written in its own transaction: a unit that fails is
// skipped, and the first error is returned with the count.
func (s *Service) MakeReports(ctx context.Context, day ravao.Day) (int, error) {
	if err := s.Rollup(ctx, day); err != nil {
		return 0, err
	}
	var units []string
	err := s.store.View(ctx, func(tx ravao.Tx) (err error) {
		units, err = tx.ReportUnits(day)
		return err
	})
	if err != nil {
		return 0, err
	}
	n, first := 0, error(nil)
	for _, code := range append([]string{""}, units...) {
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		if err := s.keepReport(ctx, code, day); err != nil {
			if first == nil {
				first = fmt.Errorf("progress: report of unit %q on %s: %w", code, day, err)
			}
			continue
		}
		n++
	}
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		_, err := tx.DeleteProgressReports(day.Add(-s.cfg.KeepReports))
		return err
	})
	if first == nil {
		first = err
	}
	return n, first
}

// keepReport makes one unit's report of day (all sectors) and keeps it.
func (s *Service) keepReport(ctx context.Context, code string, day ravao.Day) error {
	r, err := s.liveReport(ctx, systemActor(), ravao.StatsQuery{UnitCode: code, From: day, To: day})
	if err != nil {
		return err
	}
	body, err := encodeReport(r)
	if err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		return tx.PutProgressReport(&ravao.ProgressReport{UnitCode: code, Day: day, MadeAt: tx.Now(), Body: body})
	})
}

// keptReport finds the kept report of q's unit, sector and day after
// checking the actor's scope as the live report does; ok is false when
// none is kept.
func (s *Service) keptReport(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) (r Report, ok bool, err error) {
	if q, err = s.reportScope(ctx, actor, q); err != nil {
		return Report{}, false, err
	}
	var kept ravao.ProgressReport
	err = s.store.View(ctx, func(tx ravao.Tx) (err error) {
		kept, err = tx.ProgressReport(q.UnitCode, q.Sector, q.To)
		return err
	})
	if ravao.IsNotFound(err) {
		return Report{}, false, nil
	}
	if err != nil {
		return Report{}, false, err
	}
	r, err = decodeReport(kept.Body)
	if err != nil {
		return Report{}, false, nil // an unreadable body: made live instead
	}
	r.MadeAt = kept.MadeAt
	return r, true, nil
}

// encodeReport is r as stored: keptBody's JSON, gzip-compressed.
func encodeReport(r Report) ([]byte, error) {
	b := keptBody{Version: keptVersion, Day: r.Day, View: r.UnitView, Coverage: r.Coverage}
	if b.Coverage != nil {
		c := *b.Coverage
		c.Rosters = nil
		b.Coverage = &c
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeReport reads a stored body back (MadeAt is the caller's).
func decodeReport(body []byte) (Report, error) {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return Report{}, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return Report{}, err
	}
	var b keptBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return Report{}, err
	}
	if b.Version != keptVersion {
		return Report{}, fmt.Errorf("progress: kept report version %d", b.Version)
	}
	return Report{UnitView: b.View, Day: b.Day, Coverage: b.Coverage}, nil
}

// RunReports makes yesterday's reports every morning at hour (local time)
// until ctx ends; at start too, when yesterday's report of the whole
// deployment is missing and hour has passed.
func RunReports(ctx context.Context, s *Service, log *slog.Logger, hour int) {
	CatchUpReports(ctx, s, log, hour)
	ravao.Daily(ctx, s.cfg.Clock, s.cfg.TZ, hour, func() { s.logReports(ctx, s.Today().Add(-1), log) })
}

// CatchUpReports makes yesterday's reports when it is past hour and the
// whole deployment's is not kept: the reports missed while no server ran.
func CatchUpReports(ctx context.Context, s *Service, log *slog.Logger, hour int) {
	if now := s.cfg.Clock.Now().In(s.cfg.TZ); now.Hour() >= hour && !s.hasReport(ctx, s.Today().Add(-1)) {
		s.logReports(ctx, s.Today().Add(-1), log)
	}
}

// hasReport reports whether the whole deployment's report of day is kept;
// an error reading it counts as kept, so that a broken store is not
// worked harder at start.
func (s *Service) hasReport(ctx context.Context, day ravao.Day) bool {
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		_, err := tx.ProgressReport("", "", day)
		return err
	})
	return !ravao.IsNotFound(err)
}

// logReports makes day's reports, logging what it did.
func (s *Service) logReports(ctx context.Context, day ravao.Day, log *slog.Logger) {
	start := time.Now()
	n, err := s.MakeReports(ctx, day)
	if err != nil && ctx.Err() == nil {
		log.Error("progress reports", "day", day.String(), "made", n, "err", err.Error())
		return
	}
	log.Info("progress reports", "day", day.String(), "made", n, "took", time.Since(start).Round(time.Millisecond).String())
}
