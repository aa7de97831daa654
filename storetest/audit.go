package storetest

import (
	"reflect"
	"slices"
	"time"

	"github.com/ravao/ravao"
)

var auditTests = []test{
	{"Audit/Filters", testAudit},
	{"Audit/Limit", testAuditLimit},
}

func auditIDs(events []ravao.AuditEvent) []int64 {
	out := make([]int64, len(events))
	for i, ev := range events {
		out[i] = ev.ID
	}
	return out
}

func testAudit(e *env) {
	u := e.mustUser("dpo")
	mk := func(userID int64, action, objType, objID string) *ravao.AuditEvent {
		return &ravao.AuditEvent{UserID: userID, Role: ravao.RoleDPO, Action: action, ObjectType: objType,
			ObjectID: objID, Reason: "kiểm tra", RequestID: "req-1"}
	}
	evs := []*ravao.AuditEvent{
		mk(u.ID, "person.read", "person", "7"),
		mk(0, "purge", "", ""),
		mk(u.ID, "user.create", "user", "9"),
		mk(u.ID, "person.read", "person", "8"),
	}
	for _, ev := range evs {
		e.update(func(tx ravao.Tx) error { return tx.AppendAudit(ev) })
		e.clock.Advance(time.Minute)
	}
	if evs[0].ID == 0 || !evs[0].At.Equal(t0.Truncate(time.Millisecond)) {
		e.t.Fatalf("AppendAudit: got ID %d, At %v; want an ID and %v", evs[0].ID, evs[0].At, t0)
	}
	at := func(i int) time.Time { return evs[i].At }
	cases := []struct {
		name string
		f    ravao.AuditFilter
		want []int
	}{
		{"all, newest first", ravao.AuditFilter{}, []int{3, 2, 1, 0}},
		{"user", ravao.AuditFilter{UserID: u.ID}, []int{3, 2, 0}},
		{"action", ravao.AuditFilter{Action: "person.read"}, []int{3, 0}},
		{"object", ravao.AuditFilter{ObjectType: "person", ObjectID: "7"}, []int{0}},
		{"since is inclusive", ravao.AuditFilter{Since: at(2)}, []int{3, 2}},
		{"until is exclusive", ravao.AuditFilter{Until: at(2)}, []int{1, 0}},
		{"limit", ravao.AuditFilter{Limit: 1}, []int{3}},
		{"nothing", ravao.AuditFilter{Action: "nothing"}, []int{}},
	}
	e.view(func(tx ravao.Tx) error {
		for _, c := range cases {
			got, err := tx.AuditEvents(c.f)
			want := make([]int64, len(c.want))
			for i, j := range c.want {
				want[i] = evs[j].ID
			}
			if err != nil || !slices.Equal(auditIDs(got), want) {
				e.t.Errorf("AuditEvents(%s): got %v, %v; want %v", c.name, auditIDs(got), err, want)
			}
		}
		got, err := tx.AuditEvents(ravao.AuditFilter{ObjectID: "9"})
		if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], *evs[2]) {
			e.t.Errorf("AuditEvents round trip: got %+v, %v; want %+v", got, err, *evs[2])
		}
		return nil
	})
}

// testAuditLimit checks the default limit of filtered lists (1000) and the
// cap on the limit a caller asks for (10000), on the audit log.
func testAuditLimit(e *env) {
	const n = 1005
	e.update(func(tx ravao.Tx) error {
		for range n {
			if err := tx.AppendAudit(&ravao.AuditEvent{Action: "visit.read"}); err != nil {
				return err
			}
		}
		return nil
	})
	e.view(func(tx ravao.Tx) error {
		for _, c := range []struct{ limit, want int }{{0, 1000}, {3, 3}, {1 << 30, n}} {
			got, err := tx.AuditEvents(ravao.AuditFilter{Limit: c.limit})
			if err != nil || len(got) != c.want {
				e.t.Errorf("AuditEvents(Limit %d): got %d, %v; want %d", c.limit, len(got), err, c.want)
			}
		}
		return nil
	})
}
