package progress_test

import (
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
)

// TestReport checks the daily report: one day (yesterday by default), the
// unit view's figures for that day, and the view's scope rules.
func TestReport(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		r, err := e.svc.Report(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "347"})
		if err != nil || r.Day != nov24 || r.Query.From != nov24 || r.Query.To != nov24 || len(r.Series) != 1 {
			t.Fatalf("no day: got %s (%s..%s), %v; want yesterday, the 24th", r.Day, r.Query.From, r.Query.To, err)
		}
		if want := e.day(filter{unit: "347"}, nov24); r.Totals != want {
			t.Errorf("totals on the 24th: got %+v, want %+v", r.Totals, want)
		}
		for _, c := range r.Children {
			if want := e.day(filter{unit: c.Unit.Code}, nov24); c.Counts != want {
				t.Errorf("child %s on the 24th: got %+v, want %+v", c.Unit.Name, c.Counts, want)
			}
		}
		// A range asked for is one day: its last.
		if r, err := e.svc.Report(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "347", From: nov23, To: nov25}); err != nil || r.Day != nov25 || r.Query.From != nov25 {
			t.Errorf("range: got %s from %s, %v; want the 25th only", r.Day, r.Query.From, err)
		}
		_, err = e.svc.Report(e.ctx, e.admin, ravao.StatsQuery{UnitCode: "347", To: nov25.Add(1)})
		svctest.WantKey(t, "tomorrow", err, "err.date_future")
		ward := e.staff("ubnd13321", ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "13321"})
		_, err = e.svc.Report(e.ctx, ward, ravao.StatsQuery{UnitCode: "347"})
		svctest.WantKey(t, "ward official on the city", err, "err.forbidden")
	})
}
