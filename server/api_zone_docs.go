package server

// zoneNote says what a zone is, on both zone routes.
const zoneNote = ". A zone is an industrial zone, economic zone or park, as a place names it in its zone field at registration (free text, compared exactly). " +
	"Monitors of the unit see its zones (administrators, local and health officials, sector supervisors in their own sector; an industrial-zone board is the sector supervisor of industry); " +
	"a unit outside the caller's scope is 403"

// statsUnitProp is one property of a unit's progress, shared with a zone's.
func statsUnitProp(name string) any { return statsUnitSchema["properties"].(props)[name] }

var statsZonesDoc = Doc{
	Summary: "The zones with places registered under a unit, by name, with how many places (pending, approved or suspended) each has" + zoneNote,
	Tags:    statsTags,
	Params: []Param{
		{Name: "unit", Description: "unit code; the caller's own unit when absent (the whole deployment for an administrator without one)"},
		{Name: "sector", Description: "one sector only; a sector supervisor always sees their own"},
	},
	Response: obj(props{"zones": array(obj(props{
		"zone": str("the zone's name, as the places gave it"), "venues": integer("places registered in it under the unit"),
	}, "zone", "venues"))}, "zones"),
}

var statsZoneDoc = Doc{
	Summary: "One zone's progress under a unit: totals, one row per day (zero-filled), the zone's places with their activity (places) and its approved places without a check-in on the last day (silent). " +
		"zone is the zone's name, URL-encoded; a zone without places in the caller's scope shows zeros. Symptoms are always 0: declarations are counted by the person's home unit, not by place. " +
		"A blank or longer than 200 characters zone is 400 with a field error on zone" + zoneNote + statsNote,
	Tags: statsTags,
	Params: append([]Param{
		{Name: "unit", Description: "unit code; the caller's own unit when absent"},
		{Name: "sector", Description: "one sector only; a sector supervisor always sees their own"},
	}, statsParams...),
	Response: obj(props{
		"unit": statsUnitProp("unit"), "ancestors": statsUnitProp("ancestors"), "zone": str("the zone's name"),
		"sector": statsUnitProp("sector"), "from": statsDaySchema, "to": statsDaySchema, "totals": countsSchema,
		"series": statsUnitProp("series"), "places": statsUnitProp("places"),
		"places_more": boolean("a zone with more than 500 places lists the first 500"),
		"silent":      statsUnitProp("silent"), "silent_more": statsUnitProp("silent_more"),
	}, "unit", "ancestors", "zone", "sector", "from", "to", "totals", "series", "places", "places_more", "silent", "silent_more"),
}
