package sqlstore

import (
	"time"

	"github.com/ravao/ravao"
)

const notificationCols = `id, contact_id, person_id, status, attempts, last_error, next_at, created_at,
	sent_at`

func scanNotification(s scanner) (ravao.Notification, error) {
	var n ravao.Notification
	err := s.Scan(&n.ID, &n.ContactID, &n.PersonID, &n.Status, &n.Attempts, &n.LastError, msTime{&n.NextAt},
		msTime{&n.CreatedAt}, msTime{&n.SentAt})
	return n, err
}

// notificationInsertCols is how many values QueueNotifications binds per
// message.
const notificationInsertCols = 6

// QueueNotifications stores messages with status queued, due at NextAt
// (Now when zero), and sets their IDs.
func (t *Tx) QueueNotifications(ns []*ravao.Notification) error {
	return insertAll(t, ns, notificationInsertCols, `INSERT INTO notifications (contact_id, person_id, status,
		attempts, next_at, created_at) VALUES `,
		func(n *ravao.Notification) []any {
			n.Status = ravao.NotifyQueued
			t.stamp(&n.NextAt, &n.CreatedAt)
			return []any{n.ContactID, n.PersonID, string(n.Status), n.Attempts, ms(n.NextAt), ms(n.CreatedAt)}
		}, func(n *ravao.Notification, id int64) { n.ID = id })
}

// DueNotifications lists at most n (within DefaultLimit and MaxLimit)
// queued messages due at or before now, oldest due first. status =
// 'queued' repeats the predicate of the partial index notifications_due
// word for word, so that both engines read the index.
func (t *Tx) DueNotifications(now time.Time, n int) ([]ravao.Notification, error) {
	return getAll(t, scanNotification, `SELECT `+notificationCols+` FROM notifications
		WHERE status = 'queued' AND next_at <= $1 ORDER BY next_at, id LIMIT $2`, now.UnixMilli(), limit(n))
}

// UpdateNotification writes a message's status, attempts, last error,
// next attempt and sending time.
func (t *Tx) UpdateNotification(n *ravao.Notification) error {
	return t.execOne(`UPDATE notifications SET status = $1, attempts = $2, last_error = $3, next_at = $4,
		sent_at = $5 WHERE id = $6`,
		string(n.Status), n.Attempts, n.LastError, ms(n.NextAt), ms(n.SentAt), n.ID)
}

// CaseNotifications lists the messages to a case's contacts, by ID.
func (t *Tx) CaseNotifications(caseID int64) ([]ravao.Notification, error) {
	return getAll(t, scanNotification, `SELECT n.id, n.contact_id, n.person_id, n.status, n.attempts,
		n.last_error, n.next_at, n.created_at, n.sent_at
		FROM notifications n JOIN contacts c ON c.id = n.contact_id WHERE c.case_id = $1 ORDER BY n.id`, caseID)
}
