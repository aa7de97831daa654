// Package workplaces is what factories, agencies and industrial-zone
// boards do to make every worker comply (the directive's workplaces): a
// venue manager keeps the organisation's staff list (typed in, or
// uploaded as CSV or XLSX), sees each workday which members declared and
// which entered through a checkpoint, follows up the ones who did not,
// and prints the members' personal QR cards in one batch. Zone boards and
// sector supervisors see the same figures per business across their
// zones or sector: rates and counts, never names.
//
// A member is linked to their Ravao person by the keyed lookup of their
// phone or ID number, never by a clear value: when the list is written,
// and again on read (the person may have declared or checked in for the
// first time since), without touching the check-in path.
package workplaces

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/personalqr"
	"github.com/ravao/ravao/vault"
)

// Config holds the deployment's choices for workplaces.
type Config struct {
	TZ       *time.Location // days are counted here; Asia/Ho_Chi_Minh when nil
	Clock    ravao.Clock
	Holidays []ravao.Day // not workdays, beside Saturdays and Sundays
	// Validity is how long a declaration counts (the question set's
	// validity, 24 hours by default): a member declared on a day when a
	// declaration of theirs was valid at some moment of it.
	Validity       time.Duration
	ConsentVersion string        // recorded with the people staff cards create ("1")
	CardTTL        time.Duration // life of a printed staff card (a year)
	// RelinkEvery is how often the figures of boards link the members of
	// every organisation anew (a minute): a manager's own pages link their
	// organisation's members on every read.
	RelinkEvery time.Duration
	// SeriesDays is how many workdays the manager's trend shows (7).
	SeriesDays int
}

// Service runs the staff lists and their compliance. It is safe for
// concurrent use.
type Service struct {
	store    ravao.Store
	vault    *vault.Vault
	qr       *personalqr.Signer
	cfg      Config
	linkedAt atomic.Int64 // unix ms of the last LinkStaff over every organisation
}

// New returns a service.
func New(store ravao.Store, v *vault.Vault, cfg Config) (*Service, error) {
	if store == nil || v == nil {
		return nil, errors.New("workplaces: store and vault are required")
	}
	if cfg.TZ == nil {
		tz, err := time.LoadLocation("Asia/Ho_Chi_Minh")
		if err != nil {
			tz = time.FixedZone("ICT", 7*3600)
		}
		cfg.TZ = tz
	}
	if cfg.Clock == nil {
		cfg.Clock = ravao.SystemClock{}
	}
	if cfg.Validity <= 0 {
		cfg.Validity = 24 * time.Hour
	}
	if cfg.ConsentVersion == "" {
		cfg.ConsentVersion = "1"
	}
	if cfg.CardTTL <= 0 {
		cfg.CardTTL = 365 * 24 * time.Hour
	}
	if cfg.RelinkEvery <= 0 {
		cfg.RelinkEvery = time.Minute
	}
	if cfg.SeriesDays <= 0 {
		cfg.SeriesDays = 7
	}
	return &Service{store: store, vault: v, qr: personalqr.NewSigner(v.PersonalQRKey()), cfg: cfg}, nil
}

// Today is the current day in the deployment's time zone.
func (s *Service) Today() ravao.Day { return ravao.DayOf(s.cfg.Clock.Now(), s.cfg.TZ) }

// errNotFound answers an organisation the actor does not manage, whether
// it exists or not, so that scopes do not leak what exists.
func errNotFound() error { return ravao.Errorf(ravao.NotFound, "err.organisation_not_found") }

// errMemberNotFound answers a member who is not on the actor's list.
func errMemberNotFound() error { return ravao.Errorf(ravao.NotFound, "err.staff_not_found") }

func errForbidden() error { return ravao.Errorf(ravao.Forbidden, "err.forbidden") }

// Manages reports whether actor is a venue manager of the organisation:
// the only people who see its staff list and the names in it.
// Administrators and officials see figures, not names.
func Manages(actor *ravao.Principal, organisationID int64) bool {
	if actor == nil || actor.User.Disabled || organisationID == 0 {
		return false
	}
	for _, a := range actor.Roles {
		if a.Role == ravao.RoleVenueManager && a.OrganisationID == organisationID {
			return true
		}
	}
	return false
}

// Organisations lists the organisations the actor manages, by ID.
func Organisations(actor *ravao.Principal) []int64 {
	var out []int64
	if actor == nil || actor.User.Disabled {
		return nil
	}
	for _, a := range actor.Roles {
		if a.Role == ravao.RoleVenueManager && a.OrganisationID != 0 {
			out = append(out, a.OrganisationID)
		}
	}
	return out
}

// organisation loads the organisation the actor manages.
func organisation(tx ravao.Tx, actor *ravao.Principal, id int64) (ravao.Organisation, error) {
	if !Manages(actor, id) {
		return ravao.Organisation{}, errNotFound()
	}
	o, err := tx.Organisation(id)
	if ravao.IsNotFound(err) {
		return o, errNotFound()
	}
	return o, err
}

// linkedOrganisation is organisation, after linking the members of its
// list whose person has appeared since: what every reading of the list
// starts with.
func linkedOrganisation(tx ravao.Tx, actor *ravao.Principal, id int64) (ravao.Organisation, error) {
	o, err := organisation(tx, actor, id)
	if err != nil {
		return o, err
	}
	_, err = tx.LinkStaff(id)
	return o, err
}

// audit records what the actor did to or read of an organisation's list.
func audit(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, action string, orgID int64) error {
	return tx.AppendAudit(&ravao.AuditEvent{UserID: actor.User.ID, Action: action, ObjectType: "organisation",
		ObjectID: strconv.FormatInt(orgID, 10), RequestID: ravao.RequestID(ctx)})
}
