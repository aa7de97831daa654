package server

// workplacesTags tags every route of staff lists in the OpenAPI document.
var workplacesTags = []string{"workplaces"}

// staffNote is said of every route of an organisation's staff list.
const staffNote = ". Only a venue manager of the organisation may call it: another organisation's list, " +
	"like one that does not exist, is 404 err.organisation_not_found"

var (
	staffMemberSchema = obj(props{
		"id": integer("member id"), "name": str("full name, as the manager typed it"),
		"phone": str("phone, masked"), "staff_number": str("the organisation's own number; empty when none"),
		"department": str("department; empty when none"), "birth_year": integer("year of birth; 0 when not given"),
		"venue_ids": array(integer("id of a place of the organisation where the member works")),
		"linked":    boolean("whether the member is linked to a Ravao person (same phone or ID number); nothing else of the person is shown"),
	}, "id", "name", "phone", "staff_number", "department", "birth_year", "venue_ids", "linked")
	staffInSchema = obj(props{
		"name": str("full name (required)"), "phone": str("phone (required), 0xxxxxxxxx or +84"),
		"id_number": str("CCCD, 12 digits; optional"), "staff_number": str("optional, unique in the organisation"),
		"department": str("optional"), "birth_year": integer("optional; needed to print a card for someone not yet in Ravao"),
		"venue_ids": array(integer("a place of the organisation; none: every place")),
	}, "name", "phone")
	ratesProps = props{
		"staff": integer("members counted"), "linked": integer("of those, linked to a Ravao person"),
		"declared":  integer("with a health declaration valid at some moment of the day"),
		"entered":   integer("who entered through a checkpoint of one of their places that day (self check-in or gate scan)"),
		"compliant": integer("both declared and entered"), "percent": integer("compliant × 100 / staff, rounded down; 0 when no staff"),
	}
	ratesRequired    = []string{"staff", "linked", "declared", "entered", "compliant", "percent"}
	ratesSchema      = obj(ratesProps, ratesRequired...)
	namedRatesSchema = func(what string) map[string]any {
		return obj(merge(ratesProps, props{"id": integer(what + " id; absent for a department"), "name": str(what + " name")}), append(ratesRequired, "name")...)
	}
	dayParamDoc = Param{Name: "day", Description: "2006-01-02, a day of the deployment's time zone; the latest workday (today when it is one) when absent; a day after today is 400"}
)

var staffListDoc = Doc{
	Summary: "An organisation's staff list, by name; members whose Ravao person appeared since are linked first. The reading is audited" + staffNote,
	Tags:    workplacesTags,
	Response: obj(props{
		"organisation_id": integer("the organisation"), "members": array(staffMemberSchema), "linked": integer("members linked to a Ravao person"),
	}, "organisation_id", "members", "linked"),
}

var staffCreateDoc = Doc{
	Summary: "Add one member to an organisation's staff list; a phone, ID number or staff number already on the list is 400 err.staff_duplicate; a place of another organisation is 400 err.staff_venue_unknown" + staffNote,
	Tags:    workplacesTags, Status: 201, Request: staffInSchema,
	Response: obj(props{"id": integer("the member's id")}, "id"),
}

var staffUpdateDoc = Doc{
	Summary: "Replace one member's fields (as in POST); a new phone or ID number drops the member's link and links again by key" + staffNote,
	Tags:    workplacesTags, Status: 204, Request: staffInSchema,
}

var staffDeleteDoc = Doc{
	Summary: "Remove one member from an organisation's staff list" + staffNote,
	Tags:    workplacesTags, Status: 204,
}

var staffUploadDoc = Doc{
	Summary: "Replace an organisation's staff list with a file, as multipart/form-data: file (a .csv or .xlsx file, at most 8 MiB; a header line " +
		"with the columns name/họ và tên and phone/số điện thoại, and optionally id_number/số CCCD, staff_number/mã nhân viên, department/bộ phận, " +
		"birth_year/năm sinh, venues/nơi làm việc: place names or ids separated by semicolons, empty for every place). Members keep their link " +
		"when the new line has the same phone or ID number. 201 with how many members and how many linked; a file with bad lines (a bad or " +
		"duplicate phone, an unknown place...) writes nothing and is 400 with error and row_errors [{line, fields: {column: message}}] in the " +
		"caller's language; a header without name or phone is 400 err.staff_header; a body over 8 MiB is 413" + staffNote,
	Tags:   workplacesTags,
	Status: 201,
	Response: obj(props{
		"members": integer("members on the new list"), "linked": integer("of those, linked to a Ravao person"),
	}, "members", "linked"),
}

var staffCardsDoc = Doc{
	Summary: "Print staff cards (the personal QR card, eight to an A4 page, PDF) for the members asked, or the whole list when ids is empty. " +
		"A member not yet in Ravao is registered first (sealed name, phone and ID number, as a commune registers residents) and linked: " +
		"consent must then be true (the manager confirms they agreed, else 400 err.staff_card_consent) and the member needs a birth year " +
		"(400 err.staff_card_birth_year). Each card printed replaces the person's earlier card. Audited" + staffNote,
	Tags: workplacesTags, Produces: "application/pdf",
	Request: obj(props{
		"ids":     array(integer("member id; none: the whole list")),
		"consent": boolean("the members not yet in Ravao agreed to be registered"),
	}),
	Response: map[string]any{"type": "string", "format": "binary", "description": "PDF of ID-1 cards, masked names only"},
}

var complianceDoc = Doc{
	Summary: "An organisation's compliance on a day: totals, per place, per department, the last workdays, and the members who did not comply " +
		"by name (for the manager to follow up). Compliant: a declaration valid during the day and an entry through a checkpoint of one of " +
		"the member's places that day (self check-in or gate scan), days in the deployment's time zone. Audited" + staffNote,
	Tags:   workplacesTags,
	Params: []Param{dayParamDoc},
	Response: obj(props{
		"organisation_id": integer("the organisation"), "day": str("the day shown"), "workday": boolean("whether it is a workday"),
		"totals": ratesSchema, "venues": array(namedRatesSchema("place")), "departments": array(namedRatesSchema("department")),
		"series": array(obj(merge(ratesProps, props{"day": str("day"), "workday": boolean("workday")}), append(ratesRequired, "day", "workday")...)),
		"not_compliant": array(obj(props{
			"id": integer("member id"), "name": str("full name"), "staff_number": str("staff number"), "department": str("department"),
			"linked": boolean("linked to a Ravao person"), "declared": boolean("declared"), "entered": boolean("entered"),
		}, "id", "name", "staff_number", "department", "linked", "declared", "entered")),
	}, "organisation_id", "day", "workday", "totals", "venues", "departments", "series", "not_compliant"),
}

var statsComplianceDoc = Doc{
	Summary: "The compliance per business on a day, for industrial-zone boards and sector supervisors: rates and counts of the staff who work " +
		"at the places in scope, never names of people. Monitors only; a sector supervisor sees their own sector; a unit or sector outside " +
		"the caller's scope is 403",
	Tags: workplacesTags,
	Params: []Param{
		{Name: "unit", Description: "unit code, or all (administrators); the caller's own unit when absent"},
		{Name: "sector", Description: "one sector only (industry for a zone board)"},
		{Name: "zone", Description: "one industrial zone (the places' zone)"},
		dayParamDoc,
	},
	Response: obj(props{
		"unit_code": str("the unit; empty for the whole deployment"), "sector": str("the sector; empty for all"),
		"zone": str("the zone; empty for all"), "day": str("the day shown"), "workday": boolean("whether it is a workday"),
		"totals": ratesSchema, "businesses": array(namedRatesSchema("organisation")),
	}, "unit_code", "sector", "zone", "day", "workday", "totals", "businesses"),
}
