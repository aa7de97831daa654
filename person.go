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

// ConsentBasis is the legal basis Ravao processes a person's data on.
// Decree 356/2025 and the Personal Data Protection Law (91/2025) make
// consent the rule, and list the cases where data may be processed without
// it: to protect life and health in an emergency, and for the tasks a law
// gives state agencies (epidemic prevention among them) or to meet a legal
// obligation. Sensitive data (health) needs consent or one of those cases.
type ConsentBasis string

// The legal bases.
const (
	// BasisConsent: the person (or the guardian or gate staff declaring in
	// their presence) agreed to the consent text; withdrawing it stops the
	// processing.
	BasisConsent ConsentBasis = "consent"
	// BasisPublicInterest: a commune official registered the resident under
	// the epidemic prevention directive, a task of the state in the public
	// interest, so that residents without a phone can pass the gates.
	BasisPublicInterest ConsentBasis = "public_interest"
	// BasisLegalObligation: a law obliges the data to be kept (for example
	// an order of the health authority during an outbreak).
	BasisLegalObligation ConsentBasis = "legal_obligation"
)

// BasisFor is the legal basis a person registered through channel has
// unless stated otherwise: residents registered by an official are
// processed in the public interest, everyone else on consent.
func BasisFor(channel ConsentChannel) ConsentBasis {
	if channel == ConsentOfficial {
		return BasisPublicInterest
	}
	return BasisConsent
}

// Valid reports whether b is one of the legal bases.
func (b ConsentBasis) Valid() bool {
	switch b {
	case BasisConsent, BasisPublicInterest, BasisLegalObligation:
		return true
	}
	return false
}

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
	// ConsentBasis is the legal basis; empty means BasisFor(ConsentChannel).
	ConsentBasis ConsentBasis
	CreatedAt    time.Time
}

// Basis is the person's legal basis, the channel's default when none was
// stated.
func (p Person) Basis() ConsentBasis {
	if p.ConsentBasis != "" {
		return p.ConsentBasis
	}
	return BasisFor(p.ConsentChannel)
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
	if p.ConsentVersion == "" || p.ConsentAt.IsZero() || !p.Basis().Valid() {
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
	ConsentBasis   ConsentBasis
	// WithdrawnAt is when the person withdrew their consent: their devices
	// no longer check in, and their data are deleted as soon as no open
	// case needs them. Zero while consent stands.
	WithdrawnAt time.Time
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

// DeviceVisitor is what a check-in needs to know about who checks in,
// read at once (Tx.DeviceVisitor): the device, its person, their latest
// declaration (zero ID when they have none) and what tracing holds
// against them.
type DeviceVisitor struct {
	Device  Device
	Person  PersonRecord
	Latest  Declaration
	Tracing PersonTracing
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

// DSRKind is what a data subject asked for.
type DSRKind string

// The kinds of data-subject requests.
const (
	DSRDelete  DSRKind = "delete"  // delete everything held (or consent withdrawn)
	DSRCorrect DSRKind = "correct" // correct the profile
)

// DSRStatus is where a data-subject request stands.
type DSRStatus string

// The statuses: open requests wait in the officer's queue.
const (
	DSROpen    DSRStatus = "open"
	DSRDone    DSRStatus = "done"
	DSRRefused DSRStatus = "refused"
)

// DSRequest is a data-subject request. It holds no personal data in clear:
// PersonID is the opaque id (kept after the person is erased, so the
// answer stays accountable) and Sealed holds the details (why it waits,
// the refusal's reason), sealed with additional data "dsr/ID".
type DSRequest struct {
	ID         int64 // random, like a person's: the sealed details are bound to it
	PersonID   int64
	Kind       DSRKind
	Status     DSRStatus
	Sealed     []byte
	CreatedAt  time.Time
	DueAt      time.Time // two working days after CreatedAt
	ResolvedAt time.Time // zero while open
	ResolvedBy int64     // the officer; 0 when answered automatically
}

// Overdue reports whether the request is still open after its due date.
func (r DSRequest) Overdue(now time.Time) bool {
	return r.Status == DSROpen && now.After(r.DueAt)
}

// DSREvent is one step in a request's history: who did what when.
type DSREvent struct {
	ID        int64
	RequestID int64
	Action    string // created, queued, erased, done, refused, corrected
	UserID    int64  // the officer; 0 for the data subject or Ravao itself
	At        time.Time
}

// DSRFilter selects data-subject requests; zero fields do not filter.
// Requests come by due date, then ID.
type DSRFilter struct {
	Status   DSRStatus
	PersonID int64
	Limit    int // 500 when 0
}
