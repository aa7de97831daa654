package auditlog

import (
	"context"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
)

// PageSize is how many events one page of the viewer shows.
const PageSize = 100

// ExportMax is how many events an export holds at most: more asks the
// officer to narrow the filters.
const ExportMax = 50000

// exportChunk is how many events an export reads per transaction (the
// store's largest page).
const exportChunk = 10000

// Actions are the actions the services record, offered as suggestions in
// the viewer's "what" filter; any other action can still be typed.
var Actions = []string{
	"audit.export", "audit.read", "audit.verify",
	"breach.affected", "breach.export", "breach.list", "breach.read", "breach.record", "breach.report", "breach.settings", "breach.update",
	"case.close", "case.expand", "case.list", "case.open", "case.query", "case.trace", "case.update", "case.view",
	"checkpoint.create", "checkpoint.reissue", "checkpoint.revoke",
	"contact.promote", "contact.update", "contact.view", "contacts.notify", "contacts.view",
	"dsr.create", "dsr.list", "dsr.resolve", "dsr.view",
	"export.approve", "export.download", "export.request",
	"exposure.publish", "exposure.withdraw",
	"invitation.accept", "invitation.create", "notifications.view",
	"person.answer_on_behalf", "person.card_print", "person.card_revoke", "person.correct", "person.data_verify",
	"person.data_view", "person.declare", "person.declare_on_behalf", "person.declare_resident", "person.dependant",
	"person.erase", "person.from_card", "person.link_device", "person.lookup", "person.withdraw",
	"retention.purge",
	"roster.choose", "roster.confirm", "roster.delete", "roster.missing", "roster.reject", "roster.upload",
	"session.login", "session.login_failed", "session.logout",
	"staff.add", "staff.cards", "staff.compliance_read", "staff.delete", "staff.read", "staff.update", "staff.upload",
	"units.active_version", "units.import",
	"user.create", "user.disable", "user.enable", "user.lock", "user.password", "user.role", "user.token", "user.totp",
	"venue.approve", "venue.contact_read", "venue.import", "venue.register", "venue.reinstate", "venue.suspend", "venue.update",
}

// Query is what the officer filters the log by. Zero fields select
// everything.
type Query struct {
	Login      string    // who: a staff login, resolved to a user ID
	Action     string    // what
	ObjectType string    // which object: its type (e.g. "case")
	ObjectID   string    // and its ID (e.g. "42")
	From, To   ravao.Day // when: days in the deployment's zone, both included
	BeforeID   int64     // older than this event: the next page
}

// Entry is an event as the viewer shows it: with the login of its user
// ("" for the system or a visitor).
type Entry struct {
	ravao.AuditEvent
	Login string
}

// Page is one page of the log, newest first. Older is the BeforeID of
// the next page, 0 when there is none.
type Page struct {
	Entries []Entry
	Older   int64
}

// may refuses anyone but the data-protection officer.
func may(actor *ravao.Principal) error {
	if !actor.MayEver(ravao.PermProtectData) {
		return ravao.Errorf(ravao.Forbidden, "err.forbidden")
	}
	return nil
}

// List returns a page of the events q selects, newest first, and records
// the reading (audit.read) with the filters, never a personal value.
func (s *Service) List(ctx context.Context, actor *ravao.Principal, q Query) (Page, error) {
	if err := may(actor); err != nil {
		return Page{}, err
	}
	var page Page
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		f, err := s.filter(tx, q)
		if err != nil {
			return err
		}
		f.Limit = PageSize + 1
		events, err := tx.AuditEvents(f)
		if err != nil {
			return err
		}
		if len(events) > PageSize {
			events = events[:PageSize]
			page.Older = events[PageSize-1].ID
		}
		if page.Entries, err = withLogins(tx, events); err != nil {
			return err
		}
		return tx.AppendAudit(s.event(ctx, actor, "audit.read", q))
	})
	return page, err
}

// Export returns every event q selects (BeforeID ignored), newest first,
// at most ExportMax; more is Invalid, asking for narrower filters. The
// export is recorded (audit.export).
func (s *Service) Export(ctx context.Context, actor *ravao.Principal, q Query) ([]Entry, error) {
	if err := may(actor); err != nil {
		return nil, err
	}
	q.BeforeID = 0
	var out []Entry
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		out = nil
		f, err := s.filter(tx, q)
		if err != nil {
			return err
		}
		for {
			f.Limit = min(exportChunk, ExportMax+1-len(out))
			events, err := tx.AuditEvents(f)
			if err != nil {
				return err
			}
			entries, err := withLogins(tx, events)
			if err != nil {
				return err
			}
			out = append(out, entries...)
			if len(out) > ExportMax {
				return ravao.Errorf(ravao.Invalid, "err.audit_export_too_many", ExportMax)
			}
			if len(events) < f.Limit {
				break
			}
			f.BeforeID = events[len(events)-1].ID
		}
		return tx.AppendAudit(s.event(ctx, actor, "audit.export", q))
	})
	return out, err
}

// VerifyFor runs Verify for the officer and records it (audit.verify).
func (s *Service) VerifyFor(ctx context.Context, actor *ravao.Principal) (Verification, error) {
	if err := may(actor); err != nil {
		return Verification{}, err
	}
	v, err := s.Verify(ctx)
	if err != nil {
		return v, err
	}
	reason := "ok"
	if v.Broken != nil {
		reason = "broken at seq " + strconv.FormatInt(v.Broken.Seq, 10)
	}
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		e := s.event(ctx, actor, "audit.verify", Query{})
		e.Reason = reason
		return tx.AppendAudit(e)
	})
	return v, err
}

// filter turns a query into the store's filter: the login becomes a user
// ID (an unknown login is a field error), days become instants in the
// deployment's zone.
func (s *Service) filter(tx ravao.Tx, q Query) (ravao.AuditFilter, error) {
	f := ravao.AuditFilter{Action: strings.TrimSpace(q.Action), ObjectType: strings.TrimSpace(q.ObjectType),
		ObjectID: strings.TrimSpace(q.ObjectID), BeforeID: q.BeforeID}
	fe := ravao.FieldErrors{}
	if login := strings.TrimSpace(q.Login); login != "" {
		u, err := tx.UserByLogin(strings.ToLower(login))
		switch {
		case ravao.IsNotFound(err):
			fe.Add("user", "err.audit_unknown_login")
		case err != nil:
			return f, err
		default:
			f.UserID = u.ID
		}
	}
	if q.From != 0 && q.To != 0 && q.To < q.From {
		fe.Add("to", "err.date_range")
	}
	if len(f.Action) > 64 || len(f.ObjectType) > 64 || len(f.ObjectID) > 64 {
		fe.Add("audit", "err.too_long")
	}
	if q.From != 0 {
		f.Since = q.From.Start(s.cfg.TZ)
	}
	if q.To != 0 {
		f.Until = q.To.Add(1).Start(s.cfg.TZ)
	}
	return f, fe.Err()
}

// withLogins adds each event's user login.
func withLogins(tx ravao.Tx, events []ravao.AuditEvent) ([]Entry, error) {
	logins := map[int64]string{}
	out := make([]Entry, len(events))
	for i, e := range events {
		if _, ok := logins[e.UserID]; !ok && e.UserID != 0 {
			u, err := tx.User(e.UserID)
			if err != nil && !ravao.IsNotFound(err) {
				return nil, err
			}
			logins[e.UserID] = u.Login
		}
		out[i] = Entry{AuditEvent: e, Login: logins[e.UserID]}
	}
	return out, nil
}

// event is the record of the officer reading the log: the filters, as a
// reason, hold logins, actions and object IDs, no personal value.
func (s *Service) event(ctx context.Context, actor *ravao.Principal, action string, q Query) *ravao.AuditEvent {
	// Only the officer's role grants PermProtectData, which every caller
	// has checked.
	return &ravao.AuditEvent{UserID: actor.User.ID, Role: ravao.RoleDPO, Action: action, ObjectType: "audit",
		Reason: q.describe(), RequestID: ravao.RequestID(ctx)}
}

// describe is the filters as a short text, e.g. "user=dpo action=case.view".
func (q Query) describe() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("user", q.Login)
	add("action", q.Action)
	add("object", strings.TrimSpace(q.ObjectType+" "+q.ObjectID))
	if q.From != 0 {
		add("from", q.From.String())
	}
	if q.To != 0 {
		add("to", q.To.String())
	}
	if q.BeforeID != 0 {
		add("before", strconv.FormatInt(q.BeforeID, 10))
	}
	out := strings.Join(parts, " ")
	if len(out) > 2000 {
		out = out[:2000]
	}
	return out
}
