package sqlstore

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
)

const invitationCols = `id, token_hash, organisation_id, checkpoint_ids, created_by, created_at,
	expires_at, used_at, used_by`

func scanInvitation(s scanner) (ravao.Invitation, error) {
	var i ravao.Invitation
	var ids string
	err := s.Scan(&i.ID, &i.TokenHash, &i.OrganisationID, &ids, idOrZero{&i.CreatedBy}, msTime{&i.CreatedAt},
		msTime{&i.ExpiresAt}, msTime{&i.UsedAt}, idOrZero{&i.UsedBy})
	if err != nil {
		return i, err
	}
	i.CheckpointIDs, err = parseIDs(ids)
	return i, err
}

// CreateInvitation stores an invitation by the hash of its secret and sets
// its ID. A hash already stored is a Conflict.
func (t *Tx) CreateInvitation(i *ravao.Invitation) error {
	t.stamp(&i.CreatedAt)
	id, err := t.insertID(`INSERT INTO invitations (token_hash, organisation_id, checkpoint_ids, created_by,
		created_at, expires_at, used_at, used_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		i.TokenHash, i.OrganisationID, formatIDs(i.CheckpointIDs), nullID(i.CreatedBy), ms(i.CreatedAt),
		ms(i.ExpiresAt), ms(i.UsedAt), nullID(i.UsedBy))
	if err == nil {
		i.ID = id
	}
	return err
}

// InvitationByHash returns an invitation by the hash of its secret, used or
// expired ones included: the caller decides.
func (t *Tx) InvitationByHash(hash []byte) (ravao.Invitation, error) {
	return getOne(t, scanInvitation, `SELECT `+invitationCols+` FROM invitations WHERE token_hash = $1`, hash)
}

// UseInvitation marks an invitation used by a user at an instant (Now when
// zero). The condition on used_at makes it single-use even when two
// people open the link at once: the second update touches no row and gets
// Conflict.
func (t *Tx) UseInvitation(id, userID int64, at time.Time) error {
	t.stamp(&at)
	n, err := t.exec(`UPDATE invitations SET used_at = $1, used_by = $2 WHERE id = $3 AND used_at IS NULL`,
		ms(at), nullID(userID), id)
	if err != nil || n == 1 {
		return err
	}
	var one int
	err = t.queryRow(`SELECT 1 FROM invitations WHERE id = $1`, id).Scan(&one)
	if err != nil {
		return t.db.translate(err)
	}
	return ravao.Errorf(ravao.Conflict, "err.invitation_used")
}

// formatIDs is the column value of a list of IDs: "1,2,3".
func formatIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// parseIDs is the inverse of formatIDs; "" is no IDs (nil).
func parseIDs(s string) ([]int64, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	ids := make([]int64, len(parts))
	for i, p := range parts {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("checkpoint_ids %q: %w", s, err)
		}
		ids[i] = id
	}
	return ids, nil
}
