package main

import (
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auditlog"
	"github.com/ravao/ravao/breaches"
	"github.com/ravao/ravao/retention"
	"github.com/ravao/ravao/rights"
)

// protection builds the data-protection services: the audit log's seal
// and viewer, the retention purge, data-subject requests and the breach
// register.
func (a *app) protection(c *config, loc *time.Location, clock ravao.Clock) error {
	var err error
	if a.audit, err = auditlog.New(a.store, a.vault, auditlog.Config{TZ: loc, Clock: clock}); err != nil {
		return err
	}
	rc := c.Retain
	rc.Hour, rc.TZ, rc.Clock = c.PurgeHour, loc, clock
	if a.purge, err = retention.New(a.store, rc); err != nil {
		return err
	}
	holidays, err := c.holidays()
	if err != nil {
		return err
	}
	if a.rights, err = rights.New(a.store, a.vault, a.places, a.visitors, rights.Config{TZ: loc, Clock: clock, Holidays: holidays}); err != nil {
		return err
	}
	a.breaches, err = breaches.New(a.store, a.vault, breaches.Config{TZ: loc, Clock: clock})
	return err
}
