package server

import "github.com/ravao/ravao"

// breachTags tags every route of the breach register in the OpenAPI document.
var breachTags = []string{"breaches"}

// breachNote is said of every route of the register.
const breachNote = " (the data-protection officer only: 403 for anyone else, administrators included). Audited. Instants are RFC 3339"

var (
	breachStatusSchema = enum("open, then notified (the authority has the report), then closed; never back", []string{
		string(ravao.BreachOpen), string(ravao.BreachNotified), string(ravao.BreachClosed)})
	breachKindsSchema = array(enum("a kind of personal data", ravao.BreachDataKinds))
	breachTextProps   = props{
		"title":           str("a short label without personal data, at most 200 characters"),
		"what":            str("what happened; sealed when stored; at most 10,000 bytes"),
		"place":           str("where it happened (a system, an office, a venue); sealed"),
		"measures":        str("measures taken and proposed; sealed"),
		"consequences":    str("likely consequences for the people concerned; sealed"),
		"occurred_at":     nullTimeSchema,
		"found_at":        timeSchema,
		"data_kinds":      breachKindsSchema,
		"people_affected": integer("estimated number of people concerned"),
	}
	breachSchema = obj(merge(breachTextProps, props{
		"id": integer("breach id"), "late_reason": str("why the authority was notified after 72 hours; sealed"),
		"deadline": map[string]any{"type": "string", "format": "date-time", "description": "72 hours after found_at: when the authority must have been notified"},
		"status":   breachStatusSchema, "notified_at": nullTimeSchema, "authority_ref": str("the authority's reference"),
		"people_listed_at": nullTimeSchema, "created_by": integer("account that recorded it"),
		"created_at": timeSchema, "updated_at": timeSchema,
		"events": array(obj(props{"at": timeSchema, "user_id": integer("account"), "action": str("recorded, updated, notified, closed, people_listed"),
			"status": breachStatusSchema}, "at", "user_id", "action", "status")),
	}), "id", "title", "found_at", "deadline", "data_kinds", "people_affected", "status", "authority_ref", "created_by", "created_at", "updated_at")
)

var breachesListDoc = Doc{
	Summary:  "The breach register: open breaches first, then notified, then closed, each by deadline; without the sealed text" + breachNote,
	Tags:     breachTags,
	Response: obj(props{"breaches": array(breachSchema)}, "breaches"),
}

var breachRecordDoc = Doc{
	Summary: "Record a personal data breach as soon as it is found: it is open, and the authority (A05, Ministry of Public Security) must be notified within 72 hours of found_at (now when absent)" + breachNote,
	Tags:    breachTags, Status: 201,
	Request:  obj(breachTextProps, "title", "what", "data_kinds"),
	Response: breachSchema,
}

var breachShowDoc = Doc{
	Summary:  "A breach in clear with its history" + breachNote,
	Tags:     breachTags,
	Response: breachSchema,
}

var breachUpdateDoc = Doc{
	Summary: "Change a breach; absent fields are left alone. status moves forward only (err.breach_status_back); notified stamps notified_at (now unless given); a closed breach is 409 err.breach_closed" + breachNote,
	Tags:    breachTags,
	Request: obj(merge(breachTextProps, props{
		"late_reason": str("why the authority was notified after 72 hours"), "status": breachStatusSchema,
		"notified_at": timeSchema, "authority_ref": str("the authority's reference, at most 100 bytes"),
	})),
	Response: breachSchema,
}

var breachReportDoc = Doc{
	Summary: "The notification to the authority, prefilled with the content Decree 356/2025 asks for: controller and contact, description, time and place, kinds of data and number of people, consequences, measures, times of discovery and report, and whether it is within 72 hours" + breachNote,
	Tags:    breachTags,
	Params:  []Param{{Name: "lang", Description: "vi (the authority's language, default) or en (to read)"}},
	Response: obj(props{
		"lang": str("vi or en"), "title": str("the document's title"), "to": str("the authority addressed"),
		"sections":    array(obj(props{"heading": str("item"), "body": str("its text, lines separated by \\n")}, "heading", "body")),
		"text":        str("the whole notification as plain text, to paste into the authority's portal"),
		"reported_at": timeSchema, "deadline": timeSchema, "within_72_hours": boolean("reported by the deadline"),
		"hours_late": integer("whole hours after the deadline; 0 when within"),
	}, "lang", "title", "to", "sections", "text", "reported_at", "deadline", "within_72_hours", "hours_late"),
}

var breachAffectedDoc = Doc{
	Summary: "Count the people a breach may concern by exactly one criterion — visits at venues overlapping a period, declarations made in a period, or a home unit — and list the first 500, masked (the phones for the notification SMS are exported as CSV from the register's page, which marks the breach's people listed)" + breachNote,
	Tags:    breachTags,
	Request: obj(props{
		"venue_ids": array(integer("venue id")), "declarations": boolean("people who declared in the period"),
		"unit_code": str("people whose home unit is this"), "from": timeSchema, "to": timeSchema,
	}),
	Response: obj(props{
		"count": integer("people selected"), "with_phone": integer("of whom with a phone"),
		"people": array(obj(props{"person_id": integer("person id"), "masked_name": str("e.g. Nguyễn V*** A"),
			"masked_phone": str("e.g. 091****678")}, "person_id", "masked_name", "masked_phone")),
	}, "count", "with_phone", "people"),
}
