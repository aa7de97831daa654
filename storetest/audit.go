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

var auditChainTests = []test{
	{"AuditChain/Seal", testAuditSeal},
	{"AuditChain/SealConflicts", testAuditSealConflicts},
	{"AuditChain/Filters", testAuditChainFilters},
}

// hashOf is a stand-in hash for the store's tests: the store keeps what it
// is given and checks nothing but seq's uniqueness.
func hashOf(seq int64) []byte {
	h := make([]byte, 32)
	h[0], h[31] = byte(seq), byte(seq>>8)+1
	return h
}

// sealsFor chains events after seq (the store does not check hashes).
func sealsFor(events []ravao.AuditEvent, seq int64) []ravao.AuditSeal {
	out := make([]ravao.AuditSeal, len(events))
	for i, ev := range events {
		seq++
		out[i] = ravao.AuditSeal{ID: ev.ID, Seq: seq, PrevHash: hashOf(seq - 1), Hash: hashOf(seq)}
	}
	return out
}

// appendN appends n events, one per transaction, and returns them.
func (e *env) appendN(n int, action string) []ravao.AuditEvent {
	var out []ravao.AuditEvent
	for range n {
		ev := ravao.AuditEvent{Action: action, ObjectType: "case", ObjectID: "42"}
		e.update(func(tx ravao.Tx) error { return tx.AppendAudit(&ev) })
		out = append(out, ev)
	}
	return out
}

func testAuditSeal(e *env) {
	evs := e.appendN(5, "case.view")
	e.view(func(tx ravao.Tx) error {
		seq, hash, err := tx.AuditHead()
		if err != nil || seq != 0 || hash != nil {
			e.t.Errorf("AuditHead of an unsealed log: got %d, %x, %v; want 0, nil", seq, hash, err)
		}
		un, err := tx.UnsealedAudit(3)
		if err != nil || !slices.Equal(auditIDs(un), auditIDs(evs[:3])) || un[0].Sealed() || un[0].Hash != nil {
			e.t.Errorf("UnsealedAudit(3): got %+v, %v; want the first 3, unsealed", un, err)
		}
		n, err := tx.CountUnsealedAudit()
		if err != nil || n != 5 {
			e.t.Errorf("CountUnsealedAudit: got %d, %v; want 5", n, err)
		}
		return nil
	})
	e.update(func(tx ravao.Tx) error { return tx.SealAudit(sealsFor(evs[:3], 0)) })
	e.view(func(tx ravao.Tx) error {
		seq, hash, err := tx.AuditHead()
		if err != nil || seq != 3 || !slices.Equal(hash, hashOf(3)) {
			e.t.Errorf("AuditHead: got %d, %x, %v; want 3, %x", seq, hash, err, hashOf(3))
		}
		un, err := tx.UnsealedAudit(0)
		if err != nil || !slices.Equal(auditIDs(un), auditIDs(evs[3:])) {
			e.t.Errorf("UnsealedAudit after sealing 3: got %v, %v; want %v", auditIDs(un), err, auditIDs(evs[3:]))
		}
		if n, err := tx.CountUnsealedAudit(); err != nil || n != 2 {
			e.t.Errorf("CountUnsealedAudit: got %d, %v; want 2", n, err)
		}
		chain, err := tx.AuditChain(0, 10)
		if err != nil || len(chain) != 3 {
			e.t.Fatalf("AuditChain(0): got %d events, %v; want 3", len(chain), err)
		}
		for i, ev := range chain {
			want := evs[i]
			want.Seq, want.PrevHash, want.Hash = int64(i+1), hashOf(int64(i)), hashOf(int64(i+1))
			if !reflect.DeepEqual(ev, want) || !ev.Sealed() {
				e.t.Errorf("AuditChain[%d]: got %+v, want %+v", i, ev, want)
			}
		}
		if got, err := tx.AuditChain(1, 1); err != nil || len(got) != 1 || got[0].Seq != 2 {
			e.t.Errorf("AuditChain(1, 1): got %+v, %v; want seq 2", got, err)
		}
		if got, err := tx.AuditChain(3, 10); err != nil || len(got) != 0 {
			e.t.Errorf("AuditChain after the head: got %+v, %v; want none", got, err)
		}
		all, err := tx.AuditEvents(ravao.AuditFilter{})
		if err != nil || len(all) != 5 || all[4].Seq != 1 || all[0].Seq != 0 {
			e.t.Errorf("AuditEvents: got %+v, %v; want 5 events, the oldest sealed", all, err)
		}
		return nil
	})
}

// testAuditSealConflicts checks that an event is sealed once and a seq
// taken once: the second sealer's whole transaction fails.
func testAuditSealConflicts(e *env) {
	evs := e.appendN(3, "case.view")
	e.update(func(tx ravao.Tx) error { return tx.SealAudit(sealsFor(evs[:1], 0)) })
	for _, c := range []struct {
		name  string
		seals []ravao.AuditSeal
	}{
		{"sealing a sealed event again", sealsFor(evs[:1], 1)},
		{"a seq already taken", sealsFor(evs[1:3], 0)},
		{"a seq taken in the same batch", append(sealsFor(evs[1:2], 1), sealsFor(evs[2:3], 1)...)},
	} {
		err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.SealAudit(c.seals) })
		wantCode(e.t, c.name, err, ravao.Conflict)
	}
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		return tx.SealAudit([]ravao.AuditSeal{{ID: evs[1].ID, Seq: 0, PrevHash: hashOf(1), Hash: hashOf(2)}})
	})
	wantCode(e.t, "seq 0", err, ravao.Invalid)
	e.view(func(tx ravao.Tx) error {
		if n, err := tx.CountUnsealedAudit(); err != nil || n != 2 {
			e.t.Errorf("CountUnsealedAudit after refused seals: got %d, %v; want 2 (nothing half-sealed)", n, err)
		}
		if seq, _, err := tx.AuditHead(); err != nil || seq != 1 {
			e.t.Errorf("AuditHead after refused seals: got %d, %v; want 1", seq, err)
		}
		return nil
	})
}

// testAuditChainFilters checks the viewer's filters: several actions and
// paging back by ID.
func testAuditChainFilters(e *env) {
	a := e.appendN(2, "case.view")
	b := e.appendN(2, "person.lookup")
	c := e.appendN(1, "user.create")
	e.view(func(tx ravao.Tx) error {
		for _, tc := range []struct {
			name string
			f    ravao.AuditFilter
			want []int64
		}{
			{"actions", ravao.AuditFilter{Actions: []string{"case.view", "user.create"}},
				[]int64{c[0].ID, a[1].ID, a[0].ID}},
			{"action and actions", ravao.AuditFilter{Action: "person.lookup", Actions: []string{"user.create"}},
				[]int64{c[0].ID, b[1].ID, b[0].ID}},
			{"before", ravao.AuditFilter{BeforeID: b[1].ID, Limit: 2}, []int64{b[0].ID, a[1].ID}},
			{"before and action", ravao.AuditFilter{BeforeID: c[0].ID, Action: "case.view", Limit: 1}, []int64{a[1].ID}},
		} {
			got, err := tx.AuditEvents(tc.f)
			if err != nil || !slices.Equal(auditIDs(got), tc.want) {
				e.t.Errorf("AuditEvents(%s): got %v, %v; want %v", tc.name, auditIDs(got), err, tc.want)
			}
		}
		return nil
	})
}
