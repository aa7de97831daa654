package visitors

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/questions"
)

// CheckIn is a visitor's check-in at a poster's code.
type CheckIn struct {
	Code   string // the checkpoint code from the QR URL
	Device string // the device token
	// Answers, when given, are a new declaration made with this check-in
	// (required when the last one is older than the validity period).
	Answers questions.Answers
	// Dependants are the device person's dependants entering with them.
	Dependants []int64
	// IdempotencyKey makes a retry safe: the same key and body give the
	// same answer and one visit; another body with the key is refused.
	IdempotencyKey string
	Source         ravao.VisitSource // SourceSelf for pages, SourceAPI for the API
}

// Pass is what the pass screen shows.
type Pass struct {
	Visit      ravao.Visit
	Venue      ravao.Venue
	Checkpoint ravao.Checkpoint
	Place      string
	Dependants []ravao.Visit
	Repeated   bool // the person was already inside: the visit open here is kept
	// Replayed is true when the Idempotency-Key had been seen: the answer is
	// the first request's, and nothing was written.
	Replayed bool
}

// errNeedDeclaration asks for the health questions again: the last
// declaration is older than the validity period.
func errNeedDeclaration() error { return ravao.Errorf(ravao.Conflict, "err.declaration_needed") }

// CheckIn records a visit at the checkpoint a code names. The person is the
// device's; the decision is red when they declared symptoms or exposure,
// else green. Entering through another checkpoint of a venue where the
// person is already inside keeps that one visit; an open visit at another
// venue is closed (the person has left it).
func (s *Service) CheckIn(ctx context.Context, in CheckIn) (Pass, error) {
	// The place and who is checking in are read before the group commit,
	// on a reader beside the other requests' reads, so that the writer
	// only writes. The two reads need no snapshot in common: Peek saves a
	// transaction and may know the place already. A check-in with new
	// answers, or one this read refuses, reads its visitor again inside.
	parsed, err := s.places.ParseCode(in.Code) // a forged code costs no database work
	if err != nil {
		return Pass{}, err
	}
	var land places.Landing
	var known *visitor
	err = s.store.Peek(ctx, func(tx ravao.Tx) error {
		var err error
		if land, err = s.places.ResolveIn(tx, parsed); err != nil {
			return err
		}
		if in.Answers == nil {
			known, _ = s.read(tx, in.Device, nil, tx.Now())
		}
		return nil
	})
	if err != nil {
		return Pass{}, err
	}
	if land.Venue.Status != ravao.VenueApproved {
		return Pass{}, ravao.Errorf(ravao.Conflict, "err.venue_not_active")
	}
	var answers questions.Answers
	if in.Answers != nil {
		if answers, err = s.questions.Check(in.Answers); err != nil {
			return Pass{}, err
		}
	}
	if in.Source == "" {
		in.Source = ravao.SourceSelf
	}
	deps := slices.Clone(in.Dependants)
	slices.Sort(deps)
	deps = slices.Compact(deps)
	v := ravao.Visit{
		PersonID: 1, VenueID: land.Venue.ID, CheckpointID: land.Checkpoint.ID, InAt: s.now(),
		Decision: ravao.Green, Source: in.Source, IdempotencyKey: in.IdempotencyKey,
	}
	if in.IdempotencyKey != "" {
		v.RequestHash = hashRequest(land.Code, in.Device, answersKey(answers), idsKey(deps))
	}
	var out Pass
	var existed bool
	if known != nil && answers == nil && len(deps) == 0 && !touchDue(known.device, s.now()) {
		// Nothing to write but the visit: it joins the batch's other
		// plain entries, written together.
		existed, out.Repeated, err = s.writer.Enter(ctx, &v, func(v *ravao.Visit, now time.Time) {
			s.complete(v, known, land.Venue, now)
		})
		existed = existed || out.Repeated
	} else {
		existed, err = s.writer.RecordWith(ctx, &v, func(tx ravao.Tx, v *ravao.Visit) (bool, error) {
			var err error
			out, err = s.prepare(ctx, tx, v, in.Device, answers, deps, land.Venue, known)
			return out.Repeated, err
		})
	}
	if err != nil {
		return Pass{}, err
	}
	out.Visit, out.Venue, out.Checkpoint, out.Place = v, land.Venue, land.Checkpoint, land.Place
	if existed && !out.Repeated {
		out.Replayed = true
		out.Dependants, err = s.replayedDependants(ctx, in.IdempotencyKey, deps)
	}
	return out, err
}

// replayedDependants finds the dependants' visits a replayed check-in made
// the first time, stored under the key with the dependant's id.
func (s *Service) replayedDependants(ctx context.Context, key string, deps []int64) ([]ravao.Visit, error) {
	var out []ravao.Visit
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		out = out[:0]
		for _, id := range deps {
			v, err := tx.VisitByIdempotencyKey(key + "/" + strconv.FormatInt(id, 10))
			if ravao.IsNotFound(err) {
				continue // already inside the first time: no visit of its own
			}
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// prepare runs inside the check-in's transaction: it finds the person,
// stores a new declaration, decides, and closes or reuses open visits.
func (s *Service) prepare(ctx context.Context, tx ravao.Tx, v *ravao.Visit, token string, answers questions.Answers,
	deps []int64, venue ravao.Venue, known *visitor) (Pass, error) {
	now := tx.Now()
	if known == nil {
		var err error
		if known, err = s.read(tx, token, answers, now); err != nil {
			return Pass{}, err
		}
	}
	d, person := known.device, known.person
	if touchDue(d, now) {
		if err := tx.TouchDevice(d.ID, now); err != nil {
			return Pass{}, err
		}
	}
	s.complete(v, known, venue, now)
	open, inside, err := ravao.Enter(tx, person.ID, venue.ID, now)
	if err != nil {
		return Pass{}, err
	}
	if inside {
		// Already inside: the one visit stays, and dependants ticked now
		// who are not inside yet enter with it.
		*v = open
		dependants, err := s.dependantVisits(ctx, tx, open, person.ID, deps)
		return Pass{Repeated: true, Dependants: dependants}, err
	}
	dependants, err := s.dependantVisits(ctx, tx, *v, person.ID, deps)
	return Pass{Dependants: dependants}, err
}

// complete fills in the visit of a check-in at now: who, when, the
// decision and when it is due to end.
func (s *Service) complete(v *ravao.Visit, known *visitor, venue ravao.Venue, now time.Time) {
	v.PersonID, v.InAt = known.person.ID, now
	v.Decision = ravao.Decide(&known.latest, known.isolated, now, s.questions.Validity())
	v.DueAt = ravao.DueAt(now, venue, s.cfg.TZ)
}

// deviceSeenEvery is how often a check-in notes that its device was seen:
// a device's last use is kept to the hour, not written at every check-in.
const deviceSeenEvery = time.Hour

// touchDue says whether a check-in at now notes that d was seen.
func touchDue(d ravao.Device, now time.Time) bool { return now.Sub(d.LastSeen) >= deviceSeenEvery }

// visitor is what a check-in needs to know about who checks in: the
// device, its person, their latest declaration and whether they are to
// isolate.
type visitor struct {
	device   ravao.Device
	person   ravao.PersonRecord
	latest   ravao.Declaration
	isolated bool
}

// read finds the visitor behind a device token, first recording answers
// as a new declaration when there are any; it refuses a check-in whose
// latest declaration is too old.
func (s *Service) read(tx ravao.Tx, token string, answers questions.Answers, now time.Time) (*visitor, error) {
	v, err := s.deviceVisitor(tx, token)
	if err != nil {
		return nil, err
	}
	if answers != nil {
		if _, err := s.declare(tx, v.Person.ID, answers); err != nil {
			return nil, err
		}
		if v.Latest, err = tx.LatestDeclaration(v.Person.ID); err != nil {
			return nil, err
		}
	}
	if v.Latest.ID == 0 || !v.Latest.ValidFor(now, s.questions.Validity()) {
		return nil, errNeedDeclaration()
	}
	return &visitor{device: v.Device, person: v.Person, latest: v.Latest, isolated: v.Tracing.Isolated}, nil
}

// dependantVisits records the dependants' visits beside the adult's.
func (s *Service) dependantVisits(ctx context.Context, tx ravao.Tx, adult ravao.Visit, guardian int64, ids []int64) ([]ravao.Visit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if len(ids) > maxDependants {
		return nil, ravao.FieldError("dependants", "err.too_many_dependants")
	}
	mine, err := tx.Dependants(guardian)
	if err != nil {
		return nil, err
	}
	var batch []*ravao.Visit
	for _, id := range ids {
		if !slices.ContainsFunc(mine, func(p ravao.PersonRecord) bool { return p.ID == id }) {
			return nil, ravao.FieldError("dependants", "err.dependant_unknown")
		}
		if _, inside, err := ravao.Enter(tx, id, adult.VenueID, adult.InAt); err != nil {
			return nil, err
		} else if inside {
			continue
		}
		dv := adult
		dv.ID, dv.PersonID, dv.RequestHash = 0, id, nil
		if adult.IdempotencyKey != "" {
			dv.IdempotencyKey = adult.IdempotencyKey + "/" + strconv.FormatInt(id, 10)
		}
		batch = append(batch, &dv)
	}
	if len(batch) == 0 {
		return nil, nil
	}
	if err := tx.InsertVisits(batch); err != nil {
		return nil, err
	}
	out := make([]ravao.Visit, len(batch))
	for i, b := range batch {
		out[i] = *b
	}
	return out, nil
}

// CheckOut closes one of the device person's visits (or a dependant's)
// by tap.
func (s *Service) CheckOut(ctx context.Context, token string, visitID int64) (ravao.Visit, error) {
	var out ravao.Visit
	err := s.writer.Write(ctx, func(tx ravao.Tx) error { // in the group commit, beside check-ins
		_, person, err := s.device(tx, token)
		if err != nil {
			return err
		}
		v, err := tx.Visit(visitID)
		if err == nil && !s.ownVisit(tx, person.ID, v) {
			err = ravao.Errorf(ravao.NotFound, "err.visit_not_found")
		}
		if ravao.IsNotFound(err) {
			return ravao.Errorf(ravao.NotFound, "err.visit_not_found")
		}
		if err != nil {
			return err
		}
		if err := tx.CheckOutVisit(v.ID, tx.Now(), ravao.OutTap); err != nil {
			return err
		}
		out, err = tx.Visit(v.ID)
		return err
	})
	return out, err
}

// ownVisit reports whether v is the person's or one of their dependants'.
func (s *Service) ownVisit(tx ravao.Tx, personID int64, v ravao.Visit) bool {
	if v.PersonID == personID {
		return true
	}
	p, err := tx.Person(v.PersonID)
	return err == nil && p.GuardianID == personID
}

// answersKey and idsKey are canonical spellings for the request hash.
func answersKey(a questions.Answers) string {
	if a == nil {
		return ""
	}
	return a.Form().Encode() // url.Values encodes keys in sorted order
}

func idsKey(ids []int64) string {
	var b []byte
	for _, id := range ids {
		b = strconv.AppendInt(b, id, 10)
		b = append(b, ',')
	}
	return string(b)
}
