package sqlstore

import (
	"github.com/ravao/ravao"
)

const personCols = `id, phone_key, id_number_key, sealed, birth_year, sex, unit_code,
	consent_version, consent_channel, consent_at, guardian_id, card_serial, registered_by, created_at, updated_at,
	consent_basis, withdrawn_at`

func scanPerson(s scanner) (ravao.PersonRecord, error) {
	var p ravao.PersonRecord
	err := s.Scan(&p.ID, &p.PhoneKey, &p.IDNumberKey, &p.Sealed, &p.BirthYear, &p.Sex, &p.UnitCode,
		&p.ConsentVersion, &p.ConsentChannel, msTime{&p.ConsentAt}, idOrZero{&p.GuardianID}, &p.CardSerial,
		idOrZero{&p.RegisteredBy}, msTime{&p.CreatedAt}, msTime{&p.UpdatedAt}, &p.ConsentBasis, msTime{&p.WithdrawnAt})
	return p, err
}

// CreatePerson stores a sealed person under the ID the caller chose (the
// sealed fields are bound to it). A phone or ID number key already stored
// is a Conflict; a GuardianID naming nobody is Invalid.
func (t *Tx) CreatePerson(p *ravao.PersonRecord) error {
	if p.ID <= 0 {
		return &ravao.Error{Code: ravao.Invalid, Key: "err.invalid_fields", Fields: map[string]string{"id": "err.required"}}
	}
	t.stamp(&p.CreatedAt, &p.UpdatedAt)
	_, err := t.exec(`INSERT INTO people (`+personCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		p.ID, nullBytes(p.PhoneKey), nullBytes(p.IDNumberKey), p.Sealed, p.BirthYear, string(p.Sex),
		p.UnitCode, p.ConsentVersion, string(p.ConsentChannel), ms(p.ConsentAt), nullID(p.GuardianID),
		int64(p.CardSerial), nullID(p.RegisteredBy), ms(p.CreatedAt), ms(p.UpdatedAt),
		string(basisOrDefault(p)), ms(p.WithdrawnAt))
	return err
}

// basisOrDefault is the legal basis to store, also set on p: a record
// built without one (an older caller) gets its channel's basis, as the
// column's default does.
func basisOrDefault(p *ravao.PersonRecord) ravao.ConsentBasis {
	if p.ConsentBasis == "" {
		p.ConsentBasis = ravao.BasisFor(p.ConsentChannel)
	}
	return p.ConsentBasis
}

// Person returns a sealed person by ID.
func (t *Tx) Person(id int64) (ravao.PersonRecord, error) {
	return getOne(t, scanPerson, `SELECT `+personCols+` FROM people WHERE id = $1`, id)
}

// PersonByPhoneKey finds a person by the keyed hash of their phone.
func (t *Tx) PersonByPhoneKey(key []byte) (ravao.PersonRecord, error) {
	if len(key) == 0 {
		return ravao.PersonRecord{}, ravao.Errorf(ravao.NotFound, "err.not_found")
	}
	return getOne(t, scanPerson, `SELECT `+personCols+` FROM people WHERE phone_key = $1`, key)
}

// PersonByIDNumberKey finds a person by the keyed hash of their ID number.
func (t *Tx) PersonByIDNumberKey(key []byte) (ravao.PersonRecord, error) {
	if len(key) == 0 {
		return ravao.PersonRecord{}, ravao.Errorf(ravao.NotFound, "err.not_found")
	}
	return getOne(t, scanPerson, `SELECT `+personCols+` FROM people WHERE id_number_key = $1`, key)
}

// UpdatePerson rewrites a person's sealed fields, lookup keys, clear
// attributes, consent and card serial, and sets UpdatedAt to the
// transaction's Now. GuardianID and CreatedAt are never rewritten. A lookup
// key another person holds is a Conflict.
func (t *Tx) UpdatePerson(p *ravao.PersonRecord) error {
	err := t.execOne(`UPDATE people SET phone_key = $1, id_number_key = $2, sealed = $3, birth_year = $4,
		sex = $5, unit_code = $6, consent_version = $7, consent_channel = $8, consent_at = $9,
		card_serial = $10, updated_at = $11, consent_basis = $12, withdrawn_at = $13 WHERE id = $14`,
		nullBytes(p.PhoneKey), nullBytes(p.IDNumberKey), p.Sealed, p.BirthYear, string(p.Sex), p.UnitCode,
		p.ConsentVersion, string(p.ConsentChannel), ms(p.ConsentAt), int64(p.CardSerial), ms(t.now),
		string(basisOrDefault(p)), ms(p.WithdrawnAt), p.ID)
	if err == nil {
		p.UpdatedAt = t.now
	}
	return err
}

// Dependants lists the people an adult added as dependants, in ID order.
func (t *Tx) Dependants(guardianID int64) ([]ravao.PersonRecord, error) {
	return getAll(t, scanPerson, `SELECT `+personCols+` FROM people WHERE guardian_id = $1 ORDER BY id`, guardianID)
}

// PeopleRegisteredBy lists the people a staff member declared on their
// behalf, in ID order after afterID, at most limit.
func (t *Tx) PeopleRegisteredBy(userID, afterID int64, limit int) ([]ravao.PersonRecord, error) {
	return getAll(t, scanPerson, `SELECT `+personCols+` FROM people
		WHERE registered_by = $1 AND id > $2 ORDER BY id LIMIT $3`, userID, afterID, limit)
}

// ErasePerson deletes a person with their dependants and everything the
// schema ties to them (declarations, devices, visits) by cascade. It
// returns how many people were deleted; NotFound when there was no such
// person.
func (t *Tx) ErasePerson(id int64) (int, error) {
	deps, err := t.exec(`DELETE FROM people WHERE guardian_id = $1`, id)
	if err != nil {
		return 0, err
	}
	if err := t.execOne(`DELETE FROM people WHERE id = $1`, id); err != nil {
		return 0, err
	}
	return deps + 1, nil
}

// AddDeclaration stores a health declaration and sets its ID.
func (t *Tx) AddDeclaration(d *ravao.Declaration) error {
	t.stamp(&d.CreatedAt)
	id, err := t.insertID(`INSERT INTO declarations (person_id, risk, sealed, proxy_user_id, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		d.PersonID, d.Risk, d.Sealed, nullID(d.ProxyUserID), ms(d.CreatedAt))
	if err == nil {
		d.ID = id
	}
	return err
}

const declarationCols = `id, person_id, risk, sealed, proxy_user_id, created_at`

func scanDeclaration(s scanner) (ravao.Declaration, error) {
	var d ravao.Declaration
	return d, s.Scan(&d.ID, &d.PersonID, &d.Risk, &d.Sealed, idOrZero{&d.ProxyUserID}, msTime{&d.CreatedAt})
}

// Declarations lists a person's declarations, oldest first.
func (t *Tx) Declarations(personID int64) ([]ravao.Declaration, error) {
	return getAll(t, scanDeclaration, `SELECT `+declarationCols+` FROM declarations
		WHERE person_id = $1 ORDER BY created_at, id`, personID)
}

// LatestDeclaration returns a person's most recent declaration; NotFound
// when they never declared.
func (t *Tx) LatestDeclaration(personID int64) (ravao.Declaration, error) {
	return getOne(t, scanDeclaration, `SELECT `+declarationCols+` FROM declarations
		WHERE person_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, personID)
}
