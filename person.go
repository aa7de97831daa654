package ravao

import (
	"time"
)

// Sex as declared.
type Sex string

// The declared sexes; empty means not given.
const (
	SexMale   Sex = "m"
	SexFemale Sex = "f"
	SexOther  Sex = "x"
)

// ConsentChannel says who gave consent for a person's data.
type ConsentChannel string

// The consent channels.
const (
	ConsentSelf     ConsentChannel = "self"     // the person, on their device
	ConsentProxy    ConsentChannel = "proxy"    // gate staff or a relative, on their behalf
	ConsentOfficial ConsentChannel = "official" // a commune official registering residents
)

// Person is a visitor, in clear, as it exists in memory between a request
// and the sealed record. Every personal field is a PII so it cannot leak
// into a log line. ID is random and opaque: it is what a personal QR code
// carries, and it binds the sealed fields to the row.
type Person struct {
	ID             int64
	FullName       PII
	Phone          PII // normalised, 0xxxxxxxxx
	IDNumber       PII // CCCD, 12 digits; optional
	Address        PII // free-text street address; optional
	BirthYear      int
	Sex            Sex
	UnitCode       string // the person's home unit
	ConsentVersion string
	ConsentChannel ConsentChannel
	ConsentAt      time.Time
	CreatedAt      time.Time
}

// Validate normalises nothing; it checks that p holds normalised, valid
// values (NormalizePerson produces them).
func (p Person) Validate(now time.Time) error {
	fe := FieldErrors{}
	if p.ID <= 0 {
		fe.Add("id", "err.required")
	}
	if n, err := NormalizeName(p.FullName.Reveal()); err != nil || n != p.FullName.Reveal() {
		fe.Add("full_name", "err.full_name")
	}
	if p.Phone != "" {
		if n, err := NormalizePhone(p.Phone.Reveal()); err != nil || n != p.Phone.Reveal() {
			fe.Add("phone", "err.phone")
		}
	}
	if p.IDNumber != "" {
		if err := ValidateCCCD(p.IDNumber.Reveal()); err != nil {
			fe.Add("id_number", "err.cccd")
		}
	}
	if len(p.Address) > 300 {
		fe.Add("address", "err.address")
	}
	if p.BirthYear < 1900 || p.BirthYear > now.Year() {
		fe.Add("birth_year", "err.birth_year")
	}
	switch p.Sex {
	case "", SexMale, SexFemale, SexOther:
	default:
		fe.Add("sex", "err.sex")
	}
	if p.UnitCode != "" && !validUnitCode(p.UnitCode) {
		fe.Add("unit", "err.unit_code")
	}
	switch p.ConsentChannel {
	case ConsentSelf, ConsentProxy, ConsentOfficial:
	default:
		fe.Add("consent", "err.consent")
	}
	if p.ConsentVersion == "" || p.ConsentAt.IsZero() {
		fe.Add("consent", "err.consent")
	}
	return fe.Err()
}

// PersonRecord is a person as stored: personal fields sealed in one
// ciphertext bound to the row's ID, with keyed-HMAC lookup keys for the
// phone and ID number. Stores see only this.
type PersonRecord struct {
	ID             int64
	PhoneKey       []byte // HMAC of the normalised phone; nil when none
	IDNumberKey    []byte // HMAC of the CCCD; nil when none
	Sealed         []byte
	BirthYear      int
	Sex            Sex
	UnitCode       string
	ConsentVersion string
	ConsentChannel ConsentChannel
	ConsentAt      time.Time
	// GuardianID is the adult a dependant (a child, an elderly relative
	// without a phone) was added by and checks in with; 0 for an adult.
	GuardianID int64
	// CardSerial is the serial of the person's current printed QR card;
	// re-issuing a card increments it, so older cards stop working.
	CardSerial uint32
	// RegisteredBy is the official who declared the person on their
	// behalf (a commune official registering residents without a phone);
	// 0 when the person registered themselves.
	RegisteredBy int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Device is a visitor's browser, remembered by a random secret kept in a
// cookie and in local storage. Only a keyed hash of the secret is stored.
type Device struct {
	ID        int64
	TokenHash []byte
	PersonID  int64
	CreatedAt time.Time
	LastSeen  time.Time
}

// Declaration is one health declaration. The answers are health data and
// are stored sealed; Risk is the one clear bit the gate decision needs.
type Declaration struct {
	ID          int64
	PersonID    int64
	Risk        bool   // symptoms or exposure declared
	Sealed      []byte // the answers, sealed
	ProxyUserID int64  // staff who declared on the person's behalf; 0 when self
	CreatedAt   time.Time
}

// ValidFor reports whether the declaration still counts at now, given the
// deployment's validity period.
func (d Declaration) ValidFor(now time.Time, validity time.Duration) bool {
	return !d.CreatedAt.IsZero() && !now.Before(d.CreatedAt) && now.Sub(d.CreatedAt) < validity
}
