package tracing_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/gate"
	"github.com/ravao/ravao/tracing"
)

// outbreak is the hand-made scenario of these tests, on 9 July:
//
//   - at the market, An (the case) 9:00–10:00 through gate A; Bình
//     9:30–10:20 (50 minutes within An's stay and its 30-minute buffer:
//     close); Chi 10:20–11:00 (10 minutes in the buffer: possible); Dũng
//     10:45–11:00 (after the buffer: not An's contact); Em in at 9:10 and
//     never out (60 − 10 = 50 minutes by the open rule: close);
//   - on the bus, An 12:00–12:05 and Giang 12:03–12:06: 3 minutes, but the
//     same vehicle: close;
//   - back at the market, Bình 14:00–15:00 and Hùng 14:30–15:30: Hùng is
//     Bình's contact (F2), not An's.
type outbreak struct {
	an, binh, chi, dung, em, giang, hung int64
	anMarket, anBus                      ravao.Visit
}

// anPhone is An's phone; 035090000001 is An's ID number.
const anPhone = "0912345678"

func (e *env) outbreak() outbreak {
	e.t.Helper()
	o := outbreak{
		an:    e.person("Nguyễn Văn An", anPhone, "035090000001"),
		binh:  e.person("Trần Thị Bình", "0912000002", ""),
		chi:   e.person("Lê Minh Chi", "0912000003", ""),
		dung:  e.person("Phạm Văn Dũng", "", ""),
		em:    e.person("Hoàng Thị Em", "0912000005", ""),
		giang: e.person("Vũ Trường Giang", "0912000006", ""),
		hung:  e.person("Đỗ Mạnh Hùng", "0912000007", ""),
	}
	o.anMarket = e.visit(o.an, e.gateA, at(9, 9, 0), at(9, 10, 0))
	e.visit(o.binh, e.gateB, at(9, 9, 30), at(9, 10, 20))
	e.visit(o.chi, e.gateA, at(9, 10, 20), at(9, 11, 0))
	e.visit(o.dung, e.gateA, at(9, 10, 45), at(9, 11, 0))
	e.visit(o.em, e.gateB, at(9, 9, 10), time.Time{})
	o.anBus = e.visit(o.an, e.busDoor, at(9, 12, 0), at(9, 12, 5))
	e.visit(o.giang, e.busDoor, at(9, 12, 3), at(9, 12, 6))
	e.visit(o.binh, e.gateA, at(9, 14, 0), at(9, 15, 0))
	e.visit(o.hung, e.gateA, at(9, 14, 30), at(9, 15, 30))
	return o
}

// want is a contact as the tests expect it.
type want struct {
	class   ravao.ContactClass
	overlap time.Duration
	visits  int
	vehicle bool
	first   time.Time
}

// anContacts are An's contacts in the outbreak, by person.
func (o outbreak) anContacts() map[int64]want {
	return map[int64]want{
		o.binh:  {ravao.ContactClose, 50 * time.Minute, 1, false, at(9, 9, 30)},
		o.em:    {ravao.ContactClose, 50 * time.Minute, 1, false, at(9, 9, 10)},
		o.chi:   {ravao.ContactPossible, 10 * time.Minute, 1, false, at(9, 10, 20)},
		o.giang: {ravao.ContactClose, 3 * time.Minute, 1, true, at(9, 12, 3)},
	}
}

func TestOpenByPhoneTracesAtOnce(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		o := e.outbreak()
		c, tr := e.open(tracing.OpenCase{Phone: "+84 912 345 678"})
		if c.PersonID != o.an || c.Status != ravao.CaseOpen || c.UnitCode != "35" || c.UnitPath != "35/" {
			t.Errorf("case: %+v, want An's, open, in the official's province", c)
		}
		if !c.Onset.Equal(t0) || !c.WindowFrom.Equal(t0.Add(-48*time.Hour)) || !c.WindowTo.IsZero() {
			t.Errorf("window: onset %v from %v to %v, want now, two days before, open", c.Onset, c.WindowFrom, c.WindowTo)
		}
		if c.Settings != ravao.DefaultTraceSettings() || c.CreatedBy != e.health.User.ID {
			t.Errorf("settings %+v by %d", c.Settings, c.CreatedBy)
		}
		if tr != (tracing.Traced{Found: 4, Added: 4}) {
			t.Errorf("traced %+v, want 4 found and added", tr)
		}
		if d := e.decision(o.an); d != ravao.Red {
			t.Errorf("An at a gate: %s, want red", d)
		}
		if d := e.decision(o.binh); d == ravao.Red {
			t.Errorf("Bình, a new contact, at a gate: red, want not isolated yet")
		}
	})
}

func TestOpenByIDNumberInAWard(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		o := e.outbreak()
		c, _ := e.open(tracing.OpenCase{IDNumber: "035 090 000 001", UnitCode: "13321",
			Onset: at(9, 20, 0), Settings: &ravao.TraceSettings{Buffer: 0, OpenWindow: time.Hour, CloseAfter: 15 * time.Minute, WindowBefore: 24 * time.Hour}})
		if c.PersonID != o.an || c.UnitCode != "13321" || c.UnitPath != "35/347/13321/" {
			t.Errorf("case: %+v, want An's in Quang Trung", c)
		}
		if !c.WindowFrom.Equal(at(8, 20, 0)) {
			t.Errorf("window from %v, want a day before the onset", c.WindowFrom)
		}
		// Without the buffer, Chi came in after An left.
		got, err := e.tr.Exposures(e.ctx, e.ward, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(got, func(s ravao.ContactSummary) bool { return s.PersonID == o.chi }) || len(got) != 3 {
			t.Errorf("exposures with no buffer: %+v, want Bình, Em and Giang", got)
		}
	})
}

func TestOpenByPersonalQRTurnsTheGateRed(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		token, person := e.visitor("Ngô Thị Lan", "0938000001")
		qr, _, err := e.svc.Visitors.PersonalQR(e.ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := e.open(tracing.OpenCase{PersonalQR: qr + "\r\n"})
		if c.PersonID != person {
			t.Fatalf("case of person %d, want %d", c.PersonID, person)
		}
		g, err := gate.New(e.store, e.vault, e.svc.Places, e.svc.Visitors, gate.Config{Clock: e.clock})
		if err != nil {
			t.Fatal(err)
		}
		res, err := g.Scan(e.ctx, e.guard, gate.Scan{CheckpointID: e.gateA, Payload: qr})
		if err != nil {
			t.Fatal(err)
		}
		if res.Decision != ravao.Red {
			t.Errorf("scan of the case's own code: %s, want red", res.Decision)
		}
		altered := qr[:len(qr)-1] + "0"
		if altered == qr {
			altered = qr[:len(qr)-1] + "1"
		}
		_, _, err = e.tr.Open(e.ctx, e.health, tracing.OpenCase{PersonalQR: altered, Reason: "x"})
		e.wantField(t, err, "personal_qr", "err.personal_qr_invalid")
		e.clock.Advance(time.Hour)
		_, _, err = e.tr.Open(e.ctx, e.health, tracing.OpenCase{PersonalQR: qr, Reason: "x"})
		e.wantField(t, err, "personal_qr", "err.personal_qr_expired")
	})
}

func TestOpenRefusesBadInput(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		o := e.outbreak()
		reason := "F0"
		bad := ravao.DefaultTraceSettings()
		bad.Buffer = -time.Minute
		cases := []struct {
			name       string
			in         tracing.OpenCase
			field, key string
		}{
			{name: "nobody", in: tracing.OpenCase{Reason: reason}, field: "person", key: "err.case_person"},
			{name: "two ways", in: tracing.OpenCase{Phone: anPhone, PersonID: o.an, Reason: reason}, field: "person", key: "err.case_person_one"},
			{name: "unknown phone", in: tracing.OpenCase{Phone: "0999999999", Reason: reason}, field: "phone", key: "err.person_not_found"},
			{name: "bad phone", in: tracing.OpenCase{Phone: "12345", Reason: reason}, field: "phone", key: "err.phone"},
			{name: "unknown ID number", in: tracing.OpenCase{IDNumber: "001090000009", Reason: reason}, field: "id_number", key: "err.person_not_found"},
			{name: "unknown person", in: tracing.OpenCase{PersonID: 42, Reason: reason}, field: "person", key: "err.person_not_found"},
			{name: "not a QR code", in: tracing.OpenCase{PersonalQR: "8400112345", Reason: reason}, field: "personal_qr", key: "err.personal_qr_invalid"},
			{name: "no reason", in: tracing.OpenCase{Phone: anPhone}, field: "reason", key: "err.required"},
			{name: "reason too long", in: tracing.OpenCase{Phone: anPhone, Reason: strings.Repeat("x", 501)}, field: "reason", key: "err.too_long"},
			{name: "onset ahead", in: tracing.OpenCase{Phone: anPhone, Reason: reason, Onset: t0.Add(time.Hour)}, field: "onset", key: "err.onset_future"},
			{name: "window backwards", in: tracing.OpenCase{Phone: anPhone, Reason: reason, WindowFrom: at(9, 0, 0), WindowTo: at(8, 0, 0)}, field: "window_to", key: "err.window_order"},
			{name: "bad settings", in: tracing.OpenCase{Phone: anPhone, Reason: reason, Settings: &bad}, field: "buffer", key: "err.trace_setting"},
			{name: "unknown unit", in: tracing.OpenCase{Phone: anPhone, Reason: reason, UnitCode: "99999"}, field: "unit", key: "err.unit_unknown"},
			{name: "unit out of scope", in: tracing.OpenCase{Phone: anPhone, Reason: reason, UnitCode: "14000"}, field: "unit", key: "err.unit_out_of_scope"},
		}
		for _, c := range cases {
			_, _, err := e.tr.Open(e.ctx, e.health, c.in)
			t.Run(c.name, func(t *testing.T) { e.wantField(t, err, c.field, c.key) })
		}
		_, _, err := e.tr.Open(e.ctx, e.guard, tracing.OpenCase{Phone: anPhone, Reason: reason})
		e.wantErr(t, err, ravao.Forbidden, "err.forbidden")
		// Ninh Bình's official may not open a case in Hà Nam.
		_, _, err = e.tr.Open(e.ctx, e.health37, tracing.OpenCase{Phone: anPhone, Reason: reason, UnitCode: "13321"})
		e.wantField(t, err, "unit", "err.unit_out_of_scope")
		if got := e.cases(o.an); len(got) != 0 || len(e.audit("case.open")) != 0 {
			t.Fatalf("refused opens left %d cases, %d audit events", len(got), len(e.audit("case.open")))
		}
		e.open(tracing.OpenCase{Phone: anPhone})
		_, _, err = e.tr.Open(e.ctx, e.health2, tracing.OpenCase{PersonID: o.an, Reason: reason})
		e.wantErr(t, err, ravao.Conflict, "err.case_exists")
		if got := e.cases(o.an); len(got) != 1 {
			t.Errorf("An has %d cases, want 1", len(got))
		}
	})
}

// TestOfficialsSeeOnlyTheirUnits: lists, views and changes stop at the
// official's units; lists mask names.
func TestOfficialsSeeOnlyTheirUnits(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		o := e.outbreak()
		province, _ := e.open(tracing.OpenCase{PersonID: o.an})
		ward, _ := e.open(tracing.OpenCase{PersonID: o.hung, UnitCode: "13321"})
		other, _, err := e.tr.Open(e.ctx, e.health37, tracing.OpenCase{PersonID: o.dung, Reason: "F0 ở Ninh Bình"})
		if err != nil || other.UnitCode != "37" {
			t.Fatalf("Ninh Bình's case: %+v, %v", other, err)
		}
		lists := []struct {
			who  *ravao.Principal
			f    ravao.CaseFilter
			want []int64
		}{
			{e.health, ravao.CaseFilter{}, []int64{ward.ID, province.ID}},
			{e.health, ravao.CaseFilter{UnitPath: "35/347/"}, []int64{ward.ID}},
			{e.health, ravao.CaseFilter{UnitPath: "37/"}, nil},
			{e.ward, ravao.CaseFilter{}, []int64{ward.ID}},
			{e.ward, ravao.CaseFilter{UnitPath: "35/"}, []int64{ward.ID}},
			{e.health37, ravao.CaseFilter{}, []int64{other.ID}},
			{e.health, ravao.CaseFilter{Limit: 1}, []int64{ward.ID}},
			{e.health, ravao.CaseFilter{AfterID: ward.ID}, []int64{province.ID}},
		}
		for _, l := range lists {
			rows, err := e.tr.Cases(e.ctx, l.who, l.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, r := range rows {
				got = append(got, r.Case.ID)
			}
			if !slices.Equal(got, l.want) {
				t.Errorf("%s lists %+v: %v, want %v", l.who.User.Login, l.f, got, l.want)
			}
		}
		for name, err := range map[string]error{
			"case":      second(e.tr.Case(e.ctx, e.health37, province.ID)),
			"contacts":  second(e.tr.Contacts(e.ctx, e.health37, province.ID)),
			"exposures": second(e.tr.Exposures(e.ctx, e.health37, province.ID)),
			"trace":     second(e.tr.Trace(e.ctx, e.health37, province.ID)),
			"ward":      second(e.tr.Case(e.ctx, e.ward, province.ID)),
			"no case":   second(e.tr.Case(e.ctx, e.health, 999999)),
		} {
			if ravao.ErrorCode(err) != ravao.NotFound {
				t.Errorf("%s out of scope: %v, want not found", name, err)
			}
		}
		_, _, err = e.tr.Update(e.ctx, e.health37, province.ID, tracing.CaseUpdate{Close: true})
		if ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("close out of scope: %v, want not found", err)
		}
		rows, err := e.tr.Cases(e.ctx, e.health, ravao.CaseFilter{Status: ravao.CaseOpen, Limit: 1})
		if err != nil || len(rows) != 1 || rows[0].MaskedName != "Đỗ M*** H" || rows[0].Contacts != 1 {
			t.Errorf("rows: %+v, %v; want Hùng's case masked, with Bình as its contact", rows, err)
		}
		rows, err = e.tr.Cases(e.ctx, e.health, ravao.CaseFilter{AfterID: ward.ID})
		if err != nil || len(rows) != 1 || rows[0].MaskedName != "Nguyễn V*** A" || rows[0].Contacts != 4 {
			t.Errorf("rows: %+v, %v; want An's case masked, with 4 contacts", rows, err)
		}
		rows, err = e.tr.Cases(e.ctx, e.health, ravao.CaseFilter{Status: ravao.CaseClosed})
		if err != nil || len(rows) != 0 {
			t.Errorf("closed cases: %+v, %v; want none", rows, err)
		}
		_, err = e.tr.Cases(e.ctx, e.guard, ravao.CaseFilter{})
		e.wantErr(t, err, ravao.Forbidden, "err.forbidden")
		_, err = e.tr.Cases(e.ctx, e.health, ravao.CaseFilter{Status: "lost"})
		e.wantField(t, err, "status", "err.case_status")
	})
}

// second is the error of a two-value call.
func second[T any](_ T, err error) error { return err }

func TestCaseTimelineAndExposures(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		o := e.outbreak()
		c, _ := e.open(tracing.OpenCase{Phone: anPhone})
		v, err := e.tr.Case(e.ctx, e.health, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		p := v.Person
		if p.ID != o.an || p.FullName != "Nguyễn Văn An" || p.Phone != anPhone || p.BirthYear != 1990 || v.Source != nil {
			t.Errorf("person %+v, source %v", p, v.Source)
		}
		if len(v.Timeline) != 2 {
			t.Fatalf("timeline: %d visits, want the market and the bus", len(v.Timeline))
		}
		m, b := v.Timeline[0], v.Timeline[1]
		if m.Visit.ID != o.anMarket.ID || m.VenueName != "Chợ Bầu" || m.CheckpointName != "Cổng A" || m.VenueType != ravao.VenueMarket ||
			m.VenueUnit != "13321" || m.Exposed != 3 || m.Close != 2 {
			t.Errorf("market: %+v, want 3 exposed, 2 close", m)
		}
		if b.Visit.ID != o.anBus.ID || b.CheckpointKind != ravao.CheckpointVehicle || b.Exposed != 1 || b.Close != 1 {
			t.Errorf("bus: %+v, want 1 exposed, close", b)
		}
		got, err := e.tr.Exposures(e.ctx, e.health, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantAll := o.anContacts()
		if len(got) != len(wantAll) {
			t.Fatalf("exposures: %+v, want %d people", got, len(wantAll))
		}
		for i, s := range got {
			w := wantAll[s.PersonID]
			if s.Class != w.class || s.Overlap != w.overlap || s.Visits != w.visits || s.SameVehicle != w.vehicle || !s.FirstAt.Equal(w.first) {
				t.Errorf("exposure %d: %+v, want %+v", i, s, w)
			}
			if i > 0 && got[i-1].Overlap < s.Overlap {
				t.Errorf("exposures not ranked by overlap: %+v", got)
			}
		}
	})
}

func TestUpdateTracesAgainThenCloses(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		o := e.outbreak()
		c, _ := e.open(tracing.OpenCase{Phone: anPhone})
		hour := ravao.DefaultTraceSettings()
		hour.CloseAfter = time.Hour
		got, tr, err := e.tr.Update(e.ctx, e.health, c.ID, tracing.CaseUpdate{Settings: &hour})
		if err != nil || got.Settings != hour || tr != (tracing.Traced{Found: 4}) {
			t.Fatalf("update settings: %+v %+v %v", got.Settings, tr, err)
		}
		classes := e.classes(c.ID)
		if classes[o.binh] != ravao.ContactPossible || classes[o.em] != ravao.ContactPossible || classes[o.giang] != ravao.ContactClose {
			t.Errorf("classes with an hour to be close: %v", classes)
		}
		// A new onset moves the window's start with it: from 11:00 on the
		// 9th only the bus remains.
		onset := at(11, 11, 0)
		_, _, err = e.tr.Update(e.ctx, e.health, c.ID, tracing.CaseUpdate{Onset: &onset})
		e.wantField(t, err, "onset", "err.onset_future")
		onset = at(10, 11, 0)
		reason := "F0: RT-PCR dương tính, khởi phát 10/7"
		got, tr, err = e.tr.Update(e.ctx, e.health, c.ID, tracing.CaseUpdate{Onset: &onset, Reason: &reason})
		if err != nil || !got.WindowFrom.Equal(at(8, 11, 0)) || got.Reason != reason || tr.Found != 4 {
			t.Fatalf("update onset: %+v %+v %v", got, tr, err)
		}
		from := at(9, 11, 0)
		got, tr, err = e.tr.Update(e.ctx, e.health, c.ID, tracing.CaseUpdate{WindowFrom: &from})
		if err != nil || !got.WindowFrom.Equal(from) || tr != (tracing.Traced{Found: 1}) {
			t.Fatalf("update window: %+v %+v %v", got, tr, err)
		}
		to := at(9, 10, 0)
		_, _, err = e.tr.Update(e.ctx, e.health, c.ID, tracing.CaseUpdate{WindowTo: &to})
		e.wantField(t, err, "window_to", "err.window_order")
		got, _, err = e.tr.Update(e.ctx, e.health2, c.ID, tracing.CaseUpdate{Close: true})
		if err != nil || got.Status != ravao.CaseClosed || !got.ClosedAt.Equal(t0) {
			t.Fatalf("close: %+v %v", got, err)
		}
		if d := e.decision(o.an); d == ravao.Red {
			t.Errorf("An after the case closed: red, want isolation over")
		}
		_, _, err = e.tr.Update(e.ctx, e.health, c.ID, tracing.CaseUpdate{Reason: &reason})
		e.wantErr(t, err, ravao.Conflict, "err.case_closed")
		_, err = e.tr.Trace(e.ctx, e.health, c.ID)
		e.wantErr(t, err, ravao.Conflict, "err.case_closed")
		if n, m := len(e.audit("case.update")), len(e.audit("case.close")); n != 3 || m != 1 {
			t.Errorf("audited %d updates and %d closings, want 3 and 1", n, m)
		}
		// The case can be opened again as a new case.
		e.open(tracing.OpenCase{PersonID: o.an})
	})
}

// classes are the classes of a case's contacts, by person.
func (e *env) classes(caseID int64) map[int64]ravao.ContactClass {
	e.t.Helper()
	out := map[int64]ravao.ContactClass{}
	e.view(func(tx ravao.Tx) error {
		cs, err := tx.Contacts(caseID)
		for _, c := range cs {
			out[c.PersonID] = c.Class
		}
		return err
	})
	return out
}

func TestEveryStepIsAuditedWithTheReason(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		o := e.outbreak()
		c, _ := e.open(tracing.OpenCase{Phone: anPhone})
		steps := map[string]func() error{
			"case.list":  func() error { return second(e.tr.Cases(e.ctx, e.health, ravao.CaseFilter{})) },
			"case.view":  func() error { return second(e.tr.Case(e.ctx, e.health, c.ID)) },
			"case.query": func() error { return second(e.tr.Exposures(e.ctx, e.health, c.ID)) },
			"case.trace": func() error { return second(e.tr.Trace(e.ctx, e.health, c.ID)) },
		}
		for _, action := range []string{"case.list", "case.view", "case.query", "case.trace"} {
			if err := steps[action](); err != nil {
				t.Fatalf("%s: %v", action, err)
			}
		}
		list, err := e.tr.Contacts(e.ctx, e.health, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		binh := list[slices.IndexFunc(list, func(v tracing.ContactView) bool { return v.Person.ID == o.binh })].Contact
		called := ravao.ContactCalled
		must(t, third(e.tr.Contact(e.ctx, e.health, binh.ID)))
		must(t, second(e.tr.UpdateContact(e.ctx, e.health, binh.ID, tracing.ContactUpdate{Status: &called})))
		must(t, second(e.tr.Expand(e.ctx, e.health, c.ID, []int64{binh.ID})))
		x, err := e.tr.RequestExport(e.ctx, e.health, c.ID, "csv", "Gửi CDC tỉnh")
		must(t, err)
		must(t, second(e.tr.DownloadExport(e.ctx, e.health, x.ID)))
		must(t, third(e.tr.Promote(e.ctx, e.health, binh.ID, "F1: PCR dương tính ngày 10/7")))
		must(t, third(e.tr.Update(e.ctx, e.health, c.ID, tracing.CaseUpdate{Close: true})))
		counts := map[string]int{
			"case.open": 2, "case.list": 1, "case.view": 1, "case.query": 1, "case.trace": 1, "contacts.view": 1,
			"contact.view": 1, "contact.update": 1, "case.expand": 1, "export.request": 1, "export.download": 1,
			"contact.promote": 1, "case.close": 1,
		}
		secrets := []string{"Nguyễn", "Bình", anPhone, "0912000002"}
		for action, n := range counts {
			evs := e.audit(action)
			if len(evs) != n {
				t.Errorf("%s: %d events, want %d", action, len(evs), n)
				continue
			}
			for _, ev := range evs {
				if ev.UserID != e.health.User.ID || ev.Role != ravao.RoleHealth || ev.RequestID != "req-tracing" || ev.ObjectID == "" && action != "case.list" {
					t.Errorf("%s: %+v", action, ev)
				}
				if action != "case.list" && !strings.Contains(ev.Reason, "F0: xét nghiệm RT-PCR dương tính") && !strings.Contains(ev.Reason, "F1: PCR") {
					t.Errorf("%s: reason %q, want the case's", action, ev.Reason)
				}
				for _, s := range secrets {
					if strings.Contains(ev.ObjectID, s) || strings.Contains(ev.ObjectType, s) {
						t.Errorf("%s: personal data in %+v", action, ev)
					}
				}
			}
		}
		if r := e.audit("export.request")[0].Reason; !strings.Contains(r, "Gửi CDC tỉnh") {
			t.Errorf("export.request reason %q, want the export's own reason too", r)
		}
		if r := e.audit("case.expand")[0].Reason; strings.Contains(r, "Bình") {
			t.Errorf("case.expand reason %q names a contact", r)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// third is the error of a three-value call.
func third[T, U any](_ T, _ U, err error) error { return err }
