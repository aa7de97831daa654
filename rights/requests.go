package rights

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/vault"
)

// Details are a request's sealed details: nothing in them is needed to
// list the queue, and the reason of a refusal may name people.
type Details struct {
	Source  string   `json:"source"`            // "request" (the data page) or "withdraw" (consent withdrawn)
	Waiting string   `json:"waiting,omitempty"` // "open_case" while a case needs the data
	Reason  string   `json:"reason,omitempty"`  // why the officer refused
	Fields  []string `json:"fields,omitempty"`  // the fields a correction changed (names, not values)
}

// The sources of a deletion request.
const (
	SourceRequest  = "request"
	SourceWithdraw = "withdraw"
)

// Withdraw withdraws the consent of the device's person. The device stops
// checking in at once, and the data not tied to an open case are deleted:
// when no open case needs them, everything is erased now (the device is
// forgotten with the person) and the request is recorded as done;
// otherwise the person is marked withdrawn, so that none of their devices
// checks in any more, and a deletion request waits in the officer's queue
// until the case closes.
func (s *Service) Withdraw(ctx context.Context, token string) (ravao.DSRequest, error) {
	var out ravao.DSRequest
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		p, err := s.person(tx, token)
		if err != nil {
			return err
		}
		out, err = s.deleteOrQueue(ctx, tx, p, SourceWithdraw)
		return err
	})
	return out, err
}

// RequestDeletion asks for everything held about the device's person to be
// deleted, once proof opened their data: at once when no open case needs
// the data, else through the officer's queue.
func (s *Service) RequestDeletion(ctx context.Context, token, proof string) (ravao.DSRequest, error) {
	var out ravao.DSRequest
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		p, err := s.proven(tx, token, proof)
		if err != nil {
			return err
		}
		out, err = s.deleteOrQueue(ctx, tx, p, SourceRequest)
		return err
	})
	return out, err
}

// deleteOrQueue erases p (and their dependants) when no open case needs
// them, else queues a deletion request; one open request per person is
// enough, so a second ask returns the first.
func (s *Service) deleteOrQueue(ctx context.Context, tx ravao.Tx, p ravao.PersonRecord, source string) (ravao.DSRequest, error) {
	protected, err := protected(tx, p)
	if err != nil {
		return ravao.DSRequest{}, err
	}
	if protected {
		return s.queueDeletion(ctx, tx, p, source)
	}
	if _, err := tx.ErasePerson(p.ID); err != nil {
		return ravao.DSRequest{}, err
	}
	if err := personAudit(ctx, tx, "person.erase", p.ID); err != nil {
		return ravao.DSRequest{}, err
	}
	return s.record(ctx, tx, p.ID, ravao.DSRDelete, Details{Source: source}, "erased")
}

// queueDeletion puts a deletion request in the officer's queue, and on a
// withdrawal stops the person's devices from checking in.
func (s *Service) queueDeletion(ctx context.Context, tx ravao.Tx, p ravao.PersonRecord, source string) (ravao.DSRequest, error) {
	if source == SourceWithdraw && p.WithdrawnAt.IsZero() {
		p.WithdrawnAt = tx.Now()
		if err := tx.UpdatePerson(&p); err != nil {
			return ravao.DSRequest{}, err
		}
		if err := personAudit(ctx, tx, "person.withdraw", p.ID); err != nil {
			return ravao.DSRequest{}, err
		}
	}
	open, err := tx.DSRs(ravao.DSRFilter{PersonID: p.ID, Status: ravao.DSROpen})
	if err != nil {
		return ravao.DSRequest{}, err
	}
	for _, r := range open {
		if r.Kind == ravao.DSRDelete {
			return r, nil
		}
	}
	r := ravao.DSRequest{ID: vault.NewID(), PersonID: p.ID, Kind: ravao.DSRDelete, Status: ravao.DSROpen,
		CreatedAt: tx.Now(), DueAt: s.DueAt(tx.Now())}
	if err := s.seal(&r, Details{Source: source, Waiting: "open_case"}); err != nil {
		return r, err
	}
	if err := tx.CreateDSR(&r); err != nil {
		return r, err
	}
	if err := event(tx, r.ID, "created", 0); err != nil {
		return r, err
	}
	if err := event(tx, r.ID, "queued", 0); err != nil {
		return r, err
	}
	return r, dsrAudit(ctx, tx, nil, "dsr.create", r.ID)
}

// record stores a request answered at once, with its history: created,
// then what was done, then done.
func (s *Service) record(ctx context.Context, tx ravao.Tx, personID int64, kind ravao.DSRKind, d Details, did string) (ravao.DSRequest, error) {
	now := tx.Now()
	r := ravao.DSRequest{ID: vault.NewID(), PersonID: personID, Kind: kind, Status: ravao.DSRDone,
		CreatedAt: now, DueAt: s.DueAt(now), ResolvedAt: now}
	if err := s.seal(&r, d); err != nil {
		return r, err
	}
	if err := tx.CreateDSR(&r); err != nil {
		return r, err
	}
	for _, a := range []string{"created", did, "done"} {
		if err := event(tx, r.ID, a, 0); err != nil {
			return r, err
		}
	}
	return r, dsrAudit(ctx, tx, nil, "dsr.create", r.ID)
}

// protected reports whether an open case needs p's or their dependants'
// data: as a case or as a contact.
func protected(tx ravao.Tx, p ravao.PersonRecord) (bool, error) {
	deps, err := tx.Dependants(p.ID)
	if err != nil {
		return false, err
	}
	for _, r := range append([]ravao.PersonRecord{p}, deps...) {
		tr, err := tx.PersonTracing(r.ID)
		if err != nil {
			return false, err
		}
		if tr.OpenCase || tr.OpenContact {
			return true, nil
		}
	}
	return false, nil
}

// seal seals d into r, bound to r's ID.
func (s *Service) seal(r *ravao.DSRequest, d Details) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	r.Sealed = s.vault.Seal(b, dsrAAD(r.ID))
	return nil
}

// open opens a request's details.
func (s *Service) open(r ravao.DSRequest) (Details, error) {
	var d Details
	b, err := s.vault.Open(r.Sealed, dsrAAD(r.ID))
	if err != nil {
		return d, err
	}
	return d, json.Unmarshal(b, &d)
}

func dsrAAD(id int64) string { return "dsr/" + strconv.FormatInt(id, 10) }

// event appends a step to a request's history.
func event(tx ravao.Tx, requestID int64, action string, userID int64) error {
	return tx.AddDSREvent(&ravao.DSREvent{RequestID: requestID, Action: action, UserID: userID, At: tx.Now()})
}

// dsrAudit records an action on a request; actor is nil for the data
// subject.
func dsrAudit(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, action string, id int64) error {
	e := &ravao.AuditEvent{Action: action, ObjectType: "dsr", ObjectID: strconv.FormatInt(id, 10), RequestID: ravao.RequestID(ctx)}
	if actor != nil {
		e.UserID, e.Role = actor.User.ID, ravao.RoleDPO
	}
	return tx.AppendAudit(e)
}

func formatID(id int64) string { return strconv.FormatInt(id, 10) }
