package storetest

import (
	"bytes"
	"errors"
	"reflect"
	"time"

	"github.com/ravao/ravao"
)

var rightsTests = []test{
	{"Rights/ConsentBasis", testConsentBasis},
	{"Rights/Requests", testDSRequests},
	{"Rights/History", testDSREvents},
	{"Rights/OutliveErasure", testDSROutlivesErasure},
}

// testConsentBasis: the legal basis and the withdrawal are stored and
// rewritten; a record without a basis gets its channel's.
func testConsentBasis(e *env) {
	p := newPerson()
	p.ConsentChannel, p.ConsentBasis = ravao.ConsentOfficial, ""
	e.update(func(tx ravao.Tx) error { return tx.CreatePerson(&p) })
	withdrawn := e.now().Add(time.Minute)
	e.update(func(tx ravao.Tx) error {
		got, err := tx.Person(p.ID)
		if err != nil {
			return err
		}
		if got.ConsentBasis != ravao.BasisPublicInterest || !got.WithdrawnAt.IsZero() {
			e.t.Errorf("created: basis %q, withdrawn %v; want public_interest, never", got.ConsentBasis, got.WithdrawnAt)
		}
		got.ConsentBasis, got.WithdrawnAt = ravao.BasisLegalObligation, withdrawn
		return tx.UpdatePerson(&got)
	})
	e.view(func(tx ravao.Tx) error {
		got, err := tx.Person(p.ID)
		if err != nil {
			return err
		}
		if got.ConsentBasis != ravao.BasisLegalObligation || !got.WithdrawnAt.Equal(withdrawn) {
			e.t.Errorf("updated: basis %q, withdrawn %v; want legal_obligation, %v", got.ConsentBasis, got.WithdrawnAt, withdrawn)
		}
		return nil
	})
}

// newDSR returns an open deletion request of personID due at due.
func newDSR(personID int64, due time.Time) ravao.DSRequest {
	return ravao.DSRequest{ID: nextID(), PersonID: personID, Kind: ravao.DSRDelete, Status: ravao.DSROpen,
		Sealed: randomBytes(40), DueAt: due.Truncate(time.Millisecond)}
}

// testDSRequests: requests are stored, listed by due date with filters,
// and resolved.
func testDSRequests(e *env) {
	p, q := e.mustPerson(), e.mustPerson()
	late, soon, other := newDSR(p.ID, t0.Add(72*time.Hour)), newDSR(p.ID, t0.Add(24*time.Hour)), newDSR(q.ID, t0.Add(48*time.Hour))
	e.update(func(tx ravao.Tx) error {
		for _, r := range []*ravao.DSRequest{&late, &soon, &other} {
			if err := tx.CreateDSR(r); err != nil {
				return err
			}
		}
		return nil
	})
	if !late.CreatedAt.Equal(e.now()) {
		e.t.Errorf("CreatedAt = %v, want %v", late.CreatedAt, e.now())
	}
	e.refused(func(tx ravao.Tx) error {
		wantCode(e.t, "a request without an ID", tx.CreateDSR(&ravao.DSRequest{PersonID: p.ID}), ravao.Invalid)
		dup := late
		wantCode(e.t, "the same ID twice", tx.CreateDSR(&dup), ravao.Conflict)
		return errStop
	})
	e.view(func(tx ravao.Tx) error {
		got, err := tx.DSR(late.ID)
		if err != nil || !reflect.DeepEqual(got, late) {
			e.t.Errorf("DSR = %+v, %v; want %+v", got, err, late)
		}
		_, err = tx.DSR(nextID())
		wantCode(e.t, "an unknown request", err, ravao.NotFound)
		wantDSRs(e, tx, ravao.DSRFilter{Status: ravao.DSROpen}, soon.ID, other.ID, late.ID)
		wantDSRs(e, tx, ravao.DSRFilter{PersonID: p.ID}, soon.ID, late.ID)
		wantDSRs(e, tx, ravao.DSRFilter{Limit: 1}, soon.ID)
		return nil
	})
	soon.Status, soon.Sealed, soon.ResolvedAt, soon.ResolvedBy = ravao.DSRRefused, randomBytes(50), e.now(), e.mustUser("dpo").ID
	e.update(func(tx ravao.Tx) error { return tx.UpdateDSR(&soon) })
	e.view(func(tx ravao.Tx) error {
		got, err := tx.DSR(soon.ID)
		if err != nil || got.Status != ravao.DSRRefused || !bytes.Equal(got.Sealed, soon.Sealed) ||
			!got.ResolvedAt.Equal(soon.ResolvedAt) || got.ResolvedBy != soon.ResolvedBy {
			e.t.Errorf("after UpdateDSR: %+v, %v; want %+v", got, err, soon)
		}
		wantDSRs(e, tx, ravao.DSRFilter{Status: ravao.DSROpen}, other.ID, late.ID)
		wantDSRs(e, tx, ravao.DSRFilter{Status: ravao.DSRRefused}, soon.ID)
		return nil
	})
	e.update(func(tx ravao.Tx) error {
		missing := newDSR(p.ID, t0)
		wantCode(e.t, "updating an unknown request", tx.UpdateDSR(&missing), ravao.NotFound)
		return nil
	})
}

// wantDSRs checks the IDs a filter lists, in order.
func wantDSRs(e *env, tx ravao.Tx, f ravao.DSRFilter, ids ...int64) {
	e.t.Helper()
	rs, err := tx.DSRs(f)
	if err != nil {
		e.t.Fatalf("DSRs(%+v): %v", f, err)
	}
	var got []int64
	for _, r := range rs {
		got = append(got, r.ID)
	}
	if !reflect.DeepEqual(got, ids) {
		e.t.Errorf("DSRs(%+v) = %v, want %v", f, got, ids)
	}
}

// testDSREvents: a request's history keeps who did what when, in order.
func testDSREvents(e *env) {
	p := e.mustPerson()
	r := newDSR(p.ID, t0.Add(48*time.Hour))
	officer := e.mustUser("dpo")
	e.update(func(tx ravao.Tx) error {
		if err := tx.CreateDSR(&r); err != nil {
			return err
		}
		for _, ev := range []ravao.DSREvent{{RequestID: r.ID, Action: "created"}, {RequestID: r.ID, Action: "queued"}} {
			if err := tx.AddDSREvent(&ev); err != nil {
				return err
			}
		}
		return nil
	})
	e.clock.T = e.clock.T.Add(time.Hour)
	done := ravao.DSREvent{RequestID: r.ID, Action: "done", UserID: officer.ID}
	e.update(func(tx ravao.Tx) error { return tx.AddDSREvent(&done) })
	if done.ID == 0 || !done.At.Equal(e.now()) {
		e.t.Errorf("AddDSREvent: ID %d, At %v; want an ID and %v", done.ID, done.At, e.now())
	}
	e.view(func(tx ravao.Tx) error {
		evs, err := tx.DSREvents(r.ID)
		if err != nil {
			return err
		}
		if len(evs) != 3 || evs[0].Action != "created" || evs[1].Action != "queued" || evs[0].UserID != 0 ||
			!reflect.DeepEqual(evs[2], done) {
			e.t.Errorf("DSREvents = %+v, want created, queued, then %+v", evs, done)
		}
		return nil
	})
	e.refused(func(tx ravao.Tx) error {
		err := tx.AddDSREvent(&ravao.DSREvent{RequestID: nextID(), Action: "done"})
		wantCode(e.t, "an event of an unknown request", err, ravao.Invalid)
		return errStop
	})
}

// testDSROutlivesErasure: erasing the person keeps their requests and
// history, under the opaque id.
func testDSROutlivesErasure(e *env) {
	p := e.mustPerson()
	r := newDSR(p.ID, t0.Add(48*time.Hour))
	e.update(func(tx ravao.Tx) error {
		if err := tx.CreateDSR(&r); err != nil {
			return err
		}
		if err := tx.AddDSREvent(&ravao.DSREvent{RequestID: r.ID, Action: "created"}); err != nil {
			return err
		}
		_, err := tx.ErasePerson(p.ID)
		return err
	})
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.DSR(r.ID); err != nil || got.PersonID != p.ID {
			e.t.Errorf("after erasure: %+v, %v; want the request kept", got, err)
		}
		if evs, err := tx.DSREvents(r.ID); err != nil || len(evs) != 1 {
			e.t.Errorf("history after erasure: %v, %v; want 1 event", evs, err)
		}
		return nil
	})
}

// refused runs fn, which checks that some writes are refused, in a
// transaction it then rolls back (PostgreSQL aborts the rest of a
// transaction after a refused statement).
func (e *env) refused(fn func(tx ravao.Tx) error) {
	e.t.Helper()
	if err := e.s.Update(e.ctx, fn); !errors.Is(err, errStop) {
		e.t.Fatalf("Update: got %v, want the rollback", err)
	}
}
