package storetest

import (
	"cmp"
	"reflect"
	"slices"
	"time"

	"github.com/ravao/ravao"
)

var personTests = []test{
	{"People/CreateAndGet", testPeople},
	{"People/Conflicts", testPeopleConflicts},
	{"People/Declarations", testDeclarations},
	{"People/Update", testUpdatePerson},
	{"People/Dependants", testDependants},
	{"People/Devices", testDevices},
	{"People/DeleteDevices", testDeleteDevices},
	{"People/RegisteredBy", testRegisteredBy},
	{"People/Erase", testErasePerson},
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
	d := e.mustDevice(p.ID)
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.LatestDeclaration(p.ID); err != nil || !reflect.DeepEqual(got, second) {
			e.t.Errorf("LatestDeclaration: got %+v, %v; want %+v", got, err, second)
		}
		if got, err := tx.DeviceVisitor(d.TokenHash); err != nil || !reflect.DeepEqual(got.Latest, second) {
			e.t.Errorf("DeviceVisitor: got latest %+v, %v; want %+v", got.Latest, err, second)
		}
		if got, err := tx.Declarations(p.ID); err != nil || !reflect.DeepEqual(got, []ravao.Declaration{first, second}) {
			e.t.Errorf("Declarations: got %+v, %v; want both, oldest first", got, err)
		}
		if got, err := tx.Declarations(other.ID); err != nil || len(got) != 0 {
			e.t.Errorf("Declarations of someone who never declared: got %+v, %v", got, err)
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

// wantPerson fails the test unless the stored person equals want.
func (e *env) wantPerson(what string, want ravao.PersonRecord) {
	e.t.Helper()
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Person(want.ID); err != nil || !reflect.DeepEqual(got, want) {
			e.t.Errorf("%s: got %+v, %v; want %+v", what, got, err, want)
		}
		return nil
	})
}

func testUpdatePerson(e *env) {
	guardian, p, other := e.mustPerson(), e.mustPerson(), e.mustPerson()
	created := p.CreatedAt
	e.clock.Advance(time.Hour)
	changed := p
	changed.PhoneKey, changed.IDNumberKey, changed.Sealed = randomBytes(32), nil, randomBytes(70)
	changed.BirthYear, changed.Sex, changed.UnitCode = 1961, ravao.SexMale, "00002"
	changed.ConsentVersion, changed.ConsentChannel = "v2", ravao.ConsentProxy
	changed.ConsentAt, changed.CardSerial = e.now().Add(-time.Minute), 1<<32-1   // beyond int32
	changed.GuardianID, changed.CreatedAt = guardian.ID, created.Add(-time.Hour) // neither is written
	e.update(func(tx ravao.Tx) error { return tx.UpdatePerson(&changed) })
	if !changed.UpdatedAt.Equal(e.now()) {
		e.t.Errorf("UpdatePerson: got UpdatedAt %v, want %v", changed.UpdatedAt, e.now())
	}
	want := changed
	want.GuardianID, want.CreatedAt = 0, created
	e.wantPerson("Person after UpdatePerson", want)
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.PersonByPhoneKey(want.PhoneKey); err != nil || got.ID != p.ID {
			e.t.Errorf("PersonByPhoneKey of the new key: got ID %d, %v; want %d", got.ID, err, p.ID)
		}
		_, err := tx.PersonByPhoneKey(p.PhoneKey)
		wantCode(e.t, "PersonByPhoneKey of the replaced key", err, ravao.NotFound)
		_, err = tx.PersonByIDNumberKey(p.IDNumberKey)
		wantCode(e.t, "PersonByIDNumberKey of the cleared key", err, ravao.NotFound)
		return nil
	})
	taken := want
	taken.PhoneKey = other.PhoneKey
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.UpdatePerson(&taken) })
	wantCode(e.t, "UpdatePerson to another person's phone key", err, ravao.Conflict)
	e.wantPerson("Person after a refused UpdatePerson", want)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		ghost := newPerson()
		return tx.UpdatePerson(&ghost)
	})
	wantCode(e.t, "UpdatePerson of a missing ID", err, ravao.NotFound)
}

// newDependant returns a person without a phone or ID number added by a
// guardian, not stored.
func newDependant(guardianID int64) ravao.PersonRecord {
	d := newPerson()
	d.PhoneKey, d.IDNumberKey, d.GuardianID, d.BirthYear, d.ConsentChannel = nil, nil, guardianID, 2019, ravao.ConsentProxy
	return d
}

func testDependants(e *env) {
	adult, other := e.mustPerson(), e.mustPerson()
	// Created out of ID order, listed in it.
	kids := []ravao.PersonRecord{newDependant(adult.ID), newDependant(adult.ID), newDependant(other.ID)}
	kids[0].ID, kids[1].ID = kids[1].ID, kids[0].ID
	kids[1].CardSerial = 3
	e.update(func(tx ravao.Tx) error {
		for i := range kids {
			if err := tx.CreatePerson(&kids[i]); err != nil {
				return err
			}
		}
		return nil
	})
	e.wantPerson("Person of a dependant", kids[1])
	e.view(func(tx ravao.Tx) error {
		cases := []struct {
			name     string
			guardian int64
			want     []ravao.PersonRecord
		}{
			{"two, by ID", adult.ID, []ravao.PersonRecord{kids[1], kids[0]}},
			{"one", other.ID, []ravao.PersonRecord{kids[2]}},
			{"a dependant's own", kids[0].ID, []ravao.PersonRecord{}},
			{"unknown", adult.ID + 1_000_000, []ravao.PersonRecord{}},
		}
		for _, c := range cases {
			if got, err := tx.Dependants(c.guardian); err != nil || !reflect.DeepEqual(got, c.want) {
				e.t.Errorf("Dependants (%s): got %+v, %v; want %+v", c.name, got, err, c.want)
			}
		}
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		orphan := newDependant(adult.ID + 1_000_000)
		return tx.CreatePerson(&orphan)
	})
	wantCode(e.t, "CreatePerson with a missing guardian", err, ravao.Invalid)
}

// mustDevice stores a device of a person.
func (e *env) mustDevice(personID int64) ravao.Device {
	e.t.Helper()
	d := ravao.Device{TokenHash: randomBytes(32), PersonID: personID}
	e.update(func(tx ravao.Tx) error { return tx.CreateDevice(&d) })
	return d
}

// deviceExists reports whether a device is stored under hash.
func (e *env) deviceExists(hash []byte) bool {
	e.t.Helper()
	var found bool
	e.view(func(tx ravao.Tx) error {
		_, err := tx.DeviceByHash(hash)
		found = err == nil
		if err != nil && !ravao.IsNotFound(err) {
			return err
		}
		return nil
	})
	return found
}

func testDevices(e *env) {
	p := e.mustPerson()
	d := e.mustDevice(p.ID)
	if d.ID == 0 || !d.CreatedAt.Equal(e.now()) || !d.LastSeen.Equal(e.now()) {
		e.t.Errorf("CreateDevice: got ID %d, CreatedAt %v, LastSeen %v; want an ID and %v for both", d.ID, d.CreatedAt, d.LastSeen, e.now())
	}
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.DeviceByHash(d.TokenHash); err != nil || !reflect.DeepEqual(got, d) {
			e.t.Errorf("DeviceByHash: got %+v, %v; want %+v", got, err, d)
		}
		_, err := tx.DeviceByHash(randomBytes(32))
		wantCode(e.t, "DeviceByHash of an unknown hash", err, ravao.NotFound)
		_, err = tx.DeviceByHash(nil)
		wantCode(e.t, "DeviceByHash(nil)", err, ravao.NotFound)
		wantP, _ := tx.Person(p.ID)
		got, err := tx.DeviceVisitor(d.TokenHash)
		if want := (ravao.DeviceVisitor{Device: d, Person: wantP}); err != nil || !reflect.DeepEqual(got, want) || wantP.ID != p.ID {
			e.t.Errorf("DeviceVisitor of a person without declarations: got %+v, %v; want %+v", got, err, want)
		}
		_, err = tx.DeviceVisitor(randomBytes(32))
		wantCode(e.t, "DeviceVisitor of an unknown hash", err, ravao.NotFound)
		_, err = tx.DeviceVisitor(nil)
		wantCode(e.t, "DeviceVisitor(nil)", err, ravao.NotFound)
		return nil
	})
	seen := e.now().Add(3 * time.Hour)
	e.update(func(tx ravao.Tx) error { return tx.TouchDevice(d.ID, seen) })
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.DeviceByHash(d.TokenHash); err != nil || !got.LastSeen.Equal(seen) || !got.CreatedAt.Equal(d.CreatedAt) {
			e.t.Errorf("after TouchDevice: got LastSeen %v, CreatedAt %v, %v; want %v, %v", got.LastSeen, got.CreatedAt, err, seen, d.CreatedAt)
		}
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		dup := ravao.Device{TokenHash: d.TokenHash, PersonID: p.ID}
		return tx.CreateDevice(&dup)
	})
	wantCode(e.t, "CreateDevice with a stored hash", err, ravao.Conflict)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		return tx.CreateDevice(&ravao.Device{TokenHash: randomBytes(32), PersonID: p.ID + 1_000_000})
	})
	wantCode(e.t, "CreateDevice of a missing person", err, ravao.Invalid)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.TouchDevice(d.ID+1000, seen) })
	wantCode(e.t, "TouchDevice of a missing ID", err, ravao.NotFound)
}

func testDeleteDevices(e *env) {
	p, other := e.mustPerson(), e.mustPerson()
	p1, p2, o1 := e.mustDevice(p.ID), e.mustDevice(p.ID), e.mustDevice(other.ID)
	var n int
	e.update(func(tx ravao.Tx) (err error) {
		n, err = tx.DeleteDevices(p.ID)
		return err
	})
	if n != 2 {
		e.t.Errorf("DeleteDevices: got %d, want 2", n)
	}
	for _, d := range []ravao.Device{p1, p2} {
		if e.deviceExists(d.TokenHash) {
			e.t.Errorf("device %d still stored after DeleteDevices", d.ID)
		}
	}
	if !e.deviceExists(o1.TokenHash) {
		e.t.Errorf("another person's device was deleted")
	}
	e.update(func(tx ravao.Tx) (err error) {
		n, err = tx.DeleteDevices(p.ID)
		return err
	})
	if n != 0 {
		e.t.Errorf("DeleteDevices again: got %d, want 0", n)
	}
}

func testRegisteredBy(e *env) {
	official, other := e.mustUser("official"), e.mustUser("official2")
	residents := make([]ravao.PersonRecord, 5)
	for i := range residents {
		residents[i] = newPerson()
		residents[i].RegisteredBy, residents[i].ConsentChannel = official.ID, ravao.ConsentOfficial
	}
	residents[4].RegisteredBy = other.ID
	e.update(func(tx ravao.Tx) error {
		for i := range residents {
			if err := tx.CreatePerson(&residents[i]); err != nil {
				return err
			}
		}
		return nil
	})
	e.mustPerson() // registered themselves
	e.wantPerson("Person registered by an official", residents[0])
	mine := slices.SortedFunc(slices.Values(residents[:4]), func(a, b ravao.PersonRecord) int { return cmp.Compare(a.ID, b.ID) })
	e.view(func(tx ravao.Tx) error {
		cases := []struct {
			name          string
			user, afterID int64
			limit         int
			want          []ravao.PersonRecord
		}{
			{"all, by ID", official.ID, 0, 10, mine},
			{"a page", official.ID, 0, 3, mine[:3]},
			{"the next page", official.ID, mine[2].ID, 3, mine[3:]},
			{"another official's", other.ID, 0, 10, residents[4:]},
			{"nobody's", official.ID + 1_000_000, 0, 10, []ravao.PersonRecord{}},
		}
		for _, c := range cases {
			if got, err := tx.PeopleRegisteredBy(c.user, c.afterID, c.limit); err != nil || !reflect.DeepEqual(got, c.want) {
				e.t.Errorf("PeopleRegisteredBy (%s): got %d people, %v; want %d", c.name, len(got), err, len(c.want))
			}
		}
		return nil
	})
}

func testErasePerson(e *env) {
	adult, other := e.mustPerson(), e.mustPerson()
	kid := newDependant(adult.ID)
	e.update(func(tx ravao.Tx) error { return tx.CreatePerson(&kid) })
	pl := e.mustPlace("Chợ Đông Ba")
	now := e.now()
	visits := e.mustVisits(newVisit(pl, adult.ID, now, ""), newVisit(pl, kid.ID, now, ""), newVisit(pl, other.ID, now, ""))
	dev, otherDev := e.mustDevice(adult.ID), e.mustDevice(other.ID)
	e.update(func(tx ravao.Tx) error {
		for _, id := range []int64{adult.ID, kid.ID, other.ID} {
			if err := tx.AddDeclaration(&ravao.Declaration{PersonID: id, Sealed: randomBytes(20)}); err != nil {
				return err
			}
		}
		return nil
	})
	var n int
	e.update(func(tx ravao.Tx) (err error) {
		n, err = tx.ErasePerson(adult.ID)
		return err
	})
	if n != 2 {
		e.t.Errorf("ErasePerson: erased %d people, want the adult and their dependant", n)
	}
	e.view(func(tx ravao.Tx) error {
		for _, id := range []int64{adult.ID, kid.ID} {
			_, err := tx.Person(id)
			wantCode(e.t, "Person after erasure", err, ravao.NotFound)
			if ds, err := tx.Declarations(id); err != nil || len(ds) != 0 {
				e.t.Errorf("Declarations after erasure: %d, %v", len(ds), err)
			}
		}
		for _, v := range visits[:2] {
			_, err := tx.Visit(v.ID)
			wantCode(e.t, "Visit after erasure", err, ravao.NotFound)
		}
		_, err := tx.DeviceByHash(dev.TokenHash)
		wantCode(e.t, "Device after erasure", err, ravao.NotFound)
		// Someone else's data stays.
		if _, err := tx.Visit(visits[2].ID); err != nil {
			e.t.Errorf("another person's visit after erasure: %v", err)
		}
		if _, err := tx.DeviceByHash(otherDev.TokenHash); err != nil {
			e.t.Errorf("another person's device after erasure: %v", err)
		}
		if ds, err := tx.Declarations(other.ID); err != nil || len(ds) != 1 {
			e.t.Errorf("another person's declarations after erasure: %d, %v", len(ds), err)
		}
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		_, err := tx.ErasePerson(adult.ID)
		return err
	})
	wantCode(e.t, "ErasePerson again", err, ravao.NotFound)
}
