package tracing_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/tracing"
)

func TestPublishWindowByHand(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newExpoEnv(t, open)
		from, to := ict(9, 8, 0), ict(9, 11, 30)
		in := tracing.Publish{VenueID: e.workshop.ID, From: from.In(svctest.ICT), To: to, Severity: ravao.SeverityHigh,
			Reason: "Ca bệnh do Sở Y tế Hà Nội thông báo"}
		w, err := e.svc.PublishWindow(e.ctx, e.official, in)
		if err != nil {
			t.Fatal(err)
		}
		if !w.From.Equal(from) || !w.To.Equal(to) || w.VenueID != e.workshop.ID || w.CheckpointID != 0 || w.CaseID != 0 {
			t.Errorf("window: got %+v, want the workshop from %v to %v", w, from, to)
		}
		if !strings.Contains(w.MessageVI, "Xưởng may số 1") || !strings.Contains(w.MessageEN, "Xưởng may số 1") || w.MessageVI == w.MessageEN {
			t.Errorf("default messages: got %q / %q, want each language naming the venue", w.MessageVI, w.MessageEN)
		}
		if ws := e.windows(); len(ws) != 1 || ws[0].ID != w.ID || !ws[0].From.Equal(from) || !ws[0].To.Equal(to) {
			t.Fatalf("stored: got %+v, want the one window", ws)
		}
		if a := e.audits("exposure.publish"); len(a) != 1 || a[0].Reason != in.Reason || a[0].ObjectID != strconv.FormatInt(w.ID, 10) || a[0].UserID != e.official.User.ID {
			t.Errorf("audit: got %+v, want one event with the official's reason", a)
		}

		own := in
		own.CheckpointID, own.MessageVI, own.MessageEN = e.bus.ID, "  Tự theo dõi sức khoẻ. ", ""
		own.VenueID, own.Severity = e.buses.ID, ravao.SeverityLow
		w2, err := e.svc.PublishWindow(e.ctx, e.official, own)
		if err != nil || w2.CheckpointID != e.bus.ID || w2.MessageVI != "Tự theo dõi sức khoẻ." || !strings.Contains(w2.MessageEN, "Xe buýt Phủ Lý") {
			t.Errorf("a bus with its own Vietnamese message: got %+v, %v", w2, err)
		}

		for _, tt := range []struct {
			what   string
			change func(*tracing.Publish)
			actor  *ravao.Principal
			key    string
		}{
			{"no reason", func(p *tracing.Publish) { p.Reason = " " }, e.official, "err.reason_required"},
			{"ends before it begins", func(p *tracing.Publish) { p.To = from.Add(-time.Minute) }, e.official, "err.window_order"},
			{"longer than a week", func(p *tracing.Publish) { p.From = to.Add(-8 * 24 * time.Hour) }, e.official, "err.window_long"},
			{"not begun yet", func(p *tracing.Publish) { p.From, p.To = expoNow.Add(time.Hour), expoNow.Add(2*time.Hour) }, e.official, "err.window_future"},
			{"ended weeks ago", func(p *tracing.Publish) {
				p.From, p.To = ict(1, 8, 0).AddDate(0, 0, -10), ict(1, 9, 0).AddDate(0, 0, -10)
			}, e.official, "err.window_old"},
			{"no severity", func(p *tracing.Publish) { p.Severity = "" }, e.official, "err.severity"},
			{"message too long", func(p *tracing.Publish) { p.MessageEN = strings.Repeat("x", 501) }, e.official, "err.too_long"},
			{"no venue", func(p *tracing.Publish) { p.VenueID = 0 }, e.official, "err.required"},
			{"unknown venue", func(p *tracing.Publish) { p.VenueID = 987654 }, e.official, "err.venue_not_found"},
			{"checkpoint of another venue", func(p *tracing.Publish) { p.CheckpointID = e.bus.ID }, e.official, "err.checkpoint_not_found"},
			{"venue outside the official's province", func(*tracing.Publish) {}, e.far, "err.venue_out_of_scope"},
			{"gate staff", func(*tracing.Publish) {}, e.gateKeep, "err.forbidden"},
		} {
			bad := in
			tt.change(&bad)
			_, err := e.svc.PublishWindow(e.ctx, tt.actor, bad)
			svctest.WantKey(t, tt.what, err, tt.key)
		}
		if n, a := len(e.windows()), len(e.audits("exposure.publish")); n != 2 || a != 2 {
			t.Errorf("after bad input: %d windows and %d audit events, want 2 and 2", n, a)
		}
	})
}

func TestPublishCaseWindows(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newExpoEnv(t, open)
		f0 := e.person("Nguyễn Văn Ca", "0912000001")
		before := e.visit(f0, e.gate, ict(5, 8, 0), ict(5, 9, 0), ravao.OutTap)
		closed := e.visit(f0, e.gate, ict(9, 8, 0), ict(9, 10, 0), ravao.OutTap)
		inside := e.visit(f0, e.gate, ict(9, 14, 0), time.Time{}, "")
		auto := e.visit(f0, e.bus, ict(10, 7, 0), ict(10, 11, 0), ravao.OutAuto)
		c := e.openCase(f0, ict(8, 0, 0))

		one, err := e.svc.PublishCase(e.ctx, e.official, c.ID, tracing.PublishFromCase{VisitIDs: []int64{closed.ID}, Severity: ravao.SeverityHigh})
		if err != nil || len(one) != 1 {
			t.Fatalf("publish one visit: got %+v, %v", one, err)
		}
		all, err := e.svc.PublishCase(e.ctx, e.official, c.ID, tracing.PublishFromCase{Severity: ravao.SeverityHigh, MessageEN: "Stay home."})
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			visit    ravao.Visit
			cp       int64
			from, to time.Time
		}{
			{closed, 0, ict(9, 8, 0), ict(9, 10, 30)},       // out + 30 min buffer
			{inside, 0, ict(9, 14, 0), ict(9, 15, 30)},      // in + 60 min open window + buffer
			{auto, e.bus.ID, ict(10, 7, 0), ict(10, 8, 30)}, // an automatic check-out is no check-out
		}
		if len(all) != len(want) {
			t.Fatalf("publish all: got %d windows, want %d", len(all), len(want))
		}
		for i, w := range want {
			got := all[i]
			if got.VenueID != w.visit.VenueID || got.CheckpointID != w.cp || !got.From.Equal(w.from) || !got.To.Equal(w.to) || got.CaseID != c.ID {
				t.Errorf("window of visit %d: got %+v, want %v to %v at checkpoint %d", i, got, w.from, w.to, w.cp)
			}
		}
		if all[0].ID != one[0].ID || all[1].MessageEN != "Stay home." || !strings.Contains(all[1].MessageVI, "Xưởng may số 1") {
			t.Errorf("publish all: got %+v, want the first window kept and the messages given or defaulted", all)
		}
		if n := len(e.windows()); n != 3 {
			t.Errorf("stored: %d windows, want 3 (a visit is published once)", n)
		}
		a := e.audits("exposure.publish")
		if len(a) != 3 || a[0].Reason != c.Reason {
			t.Errorf("audit: got %+v, want 3 events with the case's reason", a)
		}

		_, err = e.svc.PublishCase(e.ctx, e.official, c.ID, tracing.PublishFromCase{VisitIDs: []int64{before.ID}, Severity: ravao.SeverityHigh})
		svctest.WantKey(t, "a visit outside the case's window", err, "err.visit_not_found")
		_, err = e.svc.PublishCase(e.ctx, e.official, c.ID, tracing.PublishFromCase{Severity: "urgent"})
		svctest.WantKey(t, "an unknown severity", err, "err.severity")
		_, err = e.svc.PublishCase(e.ctx, e.far, c.ID, tracing.PublishFromCase{Severity: ravao.SeverityHigh})
		if !ravao.IsNotFound(err) {
			t.Errorf("an official of another province: got %v, want not found", err)
		}
		if n := len(e.windows()); n != 3 {
			t.Errorf("after refusals: %d windows, want 3", n)
		}
	})
}

func TestWithdrawWindow(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newExpoEnv(t, open)
		w, err := e.svc.PublishWindow(e.ctx, e.official, tracing.Publish{VenueID: e.workshop.ID, From: ict(9, 8, 0), To: ict(9, 9, 0),
			Severity: ravao.SeverityLow, Reason: "Thông báo của tỉnh bạn"})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Withdraw(e.ctx, e.far, w.ID); !ravao.IsNotFound(err) {
			t.Errorf("withdraw by another province: got %v, want not found", err)
		}
		if err := e.svc.Withdraw(e.ctx, e.official, w.ID); err != nil {
			t.Fatalf("withdraw: %v", err)
		}
		err = e.svc.Withdraw(e.ctx, e.official, w.ID)
		if ravao.ErrorCode(err) != ravao.Conflict {
			t.Errorf("withdraw twice: got %v, want a conflict", err)
		}
		svctest.WantKey(t, "withdraw twice", err, "err.window_withdrawn")
		if cur, err := e.svc.Current(e.ctx); err != nil || len(cur) != 0 {
			t.Errorf("current after withdrawal: got %+v, %v, want none", cur, err)
		}
		listed, err := e.svc.Windows(e.ctx, e.official, ravao.ExposureWindowFilter{IncludeWithdrawn: true})
		if err != nil || len(listed) != 1 || listed[0].Window.WithdrawnAt.IsZero() || listed[0].VenueName != "Xưởng may số 1" {
			t.Errorf("official's list: got %+v, %v, want the withdrawn window", listed, err)
		}
		if listed, err := e.svc.Windows(e.ctx, e.far, ravao.ExposureWindowFilter{IncludeWithdrawn: true}); err != nil || len(listed) != 0 {
			t.Errorf("list of another province: got %+v, %v, want none", listed, err)
		}
		if a := e.audits("exposure.withdraw"); len(a) != 1 || a[0].ObjectID != strconv.FormatInt(w.ID, 10) {
			t.Errorf("audit: got %+v, want one withdrawal", a)
		}
	})
}

func TestCurrentWindows(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newExpoEnv(t, open)
		old, err := e.svc.PublishWindow(e.ctx, e.official, tracing.Publish{VenueID: e.workshop.ID, From: ict(1, 8, 0), To: ict(1, 9, 0),
			Severity: ravao.SeverityHigh, Reason: "r"})
		if err != nil {
			t.Fatal(err)
		}
		bus, err := e.svc.PublishWindow(e.ctx, e.official, tracing.Publish{VenueID: e.buses.ID, CheckpointID: e.bus.ID,
			From: ict(9, 7, 0), To: ict(9, 8, 0), Severity: ravao.SeverityLow, MessageVI: "Theo dõi sức khoẻ", MessageEN: "Watch your health", Reason: "r"})
		if err != nil {
			t.Fatal(err)
		}
		cur, err := e.svc.Current(e.ctx)
		if err != nil || len(cur) != 2 {
			t.Fatalf("current: got %+v, %v, want both windows", cur, err)
		}
		var got tracing.PublicWindow
		for _, w := range cur {
			if w.ID == bus.ID {
				got = w
			}
		}
		want := tracing.PublicWindow{ID: bus.ID, VenueID: e.buses.ID, CheckpointID: e.bus.ID, VenueName: "Xe buýt Phủ Lý",
			From: ict(9, 7, 0), To: ict(9, 8, 0), Severity: ravao.SeverityLow}
		if got.ID != want.ID || got.VenueID != want.VenueID || got.CheckpointID != want.CheckpointID || got.VenueName != want.VenueName ||
			!got.From.Equal(want.From) || !got.To.Equal(want.To) || got.Severity != want.Severity ||
			got.Message["vi"] != "Theo dõi sức khoẻ" || got.Message["en"] != "Watch your health" {
			t.Errorf("public window: got %+v, want %+v with both messages", got, want)
		}
		if at, err := e.svc.VenueWindows(e.ctx, e.workshop.ID); err != nil || len(at) != 1 || at[0].ID != old.ID {
			t.Errorf("the workshop's windows: got %+v, %v, want the one there", at, err)
		}

		e.clock.Advance(5*24*time.Hour + time.Hour) // the workshop's window ended over 14 days ago
		cur, err = e.svc.Current(e.ctx)
		if err != nil || len(cur) != 1 || cur[0].ID != bus.ID {
			t.Errorf("current after 14 days: got %+v, %v, want only the bus", cur, err)
		}
		if at, err := e.svc.VenueWindows(e.ctx, e.workshop.ID); err != nil || len(at) != 0 {
			t.Errorf("the workshop's windows after 14 days: got %+v, %v, want none", at, err)
		}
	})
}

func TestPublicWindowMatches(t *testing.T) {
	w := tracing.PublicWindow{VenueID: 1, From: ict(9, 8, 0), To: ict(9, 10, 0)}
	bus := w
	bus.CheckpointID = 7
	visit := func(cp int64, in, out time.Time, reason string) ravao.Visit {
		return ravao.Visit{VenueID: 1, CheckpointID: cp, InAt: in, OutAt: out, OutReason: reason}
	}
	for _, tt := range []struct {
		what string
		w    tracing.PublicWindow
		v    ravao.Visit
		want bool
	}{
		{"inside", w, visit(3, ict(9, 8, 30), ict(9, 9, 0), ravao.OutTap), true},
		{"left as it began", w, visit(3, ict(9, 7, 0), ict(9, 8, 0), ravao.OutTap), false},
		{"left a minute into it", w, visit(3, ict(9, 7, 0), ict(9, 8, 1), ravao.OutTap), true},
		{"came as it ended", w, visit(3, ict(9, 10, 0), ict(9, 11, 0), ravao.OutTap), false},
		{"open, came 59 minutes before", w, visit(3, ict(9, 7, 1), time.Time{}, ""), true},
		{"open, came an hour before", w, visit(3, ict(9, 7, 0), time.Time{}, ""), false},
		{"checked out automatically late", w, visit(3, ict(9, 6, 0), ict(9, 12, 0), ravao.OutAuto), false},
		{"another venue", w, ravao.Visit{VenueID: 2, CheckpointID: 3, InAt: ict(9, 8, 30)}, false},
		{"the bus", bus, visit(7, ict(9, 9, 0), ict(9, 9, 20), ravao.OutTap), true},
		{"another bus of the company", bus, visit(8, ict(9, 9, 0), ict(9, 9, 20), ravao.OutTap), false},
	} {
		if got := tt.w.Matches(tt.v); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.what, got, tt.want)
		}
	}
}
