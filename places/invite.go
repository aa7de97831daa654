package places

import (
	"context"
	"crypto/rand"
	"slices"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
)

// inviteAlphabet is Crockford's base32: an invitation code is read aloud
// or typed on a phone, so it has no look-alike letters.
const inviteAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// inviteLen gives 60 bits: with single use, expiry and the per-client
// limit on the page, guessing a live code is out of reach.
const inviteLen = 12

// Invite creates a one-time invitation for gate staff on the given
// checkpoints of one organisation the actor manages. The code is shown
// once; the link is BASE_URL/invite/CODE. A checkpoint listed twice is
// invited once: two equal roles would make the invitation fail when used.
func (s *Service) Invite(ctx context.Context, actor *ravao.Principal, checkpointIDs []int64) (string, ravao.Invitation, error) {
	checkpointIDs = slices.Compact(slices.Sorted(slices.Values(checkpointIDs)))
	if len(checkpointIDs) == 0 {
		return "", ravao.Invitation{}, ravao.FieldError("checkpoints", "err.required")
	}
	if len(checkpointIDs) > MaxCheckpoints*4 {
		return "", ravao.Invitation{}, ravao.FieldError("checkpoints", "err.too_many_checkpoints")
	}
	code := inviteCode()
	var inv ravao.Invitation
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		var org int64
		for _, id := range checkpointIDs {
			_, v, err := loadCheckpoint(tx, actor, ravao.PermManagePlaces, id)
			if err != nil {
				return err
			}
			if org != 0 && v.OrganisationID != org {
				return ravao.FieldError("checkpoints", "err.invite_one_organisation")
			}
			org = v.OrganisationID
		}
		now := tx.Now()
		inv = ravao.Invitation{
			TokenHash: s.vault.TokenHash(code), OrganisationID: org, CheckpointIDs: checkpointIDs,
			CreatedBy: actor.User.ID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.InviteTTL),
		}
		if err := tx.CreateInvitation(&inv); err != nil {
			return err
		}
		return tx.AppendAudit(audit(ctx, actor, "invitation.create", "invitation", inv.ID, ""))
	})
	return code, inv, err
}

func inviteCode() string {
	b := make([]byte, inviteLen)
	rand.Read(b)
	for i := range b {
		b[i] = inviteAlphabet[b[i]&31]
	}
	return string(b)
}

// errInviteInvalid answers unknown, used and expired invitations alike.
func errInviteInvalid() error { return ravao.Errorf(ravao.NotFound, "err.invite_invalid") }

// Invitation returns a live invitation by its code, for the page that
// accepts it.
func (s *Service) Invitation(ctx context.Context, code string) (ravao.Invitation, error) {
	var inv ravao.Invitation
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		var err error
		inv, err = s.liveInvitation(tx, code)
		return err
	})
	return inv, err
}

func (s *Service) liveInvitation(tx ravao.Tx, code string) (ravao.Invitation, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) != inviteLen || strings.Trim(code, inviteAlphabet) != "" {
		return ravao.Invitation{}, errInviteInvalid()
	}
	inv, err := tx.InvitationByHash(s.vault.TokenHash(code))
	if ravao.IsNotFound(err) || err == nil && (!inv.UsedAt.IsZero() || !tx.Now().Before(inv.ExpiresAt)) {
		return inv, errInviteInvalid()
	}
	return inv, err
}

// Accept uses an invitation to create a gate-staff account on its
// checkpoints and signs it in.
func (s *Service) Accept(ctx context.Context, code string, nu auth.NewUser) (string, *ravao.Principal, error) {
	user, err := s.auth.PrepareUser(nu)
	if err != nil {
		return "", nil, err
	}
	var userID int64
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		inv, err := s.liveInvitation(tx, code)
		if err != nil {
			return err
		}
		roles := make([]ravao.RoleAssignment, 0, len(inv.CheckpointIDs))
		for _, id := range inv.CheckpointIDs {
			if _, err := tx.Checkpoint(id); err == nil {
				roles = append(roles, ravao.RoleAssignment{Role: ravao.RoleGateStaff, CheckpointID: id})
			}
		}
		u := user
		if err := auth.InsertUser(ctx, tx, nil, &u, roles); err != nil {
			return err
		}
		userID = u.ID
		if err := tx.UseInvitation(inv.ID, u.ID, tx.Now()); err != nil {
			if ravao.ErrorCode(err) == ravao.Conflict {
				return errInviteInvalid()
			}
			return err
		}
		e := audit(ctx, nil, "invitation.accept", "invitation", inv.ID, "")
		e.UserID, e.Role = u.ID, ravao.RoleGateStaff
		return tx.AppendAudit(e)
	})
	if err != nil {
		return "", nil, err
	}
	return s.auth.StartSession(ctx, userID)
}
