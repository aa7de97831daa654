package rights

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/ravao/ravao"
)

// mayProtect refuses anyone but the data-protection officer.
func mayProtect(actor *ravao.Principal) error {
	if actor == nil || !actor.Can(ravao.PermProtectData, ravao.Target{}) {
		return ravao.Errorf(ravao.Forbidden, "err.forbidden")
	}
	return nil
}

// queueLimit is the most requests the officer's queue lists at once.
const queueLimit = 500

// Queue lists requests with status (open when empty) by due date, for
// the officer. The listing is audited.
func (s *Service) Queue(ctx context.Context, actor *ravao.Principal, status ravao.DSRStatus) ([]ravao.DSRequest, error) {
	if err := mayProtect(actor); err != nil {
		return nil, err
	}
	if status == "" {
		status = ravao.DSROpen
	}
	switch status {
	case ravao.DSROpen, ravao.DSRDone, ravao.DSRRefused:
	default:
		return nil, ravao.FieldError("status", "err.invalid")
	}
	var out []ravao.DSRequest
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		var err error
		if out, err = tx.DSRs(ravao.DSRFilter{Status: status, Limit: queueLimit}); err != nil {
			return err
		}
		return tx.AppendAudit(&ravao.AuditEvent{UserID: actor.User.ID, Role: ravao.RoleDPO, Action: "dsr.list",
			ObjectType: "dsr", Reason: string(status), RequestID: ravao.RequestID(ctx)})
	})
	return out, err
}

// RequestView is one request as the officer sees it.
type RequestView struct {
	Request   ravao.DSRequest
	Details   Details
	Events    []ravao.DSREvent
	Protected bool // an open case still needs the person's data
	Erased    bool // the person's data are gone
}

// Request shows one request with its history. Viewing it is audited.
func (s *Service) Request(ctx context.Context, actor *ravao.Principal, id int64) (RequestView, error) {
	if err := mayProtect(actor); err != nil {
		return RequestView{}, err
	}
	var v RequestView
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		var err error
		if v, err = s.view(tx, id); err != nil {
			return err
		}
		return dsrAudit(ctx, tx, actor, "dsr.view", id)
	})
	return v, err
}

// view reads a request, its details, history and whether its person is
// still protected.
func (s *Service) view(tx ravao.Tx, id int64) (RequestView, error) {
	var v RequestView
	var err error
	if v.Request, err = tx.DSR(id); err != nil {
		return v, err
	}
	if v.Details, err = s.open(v.Request); err != nil {
		return v, err
	}
	if v.Events, err = tx.DSREvents(id); err != nil {
		return v, err
	}
	p, err := tx.Person(v.Request.PersonID)
	switch {
	case ravao.IsNotFound(err):
		v.Erased, err = true, nil
	case err != nil:
		return v, err
	default:
		v.Protected, err = protected(tx, p)
	}
	return v, err
}

// Resolution is the officer's answer to a request.
type Resolution struct {
	Outcome ravao.DSRStatus `json:"outcome"` // done or refused
	Reason  string          `json:"reason"`  // required when refused
}

// Resolve answers an open request. Done on a deletion erases the person
// now, which an open case still needing the data refuses with Conflict
// "err.erase_open_case"; refused needs a reason, sealed with the request.
func (s *Service) Resolve(ctx context.Context, actor *ravao.Principal, id int64, in Resolution) error {
	if err := mayProtect(actor); err != nil {
		return err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	switch {
	case in.Outcome != ravao.DSRDone && in.Outcome != ravao.DSRRefused:
		return ravao.FieldError("outcome", "err.invalid")
	case in.Outcome == ravao.DSRRefused && in.Reason == "":
		return ravao.FieldError("reason", "err.required")
	case utf8.RuneCountInString(in.Reason) > 1000:
		return ravao.FieldError("reason", "err.too_long")
	}
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		v, err := s.view(tx, id)
		if err != nil {
			return err
		}
		if v.Request.Status != ravao.DSROpen {
			return ravao.Errorf(ravao.Conflict, "err.dsr_closed")
		}
		if in.Outcome == ravao.DSRDone {
			if err := s.fulfil(ctx, tx, actor, v); err != nil {
				return err
			}
		}
		return s.close(ctx, tx, actor, v, in)
	})
}

// fulfil does what a request asks, once the officer says so.
func (s *Service) fulfil(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, v RequestView) error {
	if v.Request.Kind != ravao.DSRDelete || v.Erased {
		return nil
	}
	if v.Protected {
		return ravao.Errorf(ravao.Conflict, "err.erase_open_case")
	}
	if _, err := tx.ErasePerson(v.Request.PersonID); err != nil {
		return err
	}
	if err := event(tx, v.Request.ID, "erased", actor.User.ID); err != nil {
		return err
	}
	return tx.AppendAudit(&ravao.AuditEvent{UserID: actor.User.ID, Role: ravao.RoleDPO, Action: "person.erase",
		ObjectType: "person", ObjectID: formatID(v.Request.PersonID), RequestID: ravao.RequestID(ctx)})
}

// close records the answer on the request and in its history.
func (s *Service) close(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, v RequestView, in Resolution) error {
	r := v.Request
	r.Status, r.ResolvedAt, r.ResolvedBy = in.Outcome, tx.Now(), actor.User.ID
	d := v.Details
	d.Waiting, d.Reason = "", in.Reason
	if err := s.seal(&r, d); err != nil {
		return err
	}
	if err := tx.UpdateDSR(&r); err != nil {
		return err
	}
	if err := event(tx, r.ID, string(in.Outcome), actor.User.ID); err != nil {
		return err
	}
	return dsrAudit(ctx, tx, actor, "dsr.resolve", r.ID)
}

// MyRequests lists the requests of the device's person by due date, for
// their data page.
func (s *Service) MyRequests(ctx context.Context, token string) ([]ravao.DSRequest, error) {
	var out []ravao.DSRequest
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		p, err := s.person(tx, token)
		if err != nil {
			return err
		}
		out, err = tx.DSRs(ravao.DSRFilter{PersonID: p.ID, Limit: 50})
		return err
	})
	return out, err
}
