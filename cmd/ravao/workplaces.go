package main

import (
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/workplaces"
)

// newWorkplaces builds the staff lists' service: days in the deployment's
// time zone, its holidays off, declarations valid as the question set
// says.
func newWorkplaces(a *app, c *config, qs *questions.Set, loc *time.Location, clock ravao.Clock) (*workplaces.Service, error) {
	holidays, err := c.holidays()
	if err != nil {
		return nil, err
	}
	return workplaces.New(a.store, a.vault, workplaces.Config{TZ: loc, Clock: clock, Holidays: holidays, Validity: qs.Validity()})
}
