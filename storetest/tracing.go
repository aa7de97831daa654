package storetest

import (
	"reflect"
	"time"

	"github.com/ravao/ravao"
)

var traceTests = []test{
	{"Tracing/Cases", testCases},
	{"Tracing/CaseFilter", testCaseFilter},
	{"Tracing/PutContacts", testPutContacts},
	{"Tracing/ContactUpdates", testContactUpdates},
	{"Tracing/Exports", testExports},
	{"Tracing/ExposureWindows", testExposureWindows},
	{"Tracing/Notifications", testNotifications},
	{"Tracing/PersonTracing", testPersonTracing},
	{"Tracing/Erase", testEraseTraced},
	{"Tracing/ExposureBoundaries", testExposureBoundaries},
	{"Tracing/ExposureBruteForce", testExposureBruteForce},
}

// newCase returns an open case of a person in the unit at path, not
// stored.
func newCase(personID int64, path string) ravao.Case {
	codes := ravao.SplitUnitPath(path)
	return ravao.Case{PersonID: personID, UnitCode: codes[len(codes)-1], UnitPath: path,
		Reason: "Ca dương tính, quyết định 12/QĐ-SYT", WindowFrom: hour(-48), Settings: ravao.DefaultTraceSettings(),
		Status: ravao.CaseOpen}
}

// mustCase stores a case and returns it with its ID.
func (e *env) mustCase(c ravao.Case) ravao.Case {
	e.t.Helper()
	e.update(func(tx ravao.Tx) error { return tx.CreateCase(&c) })
	return c
}

// newContact returns a first-degree contact of a person, not stored.
func newContact(personID int64, overlap time.Duration) *ravao.Contact {
	return &ravao.Contact{PersonID: personID, Degree: 1, Class: ravao.ContactPossible, Overlap: overlap,
		Visits: 1, FirstAt: hour(-5)}
}

// mustContacts puts contacts on a case's list and returns them.
func (e *env) mustContacts(caseID int64, cs ...*ravao.Contact) []*ravao.Contact {
	e.t.Helper()
	e.update(func(tx ravao.Tx) error {
		_, err := tx.PutContacts(caseID, cs)
		return err
	})
	return cs
}

func testCases(e *env) {
	p := e.mustPerson()
	u := e.mustUser("yte")
	c := newCase(p.ID, "35/347/13363/")
	c.Onset, c.WindowTo, c.CreatedBy = hour(-24), hour(24), u.ID
	c.Settings.MinOverlap, c.Settings.Buffer = 5*time.Minute, 17*time.Minute+3*time.Millisecond
	c = e.mustCase(c)
	if c.ID == 0 || !c.CreatedAt.Equal(e.now()) || !c.UpdatedAt.Equal(e.now()) {
		e.t.Fatalf("CreateCase: got ID %d, CreatedAt %v, UpdatedAt %v", c.ID, c.CreatedAt, c.UpdatedAt)
	}
	e.wantCase("Case", c)
	again := newCase(p.ID, "35/")
	wantCode(e.t, "a second open case of the person", e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.CreateCase(&again) }), ravao.Conflict)
	bare := e.mustCase(newCase(e.mustPerson().ID, "35/")) // no onset, open-ended, by the system
	e.wantCase("Case without onset or end", bare)

	e.clock.T = e.clock.T.Add(time.Hour)
	c.Reason, c.Onset, c.WindowFrom, c.WindowTo = "Sửa lý do", time.Time{}, hour(-72), time.Time{}
	c.Settings = ravao.TraceSettings{Buffer: time.Minute, OpenWindow: 2 * time.Hour, MinOverlap: 0,
		CloseAfter: time.Minute, WindowBefore: time.Hour}
	c.Status, c.ClosedAt = ravao.CaseClosed, e.now()
	c.UnitPath, c.PersonID, c.CreatedBy = "01/", 42, 0 // not written by UpdateCase
	e.update(func(tx ravao.Tx) error { return tx.UpdateCase(&c) })
	if !c.UpdatedAt.Equal(e.now()) {
		e.t.Errorf("UpdateCase: got UpdatedAt %v, want %v", c.UpdatedAt, e.now())
	}
	c.UnitPath, c.PersonID, c.CreatedBy = "35/347/13363/", p.ID, u.ID
	e.wantCase("Case after UpdateCase", c)

	e.view(func(tx ravao.Tx) error {
		_, err := tx.Case(c.ID + 1000)
		wantCode(e.t, "Case of a missing ID", err, ravao.NotFound)
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.UpdateCase(&ravao.Case{ID: c.ID + 1000}) })
	wantCode(e.t, "UpdateCase of a missing ID", err, ravao.NotFound)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		missing := newCase(p.ID+1_000_000, "35/")
		return tx.CreateCase(&missing)
	})
	wantCode(e.t, "CreateCase of a missing person", err, ravao.Invalid)
}

// wantCase fails the test unless the stored case equals want.
func (e *env) wantCase(what string, want ravao.Case) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Case(want.ID); err != nil || !reflect.DeepEqual(got, want) {
			e.t.Errorf("%s: got %+v, %v; want %+v", what, got, err, want)
		}
		return nil
	})
}

func caseIDs(cs []ravao.Case) []int64 {
	ids := []int64{}
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

func testCaseFilter(e *env) {
	p, q, r := e.mustPerson(), e.mustPerson(), e.mustPerson()
	var cs []ravao.Case
	for _, x := range []struct {
		person int64
		path   string
		status ravao.CaseStatus
	}{
		{p.ID, "35/347/13363/", ravao.CaseOpen},   // 0
		{q.ID, "35/347/", ravao.CaseOpen},         // 1
		{p.ID, "35/34/12000/", ravao.CaseClosed},  // 2
		{r.ID, "35/3470/", ravao.CaseOpen},        // 3
		{p.ID, "01/001/", ravao.CaseClosed},       // 4: a person has one open case at most
		{q.ID, "35/347/13366/", ravao.CaseClosed}, // 5
	} {
		c := newCase(x.person, x.path)
		c.Status = x.status
		cs = append(cs, e.mustCase(c))
	}
	ids := func(is ...int) []int64 {
		out := []int64{}
		for _, i := range is {
			out = append(out, cs[i].ID)
		}
		return out
	}
	cases := []struct {
		name string
		f    ravao.CaseFilter
		want []int64
	}{
		{"all, newest first", ravao.CaseFilter{}, ids(5, 4, 3, 2, 1, 0)},
		{"province", ravao.CaseFilter{UnitPath: "35/"}, ids(5, 3, 2, 1, 0)},
		{"district 347, not 34 or 3470", ravao.CaseFilter{UnitPath: "35/347/"}, ids(5, 1, 0)},
		{"commune", ravao.CaseFilter{UnitPath: "35/347/13363/"}, ids(0)},
		{"person", ravao.CaseFilter{PersonID: p.ID}, ids(4, 2, 0)},
		{"status", ravao.CaseFilter{Status: ravao.CaseClosed}, ids(5, 4, 2)},
		{"unit and status", ravao.CaseFilter{UnitPath: "35/347/", Status: ravao.CaseOpen}, ids(1, 0)},
		{"next page", ravao.CaseFilter{AfterID: cs[3].ID, Limit: 2}, ids(2, 1)},
		{"limit", ravao.CaseFilter{Limit: 1}, ids(5)},
		{"nobody", ravao.CaseFilter{PersonID: p.ID + 1_000_000}, ids()},
	}
	e.view(func(tx ravao.Tx) error {
		for _, c := range cases {
			got, err := tx.Cases(c.f)
			if err != nil || !reflect.DeepEqual(caseIDs(got), c.want) {
				e.t.Errorf("Cases (%s): got %v, %v; want %v", c.name, caseIDs(got), err, c.want)
			}
		}
		if got, err := tx.Cases(ravao.CaseFilter{PersonID: q.ID, Limit: 1}); err != nil || !reflect.DeepEqual(got, cs[5:]) {
			e.t.Errorf("Cases: got %+v, %v; want %+v", got, err, cs[5:])
		}
		for _, path := range []string{"35/34", "35/%/", "%", "35//"} {
			_, err := tx.Cases(ravao.CaseFilter{UnitPath: path})
			wantCode(e.t, "Cases with unit path "+path, err, ravao.Invalid)
		}
		return nil
	})
}

func contactIDs(cs []ravao.Contact) []int64 {
	ids := []int64{}
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

func testPutContacts(e *env) {
	index, a, b, c, d := e.mustPerson(), e.mustPerson(), e.mustPerson(), e.mustPerson(), e.mustPerson()
	k := e.mustCase(newCase(index.ID, "35/"))
	u := e.mustUser("yte")
	ca, cb := newContact(a.ID, 20*time.Minute), newContact(b.ID, 5*time.Minute)
	ca.Class, ca.SameVehicle, ca.Visits = ravao.ContactClose, true, 3
	var added int
	e.update(func(tx ravao.Tx) (err error) {
		added, err = tx.PutContacts(k.ID, []*ravao.Contact{ca, cb})
		return err
	})
	if added != 2 || ca.ID == 0 || cb.ID == 0 || ca.CaseID != k.ID || ca.Status != ravao.ContactNew {
		e.t.Fatalf("PutContacts of two new: got %d added, %+v, %+v", added, ca, cb)
	}
	e.wantContact("Contact just put", *ca)
	// a is being worked: status and assignee survive a refresh.
	worked := *ca
	worked.Status, worked.AssigneeID = ravao.ContactIsolating, u.ID
	e.update(func(tx ravao.Tx) error { return tx.UpdateContact(&worked) })

	// Second degree: c via b, and d via b; then a new trace finds c and d at
	// degree 1, a again at degree 1 with new figures, and b only at degree 2.
	cc, cd := newContact(c.ID, time.Hour), newContact(d.ID, 10*time.Minute)
	cc.Degree, cc.ViaContactID, cd.Degree, cd.ViaContactID = 2, cb.ID, 2, cb.ID
	e.mustContacts(k.ID, cc, cd)
	e.clock.T = e.clock.T.Add(time.Minute)
	ra, rc := newContact(a.ID, 25*time.Minute), newContact(c.ID, 2*time.Minute)
	ra.Class, ra.Visits, ra.FirstAt, ra.SameVehicle = ravao.ContactClose, 4, hour(-9), false
	rb := newContact(b.ID, 45*time.Minute)
	rb.Degree, rb.ViaContactID = 2, cd.ID
	e.update(func(tx ravao.Tx) (err error) {
		added, err = tx.PutContacts(k.ID, []*ravao.Contact{ra, rc, rb})
		return err
	})
	if added != 0 || ra.ID != ca.ID || rc.ID != cc.ID || rb.ID != cb.ID {
		e.t.Fatalf("PutContacts of people on the list: got %d added, IDs %d %d %d; want 0, %d %d %d",
			added, ra.ID, rc.ID, rb.ID, ca.ID, cc.ID, cb.ID)
	}
	wantA := worked
	wantA.Overlap, wantA.Visits, wantA.FirstAt, wantA.SameVehicle, wantA.UpdatedAt = 25*time.Minute, 4, hour(-9), false, e.now()
	e.wantContact("Contact refreshed: figures new, status and assignee kept", wantA)
	wantC := *cc
	wantC.Degree, wantC.ViaContactID, wantC.Overlap, wantC.UpdatedAt = 1, 0, 2*time.Minute, e.now()
	e.wantContact("Contact found at degree 1 after degree 2", wantC)
	e.wantContact("Contact at degree 1 found again at degree 2: unchanged", *cb)

	e.view(func(tx ravao.Tx) error {
		// degree, then overlap (longest first), then ID
		want := []int64{ca.ID, cb.ID, cc.ID, cd.ID}
		if got, err := tx.Contacts(k.ID); err != nil || !reflect.DeepEqual(contactIDs(got), want) {
			e.t.Errorf("Contacts: got %v, %v; want %v", contactIDs(got), err, want)
		}
		if got, err := tx.Contacts(k.ID + 1000); err != nil || len(got) != 0 {
			e.t.Errorf("Contacts of a missing case: got %v, %v; want none", got, err)
		}
		_, err := tx.Contact(cd.ID + 1000)
		wantCode(e.t, "Contact of a missing ID", err, ravao.NotFound)
		return nil
	})
	// Equal overlaps are ordered by ID.
	other := e.mustCase(newCase(a.ID, "35/"))
	tie := e.mustContacts(other.ID, newContact(c.ID, time.Minute), newContact(b.ID, time.Minute), newContact(d.ID, time.Hour))
	e.view(func(tx ravao.Tx) error {
		want := []int64{tie[2].ID, tie[0].ID, tie[1].ID}
		if got, err := tx.Contacts(other.ID); err != nil || !reflect.DeepEqual(contactIDs(got), want) {
			e.t.Errorf("Contacts with equal overlaps: got %v, %v; want %v", contactIDs(got), err, want)
		}
		return nil
	})
	for name, cs := range map[string][]*ravao.Contact{
		"a missing person": {newContact(a.ID+1_000_000, time.Minute)},
		"a person twice":   {newContact(index.ID, time.Minute), newContact(index.ID, time.Minute)},
	} {
		err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
			_, err := tx.PutContacts(k.ID, cs)
			return err
		})
		if ravao.ErrorCode(err) != ravao.Invalid && ravao.ErrorCode(err) != ravao.Conflict {
			e.t.Errorf("PutContacts with %s: got %v, want Invalid or Conflict", name, err)
		}
	}
}

// wantContact fails the test unless the stored contact equals want.
func (e *env) wantContact(what string, want ravao.Contact) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Contact(want.ID); err != nil || !reflect.DeepEqual(got, want) {
			e.t.Errorf("%s: got %+v, %v; want %+v", what, got, err, want)
		}
		return nil
	})
}

func testContactUpdates(e *env) {
	index, a := e.mustPerson(), e.mustPerson()
	k := e.mustCase(newCase(index.ID, "35/"))
	promoted := e.mustCase(newCase(a.ID, "35/"))
	u := e.mustUser("yte")
	c := *e.mustContacts(k.ID, newContact(a.ID, time.Minute))[0]
	e.clock.T = e.clock.T.Add(time.Minute)
	c.Status, c.AssigneeID, c.PromotedCaseID = ravao.ContactPositive, u.ID, promoted.ID
	c.Overlap, c.Degree = time.Hour, 2 // not written by UpdateContact
	e.update(func(tx ravao.Tx) error { return tx.UpdateContact(&c) })
	c.Overlap, c.Degree = time.Minute, 1
	if !c.UpdatedAt.Equal(e.now()) {
		e.t.Errorf("UpdateContact: got UpdatedAt %v, want %v", c.UpdatedAt, e.now())
	}
	e.wantContact("Contact after UpdateContact", c)
	c.Status, c.AssigneeID, c.PromotedCaseID = ravao.ContactCalled, 0, 0
	e.update(func(tx ravao.Tx) error { return tx.UpdateContact(&c) })
	e.wantContact("Contact unassigned", c)
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.UpdateContact(&ravao.Contact{ID: c.ID + 1000}) })
	wantCode(e.t, "UpdateContact of a missing ID", err, ravao.NotFound)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		bad := c
		bad.AssigneeID = u.ID + 1000
		return tx.UpdateContact(&bad)
	})
	wantCode(e.t, "UpdateContact to a missing assignee", err, ravao.Invalid)

	events := []ravao.ContactEvent{
		{ContactID: c.ID, UserID: u.ID, Status: ravao.ContactCalled, Note: randomBytes(40)},
		{ContactID: c.ID, At: hour(3), UserID: u.ID, Status: ravao.ContactIsolating, AssigneeID: u.ID},
	}
	e.update(func(tx ravao.Tx) error {
		for i := range events {
			if err := tx.AddContactEvent(&events[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if events[0].ID == 0 || !events[0].At.Equal(e.now()) {
		e.t.Errorf("AddContactEvent: got ID %d, At %v; want an ID, at %v", events[0].ID, events[0].At, e.now())
	}
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.ContactEvents(c.ID); err != nil || !reflect.DeepEqual(got, events) {
			e.t.Errorf("ContactEvents: got %+v, %v; want %+v", got, err, events)
		}
		if got, err := tx.ContactEvents(c.ID + 1000); err != nil || len(got) != 0 {
			e.t.Errorf("ContactEvents of a missing contact: got %+v, %v", got, err)
		}
		return nil
	})
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		return tx.AddContactEvent(&ravao.ContactEvent{ContactID: c.ID + 1000, Status: ravao.ContactNew})
	})
	wantCode(e.t, "AddContactEvent of a missing contact", err, ravao.Invalid)
}

func testExports(e *env) {
	k := e.mustCase(newCase(e.mustPerson().ID, "35/"))
	u, v := e.mustUser("yte1"), e.mustUser("yte2")
	xs := []ravao.Export{
		{CaseID: k.ID, Format: "csv", Rows: 12, Reason: "Gửi CDC", Status: ravao.ExportReady, RequestedBy: u.ID,
			Sealed: randomBytes(100)},
		{CaseID: k.ID, Format: "xlsx", Rows: 120, Reason: "Gửi CDC tỉnh", Status: ravao.ExportPending,
			RequestedBy: u.ID, Sealed: randomBytes(300)},
	}
	e.update(func(tx ravao.Tx) error {
		for i := range xs {
			if err := tx.CreateExport(&xs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	e.wantExport("Export", xs[0])
	e.wantExport("Export pending", xs[1])
	e.view(func(tx ravao.Tx) error {
		var want []ravao.Export
		for _, i := range []int{1, 0} {
			x := xs[i]
			x.Sealed = nil
			want = append(want, x)
		}
		if got, err := tx.Exports(k.ID); err != nil || !reflect.DeepEqual(got, want) {
			e.t.Errorf("Exports: got %+v, %v; want %+v, newest first, without files", got, err, want)
		}
		_, err := tx.Export(xs[1].ID + 1000)
		wantCode(e.t, "Export of a missing ID", err, ravao.NotFound)
		return nil
	})
	at := hour(2)
	e.update(func(tx ravao.Tx) error { return tx.ApproveExport(xs[1].ID, v.ID, at) })
	xs[1].Status, xs[1].ApprovedBy, xs[1].ApprovedAt = ravao.ExportReady, v.ID, at
	e.wantExport("Export approved", xs[1])
	for _, x := range xs {
		err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.ApproveExport(x.ID, v.ID, at) })
		wantCode(e.t, "ApproveExport of a ready export", err, ravao.Conflict)
		wantKey(e.t, "ApproveExport of a ready export", err, "err.export_not_pending")
	}
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.ApproveExport(xs[1].ID+1000, v.ID, at) })
	wantCode(e.t, "ApproveExport of a missing ID", err, ravao.NotFound)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		return tx.CreateExport(&ravao.Export{CaseID: k.ID + 1000, Format: "csv", Status: ravao.ExportReady, Sealed: []byte{1}})
	})
	wantCode(e.t, "CreateExport of a missing case", err, ravao.Invalid)
}

// wantExport fails the test unless the stored export equals want.
func (e *env) wantExport(what string, want ravao.Export) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Export(want.ID); err != nil || !reflect.DeepEqual(got, want) {
			e.t.Errorf("%s: got %+v, %v; want %+v", what, got, err, want)
		}
		return nil
	})
}

func windowIDs(ws []ravao.ExposureWindow) []int64 {
	ids := []int64{}
	for _, w := range ws {
		ids = append(ids, w.ID)
	}
	return ids
}

func testExposureWindows(e *env) {
	a, b := e.mustPlace("Chợ Bầu"), e.mustPlace("Bến xe Phủ Lý")
	k := e.mustCase(newCase(e.mustPerson().ID, "35/"))
	u := e.mustUser("yte")
	ws := []ravao.ExposureWindow{
		{VenueID: a.ven.ID, From: hour(-30), To: hour(-28), Severity: ravao.SeverityHigh, MessageVI: "Cách ly", MessageEN: "Isolate", CaseID: k.ID, CreatedBy: u.ID},
		{VenueID: a.ven.ID, CheckpointID: a.cp.ID, From: hour(-10), To: hour(-9), Severity: ravao.SeverityLow, CaseID: k.ID, CreatedBy: u.ID},
		{VenueID: b.ven.ID, From: hour(-20), To: hour(-2), Severity: ravao.SeverityHigh, CreatedBy: u.ID},
		{VenueID: b.ven.ID, From: hour(-5), To: hour(-4), Severity: ravao.SeverityLow},
	}
	e.update(func(tx ravao.Tx) error {
		for i := range ws {
			if err := tx.CreateExposureWindow(&ws[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if ws[0].ID == 0 || !ws[0].CreatedAt.Equal(e.now()) {
		e.t.Fatalf("CreateExposureWindow: got ID %d, CreatedAt %v", ws[0].ID, ws[0].CreatedAt)
	}
	e.wantWindow("ExposureWindow", ws[0])
	e.wantWindow("ExposureWindow of a checkpoint, by hand", ws[1])
	at := hour(1)
	e.update(func(tx ravao.Tx) error { return tx.WithdrawExposureWindow(ws[2].ID, at) })
	ws[2].WithdrawnAt = at
	e.wantWindow("ExposureWindow withdrawn", ws[2])
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.WithdrawExposureWindow(ws[2].ID, hour(2)) })
	wantCode(e.t, "WithdrawExposureWindow twice", err, ravao.Conflict)
	wantKey(e.t, "WithdrawExposureWindow twice", err, "err.window_withdrawn")
	e.wantWindow("ExposureWindow withdrawn twice", ws[2])
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.WithdrawExposureWindow(ws[3].ID+1000, at) })
	wantCode(e.t, "WithdrawExposureWindow of a missing ID", err, ravao.NotFound)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		return tx.CreateExposureWindow(&ravao.ExposureWindow{VenueID: b.ven.ID + 1000, From: hour(1), To: hour(2), Severity: ravao.SeverityLow})
	})
	wantCode(e.t, "CreateExposureWindow at a missing venue", err, ravao.Invalid)

	ids := func(is ...int) []int64 {
		out := []int64{}
		for _, i := range is {
			out = append(out, ws[i].ID)
		}
		return out
	}
	cases := []struct {
		name string
		f    ravao.ExposureWindowFilter
		want []int64
	}{
		{"current, newest start first", ravao.ExposureWindowFilter{}, ids(3, 1, 0)},
		{"with withdrawn", ravao.ExposureWindowFilter{IncludeWithdrawn: true}, ids(3, 1, 2, 0)},
		{"ending after", ravao.ExposureWindowFilter{EndsAfter: hour(-9)}, ids(3)},
		{"ending after, with withdrawn", ravao.ExposureWindowFilter{EndsAfter: hour(-10), IncludeWithdrawn: true}, ids(3, 1, 2)},
		{"venue", ravao.ExposureWindowFilter{VenueID: b.ven.ID, IncludeWithdrawn: true}, ids(3, 2)},
		{"case", ravao.ExposureWindowFilter{CaseID: k.ID}, ids(1, 0)},
		{"limit", ravao.ExposureWindowFilter{IncludeWithdrawn: true, Limit: 2}, ids(3, 1)},
	}
	e.view(func(tx ravao.Tx) error {
		for _, c := range cases {
			got, err := tx.ExposureWindows(c.f)
			if err != nil || !reflect.DeepEqual(windowIDs(got), c.want) {
				e.t.Errorf("ExposureWindows (%s): got %v, %v; want %v", c.name, windowIDs(got), err, c.want)
			}
		}
		return nil
	})
}

// wantWindow fails the test unless the stored window equals want.
func (e *env) wantWindow(what string, want ravao.ExposureWindow) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.ExposureWindow(want.ID); err != nil || !reflect.DeepEqual(got, want) {
			e.t.Errorf("%s: got %+v, %v; want %+v", what, got, err, want)
		}
		return nil
	})
}

func notificationIDs(ns []ravao.Notification) []int64 {
	ids := []int64{}
	for _, n := range ns {
		ids = append(ids, n.ID)
	}
	return ids
}

func testNotifications(e *env) {
	index, a, b := e.mustPerson(), e.mustPerson(), e.mustPerson()
	k, other := e.mustCase(newCase(index.ID, "35/")), e.mustCase(newCase(a.ID, "35/"))
	cs := e.mustContacts(k.ID, newContact(a.ID, time.Hour), newContact(b.ID, time.Minute))
	cb := e.mustContacts(other.ID, newContact(b.ID, time.Minute))[0]
	now := e.now()
	ns := []*ravao.Notification{
		{ContactID: cs[0].ID, PersonID: a.ID},                                  // 0: due now
		{ContactID: cs[1].ID, PersonID: b.ID, NextAt: now.Add(-time.Minute)},   // 1: due before
		{ContactID: cb.ID, PersonID: b.ID, NextAt: now.Add(time.Minute)},       // 2: later
		{ContactID: cs[1].ID, PersonID: b.ID, NextAt: now.Add(-2 * time.Hour)}, // 3: due first
	}
	e.update(func(tx ravao.Tx) error { return tx.QueueNotifications(ns) })
	for _, n := range ns {
		if n.ID == 0 || n.Status != ravao.NotifyQueued || !n.CreatedAt.Equal(now) {
			e.t.Fatalf("QueueNotifications: got %+v", n)
		}
	}
	if !ns[0].NextAt.Equal(now) {
		e.t.Errorf("QueueNotifications without NextAt: got %v, want now %v", ns[0].NextAt, now)
	}
	e.view(func(tx ravao.Tx) error {
		due, err := tx.DueNotifications(now, 10)
		if want := []ravao.Notification{*ns[3], *ns[1], *ns[0]}; err != nil || !reflect.DeepEqual(due, want) {
			e.t.Errorf("DueNotifications: got %+v, %v; want %+v", due, err, want)
		}
		if due, err := tx.DueNotifications(now, 2); err != nil || !reflect.DeepEqual(notificationIDs(due), []int64{ns[3].ID, ns[1].ID}) {
			e.t.Errorf("DueNotifications(2): got %v, %v; want the two oldest", notificationIDs(due), err)
		}
		return nil
	})
	sent := *ns[3]
	sent.Status, sent.Attempts, sent.SentAt, sent.NextAt = ravao.NotifySent, 1, now, time.Time{}
	failing := *ns[1]
	failing.Attempts, failing.LastError, failing.NextAt = 1, "sms: 503", now.Add(time.Hour)
	e.update(func(tx ravao.Tx) error {
		if err := tx.UpdateNotification(&sent); err != nil {
			return err
		}
		return tx.UpdateNotification(&failing)
	})
	e.view(func(tx ravao.Tx) error {
		if due, err := tx.DueNotifications(now, 0); err != nil || !reflect.DeepEqual(notificationIDs(due), []int64{ns[0].ID}) {
			e.t.Errorf("DueNotifications after sending and a retry: got %v, %v; want %d", notificationIDs(due), err, ns[0].ID)
		}
		want := []ravao.Notification{*ns[0], failing, sent}
		if got, err := tx.CaseNotifications(k.ID); err != nil || !reflect.DeepEqual(got, want) {
			e.t.Errorf("CaseNotifications: got %+v, %v; want %+v", got, err, want)
		}
		if got, err := tx.CaseNotifications(other.ID); err != nil || !reflect.DeepEqual(notificationIDs(got), []int64{ns[2].ID}) {
			e.t.Errorf("CaseNotifications of the other case: got %v, %v", notificationIDs(got), err)
		}
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.UpdateNotification(&ravao.Notification{ID: ns[3].ID + 1000}) })
	wantCode(e.t, "UpdateNotification of a missing ID", err, ravao.NotFound)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		return tx.QueueNotifications([]*ravao.Notification{{ContactID: cb.ID + 1000, PersonID: b.ID}})
	})
	wantCode(e.t, "QueueNotifications to a missing contact", err, ravao.Invalid)
}

func testPersonTracing(e *env) {
	index, closedIndex, f1, f1Iso, f1Pos, f1Closed, nobody := e.mustPerson(), e.mustPerson(), e.mustPerson(),
		e.mustPerson(), e.mustPerson(), e.mustPerson(), e.mustPerson()
	open := e.mustCase(newCase(index.ID, "35/"))
	closed := newCase(closedIndex.ID, "35/")
	closed.Status, closed.ClosedAt = ravao.CaseClosed, hour(-1)
	closed = e.mustCase(closed)
	cs := e.mustContacts(open.ID, newContact(f1.ID, time.Hour), newContact(f1Iso.ID, time.Hour),
		newContact(f1Pos.ID, time.Hour))
	cs[1].Status, cs[2].Status = ravao.ContactIsolating, ravao.ContactPositive
	iso := e.mustContacts(closed.ID, newContact(f1Closed.ID, time.Hour), newContact(f1.ID, time.Hour))
	iso[0].Status, iso[1].Status = ravao.ContactIsolating, ravao.ContactIsolating
	e.update(func(tx ravao.Tx) error {
		for _, c := range append(cs[1:], iso...) {
			if err := tx.UpdateContact(c); err != nil {
				return err
			}
		}
		return nil
	})
	cases := []struct {
		name   string
		person int64
		want   ravao.PersonTracing
	}{
		{"open case", index.ID, ravao.PersonTracing{OpenCase: true, Isolated: true}},
		{"closed case", closedIndex.ID, ravao.PersonTracing{}},
		{"new contact on an open case, isolating on a closed one", f1.ID, ravao.PersonTracing{OpenContact: true}},
		{"contact isolating", f1Iso.ID, ravao.PersonTracing{OpenContact: true, Isolated: true}},
		{"contact tested positive", f1Pos.ID, ravao.PersonTracing{OpenContact: true, Isolated: true}},
		{"contact isolating on a closed case", f1Closed.ID, ravao.PersonTracing{}},
		{"nobody", nobody.ID, ravao.PersonTracing{}},
		{"unknown person", nobody.ID + 1_000_000, ravao.PersonTracing{}},
	}
	// DeviceVisitor reads the same through a device of the person.
	devices := map[int64]ravao.Device{}
	for _, c := range cases[:len(cases)-1] {
		devices[c.person] = e.mustDevice(c.person)
	}
	e.view(func(tx ravao.Tx) error {
		for _, c := range cases {
			if got, err := tx.PersonTracing(c.person); err != nil || got != c.want {
				e.t.Errorf("PersonTracing (%s): got %+v, %v; want %+v", c.name, got, err, c.want)
			}
			if d, ok := devices[c.person]; ok {
				if got, err := tx.DeviceVisitor(d.TokenHash); err != nil || got.Tracing != c.want {
					e.t.Errorf("DeviceVisitor (%s): got %+v, %v; want %+v", c.name, got.Tracing, err, c.want)
				}
			}
		}
		return nil
	})
	// Every status that isolates is red; the others are not.
	for _, s := range ravao.ContactStatuses {
		cs[0].Status = s
		e.update(func(tx ravao.Tx) error { return tx.UpdateContact(cs[0]) })
		e.view(func(tx ravao.Tx) error {
			got, err := tx.PersonTracing(f1.ID)
			if want := (ravao.PersonTracing{OpenContact: true, Isolated: s.Isolates()}); err != nil || got != want {
				e.t.Errorf("PersonTracing of a contact %s: got %+v, %v; want %+v", s, got, err, want)
			}
			if v, err := tx.DeviceVisitor(devices[f1.ID].TokenHash); err != nil || v.Tracing != got {
				e.t.Errorf("DeviceVisitor of a contact %s: got %+v, %v; want %+v", s, v.Tracing, err, got)
			}
			return nil
		})
	}
}

// testEraseTraced erases people who are cases and contacts: the store
// deletes what is theirs and keeps the rest of other cases' work.
func testEraseTraced(e *env) {
	pl := e.mustPlace("Chợ Đông Ba")
	f0, f1, f2, g0, promotedPerson := e.mustPerson(), e.mustPerson(), e.mustPerson(), e.mustPerson(), e.mustPerson()
	k := e.mustCase(newCase(f0.ID, "35/"))
	cs := e.mustContacts(k.ID, newContact(f1.ID, time.Hour), newContact(promotedPerson.ID, time.Hour))
	promoted := newCase(promotedPerson.ID, "35/")
	promoted.SourceContactID = cs[1].ID
	promoted = e.mustCase(promoted)
	// g0's case lists f1 at degree 1 and f2 via f1.
	g := e.mustCase(newCase(g0.ID, "35/"))
	gf1 := e.mustContacts(g.ID, newContact(f1.ID, time.Hour))[0]
	gf2 := newContact(f2.ID, time.Minute)
	gf2.Degree, gf2.ViaContactID = 2, gf1.ID
	e.mustContacts(g.ID, gf2)
	w := ravao.ExposureWindow{VenueID: pl.ven.ID, From: hour(-3), To: hour(-2), Severity: ravao.SeverityHigh, CaseID: k.ID}
	x := ravao.Export{CaseID: k.ID, Format: "csv", Rows: 2, Status: ravao.ExportReady, Sealed: randomBytes(10)}
	ns := []*ravao.Notification{{ContactID: cs[0].ID, PersonID: f1.ID}, {ContactID: gf1.ID, PersonID: f1.ID},
		{ContactID: gf2.ID, PersonID: f2.ID}}
	e.update(func(tx ravao.Tx) error {
		if err := tx.CreateExposureWindow(&w); err != nil {
			return err
		}
		if err := tx.CreateExport(&x); err != nil {
			return err
		}
		if err := tx.AddContactEvent(&ravao.ContactEvent{ContactID: cs[0].ID, Status: ravao.ContactCalled, Note: []byte{1}}); err != nil {
			return err
		}
		return tx.QueueNotifications(ns)
	})

	e.update(func(tx ravao.Tx) error {
		_, err := tx.ErasePerson(f0.ID)
		return err
	})
	e.view(func(tx ravao.Tx) error {
		_, err := tx.Case(k.ID)
		wantCode(e.t, "Case of an erased person", err, ravao.NotFound)
		for _, c := range cs {
			_, err := tx.Contact(c.ID)
			wantCode(e.t, "Contact of an erased case", err, ravao.NotFound)
		}
		_, err = tx.Export(x.ID)
		wantCode(e.t, "Export of an erased case", err, ravao.NotFound)
		if got, err := tx.ContactEvents(cs[0].ID); err != nil || len(got) != 0 {
			e.t.Errorf("ContactEvents of an erased case: got %d, %v", len(got), err)
		}
		if got, err := tx.ExposureWindow(w.ID); err != nil || got.CaseID != 0 {
			e.t.Errorf("ExposureWindow of an erased case: got %+v, %v; want it kept, without its case", got, err)
		}
		if got, err := tx.Case(promoted.ID); err != nil || got.SourceContactID != 0 {
			e.t.Errorf("Case promoted from an erased contact: got %+v, %v; want it kept, without its source", got, err)
		}
		if got, err := tx.CaseNotifications(g.ID); err != nil || len(got) != 2 {
			e.t.Errorf("CaseNotifications of another case: got %d, %v; want 2 kept", len(got), err)
		}
		return nil
	})

	e.update(func(tx ravao.Tx) error {
		_, err := tx.ErasePerson(f1.ID)
		return err
	})
	e.view(func(tx ravao.Tx) error {
		got, err := tx.Contacts(g.ID)
		want := *gf2
		want.ViaContactID = 0
		if err != nil || !reflect.DeepEqual(got, []ravao.Contact{want}) {
			e.t.Errorf("Contacts after erasing a first-degree contact: got %+v, %v; want %+v", got, err, want)
		}
		if got, err := tx.CaseNotifications(g.ID); err != nil || !reflect.DeepEqual(notificationIDs(got), []int64{ns[2].ID}) {
			e.t.Errorf("CaseNotifications after erasing a contact: got %v, %v; want only f2's", notificationIDs(got), err)
		}
		if got, err := tx.PersonTracing(f1.ID); err != nil || got != (ravao.PersonTracing{}) {
			e.t.Errorf("PersonTracing of an erased person: got %+v, %v", got, err)
		}
		return nil
	})
}
