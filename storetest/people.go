package storetest

import (
	"reflect"
	"time"

	"github.com/ravao/ravao"
)

var personTests = []test{
	{"People/CreateAndGet", testPeople},
	{"People/Conflicts", testPeopleConflicts},
	{"People/Declarations", testDeclarations},
}

func testPeople(e *env) {
	p := e.mustPerson()
	if !p.CreatedAt.Equal(e.now()) || !p.UpdatedAt.Equal(e.now()) {
		e.t.Errorf("CreatePerson: got CreatedAt %v, UpdatedAt %v; want %v", p.CreatedAt, p.UpdatedAt, e.now())
	}
	// People without a phone or an ID number do not collide.
	bare1, bare2 := newPerson(), newPerson()
	bare1.PhoneKey, bare1.IDNumberKey, bare2.PhoneKey, bare2.IDNumberKey = nil, nil, nil, nil
	e.update(func(tx ravao.Tx) error {
		if err := tx.CreatePerson(&bare1); err != nil {
			return err
		}
		return tx.CreatePerson(&bare2)
	})
	e.view(func(tx ravao.Tx) error {
		for _, want := range []ravao.PersonRecord{p, bare1, bare2} {
			if got, err := tx.Person(want.ID); err != nil || !reflect.DeepEqual(got, want) {
				e.t.Errorf("Person: got %+v, %v; want %+v", got, err, want)
			}
		}
		if got, err := tx.PersonByPhoneKey(p.PhoneKey); err != nil || got.ID != p.ID {
			e.t.Errorf("PersonByPhoneKey: got ID %d, %v; want %d", got.ID, err, p.ID)
		}
		if got, err := tx.PersonByIDNumberKey(p.IDNumberKey); err != nil || got.ID != p.ID {
			e.t.Errorf("PersonByIDNumberKey: got ID %d, %v; want %d", got.ID, err, p.ID)
		}
		_, err := tx.Person(p.ID + 1_000_000)
		wantCode(e.t, "Person of a missing ID", err, ravao.NotFound)
		_, err = tx.PersonByPhoneKey(randomBytes(32))
		wantCode(e.t, "PersonByPhoneKey of an unknown key", err, ravao.NotFound)
		_, err = tx.PersonByIDNumberKey(p.PhoneKey) // a phone key is not an ID number key
		wantCode(e.t, "PersonByIDNumberKey of a phone key", err, ravao.NotFound)
		_, err = tx.PersonByPhoneKey(nil)
		wantCode(e.t, "PersonByPhoneKey(nil)", err, ravao.NotFound)
		return nil
	})
}

func testPeopleConflicts(e *env) {
	p := e.mustPerson()
	cases := []struct {
		name   string
		change func(r *ravao.PersonRecord)
	}{
		{"same ID", func(r *ravao.PersonRecord) { r.ID = p.ID }},
		{"same phone key", func(r *ravao.PersonRecord) { r.PhoneKey = p.PhoneKey }},
		{"same ID number key", func(r *ravao.PersonRecord) { r.IDNumberKey = p.IDNumberKey }},
	}
	for _, c := range cases {
		r := newPerson()
		c.change(&r)
		err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.CreatePerson(&r) })
		wantCode(e.t, "CreatePerson with the "+c.name, err, ravao.Conflict)
	}
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		r := newPerson()
		r.ID = 0
		return tx.CreatePerson(&r)
	})
	wantCode(e.t, "CreatePerson without an ID", err, ravao.Invalid)
}

func testDeclarations(e *env) {
	p := e.mustPerson()
	staff := e.mustUser("gate")
	e.view(func(tx ravao.Tx) error {
		_, err := tx.LatestDeclaration(p.ID)
		wantCode(e.t, "LatestDeclaration before any", err, ravao.NotFound)
		return nil
	})
	first := ravao.Declaration{PersonID: p.ID, Sealed: randomBytes(40)}
	e.update(func(tx ravao.Tx) error { return tx.AddDeclaration(&first) })
	e.clock.Advance(24 * time.Hour)
	second := ravao.Declaration{PersonID: p.ID, Risk: true, Sealed: randomBytes(40), ProxyUserID: staff.ID}
	e.update(func(tx ravao.Tx) error { return tx.AddDeclaration(&second) })
	if first.ID == 0 || second.ID == first.ID || !second.CreatedAt.Equal(e.now()) {
		e.t.Fatalf("AddDeclaration: got IDs %d, %d, CreatedAt %v", first.ID, second.ID, second.CreatedAt)
	}
	other := e.mustPerson()
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.LatestDeclaration(p.ID); err != nil || !reflect.DeepEqual(got, second) {
			e.t.Errorf("LatestDeclaration: got %+v, %v; want %+v", got, err, second)
		}
		_, err := tx.LatestDeclaration(other.ID)
		wantCode(e.t, "LatestDeclaration of someone who never declared", err, ravao.NotFound)
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		return tx.AddDeclaration(&ravao.Declaration{PersonID: p.ID + 1_000_000, Sealed: []byte{1}})
	})
	wantCode(e.t, "AddDeclaration of a missing person", err, ravao.Invalid)
}
