package tracing_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/tracing"
)

// opened is the outbreak with An's case open and its worked list read.
func (e *env) opened() (outbreak, ravao.Case, map[int64]tracing.ContactView) {
	e.t.Helper()
	o := e.outbreak()
	c, _ := e.open(tracing.OpenCase{Phone: anPhone})
	return o, c, e.list(c.ID)
}

// list is a case's worked list as the Hà Nam official sees it, by person.
func (e *env) list(caseID int64) map[int64]tracing.ContactView {
	e.t.Helper()
	vs, err := e.tr.Contacts(e.ctx, e.health, caseID)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[int64]tracing.ContactView{}
	for _, v := range vs {
		out[v.Person.ID] = v
	}
	if len(out) != len(vs) {
		e.t.Fatalf("a person is twice on the list: %d contacts, %d people", len(vs), len(out))
	}
	return out
}

func TestWorkedListInClear(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		o, c, list := e.opened()
		names := map[int64]string{o.binh: "Trần Thị Bình", o.chi: "Lê Minh Chi", o.em: "Hoàng Thị Em", o.giang: "Vũ Trường Giang"}
		phones := map[int64]string{o.binh: "0912000002", o.chi: "0912000003", o.em: "0912000005", o.giang: "0912000006"}
		wants := o.anContacts()
		if len(list) != len(wants) {
			t.Fatalf("list: %d contacts, want %d", len(list), len(wants))
		}
		for person, w := range wants {
			v := list[person]
			ct := v.Contact
			if v.Person.FullName != names[person] || v.Person.Phone != phones[person] || v.Person.BirthYear != 1990 {
				t.Errorf("person %+v, want %s", v.Person, names[person])
			}
			if ct.CaseID != c.ID || ct.Degree != 1 || ct.ViaContactID != 0 || ct.Status != ravao.ContactNew || ct.AssigneeID != 0 ||
				ct.Class != w.class || ct.Overlap != w.overlap || ct.Visits != w.visits || ct.SameVehicle != w.vehicle ||
				!ct.FirstAt.Equal(w.first) {
				t.Errorf("%s: %+v, want %+v", names[person], ct, w)
			}
			if v.AssigneeName != "" || v.Via != "" || v.Notified != "" {
				t.Errorf("%s: assignee %q via %q notified %q, want none", names[person], v.AssigneeName, v.Via, v.Notified)
			}
		}
		if n := len(e.audit("contacts.view")); n != 1 {
			t.Errorf("contacts.view audited %d times, want 1", n)
		}
	})
}

func TestContactWorkAndSealedNotes(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		o, _, list := e.opened()
		binh := list[o.binh].Contact
		called := ravao.ContactCalled
		note := "Đã gọi lúc 15:10, hẹn xét nghiệm nhanh sáng mai tại trạm y tế phường."
		v, err := e.tr.UpdateContact(e.ctx, e.health, binh.ID, tracing.ContactUpdate{Status: &called, Note: "  " + note + " "})
		if err != nil {
			t.Fatal(err)
		}
		if v.Contact.Status != ravao.ContactCalled || v.Person.FullName != "Trần Thị Bình" {
			t.Errorf("after the call: %+v", v)
		}
		e.clock.Advance(10 * time.Minute)
		isolating, to := ravao.ContactIsolating, e.health2.User.ID
		v, err = e.tr.UpdateContact(e.ctx, e.health2, binh.ID, tracing.ContactUpdate{Status: &isolating, AssigneeID: &to})
		if err != nil {
			t.Fatal(err)
		}
		if v.Contact.AssigneeID != to || v.AssigneeName != "yte35b" || v.Contact.Status != ravao.ContactIsolating {
			t.Errorf("after assigning: %+v", v)
		}
		if d := e.decision(o.binh); d != ravao.Red {
			t.Errorf("Bình isolating at a gate: %s, want red", d)
		}
		// The same status again, without a note, changes nothing.
		if _, err := e.tr.UpdateContact(e.ctx, e.health, binh.ID, tracing.ContactUpdate{Status: &isolating}); err != nil {
			t.Fatal(err)
		}
		got, history, err := e.tr.Contact(e.ctx, e.health2, binh.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Contact.Status != ravao.ContactIsolating || got.AssigneeName != "yte35b" {
			t.Errorf("contact: %+v", got)
		}
		if len(history) != 2 {
			t.Fatalf("history: %d steps, want 2", len(history))
		}
		first, second := history[0], history[1]
		if first.Event.Status != ravao.ContactCalled || first.Event.UserID != e.health.User.ID || first.UserName != "yte35" ||
			first.Note != note || !first.Event.At.Equal(t0) {
			t.Errorf("first step: %+v", first)
		}
		if second.Event.Status != ravao.ContactIsolating || second.Event.AssigneeID != to || second.UserName != "yte35b" ||
			second.Note != "" || !second.Event.At.Equal(t0.Add(10*time.Minute)) {
			t.Errorf("second step: %+v", second)
		}
		// In the database the note is sealed.
		e.view(func(tx ravao.Tx) error {
			evs, err := tx.ContactEvents(binh.ID)
			if err != nil {
				return err
			}
			if len(evs[0].Note) == 0 || bytes.Contains(evs[0].Note, []byte("xét nghiệm")) || bytes.Contains(evs[0].Note, []byte("15:10")) {
				t.Errorf("stored note %q, want it sealed", evs[0].Note)
			}
			if evs[1].Note != nil {
				t.Errorf("step without a note stored %q", evs[1].Note)
			}
			return nil
		})
		if n, m := len(e.audit("contact.update")), len(e.audit("contact.view")); n != 2 || m != 2 {
			t.Errorf("audited %d updates and %d views, want 2 and 2 (the change that changed nothing showed the contact)", n, m)
		}
	})
}

func TestContactChangesRefused(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		o, c, list := e.opened()
		chi := list[o.chi].Contact
		disabled := svctest.Staff(t, e.store, "yte35c", ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: "35"})
		e.update(func(tx ravao.Tx) error {
			disabled.User.Disabled = true
			return tx.UpdateUser(&disabled.User)
		})
		status := func(s string) *ravao.ContactStatus { cs := ravao.ContactStatus(s); return &cs }
		id := func(i int64) *int64 { return &i }
		refused := []struct {
			name       string
			in         tracing.ContactUpdate
			field, key string
		}{
			{"unknown status", tracing.ContactUpdate{Status: status("done")}, "status", "err.contact_status"},
			{"official of another province", tracing.ContactUpdate{AssigneeID: id(e.health37.User.ID)}, "assignee", "err.assignee"},
			{"gate staff", tracing.ContactUpdate{AssigneeID: id(e.guard.User.ID)}, "assignee", "err.assignee"},
			{"disabled official", tracing.ContactUpdate{AssigneeID: id(disabled.User.ID)}, "assignee", "err.assignee"},
			{"nobody", tracing.ContactUpdate{AssigneeID: id(987654)}, "assignee", "err.assignee"},
			{"long note", tracing.ContactUpdate{Note: strings.Repeat("ệ", 1001)}, "note", "err.too_long"},
			{"broken note", tracing.ContactUpdate{Note: "\xff"}, "note", "err.too_long"},
		}
		for _, r := range refused {
			_, err := e.tr.UpdateContact(e.ctx, e.health, chi.ID, r.in)
			t.Run(r.name, func(t *testing.T) { e.wantField(t, err, r.field, r.key) })
		}
		if _, history, err := e.tr.Contact(e.ctx, e.health, chi.ID); err != nil || len(history) != 0 {
			t.Errorf("refused changes left %d steps (%v)", len(history), err)
		}
		// The ward's official does not cover a case of the whole province.
		_, err := e.tr.UpdateContact(e.ctx, e.health, chi.ID, tracing.ContactUpdate{AssigneeID: id(e.ward.User.ID)})
		e.wantField(t, err, "assignee", "err.assignee")
		for name, err := range map[string]error{
			"view":   third(e.tr.Contact(e.ctx, e.health37, chi.ID)),
			"update": second(e.tr.UpdateContact(e.ctx, e.health37, chi.ID, tracing.ContactUpdate{Note: "x"})),
			"ward":   third(e.tr.Contact(e.ctx, e.ward, chi.ID)),
		} {
			if ravao.ErrorCode(err) != ravao.NotFound {
				t.Errorf("%s out of scope: %v, want not found", name, err)
			}
		}
		unassign := int64(0)
		if _, err := e.tr.UpdateContact(e.ctx, e.health, chi.ID, tracing.ContactUpdate{AssigneeID: &unassign, Note: "Chưa liên lạc được"}); err != nil {
			t.Errorf("a note alone: %v", err)
		}
		if _, _, err := e.tr.Update(e.ctx, e.health, c.ID, tracing.CaseUpdate{Close: true}); err != nil {
			t.Fatal(err)
		}
		_, err = e.tr.UpdateContact(e.ctx, e.health, chi.ID, tracing.ContactUpdate{Status: status("called")})
		e.wantErr(t, err, ravao.Conflict, "err.case_closed")
	})
}

func TestPromoteOpensACaseForTheContact(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		o, c, list := e.opened()
		binh := list[o.binh].Contact
		_, _, err := e.tr.Promote(e.ctx, e.health, binh.ID, " ")
		e.wantField(t, err, "reason", "err.required")
		nc, tr, err := e.tr.Promote(e.ctx, e.health2, binh.ID, "F1 test nhanh dương tính")
		if err != nil {
			t.Fatal(err)
		}
		if nc.PersonID != o.binh || nc.SourceContactID != binh.ID || nc.UnitPath != c.UnitPath || nc.Status != ravao.CaseOpen ||
			nc.Settings != c.Settings || nc.Reason != "F1 test nhanh dương tính" || nc.CreatedBy != e.health2.User.ID {
			t.Errorf("promoted case: %+v", nc)
		}
		// Bình cannot have been infectious before she met An at 9:30.
		if !nc.Onset.Equal(t0) || !nc.WindowFrom.Equal(at(9, 9, 30)) {
			t.Errorf("promoted window: onset %v from %v, want now, from the first exposure", nc.Onset, nc.WindowFrom)
		}
		// From 9:30: An (30 min), Chi (30), Dũng (5), Em (40), Hùng (60).
		if tr != (tracing.Traced{Found: 5, Added: 5}) {
			t.Errorf("promoted case traced %+v, want 5 contacts", tr)
		}
		after := e.list(c.ID)[o.binh].Contact
		if after.Status != ravao.ContactPositive || after.PromotedCaseID != nc.ID {
			t.Errorf("contact after promotion: %+v", after)
		}
		if d := e.decision(o.binh); d != ravao.Red {
			t.Errorf("Bình promoted at a gate: %s, want red", d)
		}
		v, err := e.tr.Case(e.ctx, e.health, nc.ID)
		if err != nil || v.Source == nil || v.Source.ID != binh.ID {
			t.Errorf("promoted case's source: %+v, %v", v.Source, err)
		}
		_, _, err = e.tr.Promote(e.ctx, e.health, binh.ID, "lần nữa")
		e.wantErr(t, err, ravao.Conflict, "err.case_exists")
		_, _, err = e.tr.Promote(e.ctx, e.health37, list[o.chi].Contact.ID, "F1")
		if ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("promote out of scope: %v, want not found", err)
		}
		if n, m := len(e.audit("contact.promote")), len(e.audit("case.open")); n != 1 || m != 2 {
			t.Errorf("audited %d promotions, %d openings; want 1 and 2", n, m)
		}
	})
}

func TestExpandToTheSecondDegree(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		o, c, list := e.opened()
		binh := list[o.binh].Contact
		// Bình's own contacts from 9:30: An (the case), Chi and Em (on
		// the list already), Dũng (5 minutes, possible) and Hùng (an
		// hour, close).
		tr, err := e.tr.Expand(e.ctx, e.health, c.ID, []int64{binh.ID, binh.ID})
		if err != nil {
			t.Fatal(err)
		}
		if tr != (tracing.Traced{Found: 4, Added: 2}) {
			t.Errorf("expanded %+v, want 4 found, 2 added", tr)
		}
		after := e.list(c.ID)
		if len(after) != 6 {
			t.Fatalf("list after expanding: %d, want 6", len(after))
		}
		f2 := map[int64]want{
			o.dung: {ravao.ContactPossible, 5 * time.Minute, 1, false, at(9, 10, 45)},
			o.hung: {ravao.ContactClose, time.Hour, 1, false, at(9, 14, 30)},
		}
		for person, w := range f2 {
			v := after[person]
			ct := v.Contact
			if ct.Degree != 2 || ct.ViaContactID != binh.ID || v.Via != "Trần T*** B" || ct.Class != w.class ||
				ct.Overlap != w.overlap || ct.Visits != w.visits || !ct.FirstAt.Equal(w.first) || ct.Status != ravao.ContactNew {
				t.Errorf("F2 %s: %+v via %q, want %+v", v.Person.FullName, ct, v.Via, w)
			}
		}
		if ct := after[o.chi].Contact; ct.Degree != 1 || ct.Overlap != 10*time.Minute {
			t.Errorf("Chi, An's own contact, after expanding: %+v", ct)
		}
		// Tracing An again keeps the second degree.
		if tr, err := e.tr.Trace(e.ctx, e.health, c.ID); err != nil || tr != (tracing.Traced{Found: 4}) {
			t.Errorf("trace again: %+v, %v", tr, err)
		}
		if ct := e.list(c.ID)[o.hung].Contact; ct.Degree != 2 {
			t.Errorf("Hùng after tracing again: degree %d", ct.Degree)
		}
		// Expanding again adds nobody.
		if tr, err := e.tr.Expand(e.ctx, e.health, c.ID, []int64{binh.ID, list[o.giang].Contact.ID}); err != nil || tr.Added != 0 {
			t.Errorf("expand again: %+v, %v", tr, err)
		}
		other, _ := e.open(tracing.OpenCase{PersonID: o.hung})
		otherList := e.list(other.ID)
		refused := map[string][]int64{
			"none":           nil,
			"an F2":          {after[o.hung].Contact.ID},
			"another case's": {otherList[o.binh].Contact.ID},
			"no such":        {987654},
			"too many":       make([]int64, 201),
		}
		for name, ids := range refused {
			_, err := e.tr.Expand(e.ctx, e.health, c.ID, ids)
			key := "err.expand_contact"
			switch name {
			case "none":
				key = "err.expand_none"
			case "too many":
				key = "err.expand_too_many"
			}
			t.Run(name, func(t *testing.T) { e.wantField(t, err, "contacts", key) })
		}
		_, err = e.tr.Expand(e.ctx, e.health37, c.ID, []int64{binh.ID})
		if ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("expand out of scope: %v, want not found", err)
		}
		if n := len(e.audit("case.expand")); n != 2 {
			t.Errorf("audited %d expansions, want 2", n)
		}
	})
}
