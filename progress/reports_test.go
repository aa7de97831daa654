package progress_test

import (
	"context"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/progress"
)

// keeper is the progress service with a vault (rosters) and a chosen
// number of days reports are kept.
func keeper(t *testing.T, e *env, keep int) *progress.Service {
	t.Helper()
	svc, err := progress.New(e.store, progress.Config{TZ: svctest.ICT, Clock: e.clock, Vault: e.vault, KeepReports: keep})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// phuLyList is a roster of two places that must register in Phủ Lý.
const phuLyList = "name,address,unit_code,sector,tax_code,phone\n" +
	"Xưởng gỗ Thành Công,,13321,industry,0109999999,\n" +
	"Trường Mầm non Sao Mai,,13327,education,,\n"

// TestReportKept checks the morning's reports: one per unit with places
// and one for the whole deployment; Report answers the kept one (with
// MadeAt) for that day even after the figures change, equal to the live
// report made when it was kept, coverage included; the scope rules still
// hold for a kept report.
func TestReportKept(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		svc := keeper(t, e, 0)
		if _, err := svc.UploadRoster(e.ctx, e.admin, "347", "", "danh-sach.csv", strings.NewReader(phuLyList)); err != nil {
			t.Fatal(err)
		}
		live, err := svc.Report(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "347", To: nov24})
		if err != nil || !live.MadeAt.IsZero() || live.Coverage == nil || live.Coverage.Totals.Required != 2 {
			t.Fatalf("live report: made at %v, coverage %+v, %v; want made now with 2 places to register", live.MadeAt, live.Coverage, err)
		}
		var units []string
		e.view(func(tx ravao.Tx) (err error) { units, err = tx.ReportUnits(nov24); return err })
		for _, want := range []string{"35", "347", "13321", "13324", "349", "13400"} {
			if !contains(units, want) {
				t.Errorf("units to report on: %q lacks %s", units, want)
			}
		}
		made, wantAll := e.clock.T, e.day(filter{}, nov24)
		n, err := svc.MakeReports(e.ctx, nov24)
		if err != nil || n != len(units)+1 {
			t.Fatalf("MakeReports: got %d, %v; want %d (the units and the deployment)", n, err, len(units)+1)
		}

		// A visit stored late changes the live figures, not the kept report.
		e.visit(e.p4, e.shop, at(24, 10, 0), at(24, 10, 30), ravao.Green)
		e.rollup(nov24, at(25, 15, 30))
		kept, err := svc.Report(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "347", To: nov24})
		if err != nil || !kept.MadeAt.Equal(made) {
			t.Fatalf("kept report: made at %v, %v; want %v", kept.MadeAt, err, made)
		}
		kept.MadeAt, live.Coverage.Rosters = time.Time{}, nil
		if !reflect.DeepEqual(kept, live) {
			t.Errorf("kept report differs from the live one of that time:\n got %+v\nwant %+v", kept, live)
		}
		if now, _ := svc.Unit(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "347", From: nov24, To: nov24}); now.Totals.CheckIns != live.Totals.CheckIns+1 {
			t.Errorf("live figures after the late visit: %d check-ins, want %d", now.Totals.CheckIns, live.Totals.CheckIns+1)
		}
		all, err := svc.Report(e.ctx, e.admin, ravao.StatsQuery{To: nov24})
		if err != nil || all.MadeAt.IsZero() || all.Unit.Code != "" || all.Totals != wantAll {
			t.Errorf("the deployment's kept report: made at %v, unit %q, totals %+v, %v", all.MadeAt, all.Unit.Code, all.Totals, err)
		}

		// Scope: a ward official sees their ward's kept report, not the city's.
		ward := e.staff("ubnd13321", ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "13321"})
		if r, err := svc.Report(e.ctx, ward, ravao.StatsQuery{To: nov24}); err != nil || r.Unit.Code != "13321" || r.MadeAt.IsZero() {
			t.Errorf("ward's own report: unit %q made at %v, %v; want 13321, kept", r.Unit.Code, r.MadeAt, err)
		}
		_, err = svc.Report(e.ctx, ward, ravao.StatsQuery{UnitCode: "347", To: nov24})
		svctest.WantKey(t, "ward official on the city's kept report", err, "err.forbidden")
		_, err = svc.KeptReports(e.ctx, ward, ravao.StatsQuery{UnitCode: "347"})
		svctest.WantKey(t, "ward official on the city's list", err, "err.forbidden")
		// A sector supervisor's report is never the kept one (all sectors).
		edu := e.staff("edu", ravao.RoleAssignment{Role: ravao.RoleSector, UnitCode: "347", Sector: ravao.SectorEducation})
		if r, err := svc.Report(e.ctx, edu, ravao.StatsQuery{UnitCode: "347", To: nov24}); err != nil || !r.MadeAt.IsZero() || r.Query.Sector != ravao.SectorEducation {
			t.Errorf("sector supervisor: made at %v, sector %q, %v; want a live education report", r.MadeAt, r.Query.Sector, err)
		}

		list, err := svc.KeptReports(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "347"})
		if err != nil || len(list) != 1 || list[0].Day != nov24 || !list[0].MadeAt.Equal(made) {
			t.Errorf("kept list: got %+v, %v; want the 24th made at %v", list, err, made)
		}
		// Today's report is always made live.
		if r, err := svc.Report(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "347", To: nov25}); err != nil || !r.MadeAt.IsZero() {
			t.Errorf("today's report: made at %v, %v; want live", r.MadeAt, err)
		}
	})
}

// TestReportKeptDeleted checks that reports older than KeepReports days
// are deleted when a day's reports are made.
func TestReportKeptDeleted(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		svc := keeper(t, e, 1)
		e.clock.T = at(26, 6, 0).UTC()
		for _, d := range []ravao.Day{nov23, nov24, nov25} {
			if _, err := svc.MakeReports(e.ctx, d); err != nil {
				t.Fatalf("MakeReports %s: %v", d, err)
			}
		}
		list, err := svc.KeptReports(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "13321"})
		if err != nil || len(list) != 2 || list[0].Day != nov25 || list[1].Day != nov24 {
			t.Fatalf("kept after a day's keeping: got %+v, %v; want the 25th and the 24th", list, err)
		}
		if r, err := svc.Report(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "13321", To: nov23}); err != nil || !r.MadeAt.IsZero() {
			t.Errorf("the 23rd: made at %v, %v; want deleted, so made live", r.MadeAt, err)
		}
	})
}

// TestReportRun checks the morning job: started after the hour with
// yesterday's reports missing it makes them; started before the hour it
// waits.
func TestReportRun(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		svc := keeper(t, e, 0)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		run := func(now time.Time) {
			e.clock.T = now.UTC()
			ctx, cancel := context.WithTimeout(e.ctx, 300*time.Millisecond)
			defer cancel()
			progress.RunReports(ctx, svc, log, 6)
		}
		kept := func() []ravao.ProgressReport {
			list, err := svc.KeptReports(e.ctx, e.admin, ravao.StatsQuery{})
			if err != nil {
				t.Fatal(err)
			}
			return list
		}
		run(at(26, 5, 0))
		if got := kept(); len(got) != 0 {
			t.Fatalf("before 06:00: got %+v, want nothing made yet", got)
		}
		run(at(26, 7, 0))
		if got := kept(); len(got) != 1 || got[0].Day != nov25 || !got[0].MadeAt.Equal(at(26, 7, 0)) {
			t.Fatalf("after 06:00: got %+v, want the 25th's made at 07:00", got)
		}
		if r, err := svc.Report(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "13400", To: nov25}); err != nil || r.MadeAt.IsZero() {
			t.Errorf("a commune's report of the 25th: made at %v, %v; want kept", r.MadeAt, err)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
