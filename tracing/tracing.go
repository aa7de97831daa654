// Package tracing is the health officials' side of Ravao: a case (F0) and
// its infectious window, the case's visits and the people exposed at them
// (computed in the database), the worked contact list (F1, then F2 by
// expansion), exports safe to open in a spreadsheet under a two-person
// rule above a size, exposure windows published for visitors' phones, and
// the messages queued for close contacts.
//
// Every action, query and view is audited with the case's reason, and is
// allowed only to health officials whose unit covers the case's unit.
package tracing

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/personalqr"
	"github.com/ravao/ravao/sms"
	"github.com/ravao/ravao/vault"
)

// Config holds the deployment's choices for tracing.
type Config struct {
	// Settings are the thresholds a new case starts with.
	Settings ravao.TraceSettings
	// ApprovalRows: an export of more contacts than this waits for a
	// second official's approval (50).
	ApprovalRows int
	// TZ is the deployment's time zone, for dates in exports and
	// messages; Asia/Ho_Chi_Minh when nil.
	TZ *time.Location
	// Verifier checks personal QR codes, to open a case from one; nil
	// refuses them.
	Verifier *personalqr.Verifier
	Clock    ravao.Clock
}

// Service runs tracing. It is safe for concurrent use.
type Service struct {
	store  ravao.Store
	vault  *vault.Vault
	sender sms.Sender
	cfg    Config
}

// New returns a service. sender delivers the messages to close contacts.
func New(store ravao.Store, v *vault.Vault, sender sms.Sender, cfg Config) (*Service, error) {
	if store == nil || v == nil || sender == nil {
		return nil, errors.New("tracing: store, vault and sender are required")
	}
	if cfg.Settings == (ravao.TraceSettings{}) {
		cfg.Settings = ravao.DefaultTraceSettings()
	}
	if err := cfg.Settings.Validate(); err != nil {
		return nil, errors.New("tracing: invalid default settings")
	}
	if cfg.ApprovalRows <= 0 {
		cfg.ApprovalRows = 50
	}
	if cfg.TZ == nil {
		cfg.TZ = time.FixedZone("ICT", 7*3600)
	}
	if cfg.Clock == nil {
		cfg.Clock = ravao.SystemClock{}
	}
	return &Service{store: store, vault: v, sender: sender, cfg: cfg}, nil
}

// Settings are the deployment's default thresholds.
func (s *Service) Settings() ravao.TraceSettings { return s.cfg.Settings }

func (s *Service) now() time.Time { return s.cfg.Clock.Now().UTC().Truncate(time.Millisecond) }

func errForbidden() error { return ravao.Errorf(ravao.Forbidden, "err.forbidden") }

// mayTrace refuses early anyone who can trace nowhere.
func mayTrace(actor *ravao.Principal) error {
	if !actor.MayEver(ravao.PermTrace) {
		return errForbidden()
	}
	return nil
}

// covers reports whether actor may trace in the unit at path.
func covers(actor *ravao.Principal, path string) bool {
	return actor.Can(ravao.PermTrace, ravao.Target{UnitPath: ravao.SplitUnitPath(path)})
}

// caseFor loads a case the actor may work; one outside their scope is
// NotFound, so that its existence does not leak.
func caseFor(tx ravao.Tx, actor *ravao.Principal, id int64) (ravao.Case, error) {
	c, err := tx.Case(id)
	if err != nil {
		return c, err
	}
	if !covers(actor, c.UnitPath) {
		return ravao.Case{}, ravao.Errorf(ravao.NotFound, "err.not_found")
	}
	return c, nil
}

// audit records an action on a case with the case's reason (and extra,
// the action's own reason, when given). Both are checked to at most 500
// bytes of valid UTF-8, so together they fit the audit log's 2,000.
func audit(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, action, objectType string, objectID int64, c ravao.Case, extra string) error {
	reason := c.Reason
	if extra != "" {
		reason = extra + " — " + c.Reason
	}
	return tx.AppendAudit(&ravao.AuditEvent{
		At: tx.Now(), UserID: actor.User.ID, Role: ravao.RoleHealth, Action: action,
		ObjectType: objectType, ObjectID: strconv.FormatInt(objectID, 10), Reason: reason,
		RequestID: ravao.RequestID(ctx),
	})
}
