package tracing

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/sms"
)

// MaxAttempts is how many times a message is tried before it is given up
// (failed): once, then once after each of Retry.
const MaxAttempts = 4

// Retry is how long the sender waits before each new attempt at a message
// that failed.
var Retry = [MaxAttempts - 1]time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute}

// sendBatch is how many messages one round of the sender takes.
const sendBatch = 100

// sendLease keeps a message taken by one round of the sender from being
// taken by another (on another server) while it is being sent. A sender
// that dies mid-round leaves its messages to be taken again after it.
const sendLease = 2 * time.Minute

// Notify queues a message to each close contact (F1) of the case who has a
// phone and has none queued yet; it returns how many were queued. The
// phone is not copied anywhere: the sender opens the person's record when
// it sends. A closed case is a conflict. Audited "contacts.notify".
func (s *Service) Notify(ctx context.Context, actor *ravao.Principal, caseID int64) (int, error) {
	if err := mayTrace(actor); err != nil {
		return 0, err
	}
	var queued int
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		c, err := caseFor(tx, actor, caseID)
		if err != nil {
			return err
		}
		if c.Status == ravao.CaseClosed {
			return ravao.Errorf(ravao.Conflict, "err.case_closed")
		}
		ns, err := s.toNotify(tx, c)
		if err != nil {
			return err
		}
		if len(ns) > 0 {
			if err := tx.QueueNotifications(ns); err != nil {
				return err
			}
		}
		queued = len(ns)
		return audit(ctx, tx, actor, "contacts.notify", "case", c.ID, c, "")
	})
	return queued, err
}

// toNotify makes the messages for the case's close contacts of the first
// degree who have a phone and no message yet.
func (s *Service) toNotify(tx ravao.Tx, c ravao.Case) ([]*ravao.Notification, error) {
	contacts, err := tx.Contacts(c.ID)
	if err != nil {
		return nil, err
	}
	earlier, err := tx.CaseNotifications(c.ID)
	if err != nil {
		return nil, err
	}
	done := map[int64]bool{}
	for _, n := range earlier {
		done[n.ContactID] = true
	}
	now := tx.Now()
	var out []*ravao.Notification
	for _, ct := range contacts {
		if ct.Degree != 1 || ct.Class != ravao.ContactClose || done[ct.ID] {
			continue
		}
		phone, err := s.phoneOf(tx, ct.PersonID)
		if err != nil {
			return nil, err
		}
		if phone != "" {
			out = append(out, &ravao.Notification{ContactID: ct.ID, PersonID: ct.PersonID, Status: ravao.NotifyQueued, NextAt: now, CreatedAt: now})
		}
	}
	return out, nil
}

// phoneOf opens a person's record for their phone; "" when they have none.
func (s *Service) phoneOf(tx ravao.Tx, personID int64) (ravao.PII, error) {
	rec, err := tx.Person(personID)
	if err != nil {
		return "", err
	}
	p, err := s.vault.OpenPerson(rec)
	return p.Phone, err
}

// Notifications lists the messages queued for a case's contacts, with
// where each is (queued, sent, failed). Audited "notifications.view".
func (s *Service) Notifications(ctx context.Context, actor *ravao.Principal, caseID int64) ([]ravao.Notification, error) {
	if err := mayTrace(actor); err != nil {
		return nil, err
	}
	var out []ravao.Notification
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		c, err := caseFor(tx, actor, caseID)
		if err != nil {
			return err
		}
		if out, err = tx.CaseNotifications(c.ID); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "notifications.view", "case", c.ID, c, "")
	})
	return out, err
}

// delivery is a message taken for sending: the text made, or why it
// cannot be sent at all.
type delivery struct {
	n      ravao.Notification
	msg    sms.Message
	giveUp string // a message key; the message is failed without sending
}

// SendDue sends the queued messages that are due, retrying failures after
// each of Retry and giving up after MaxAttempts; it returns how many were
// sent. The SMS names the place and the day, never the case.
func (s *Service) SendDue(ctx context.Context) (int, error) {
	ds, err := s.takeDue(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, d := range ds {
		var sendErr error
		if d.giveUp == "" {
			sendErr = s.sender.Send(ctx, d.msg)
			if ctx.Err() != nil {
				return sent, ctx.Err() // not an attempt: taken again after the lease
			}
		}
		if err := s.record(ctx, d, sendErr); err != nil {
			return sent, err
		}
		if d.giveUp == "" && sendErr == nil {
			sent++
		}
	}
	return sent, nil
}

// takeDue takes the due messages for one round: each is leased, and its
// text made from the contact's first exposure.
func (s *Service) takeDue(ctx context.Context) ([]delivery, error) {
	var out []delivery
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		out = nil
		due, err := tx.DueNotifications(tx.Now(), sendBatch)
		if err != nil {
			return err
		}
		for _, n := range due {
			d, err := s.compose(tx, n)
			if err != nil {
				return err
			}
			n.NextAt = tx.Now().Add(sendLease)
			if err := tx.UpdateNotification(&n); err != nil {
				return err
			}
			d.n = n
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// compose makes the SMS to a contact: "you were near a confirmed case at
// <venue> on <date>", in Vietnamese, to the phone of their record.
func (s *Service) compose(tx ravao.Tx, n ravao.Notification) (delivery, error) {
	phone, err := s.phoneOf(tx, n.PersonID)
	if ravao.IsNotFound(err) {
		return delivery{giveUp: "err.person_not_found"}, nil
	}
	if err != nil {
		return delivery{}, err
	}
	if phone == "" {
		return delivery{giveUp: "err.phone_none"}, nil
	}
	ct, err := tx.Contact(n.ContactID)
	if err != nil {
		return delivery{}, err
	}
	venue, err := venueAt(tx, ct.PersonID, ct.FirstAt)
	if err != nil {
		return delivery{}, err
	}
	cat, err := catalogue()
	if err != nil {
		return delivery{}, err
	}
	day := ct.FirstAt.In(s.cfg.TZ).Format("02/01/2006")
	text := cat.T("vi", "sms.exposure", venue, day)
	if venue == "" {
		text = cat.T("vi", "sms.exposure_day", day)
	}
	return delivery{msg: sms.Message{To: phone, Text: text, Purpose: "exposure"}}, nil
}

// venueAt names the venue of the person's visit that began at in: the
// contact's first exposure. "" when the visit is gone.
func venueAt(tx ravao.Tx, personID int64, in time.Time) (string, error) {
	visits, err := tx.PersonVisits(personID, in.Add(-time.Millisecond), in.Add(time.Millisecond))
	if err != nil {
		return "", err
	}
	for _, v := range visits {
		if v.InAt.Equal(in) {
			venue, err := tx.Venue(v.VenueID)
			return venue.Name, err
		}
	}
	return "", nil
}

// record writes what became of one attempt.
func (s *Service) record(ctx context.Context, d delivery, sendErr error) error {
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		n, now := d.n, tx.Now()
		n.Attempts++
		switch {
		case d.giveUp != "":
			n.Status, n.LastError = ravao.NotifyFailed, d.giveUp
		case sendErr == nil:
			n.Status, n.LastError, n.SentAt = ravao.NotifySent, "", now
		case n.Attempts >= MaxAttempts:
			n.Status, n.LastError = ravao.NotifyFailed, sendErrorKey(sendErr)
		default:
			n.LastError, n.NextAt = sendErrorKey(sendErr), now.Add(Retry[n.Attempts-1])
		}
		return tx.UpdateNotification(&n)
	})
}

// sendErrorKey is what a failed send leaves in LastError: the message key
// of a Ravao error (gateways return them), else a generic one. The error's
// text is never stored: a gateway might repeat the phone in it.
func sendErrorKey(err error) string {
	var e *ravao.Error
	if errors.As(err, &e) && e.Key != "" && len(e.Key) <= 64 {
		return e.Key
	}
	return "err.sms_failed"
}

// RunNotifications sends the due messages every interval until ctx ends.
func (s *Service) RunNotifications(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := s.SendDue(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("exposure messages", "err", err.Error())
		} else if n > 0 {
			log.Info("exposure messages", "sent", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
