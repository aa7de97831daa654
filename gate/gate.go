// Package gate is the guard's side of a checkpoint: a scan (a personal QR
// code, a chip ID card's QR, the 2021 health QR, or a phone number proved
// by an SMS code) becomes a decision — green, yellow or red — and a visit,
// at once or later from a gate's offline queue. Staff see the person's
// masked name and birth year only, and never why someone is red.
package gate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/gatepayload"
	"github.com/ravao/ravao/personalqr"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/vault"
	"github.com/ravao/ravao/visitors"
)

// Config holds the deployment's choices for gates.
type Config struct {
	// MaxLate is how old a queued scan may be when it syncs (72 hours);
	// MaxAhead how far a gate's clock may run ahead (5 minutes).
	MaxLate, MaxAhead time.Duration
	TZ                *time.Location // the day of the gate's counters; Asia/Ho_Chi_Minh when nil
	ConsentVersion    string         // recorded with people first seen at a gate
	Clock             ravao.Clock
}

// Service runs scans. It is safe for concurrent use.
type Service struct {
	store    ravao.Store
	vault    *vault.Vault
	places   *places.Service
	visitors *visitors.Service
	writer   *ravao.VisitWriter
	cfg      Config
}

// New returns a service.
func New(store ravao.Store, v *vault.Vault, pl *places.Service, vis *visitors.Service, cfg Config) (*Service, error) {
	if store == nil || v == nil || pl == nil || vis == nil {
		return nil, errors.New("gate: store, vault, places and visitors are required")
	}
	if cfg.MaxLate <= 0 {
		cfg.MaxLate = 72 * time.Hour
	}
	if cfg.MaxAhead <= 0 {
		cfg.MaxAhead = 5 * time.Minute
	}
	if cfg.TZ == nil {
		cfg.TZ = time.FixedZone("ICT", 7*3600)
	}
	if cfg.ConsentVersion == "" {
		cfg.ConsentVersion = "1"
	}
	if cfg.Clock == nil {
		cfg.Clock = ravao.SystemClock{}
	}
	return &Service{store: store, vault: v, places: pl, visitors: vis, writer: vis.Writer(), cfg: cfg}, nil
}

// Direction says whether a scan lets someone in or out.
type Direction string

// The directions.
const (
	In  Direction = "in"
	Out Direction = "out"
)

// Scan is one scan at a checkpoint.
type Scan struct {
	CheckpointID int64
	// Payload is what the camera or the scanner read. A person with
	// nothing to scan gives Phone, Challenge and Code instead: the code
	// RequestPhoneCode sent, read out to the guard.
	Payload                string
	Phone, Challenge, Code string
	Direction              Direction
	// IdempotencyKey names the scan on the gate: a retry, or the same scan
	// synced twice from the queue, gives the first answer.
	IdempotencyKey string
	// DeviceTime is when the gate scanned, for a queued scan; zero is now.
	DeviceTime time.Time
	// Source is SourceGate for a live scan, SourceSync for a queued one.
	Source ravao.VisitSource
}

// Result is what the gate shows: the decision and whom it is about, by
// masked name and birth year only.
type Result struct {
	Decision  ravao.Decision
	Kind      string // personal_qr, card, cccd, qr1405, phone
	PersonID  int64  // opaque; the gate sends it back to declare on the person's behalf
	Name      string // masked
	BirthYear int
	VisitID   int64 // 0 when nothing was recorded (an exit without an open visit)
	Direction Direction
	At        time.Time
	Repeated  bool   // the person was already inside, or the scan was seen before
	Note      string // a message key for the guard, when there is something to say
}

// The kinds of what was scanned.
const (
	KindPersonalQR = "personal_qr"
	KindCard       = "card"
	KindPhone      = "phone"
)

// phonePurpose is the purpose of the SMS codes a gate sends.
const phonePurpose = "gate"

// RequestPhoneCode sends a one-time code to the phone of someone with
// nothing to scan; they read it to the guard, who scans with it.
func (s *Service) RequestPhoneCode(ctx context.Context, actor *ravao.Principal, checkpointID int64, phone, lang string) (string, error) {
	if err := s.View(ctx, actor, checkpointID); err != nil {
		return "", err
	}
	return s.places.RequestCode(ctx, phone, phonePurpose, lang)
}

// View checks that actor may operate the checkpoint's gate.
func (s *Service) View(ctx context.Context, actor *ravao.Principal, checkpointID int64) error {
	return s.store.View(ctx, func(tx ravao.Tx) error {
		_, _, err := checkpoint(tx, actor, checkpointID)
		return err
	})
}

// checkpoint loads a checkpoint and its venue for actor: a checkpoint
// they may not operate is not found, so probing learns nothing.
func checkpoint(tx ravao.Tx, actor *ravao.Principal, id int64) (ravao.Checkpoint, ravao.Venue, error) {
	notFound := ravao.Errorf(ravao.NotFound, "err.checkpoint_not_found")
	if !actor.MayEver(ravao.PermOperateGate) {
		return ravao.Checkpoint{}, ravao.Venue{}, ravao.Errorf(ravao.Forbidden, "err.forbidden")
	}
	cp, err := tx.Checkpoint(id)
	if ravao.IsNotFound(err) {
		return cp, ravao.Venue{}, notFound
	}
	if err != nil {
		return cp, ravao.Venue{}, err
	}
	v, err := tx.Venue(cp.VenueID)
	if err != nil {
		return cp, v, err
	}
	if !actor.Can(ravao.PermOperateGate, ravao.Target{CheckpointID: cp.ID, OrganisationID: v.OrganisationID}) {
		return cp, v, notFound
	}
	return cp, v, nil
}

// Scan records a scan: it identifies the person, decides and records the
// visit (an entry) or closes it (an exit), in one transaction.
func (s *Service) Scan(ctx context.Context, actor *ravao.Principal, in Scan) (Result, error) {
	at, err := s.when(in)
	if err != nil {
		return Result{}, err
	}
	if in.Direction == "" {
		in.Direction = In
	}
	if in.Direction != In && in.Direction != Out {
		return Result{}, ravao.FieldError("direction", "err.direction")
	}
	if in.Source == "" {
		in.Source = ravao.SourceGate
	}
	if len(in.IdempotencyKey) > 100 {
		return Result{}, ravao.FieldError("idempotency_key", "err.idempotency_key")
	}
	who, err := s.identify(ctx, in, at)
	if err != nil {
		return Result{}, err
	}
	if in.Direction == Out {
		return s.exit(ctx, actor, in, who, at)
	}
	return s.enter(ctx, actor, in, who, at)
}

// enter records the person's entry, or finds them already inside.
func (s *Service) enter(ctx context.Context, actor *ravao.Principal, in Scan, w who, at time.Time) (Result, error) {
	v := ravao.Visit{PersonID: 1, VenueID: 1, CheckpointID: in.CheckpointID, InAt: at, Decision: ravao.Yellow,
		Source: in.Source, IdempotencyKey: gateKey(in)}
	if v.IdempotencyKey != "" {
		v.RequestHash = hashScan(in, w)
	}
	out := Result{Kind: w.kind, Direction: In}
	existed, err := s.writer.RecordWith(ctx, &v, func(tx ravao.Tx, v *ravao.Visit) (bool, error) {
		_, venue, err := checkpoint(tx, actor, in.CheckpointID)
		if err != nil {
			return false, err
		}
		if venue.Status != ravao.VenueApproved {
			return false, ravao.Errorf(ravao.Conflict, "err.venue_not_active")
		}
		p, err := s.person(ctx, tx, actor, w)
		if err != nil {
			return false, err
		}
		if err := s.mask(p, &out); err != nil {
			return false, err
		}
		v.PersonID, v.VenueID = p.ID, venue.ID
		if v.Decision, err = s.decide(tx, p.ID, at); err != nil {
			return false, err
		}
		v.DueAt = ravao.DueAt(at, venue, s.cfg.TZ)
		open, inside, err := ravao.Enter(tx, p.ID, venue.ID, at)
		if inside {
			*v = open // already inside: scanned twice, or came in another way
		}
		return inside, err
	})
	if err != nil {
		return Result{}, err
	}
	out.Repeated, out.VisitID, out.Decision, out.At = existed, v.ID, v.Decision, v.InAt
	if out.PersonID != v.PersonID { // a retry: the first scan's visit, read without its person
		return out, s.describe(ctx, v.PersonID, &out)
	}
	return out, nil
}

// when is the instant of a scan: the gate's time for a queued one, within
// limits, else now.
func (s *Service) when(in Scan) (time.Time, error) {
	now := s.cfg.Clock.Now().UTC().Truncate(time.Millisecond)
	if in.DeviceTime.IsZero() {
		return now, nil
	}
	at := in.DeviceTime.UTC().Truncate(time.Millisecond)
	switch {
	case at.Before(now.Add(-s.cfg.MaxLate)):
		return at, ravao.FieldError("device_time", "err.scan_too_old")
	case at.After(now.Add(s.cfg.MaxAhead)):
		return at, ravao.FieldError("device_time", "err.scan_future")
	}
	return at, nil
}

// gateKey is the visit's idempotency key: the gate's key, apart from the
// keys visitors' own check-ins use.
func gateKey(in Scan) string {
	if in.IdempotencyKey == "" {
		return ""
	}
	return "gate/" + strconv.FormatInt(in.CheckpointID, 10) + "/" + in.IdempotencyKey
}

// hashScan is the request hash of a scan under an idempotency key.
func hashScan(in Scan, w who) []byte {
	h := sha256.New()
	for _, p := range []string{strconv.FormatInt(in.CheckpointID, 10), strings.TrimSpace(in.Payload), in.Phone,
		string(in.Direction), strconv.FormatInt(w.personID, 10)} {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum(nil)
}

// who is a scanned person before the store is asked: by id (a personal
// code), by a keyed document number (an ID card), or by phone.
type who struct {
	kind      string
	code      *personalqr.Claims // a verified personal code
	personID  int64              // someone just declared on their behalf
	docKey    []byte
	card      gatepayload.Scan
	phoneKey  []byte
	challenge *ravao.PhoneChallenge
}

// identify reads a scan's payload or phone proof, outside any transaction.
func (s *Service) identify(ctx context.Context, in Scan, at time.Time) (who, error) {
	if in.Payload == "" {
		return s.identifyPhone(ctx, in)
	}
	if personalqr.Looks(in.Payload) {
		// The signature and expiry here; the holder inside the write.
		c, err := s.visitors.Verifier().Parse(in.Payload, at)
		if err != nil {
			return who{}, err
		}
		w := who{kind: KindPersonalQR, code: &c}
		if c.Kind == personalqr.KindCard {
			w.kind = KindCard
		}
		return w, nil
	}
	card, err := gatepayload.Parse(in.Payload)
	if err != nil {
		return who{}, err
	}
	w := who{kind: string(card.Kind), card: card}
	if ravao.ValidateCCCD(card.IDNumber.Reveal()) == nil {
		w.docKey = s.vault.Lookup("cccd", card.IDNumber.Reveal())
	} else {
		w.docKey = s.vault.Lookup("document", card.IDNumber.Reveal())
	}
	return w, nil
}

// identifyPhone checks the code a person with nothing to scan read out.
func (s *Service) identifyPhone(ctx context.Context, in Scan) (who, error) {
	if in.Phone == "" {
		return who{}, ravao.FieldError("payload", "err.required")
	}
	phone, err := ravao.NormalizePhone(in.Phone)
	if err != nil {
		return who{}, ravao.FieldError("phone", "err.phone")
	}
	c, err := s.places.VerifyCode(ctx, in.Challenge, strings.TrimSpace(in.Code), phone, phonePurpose)
	if err != nil {
		return who{}, err
	}
	return who{kind: KindPhone, phoneKey: s.vault.Lookup("phone", phone), challenge: &c}, nil
}

// person finds the scanned person in tx. Someone whose ID card is scanned
// for the first time becomes a person from the card's name, birth year,
// sex and number, with consent given at the gate (channel "proxy").
func (s *Service) person(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, w who) (ravao.PersonRecord, error) {
	switch {
	case w.code != nil:
		return visitors.Holder(tx, *w.code)
	case w.personID != 0:
		return tx.Person(w.personID)
	case w.phoneKey != nil:
		if err := places.UseChallenge(tx, *w.challenge); err != nil {
			return ravao.PersonRecord{}, err
		}
		p, err := tx.PersonByPhoneKey(w.phoneKey)
		if ravao.IsNotFound(err) {
			return p, ravao.Errorf(ravao.NotFound, "err.phone_not_declared")
		}
		return p, err
	}
	p, err := tx.PersonByIDNumberKey(w.docKey)
	if !ravao.IsNotFound(err) {
		return p, err
	}
	return s.newFromCard(ctx, tx, actor, w)
}

// newFromCard stores the person an ID card describes.
func (s *Service) newFromCard(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, w who) (ravao.PersonRecord, error) {
	c := w.card
	if c.FullName == "" || c.BirthYear == 0 {
		return ravao.PersonRecord{}, ravao.Errorf(ravao.Invalid, "err.payload_incomplete")
	}
	now := tx.Now()
	p := ravao.Person{ID: vault.NewID(), FullName: c.FullName, BirthYear: c.BirthYear, Sex: c.Sex,
		ConsentVersion: s.cfg.ConsentVersion, ConsentChannel: ravao.ConsentProxy, ConsentAt: now}
	if ravao.ValidateCCCD(c.IDNumber.Reveal()) == nil {
		p.IDNumber = c.IDNumber
	}
	if err := p.Validate(now); err != nil {
		return ravao.PersonRecord{}, ravao.Errorf(ravao.Invalid, "err.payload_incomplete")
	}
	rec, err := s.vault.SealPerson(p)
	if err != nil {
		return rec, err
	}
	rec.IDNumberKey = w.docKey // a CMND or passport number is keyed apart from CCCDs
	if err := tx.CreatePerson(&rec); err != nil {
		return rec, err
	}
	return rec, tx.AppendAudit(&ravao.AuditEvent{UserID: actor.User.ID, Action: "person.from_card",
		ObjectType: "person", ObjectID: strconv.FormatInt(rec.ID, 10), RequestID: ravao.RequestID(ctx)})
}

// decide is a person's colour at at: red for a declared risk or an
// isolation, yellow without a declaration inside the validity period, else
// green.
func (s *Service) decide(tx ravao.Tx, personID int64, at time.Time) (ravao.Decision, error) {
	return ravao.PersonDecision(tx, personID, at, s.visitors.Questions().Validity())
}

// exit closes the person's open visit at the venue, through the gate, in
// the group commit beside the entries.
func (s *Service) exit(ctx context.Context, actor *ravao.Principal, in Scan, w who, at time.Time) (Result, error) {
	out := Result{Kind: w.kind, Direction: Out, At: at}
	err := s.writer.Write(ctx, func(tx ravao.Tx) error {
		out.VisitID, out.Repeated, out.Note = 0, false, ""
		_, venue, err := checkpoint(tx, actor, in.CheckpointID)
		if err != nil {
			return err
		}
		// Exits store no key of their own; a key an entry used is that
		// entry's, and another scan under it is refused.
		if key := gateKey(in); key != "" {
			if prior, err := tx.VisitByIdempotencyKey(key); err == nil && !bytes.Equal(prior.RequestHash, hashScan(in, w)) {
				return ravao.Errorf(ravao.Mismatch, "err.idempotency_mismatch")
			} else if err != nil && !ravao.IsNotFound(err) {
				return err
			}
		}
		p, err := s.person(ctx, tx, actor, w)
		if err != nil {
			return err
		}
		if err := s.mask(p, &out); err != nil {
			return err
		}
		if out.Decision, err = s.decide(tx, p.ID, at); err != nil {
			return err
		}
		open, err := tx.OpenVisit(p.ID, venue.ID)
		if ravao.IsNotFound(err) {
			out.Note = "gate.no_open_visit"
			return nil
		}
		if err != nil {
			return err
		}
		out.VisitID = open.ID
		err = tx.CheckOutVisit(open.ID, at, ravao.OutGate)
		if ravao.ErrorCode(err) == ravao.Conflict {
			out.Repeated = true
			return nil
		}
		return err
	})
	if err != nil {
		return Result{}, err
	}
	return out, nil
}

// describe fills in the masked name, birth year and id of a person the
// scan's own transaction did not read.
func (s *Service) describe(ctx context.Context, personID int64, out *Result) error {
	return s.store.View(ctx, func(tx ravao.Tx) error {
		r, err := tx.Person(personID)
		if err != nil {
			return err
		}
		return s.mask(r, out)
	})
}

// mask fills in whom a result is about, as the gate may see them: the
// opaque id, the masked name and the birth year.
func (s *Service) mask(r ravao.PersonRecord, out *Result) error {
	p, err := s.vault.OpenPerson(r)
	if err != nil {
		return err
	}
	out.PersonID, out.Name, out.BirthYear = r.ID, ravao.MaskName(p.FullName), r.BirthYear
	return nil
}
