package server

import (
	"slices"

	"github.com/ravao/ravao"
)

// The tag of the progress API in the OpenAPI document.
var statsTags = []string{"progress"}

// statsNote is said of every progress route.
const statsNote = ". Days are \"2006-01-02\" in the deployment's time zone (Asia/Ho_Chi_Minh by default); to defaults to today, from to 13 days before to; " +
	"a range runs forwards, ends today at the latest and spans at most 92 days (else 400 with field errors on from or to). Figures are sums over the roll-ups " +
	"(venue_days kept with the visits, unit_days made every few minutes and after midnight; `ravao stats repair` rebuilds them). " +
	"people counts distinct people per place and day, summed: a person at two places counts twice"

// statsParams are the range parameters.
var statsParams = []Param{
	{Name: "from", Description: "first day, 2006-01-02; 13 days before to when absent"},
	{Name: "to", Description: "last day, 2006-01-02; today when absent"},
}

var (
	statsDaySchema = str("a day, 2006-01-02")
	countsProps    = props{
		"venues": integer("places registered at the end of the last day (pending + approved + suspended)"), "new": integer("places registered during the days"),
		"approved": integer("approved at the end of the last day"), "pending": integer("waiting for approval at the end of the last day"),
		"suspended": integer("suspended at the end of the last day"), "active": integer("place-days with at least one check-in (for one day: places active that day)"),
		"check_ins": integer("visits that began in the days"), "check_outs": integer("visits that ended in the days, by any means"),
		"people": integer("distinct people per place and day, summed"), "red": integer("check-ins decided red"),
		"symptoms": integer("declarations with symptoms or exposure, counted in the person's home unit; always 0 when a sector is chosen"),
	}
	countsRequired  = []string{"venues", "new", "approved", "pending", "suspended", "active", "check_ins", "check_outs", "people", "red", "symptoms"}
	countsSchema    = obj(countsProps, countsRequired...)
	statsUnitSchema = obj(props{
		"unit":      merge(unitSchema, props{"description": "the unit; null for the whole deployment", "type": []string{"object", "null"}}),
		"ancestors": array(unitSchema), "sector": str("the sector shown; empty for all (a sector supervisor always sees their own)"),
		"from": statsDaySchema, "to": statsDaySchema, "totals": countsSchema,
		"series":          array(obj(merge(countsProps, props{"day": statsDaySchema}), append(countsRequired, "day")...)),
		"children":        array(obj(merge(countsProps, props{"unit": unitSchema}), append(countsRequired, "unit")...)),
		"silent_children": array(unitSchema),
		"types":           array(obj(merge(countsProps, props{"venue_type": enum("venue type", venueTypeNames())}), append(countsRequired, "venue_type")...)),
		"silent": array(obj(props{
			"venue_id": integer("place id"), "name": str("place name"), "unit_code": str("its unit"),
			"type": enum("venue type", venueTypeNames()), "sector": str("its sector"),
		}, "venue_id", "name", "unit_code", "type", "sector")),
		"silent_more": boolean("more approved places had no check-in on the last day than the 500 listed"),
		"places": array(obj(props{
			"venue_id": integer("place id"), "name": str("place name"), "unit_code": str("its unit"),
			"type": enum("venue type", venueTypeNames()), "sector": str("its sector"), "status": str("pending, approved or suspended"),
			"active_days": integer("days with at least one check-in"), "check_ins": integer("visits that began in the days"),
			"check_outs": integer("visits that ended in the days"), "people": integer("distinct people per day, summed"),
			"red": integer("check-ins decided red"),
		}, "venue_id", "name", "unit_code", "type", "sector", "status", "active_days", "check_ins", "check_outs", "people", "red")),
		"silent_skipped": boolean("the unit has more than 5,000 approved places: the silent ones are not listed here, its sub-units' views list them"),
		"places_more":    boolean("a commune with more than 500 places lists the first 500"),
	}, "unit", "ancestors", "sector", "from", "to", "totals", "series", "children", "silent_children", "types", "silent", "silent_more", "silent_skipped", "places", "places_more")
)

var statsUnitDoc = Doc{
	Summary: "A unit's deployment progress over a range of days: totals, one row per day (zero-filled), one row per sub-unit, " +
		"the sub-units with places but no check-in on the last day (silent_children), the figures per venue type and the approved places without a check-in on the last day (silent). " +
		"code is a unit code, or all for the whole deployment (administrators). Monitors only (administrators, local and health officials, sector supervisors); " +
		"a unit outside the caller's scope is 403" + statsNote,
	Tags:     statsTags,
	Params:   append([]Param{{Name: "sector", Description: "one sector only; a sector supervisor always sees their own"}}, statsParams...),
	Response: statsUnitSchema,
}

var statsSectorDoc = Doc{
	Summary:  "The same view as GET /api/v1/stats/units/{code}, for one sector: the sector's places only; symptoms are 0 (they are counted by home unit, not by place)" + statsNote,
	Tags:     statsTags,
	Params:   append([]Param{{Name: "unit", Description: "unit code; the caller's own unit when absent"}}, statsParams...),
	Response: statsUnitSchema,
}

var statsVenueDoc = Doc{
	Summary: "One place's days: check-ins, check-outs, people and red decisions, one row per day (zero-filled). Monitors of the place's unit (and sector) and the place's own managers" + statsNote,
	Tags:    statsTags,
	Params:  statsParams,
	Response: obj(props{
		"venue": obj(props{
			"id": integer("place id"), "name": str("place name"), "type": enum("venue type", venueTypeNames()), "sector": str("sector"),
			"unit_code": str("its unit"), "status": enum("registration status", []string{string(ravao.VenuePending), string(ravao.VenueApproved), string(ravao.VenueSuspended)}),
		}, "id", "name", "type", "sector", "unit_code", "status"),
		"from": statsDaySchema, "to": statsDaySchema,
		"days": array(obj(props{
			"day": statsDaySchema, "check_ins": integer("visits that began that day"), "check_outs": integer("visits that ended that day"),
			"people": integer("distinct people who checked in that day"), "red": integer("check-ins decided red"),
		}, "day", "check_ins", "check_outs", "people", "red")),
	}, "venue", "from", "to", "days"),
}

var statsReportDoc = Doc{
	Summary: "A unit's daily report: the same view as GET /api/v1/stats/units/{code} for one day (from = to = day), as the printable report " +
		"(/stats/units/{code}/report), its workbook (report.xlsx) and its PDF (report.pdf) show it, with the unit's coverage against the rosters of places " +
		"that must register (null when no roster covers it). A past day's report is the one kept that morning when there is one (made_at says when it " +
		"was made; its figures are those of that moment), else it is made for the request (made_at null); today's is always made for the request" + statsNote,
	Tags: statsTags,
	Params: []Param{
		{Name: "day", Description: "the day, 2006-01-02; yesterday when absent; after today is 400 with a field error on day"},
		{Name: "sector", Description: "one sector only; a sector supervisor always sees their own"},
	},
	Response: statsReportSchema(),
}

// statsReportSchema is the unit view's schema with the report's coverage
// and made_at.
func statsReportSchema() map[string]any {
	coverage := props{
		"required": integer("places that must register (roster entries at or below the unit)"),
		"covered":  integer("entries matched to a registered place (by tax code, phone, or confirmed)"),
		"proposed": integer("entries with a match by name waiting for a person to confirm"),
		"percent":  integer("covered over required, in percent rounded down; 0 when none required"),
	}
	coverageReq := []string{"required", "covered", "proposed", "percent"}
	p := merge(statsUnitSchema["properties"].(props), props{
		"coverage": merge(obj(merge(coverage, props{
			"children": array(obj(merge(coverage, props{"unit": unitSchema}), append(coverageReq, "unit")...)),
		}), append(coverageReq, "children")...), props{"type": []string{"object", "null"}, "description": "coverage; null when no roster covers the unit"}),
		"made_at": map[string]any{"type": []string{"string", "null"}, "format": "date-time", "description": "when the kept report was made; null for a report made for this request"},
	})
	return obj(p, append(slices.Clone(statsUnitSchema["required"].([]string)), "coverage", "made_at")...)
}
