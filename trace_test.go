package ravao

import (
	"errors"
	"maps"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// traceDay is a morning at a market in Hà Nam, in the deployment's zone.
var (
	ict      = time.FixedZone("ICT", 7*3600)
	traceDay = time.Date(2026, 11, 26, 0, 0, 0, 0, ict)
)

// onDay is a time of traceDay: onDay(10, 30, 0, 0) is 10:30:00.000 ICT,
// onDay(24, 15, 0, 0) a quarter past midnight.
func onDay(h, m, s, ms int) time.Time {
	return traceDay.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(s)*time.Second + time.Duration(ms)*time.Millisecond)
}

// stayed is a stay that checked out; noOut is one that did not.
func stayed(in, out time.Time) Stay { return Stay{In: in, Out: out} }
func noOut(in time.Time) Stay       { return Stay{In: in} }

func TestExposure(t *testing.T) {
	def := DefaultTraceSettings()
	noBuffer := def
	noBuffer.Buffer = 0
	min15 := def
	min15.MinOverlap = 15 * time.Minute
	caseStay := stayed(onDay(10, 0, 0, 0), onDay(11, 0, 0, 0)) // out at 11:00, buffer to 11:30
	for _, tc := range []struct {
		name    string
		c, o    Stay
		s       TraceSettings
		overlap time.Duration
		exposed bool
	}{
		// Both checked out: the case's stay and its buffer against the other's.
		{"touching: other arrives as the case leaves, no buffer", caseStay, stayed(onDay(11, 0, 0, 0), onDay(12, 0, 0, 0)), noBuffer, 0, false},
		{"touching: other left as the case arrived", caseStay, stayed(onDay(9, 0, 0, 0), onDay(10, 0, 0, 0)), def, 0, false},
		{"1 ms overlap before the case leaves", caseStay, stayed(onDay(10, 59, 59, 999), onDay(12, 0, 0, 0)), noBuffer, time.Millisecond, true},
		{"1 ms overlap at the other's end", caseStay, stayed(onDay(9, 0, 0, 0), onDay(10, 0, 0, 1)), def, time.Millisecond, true},
		{"arrives exactly as the buffer ends", caseStay, stayed(onDay(11, 30, 0, 0), onDay(12, 0, 0, 0)), def, 0, false},
		{"arrives 1 ms before the buffer ends", caseStay, stayed(onDay(11, 29, 59, 999), onDay(12, 0, 0, 0)), def, time.Millisecond, true},
		{"inside the case's stay", caseStay, stayed(onDay(10, 15, 0, 0), onDay(10, 45, 0, 0)), def, 30 * time.Minute, true},
		{"in the buffer only", caseStay, stayed(onDay(11, 10, 0, 0), onDay(12, 0, 0, 0)), def, 20 * time.Minute, true},
		{"across the case's check-out, leaves in the buffer", caseStay, stayed(onDay(10, 50, 0, 0), onDay(11, 5, 0, 0)), def, 15 * time.Minute, true},
		{"whole stay and buffer", caseStay, stayed(onDay(9, 0, 0, 0), onDay(13, 0, 0, 0)), def, 90 * time.Minute, true},
		{"check-ins 50 minutes apart, but both checked out: the stays decide",
			stayed(onDay(10, 0, 0, 0), onDay(10, 10, 0, 0)), stayed(onDay(10, 50, 0, 0), onDay(11, 0, 0, 0)), def, 0, false},
		{"whole milliseconds, as the stores keep them", stayed(onDay(10, 0, 0, 0), onDay(11, 0, 0, 0).Add(900*time.Microsecond)),
			stayed(onDay(11, 0, 0, 0).Add(100*time.Microsecond), onDay(12, 0, 0, 0)), noBuffer, 0, false},

		// Either without a check-out: the check-ins within OpenWindow.
		{"no check-out on the case side", noOut(onDay(10, 0, 0, 0)), stayed(onDay(10, 40, 0, 0), onDay(12, 0, 0, 0)), def, 20 * time.Minute, true},
		{"no check-out on the other side", caseStay, noOut(onDay(10, 40, 0, 0)), def, 20 * time.Minute, true},
		{"no check-out on either side", noOut(onDay(10, 0, 0, 0)), noOut(onDay(9, 30, 0, 0)), def, 30 * time.Minute, true},
		{"same check-in", noOut(onDay(10, 0, 0, 0)), noOut(onDay(10, 0, 0, 0)), def, time.Hour, true},
		{"|Δin| exactly OpenWindow, after", noOut(onDay(10, 0, 0, 0)), stayed(onDay(11, 0, 0, 0), onDay(11, 5, 0, 0)), def, 0, true},
		{"|Δin| exactly OpenWindow, before", caseStay, noOut(onDay(9, 0, 0, 0)), def, 0, true},
		{"1 ms beyond OpenWindow, after", noOut(onDay(10, 0, 0, 0)), noOut(onDay(11, 0, 0, 1)), def, 0, false},
		{"1 ms beyond OpenWindow, before", caseStay, noOut(onDay(8, 59, 59, 999)), def, 0, false},
		{"an open stay ignores the other's check-out", noOut(onDay(10, 0, 0, 0)), stayed(onDay(8, 0, 0, 0), onDay(12, 0, 0, 0)), def, 0, false},
		{"an open stay ignores the buffer", stayed(onDay(10, 0, 0, 0), onDay(10, 5, 0, 0)), noOut(onDay(10, 50, 0, 0)), noBuffer, 10 * time.Minute, true},

		// Across midnight, local time: 23:30–00:45 ICT.
		{"across midnight, both checked out", stayed(onDay(23, 30, 0, 0), onDay(24, 45, 0, 0)), stayed(onDay(24, 30, 0, 0), onDay(25, 0, 0, 0)), def, 30 * time.Minute, true},
		{"across midnight, arrives as the buffer ends", stayed(onDay(23, 30, 0, 0), onDay(24, 45, 0, 0)), stayed(onDay(25, 15, 0, 0), onDay(26, 0, 0, 0)), def, 0, false},
		{"across midnight, other before midnight", stayed(onDay(23, 30, 0, 0), onDay(24, 45, 0, 0)), stayed(onDay(22, 0, 0, 0), onDay(23, 45, 0, 0)), def, 15 * time.Minute, true},
		{"across midnight, no check-out", noOut(onDay(23, 30, 0, 0)), noOut(onDay(24, 15, 0, 0)), def, 15 * time.Minute, true},

		// MinOverlap drops the short ones.
		{"MinOverlap: exactly it", caseStay, stayed(onDay(10, 45, 0, 0), onDay(11, 0, 0, 0)), min15, 15 * time.Minute, true},
		{"MinOverlap: 1 ms short", caseStay, stayed(onDay(10, 45, 0, 1), onDay(11, 0, 0, 0)), min15, 0, false},
		{"MinOverlap: with the buffer", caseStay, stayed(onDay(11, 15, 0, 0), onDay(12, 0, 0, 0)), min15, 15 * time.Minute, true},
		{"MinOverlap: open stay, 45 minutes apart", noOut(onDay(10, 0, 0, 0)), noOut(onDay(10, 45, 0, 0)), min15, 15 * time.Minute, true},
		{"MinOverlap: open stay, 1 ms further", noOut(onDay(10, 0, 0, 0)), noOut(onDay(10, 45, 0, 1)), min15, 0, false},
		{"MinOverlap: open stay, exactly OpenWindow apart", noOut(onDay(10, 0, 0, 0)), noOut(onDay(11, 0, 0, 0)), min15, 0, false},
	} {
		overlap, exposed := Exposure(tc.c, tc.o, tc.s)
		if overlap != tc.overlap || exposed != tc.exposed {
			t.Errorf("%s: Exposure = %v, %v; want %v, %v", tc.name, overlap, exposed, tc.overlap, tc.exposed)
		}
	}
}

func TestStayOf(t *testing.T) {
	in, out := onDay(10, 0, 0, 0), onDay(11, 0, 0, 0)
	for _, tc := range []struct {
		reason string
		out    time.Time
		want   Stay
	}{
		{OutTap, out, stayed(in, out)},
		{OutGate, out, stayed(in, out)},
		{OutMove, out, stayed(in, out)},
		{OutAuto, out, noOut(in)},
		{"", time.Time{}, noOut(in)},
	} {
		got := StayOf(Visit{InAt: in, OutAt: tc.out, OutReason: tc.reason})
		if !got.In.Equal(tc.want.In) || !got.Out.Equal(tc.want.Out) {
			t.Errorf("StayOf(out %q) = %v, want %v", tc.reason, got, tc.want)
		}
	}
	// An automatic check-out is not a real one: the open window decides.
	def := DefaultTraceSettings()
	c := StayOf(Visit{InAt: in, OutAt: out, OutReason: OutTap})
	later := Visit{InAt: onDay(11, 20, 0, 0), OutAt: onDay(12, 0, 0, 0)}
	earlier := Visit{InAt: onDay(9, 30, 0, 0), OutAt: onDay(9, 45, 0, 0)}
	for _, tc := range []struct {
		name    string
		v       Visit
		reason  string
		overlap time.Duration
		exposed bool
	}{
		{"came in during the buffer, tapped out", later, OutTap, 10 * time.Minute, true},
		{"came in during the buffer, closed automatically: 80 minutes apart", later, OutAuto, 0, false},
		{"left before the case came, tapped out", earlier, OutTap, 0, false},
		{"left before the case came, closed automatically: 30 minutes apart", earlier, OutAuto, 30 * time.Minute, true},
	} {
		tc.v.OutReason = tc.reason
		overlap, exposed := Exposure(c, StayOf(tc.v), def)
		if overlap != tc.overlap || exposed != tc.exposed {
			t.Errorf("%s: Exposure = %v, %v; want %v, %v", tc.name, overlap, exposed, tc.overlap, tc.exposed)
		}
	}
}

func TestRankContacts(t *testing.T) {
	s := DefaultTraceSettings() // CloseAfter: 15 minutes
	pairs := []ExposurePair{
		{PersonID: 7, In: onDay(10, 0, 0, 0), Overlap: 10 * time.Minute},
		{PersonID: 3, In: onDay(8, 0, 0, 0), Overlap: 30 * time.Second},
		{PersonID: 5, In: onDay(10, 5, 0, 0), Overlap: 15 * time.Minute},
		{PersonID: 7, In: onDay(9, 0, 0, 0), Overlap: 8 * time.Minute}, // the same person, earlier, second visit
		{PersonID: 4, In: onDay(10, 6, 0, 0), Overlap: 15*time.Minute - time.Millisecond},
		{PersonID: 3, In: onDay(8, 30, 0, 0), Overlap: 30 * time.Second, SameVehicle: true}, // the bus
		{PersonID: 2, In: onDay(11, 0, 0, 0), Overlap: 18 * time.Minute},
	}
	want := []ContactSummary{
		{PersonID: 2, Overlap: 18 * time.Minute, Visits: 1, FirstAt: onDay(11, 0, 0, 0), Class: ContactClose},
		{PersonID: 7, Overlap: 18 * time.Minute, Visits: 2, FirstAt: onDay(9, 0, 0, 0), Class: ContactClose},
		{PersonID: 5, Overlap: 15 * time.Minute, Visits: 1, FirstAt: onDay(10, 5, 0, 0), Class: ContactClose},
		{PersonID: 4, Overlap: 15*time.Minute - time.Millisecond, Visits: 1, FirstAt: onDay(10, 6, 0, 0), Class: ContactPossible},
		{PersonID: 3, Overlap: time.Minute, Visits: 2, SameVehicle: true, FirstAt: onDay(8, 0, 0, 0), Class: ContactClose},
	}
	got := RankContacts(pairs, s)
	if len(got) != len(want) {
		t.Fatalf("got %d contacts %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.PersonID != w.PersonID || g.Overlap != w.Overlap || g.Visits != w.Visits ||
			g.SameVehicle != w.SameVehicle || !g.FirstAt.Equal(w.FirstAt) || g.Class != w.Class {
			t.Errorf("contact %d: got %+v, want %+v", i, g, w)
		}
	}
	if got := RankContacts(nil, s); len(got) != 0 {
		t.Errorf("no pairs: got %+v", got)
	}
	// A vehicle makes a close contact whatever the overlap; without one a
	// CloseAfter of 1 ms still needs an overlap.
	strict := s
	strict.CloseAfter = 24 * time.Hour
	got = RankContacts([]ExposurePair{{PersonID: 1, Overlap: time.Minute, SameVehicle: true}, {PersonID: 2, Overlap: 23 * time.Hour}}, strict)
	if got[0].PersonID != 2 || got[0].Class != ContactPossible || got[1].Class != ContactClose {
		t.Errorf("CloseAfter 24h: got %+v, want person 2 possible, person 1 close (vehicle)", got)
	}
}

// randStay is a stay on traceDay at millisecond precision; a third of them
// have no check-out.
func randStay(r *rand.Rand) Stay {
	in := traceDay.Add(time.Duration(r.Int64N(int64(12*time.Hour/time.Millisecond))) * time.Millisecond)
	if r.IntN(3) == 0 {
		return noOut(in)
	}
	// Short stays and stays of a few hours, to land near every boundary.
	d := r.Int64N(int64(4 * time.Hour / time.Millisecond))
	if r.IntN(2) == 0 {
		d = r.Int64N(int64(2 * time.Minute / time.Millisecond))
	}
	return stayed(in, in.Add(time.Duration(d)*time.Millisecond))
}

// randDuration is a whole number of milliseconds below max, often 0.
func randDuration(r *rand.Rand, max time.Duration) time.Duration {
	if r.IntN(4) == 0 {
		return 0
	}
	return time.Duration(r.Int64N(int64(max/time.Millisecond))) * time.Millisecond
}

func randSettings(r *rand.Rand) TraceSettings {
	return TraceSettings{
		Buffer: randDuration(r, 2*time.Hour), OpenWindow: randDuration(r, 3*time.Hour),
		MinOverlap: randDuration(r, 30*time.Minute), CloseAfter: 15 * time.Minute, WindowBefore: 48 * time.Hour,
	}
}

const propertyCases = 5000

func TestExposureSymmetricWithoutBuffer(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 2026))
	for range propertyCases {
		c, o, s := randStay(r), randStay(r), randSettings(r)
		s.Buffer = 0
		ov1, ex1 := Exposure(c, o, s)
		ov2, ex2 := Exposure(o, c, s)
		if ov1 != ov2 || ex1 != ex2 {
			t.Fatalf("c %v, o %v, %+v: Exposure(c, o) = %v, %v but Exposure(o, c) = %v, %v", c, o, s, ov1, ex1, ov2, ex2)
		}
	}
}

func TestExposureBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 1))
	var closed, opened int // exposures under each rule
	for range propertyCases {
		c, o, s := randStay(r), randStay(r), randSettings(r)
		ov, ex := Exposure(c, o, s)
		if ex && !c.Out.IsZero() && !o.Out.IsZero() {
			closed++
		} else if ex {
			opened++
		}
		switch {
		case !ex && ov != 0:
			t.Fatalf("c %v, o %v, %+v: not exposed but overlap %v", c, o, s, ov)
		case ex && (ov < s.MinOverlap || ov%time.Millisecond != 0):
			t.Fatalf("c %v, o %v, %+v: overlap %v below MinOverlap or not whole ms", c, o, s, ov)
		case ex && !c.Out.IsZero() && !o.Out.IsZero() && (ov > o.Out.Sub(o.In) || ov > c.Out.Sub(c.In)+s.Buffer):
			t.Fatalf("c %v, o %v, %+v: overlap %v longer than a stay", c, o, s, ov)
		case ex && (c.Out.IsZero() || o.Out.IsZero()) && ov > s.OpenWindow:
			t.Fatalf("c %v, o %v, %+v: overlap %v longer than OpenWindow", c, o, s, ov)
		}
	}
	// The generator must land on both rules often, or the properties
	// above and below prove little.
	if closed < propertyCases/20 || opened < propertyCases/20 {
		t.Errorf("only %d exposures by the stays and %d by the open window in %d cases", closed, opened, propertyCases)
	}
}

func TestExposureWiderNeverLoses(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 3))
	for range propertyCases {
		c, o, s := randStay(r), randStay(r), randSettings(r)
		wide := s
		wide.Buffer += randDuration(r, time.Hour)
		wide.OpenWindow += randDuration(r, time.Hour)
		ov, ex := Exposure(c, o, s)
		wov, wex := Exposure(c, o, wide)
		if ex && (!wex || wov < ov) {
			t.Fatalf("c %v, o %v: %+v gives %v, %v but the wider %+v gives %v, %v", c, o, s, ov, ex, wide, wov, wex)
		}
	}
}

func TestExposureHigherMinOverlapNeverAdds(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 4))
	for range propertyCases {
		c, o, s := randStay(r), randStay(r), randSettings(r)
		strict := s
		strict.MinOverlap += randDuration(r, time.Hour)
		ov, ex := Exposure(c, o, s)
		sov, sex := Exposure(c, o, strict)
		if sex && (!ex || sov != ov) {
			t.Fatalf("c %v, o %v: %+v gives %v, %v but the stricter %+v gives %v, %v", c, o, s, ov, ex, strict, sov, sex)
		}
	}
}

// fieldsOf is the field errors err carries, nil for none.
func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != Invalid {
		t.Fatalf("got %v, want an invalid error with fields", err)
	}
	return e.Fields
}

func TestTraceSettingsValidate(t *testing.T) {
	for _, s := range []TraceSettings{
		DefaultTraceSettings(), {},
		{Buffer: 24 * time.Hour, OpenWindow: 24 * time.Hour, MinOverlap: 24 * time.Hour, CloseAfter: 24 * time.Hour, WindowBefore: 30 * 24 * time.Hour},
		{Buffer: time.Millisecond},
	} {
		if err := s.Validate(); err != nil {
			t.Errorf("%+v: %v", s, err)
		}
	}
	for _, tc := range []struct {
		name  string
		edit  func(*TraceSettings)
		field string
	}{
		{"negative buffer", func(s *TraceSettings) { s.Buffer = -time.Millisecond }, "buffer"},
		{"buffer over a day", func(s *TraceSettings) { s.Buffer = 24*time.Hour + time.Millisecond }, "buffer"},
		{"open window in microseconds", func(s *TraceSettings) { s.OpenWindow = time.Hour + time.Microsecond }, "open_window"},
		{"open window over a day", func(s *TraceSettings) { s.OpenWindow = 25 * time.Hour }, "open_window"},
		{"negative min overlap", func(s *TraceSettings) { s.MinOverlap = -time.Minute }, "min_overlap"},
		{"min overlap in nanoseconds", func(s *TraceSettings) { s.MinOverlap = 1 }, "min_overlap"},
		{"close after over a day", func(s *TraceSettings) { s.CloseAfter = 24*time.Hour + time.Millisecond }, "close_after"},
		{"negative window before", func(s *TraceSettings) { s.WindowBefore = -time.Hour }, "window_before"},
		{"window before over 30 days", func(s *TraceSettings) { s.WindowBefore = 30*24*time.Hour + time.Millisecond }, "window_before"},
	} {
		s := DefaultTraceSettings()
		tc.edit(&s)
		want := map[string]string{tc.field: "err.trace_setting"}
		if got := fieldsOf(t, s.Validate()); !maps.Equal(got, want) {
			t.Errorf("%s: got fields %v, want %v", tc.name, got, want)
		}
	}
	all := TraceSettings{Buffer: -1, OpenWindow: -1, MinOverlap: -1, CloseAfter: -1, WindowBefore: -1}
	if got := fieldsOf(t, all.Validate()); len(got) != 5 {
		t.Errorf("all negative: got fields %v, want all five", got)
	}
}

func TestCaseValidate(t *testing.T) {
	good := func() Case {
		return Case{
			PersonID: 42, UnitCode: "13321", UnitPath: "35/347/13321/", Reason: "Ca dương tính, xét nghiệm PCR ngày 26/11",
			Onset: onDay(8, 0, 0, 0), WindowFrom: onDay(8, 0, 0, 0).Add(-48 * time.Hour),
			Settings: DefaultTraceSettings(), Status: CaseOpen,
		}
	}
	for _, edit := range []func(*Case){
		func(c *Case) {},
		func(c *Case) { c.WindowTo = c.WindowFrom.Add(time.Millisecond) },
		func(c *Case) { c.WindowTo = c.WindowFrom.Add(60 * 24 * time.Hour) },
		func(c *Case) { c.Reason = strings.Repeat("a", 500) },
		func(c *Case) { c.Status = CaseClosed },
	} {
		c := good()
		edit(&c)
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
	for _, tc := range []struct {
		name string
		edit func(*Case)
		want map[string]string
	}{
		{"no person", func(c *Case) { c.PersonID = 0 }, map[string]string{"person": "err.required"}},
		{"no unit", func(c *Case) { c.UnitCode = "" }, map[string]string{"unit": "err.unit_code"}},
		{"bad unit code", func(c *Case) { c.UnitCode = "13321/' OR 1=1" }, map[string]string{"unit": "err.unit_code"}},
		{"no unit path", func(c *Case) { c.UnitPath = "" }, map[string]string{"unit": "err.unit_code"}},
		{"no reason", func(c *Case) { c.Reason = "" }, map[string]string{"reason": "err.required"}},
		{"reason over 500 bytes", func(c *Case) { c.Reason = strings.Repeat("ễ", 167) }, map[string]string{"reason": "err.too_long"}},
		{"reason not UTF-8", func(c *Case) { c.Reason = "Ca d\xff" }, map[string]string{"reason": "err.too_long"}},
		{"no window start", func(c *Case) { c.WindowFrom = time.Time{} }, map[string]string{"window_from": "err.required"}},
		{"window ends as it starts", func(c *Case) { c.WindowTo = c.WindowFrom }, map[string]string{"window_to": "err.window_order"}},
		{"window ends before it starts", func(c *Case) { c.WindowTo = c.WindowFrom.Add(-time.Hour) }, map[string]string{"window_to": "err.window_order"}},
		{"window over 60 days", func(c *Case) { c.WindowTo = c.WindowFrom.Add(60*24*time.Hour + time.Millisecond) }, map[string]string{"window_to": "err.window_long"}},
		{"bad settings", func(c *Case) { c.Settings.Buffer = -time.Minute; c.Settings.CloseAfter = time.Microsecond },
			map[string]string{"buffer": "err.trace_setting", "close_after": "err.trace_setting"}},
		{"no status", func(c *Case) { c.Status = "" }, map[string]string{"status": "err.case_status"}},
		{"unknown status", func(c *Case) { c.Status = "reopened" }, map[string]string{"status": "err.case_status"}},
		{"several at once", func(c *Case) { c.PersonID = 0; c.Reason = ""; c.Status = "x" },
			map[string]string{"person": "err.required", "reason": "err.required", "status": "err.case_status"}},
	} {
		c := good()
		tc.edit(&c)
		if got := fieldsOf(t, c.Validate()); !maps.Equal(got, tc.want) {
			t.Errorf("%s: got fields %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestExposureWindowValidate(t *testing.T) {
	good := func() ExposureWindow {
		return ExposureWindow{
			VenueID: 9, From: onDay(10, 0, 0, 0), To: onDay(11, 30, 0, 0), Severity: SeverityHigh,
			MessageVI: "Bạn đã ở chợ Phủ Lý cùng lúc với một ca bệnh: hãy cách ly và xét nghiệm.",
			MessageEN: "You were at Phủ Lý market at the same time as a case: isolate and get tested.",
		}
	}
	for _, edit := range []func(*ExposureWindow){
		func(w *ExposureWindow) {},
		func(w *ExposureWindow) { w.MessageVI, w.MessageEN = "", "" },
		func(w *ExposureWindow) { w.Severity = SeverityLow },
		func(w *ExposureWindow) { w.To = w.From.Add(time.Millisecond) },
		func(w *ExposureWindow) { w.To = w.From.Add(7 * 24 * time.Hour) },
		func(w *ExposureWindow) { w.MessageEN = strings.Repeat("x", 500) },
	} {
		w := good()
		edit(&w)
		if err := w.Validate(); err != nil {
			t.Errorf("%+v: %v", w, err)
		}
	}
	for _, tc := range []struct {
		name string
		edit func(*ExposureWindow)
		want map[string]string
	}{
		{"no venue", func(w *ExposureWindow) { w.VenueID = 0 }, map[string]string{"venue": "err.required"}},
		{"negative venue", func(w *ExposureWindow) { w.VenueID = -1 }, map[string]string{"venue": "err.required"}},
		{"no start", func(w *ExposureWindow) { w.From, w.To = time.Time{}, time.Time{} },
			map[string]string{"from": "err.required", "to": "err.window_order"}},
		{"no end", func(w *ExposureWindow) { w.To = time.Time{} }, map[string]string{"to": "err.window_order"}},
		{"ends as it starts", func(w *ExposureWindow) { w.To = w.From }, map[string]string{"to": "err.window_order"}},
		{"ends before it starts", func(w *ExposureWindow) { w.To = w.From.Add(-time.Minute) }, map[string]string{"to": "err.window_order"}},
		{"over a week", func(w *ExposureWindow) { w.To = w.From.Add(7*24*time.Hour + time.Millisecond) }, map[string]string{"to": "err.window_long"}},
		{"no severity", func(w *ExposureWindow) { w.Severity = "" }, map[string]string{"severity": "err.severity"}},
		{"unknown severity", func(w *ExposureWindow) { w.Severity = "medium" }, map[string]string{"severity": "err.severity"}},
		{"Vietnamese message over 500 bytes", func(w *ExposureWindow) { w.MessageVI = strings.Repeat("ả", 167) }, map[string]string{"message_vi": "err.too_long"}},
		{"English message not UTF-8", func(w *ExposureWindow) { w.MessageEN = "Isolate\xc3" }, map[string]string{"message_en": "err.too_long"}},
	} {
		w := good()
		tc.edit(&w)
		if got := fieldsOf(t, w.Validate()); !maps.Equal(got, tc.want) {
			t.Errorf("%s: got fields %v, want %v", tc.name, got, tc.want)
		}
	}
}
