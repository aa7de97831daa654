// Package places is the registration and life of places: organisations
// register venues and their checkpoints (with a phone proved by SMS), local
// officials approve and suspend them, managers invite gate staff, and every
// checkpoint gets a signed code that its poster prints and /q/{code}
// resolves. Every method takes the acting principal and checks its scope with
// ravao.Principal.Can; every change is audited in the same transaction.
package places

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/codes"
	"github.com/ravao/ravao/i18n"
	"github.com/ravao/ravao/sms"
	"github.com/ravao/ravao/vault"
)

// Config holds the deployment's choices for places.
type Config struct {
	BaseURL     string // the QR code of a checkpoint encodes BaseURL/q/CODE
	AutoApprove bool   // new registrations are approved at once
	// CodeTTL is how long an SMS code is valid (10 minutes when zero).
	CodeTTL time.Duration
	// CodesPerHour bounds the SMS codes one phone receives per hour (5).
	CodesPerHour int
	// InviteTTL is how long a gate-staff invitation stays usable (7 days).
	InviteTTL time.Duration
	TZ        *time.Location // issue dates on posters; Asia/Ho_Chi_Minh when nil
	Clock     ravao.Clock
}

// Service runs the places workflows. It is safe for concurrent use.
type Service struct {
	store  ravao.Store
	vault  *vault.Vault
	auth   *auth.Service
	sms    sms.Sender
	signer *codes.Signer
	cat    *i18n.Catalogue
	cfg    Config
	units  unitNames // place lines' unit names, for Resolve
}

// New returns a service. The checkpoint code keys come from the vault.
func New(store ravao.Store, v *vault.Vault, a *auth.Service, sender sms.Sender, cat *i18n.Catalogue, cfg Config) (*Service, error) {
	if store == nil || v == nil || a == nil || sender == nil || cat == nil {
		return nil, errors.New("places: store, vault, auth, sms and catalogue are required")
	}
	keys, current := v.CodeKeys()
	signer, err := codes.NewSigner(keys, current)
	if err != nil {
		return nil, err
	}
	if cfg.CodeTTL <= 0 {
		cfg.CodeTTL = 10 * time.Minute
	}
	if cfg.CodesPerHour <= 0 {
		cfg.CodesPerHour = 5
	}
	if cfg.InviteTTL <= 0 {
		cfg.InviteTTL = 7 * 24 * time.Hour
	}
	if cfg.TZ == nil {
		cfg.TZ = time.FixedZone("ICT", 7*3600)
	}
	if cfg.Clock == nil {
		cfg.Clock = ravao.SystemClock{}
	}
	return &Service{store: store, vault: v, auth: a, sms: sender, signer: signer, cat: cat, cfg: cfg}, nil
}

// now is the service's clock at the millisecond the stores keep.
func (s *Service) now() time.Time { return s.cfg.Clock.Now().UTC().Truncate(time.Millisecond) }

// Errors that say "not there" without telling whether it exists elsewhere.
func errVenueNotFound() error      { return ravao.Errorf(ravao.NotFound, "err.venue_not_found") }
func errCheckpointNotFound() error { return ravao.Errorf(ravao.NotFound, "err.checkpoint_not_found") }
func errForbidden() error          { return ravao.Errorf(ravao.Forbidden, "err.forbidden") }

// audit is an audit event about a place object, by actor (nil: a visitor or
// a registrant not yet signed in, recorded as user 0 unless set later).
func audit(ctx context.Context, actor *ravao.Principal, action, objectType string, id int64, reason string) *ravao.AuditEvent {
	e := &ravao.AuditEvent{
		Action: action, ObjectType: objectType, ObjectID: strconv.FormatInt(id, 10),
		Reason: reason, RequestID: ravao.RequestID(ctx),
	}
	if actor != nil {
		e.UserID = actor.User.ID
		if len(actor.Roles) > 0 {
			e.Role = actor.Roles[0].Role
		}
	}
	return e
}

// loadVenue returns a venue the actor may do perm on; a venue outside the
// actor's scope is reported as not found, so scopes do not leak what exists.
func loadVenue(tx ravao.Tx, actor *ravao.Principal, perm ravao.Permission, id int64) (ravao.Venue, error) {
	v, err := tx.Venue(id)
	if ravao.IsNotFound(err) {
		return v, errVenueNotFound()
	}
	if err != nil {
		return v, err
	}
	if !actor.Can(perm, v.Target()) {
		if actor.Can(ravao.PermViewPlaces, v.Target()) {
			return v, errForbidden()
		}
		return v, errVenueNotFound()
	}
	return v, nil
}

// loadCheckpoint returns a checkpoint and its venue, checked like loadVenue.
func loadCheckpoint(tx ravao.Tx, actor *ravao.Principal, perm ravao.Permission, id int64) (ravao.Checkpoint, ravao.Venue, error) {
	c, err := tx.Checkpoint(id)
	if ravao.IsNotFound(err) {
		return c, ravao.Venue{}, errCheckpointNotFound()
	}
	if err != nil {
		return c, ravao.Venue{}, err
	}
	v, err := loadVenue(tx, actor, perm, c.VenueID)
	if ravao.IsNotFound(err) {
		return c, v, errCheckpointNotFound()
	}
	return c, v, err
}
