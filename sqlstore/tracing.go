package sqlstore

// Stubs until the tracing store lands; the store helper replaces this file.

import (
	"time"

	"github.com/ravao/ravao"
)

func notYet() error { return ravao.Errorf(ravao.Internal, "err.internal") }

func (t *Tx) CreateCase(c *ravao.Case) error                      { return notYet() }
func (t *Tx) Case(id int64) (ravao.Case, error)                   { return ravao.Case{}, notYet() }
func (t *Tx) Cases(f ravao.CaseFilter) ([]ravao.Case, error)      { return nil, notYet() }
func (t *Tx) UpdateCase(c *ravao.Case) error                      { return notYet() }
func (t *Tx) PersonTracing(id int64) (ravao.PersonTracing, error) { return ravao.PersonTracing{}, nil }
func (t *Tx) ExposurePairs(q ravao.ExposureQuery) ([]ravao.ExposurePair, error) {
	return nil, notYet()
}
func (t *Tx) PutContacts(caseID int64, cs []*ravao.Contact) (int, error) { return 0, notYet() }
func (t *Tx) Contact(id int64) (ravao.Contact, error)                    { return ravao.Contact{}, notYet() }
func (t *Tx) Contacts(caseID int64) ([]ravao.Contact, error)             { return nil, notYet() }
func (t *Tx) UpdateContact(c *ravao.Contact) error                       { return notYet() }
func (t *Tx) AddContactEvent(e *ravao.ContactEvent) error                { return notYet() }
func (t *Tx) ContactEvents(id int64) ([]ravao.ContactEvent, error)       { return nil, notYet() }
func (t *Tx) CreateExport(x *ravao.Export) error                         { return notYet() }
func (t *Tx) Export(id int64) (ravao.Export, error)                      { return ravao.Export{}, notYet() }
func (t *Tx) Exports(caseID int64) ([]ravao.Export, error)               { return nil, notYet() }
func (t *Tx) ApproveExport(id, userID int64, at time.Time) error         { return notYet() }
func (t *Tx) CreateExposureWindow(w *ravao.ExposureWindow) error         { return notYet() }
func (t *Tx) ExposureWindow(id int64) (ravao.ExposureWindow, error) {
	return ravao.ExposureWindow{}, notYet()
}
func (t *Tx) ExposureWindows(f ravao.ExposureWindowFilter) ([]ravao.ExposureWindow, error) {
	return nil, notYet()
}
func (t *Tx) WithdrawExposureWindow(id int64, at time.Time) error { return notYet() }
func (t *Tx) QueueNotifications(ns []*ravao.Notification) error   { return notYet() }
func (t *Tx) DueNotifications(now time.Time, n int) ([]ravao.Notification, error) {
	return nil, notYet()
}
func (t *Tx) UpdateNotification(n *ravao.Notification) error               { return notYet() }
func (t *Tx) CaseNotifications(caseID int64) ([]ravao.Notification, error) { return nil, notYet() }
