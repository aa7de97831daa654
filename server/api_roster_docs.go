package server

import "github.com/ravao/ravao"

// rosterNote is said of every roster route.
const rosterNote = ". A roster is the list of places that must register in a unit and sector, uploaded by the commune or a sector supervisor; " +
	"entries match registered places by tax code, then by phone (covered at once), then by name and unit (proposed, for a person to confirm). " +
	"Monitors only; a unit, sector or entry outside the caller's scope is 403"

var (
	coverageFiguresProps = props{
		"required": integer("places on the rosters (must register)"), "covered": integer("of those, matched to a registered place (tax code, phone or confirmed)"),
		"proposed": integer("of those, with a proposal by name waiting for confirmation (not covered yet)"),
		"percent":  integer("covered × 100 / required, rounded down; 0 when none required"),
	}
	coverageFiguresRequired = []string{"required", "covered", "proposed", "percent"}
	rosterSchema            = obj(props{
		"id": integer("roster id"), "unit_code": str("the roster's unit"), "sector": str("its sector; empty for all sectors"),
		"file_name": str("the uploaded file's name"), "entries": integer("places on it"),
		"created_at": map[string]any{"type": "string", "format": "date-time"},
	}, "id", "unit_code", "sector", "file_name", "entries", "created_at")
	rosterSectorParam = Param{Name: "sector", Description: "one sector only (education, labour, transport, health, industry, commerce, public, other); a sector supervisor always sees their own"}
)

var coverageDoc = Doc{
	Summary: "A unit's coverage against the rosters at or below it: totals, one row per sub-unit with entries, one row per sector, and the rosters. " +
		"code is a unit code, or all for the whole deployment (administrators)" + rosterNote,
	Tags:   statsTags,
	Params: []Param{rosterSectorParam},
	Response: obj(props{
		"unit":      merge(unitSchema, props{"description": "the unit; null for the whole deployment", "type": []string{"object", "null"}}),
		"ancestors": array(unitSchema), "sector": str("the sector shown; empty for all"),
		"totals":   obj(coverageFiguresProps, coverageFiguresRequired...),
		"children": array(obj(merge(coverageFiguresProps, props{"unit": unitSchema}), append(coverageFiguresRequired, "unit")...)),
		"sectors":  array(obj(merge(coverageFiguresProps, props{"sector": str("sector")}), append(coverageFiguresRequired, "sector")...)),
		"rosters":  array(rosterSchema),
	}, "unit", "ancestors", "sector", "totals", "children", "sectors", "rosters"),
}

var coverageMissingDoc = Doc{
	Summary: "The places still missing under a unit (entries not covered, proposals included), in id order, for the commune to visit. " +
		"The response holds phone numbers in clear: do not log or cache it" + rosterNote,
	Tags: statsTags,
	Params: []Param{
		rosterSectorParam,
		{Name: "after", Description: "only entries with a larger id: next_after of the previous page"},
		{Name: "limit", Description: "at most this many, 1 to 1000 (default 200)"},
	},
	Response: obj(props{
		"entries": array(obj(props{
			"id": integer("entry id"), "line": integer("its line in the uploaded file"), "name": str("place name as on the roster"),
			"address": str("address"), "unit_code": str("its unit"), "sector": str("its sector"),
			"tax_code": str("tax code (10 digits, or 10-3 for a branch); empty when none"), "phone": str("contact phone; empty when none"),
			"match": enum("empty: no match; name: a place is proposed by name, to confirm", []string{string(ravao.MatchNone), string(ravao.MatchName)}),
			"proposed_venue": map[string]any{
				"type": []string{"object", "null"}, "description": "the place proposed by name; null when none",
				"properties": props{"id": integer("place id"), "name": str("place name")}, "required": []string{"id", "name"}, "additionalProperties": false,
			},
		}, "id", "line", "name", "address", "unit_code", "sector", "tax_code", "phone", "match", "proposed_venue")),
		"next_after": integer("after for the next page; 0 on the last page"),
	}, "entries", "next_after"),
}

var rosterUploadDoc = Doc{
	Summary: "Upload a unit's roster as multipart/form-data: file (a .csv or .xlsx file, at most 8 MiB; header line with the columns " +
		"name/tên, address/địa chỉ, unit_code/mã đơn vị, sector/ngành, tax_code/mã số thuế, phone/số điện thoại, Vietnamese headers with or without diacritics) " +
		"and sector (empty: the roster of all sectors). It replaces the unit and sector's roster; confirmed matches of places still on it are kept. " +
		"201 with the roster and how its entries matched; a file with bad lines writes nothing and is 400 with error and row_errors " +
		"[{line, fields: {column: message}}] in the caller's language; a missing file or a wrong extension is 400 with a field error on file; " +
		"a body over 8 MiB is 413" + rosterNote,
	Tags:   statsTags,
	Status: 201,
	Response: obj(props{
		"roster": rosterSchema, "covered": integer("entries matched at once by tax code or phone"),
		"proposed": integer("entries with a proposal by name to confirm"), "missing": integer("entries with no match"),
	}, "roster", "covered", "proposed", "missing"),
}

var rosterDeleteDoc = Doc{
	Summary: "Delete a unit and sector's roster (sector empty: the roster of all sectors); 204" + rosterNote,
	Tags:    statsTags,
	Params:  []Param{{Name: "sector", Description: "the roster's sector; empty or absent for the roster of all sectors"}},
	Status:  204,
}

var rosterConfirmDoc = Doc{
	Summary: "Confirm the place proposed by name for a roster entry: the entry counts as registered; 204" + rosterNote,
	Tags:    statsTags,
	Status:  204,
}

var rosterRejectDoc = Doc{
	Summary: "Turn down the place proposed by name for a roster entry: it is never proposed again for it; 204" + rosterNote,
	Tags:    statsTags,
	Status:  204,
}

var rosterChooseDoc = Doc{
	Summary: "Match a roster entry to a registered place chosen by a person (its id, as on the place's page); the entry counts as registered; 204" + rosterNote,
	Tags:    statsTags,
	Request: obj(props{"venue_id": integer("the place's id")}, "venue_id"),
	Status:  204,
}
