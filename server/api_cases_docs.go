package server

import "github.com/ravao/ravao"

// The tags of the tracing API in the OpenAPI document.
var (
	casesTags    = []string{"cases"}
	contactsTags = []string{"contacts"}
	exportsTags  = []string{"exports"}
)

// tracingNote is said of every route of tracing.
const tracingNote = " (health officials only: 403 for anyone else; a case outside the caller's units is 404). Audited with the case's reason. Instants are RFC 3339; durations are whole milliseconds (fields ending in _ms)"

var (
	msSchema       = func(desc string) map[string]any { return integer(desc + ", in milliseconds") }
	settingsSchema = obj(props{
		"buffer_ms":        msSchema("how long the case's stay is extended after they leave (default 30 minutes, at most 24 hours)"),
		"open_window_ms":   msSchema("when either visit has no real check-out: check-ins this close are an exposure (default 60 minutes)"),
		"min_overlap_ms":   msSchema("pairs that overlap less are dropped (default 0)"),
		"close_after_ms":   msSchema("total overlap that makes a close contact (default 15 minutes); the same vehicle is always close"),
		"window_before_ms": msSchema("how long before onset a new window starts (default 48 hours, at most 30 days)"),
	}, "buffer_ms", "open_window_ms", "min_overlap_ms", "close_after_ms", "window_before_ms")
	caseProps = props{
		"id": integer("case id"), "person_id": integer("the person's opaque id"),
		"unit_code": str("the unit whose health officials work the case"), "reason": str("why it was opened"),
		"status":      enum("open: the person is isolated (gates show red); closed", []string{string(ravao.CaseOpen), string(ravao.CaseClosed)}),
		"onset":       timeSchema,
		"window_from": timeSchema, "window_to": nullTimeSchema, "settings": settingsSchema,
		"source_contact_id": integer("the contact this case was promoted from; 0 when opened directly"),
		"created_by":        integer("account that opened it"), "created_at": timeSchema, "updated_at": timeSchema,
		"closed_at": nullTimeSchema,
	}
	caseRequired = []string{"id", "person_id", "unit_code", "reason", "status", "onset", "window_from", "window_to", "settings",
		"source_contact_id", "created_by", "created_at", "updated_at", "closed_at"}
	caseSchema       = obj(caseProps, caseRequired...)
	caseRowSchema    = obj(merge(caseProps, props{"masked_name": str("the person's name, masked"), "contacts": integer("people on the worked list")}), append(caseRequired, "masked_name", "contacts")...)
	tracedSchema     = obj(props{"found": integer("contacts found by the run"), "added": integer("of which new on the worked list")}, "found", "added")
	caseTracedSchema = obj(props{"case": caseSchema, "traced": tracedSchema}, "case", "traced")
	personViewSchema = obj(props{
		"id": integer("opaque person id"), "full_name": str("full name"), "phone": str("phone number; empty when none"),
		"birth_year": integer("year of birth"), "unit_code": str("unit of residence"),
	}, "id", "full_name", "phone", "birth_year", "unit_code")
	contactStatusSchema = enum("where the contact is in the tracing team's work", contactStatusNames())
	contactProps        = props{
		"id": integer("contact id"), "case_id": integer("case id"), "person_id": integer("the person's opaque id"),
		"degree":         integer("1 for the case's own contacts (F1), 2 for contacts of a contact (F2)"),
		"via_contact_id": integer("for F2: the F1 contact expanded from; else 0"),
		"class":          enum("close: overlap of at least close_after_ms, or the same vehicle", []string{string(ravao.ContactClose), string(ravao.ContactPossible)}),
		"overlap_ms":     msSchema("total overlap with the index person"), "visits": integer("shared visits"),
		"same_vehicle": boolean("on the same vehicle as the index person"), "first_at": timeSchema,
		"status": contactStatusSchema, "assignee_id": integer("the official calling them; 0 for nobody"),
		"assignee_name": str("their display name"), "promoted_case_id": integer("the case opened when they tested positive; else 0"),
		"notified":   enum("the latest message queued to them; empty when none", []string{"", string(ravao.NotifyQueued), string(ravao.NotifySent), string(ravao.NotifyFailed)}),
		"created_at": timeSchema, "updated_at": timeSchema,
	}
	contactRequired = []string{"id", "case_id", "person_id", "degree", "via_contact_id", "class", "overlap_ms", "visits", "same_vehicle",
		"first_at", "status", "assignee_id", "assignee_name", "promoted_case_id", "notified", "created_at", "updated_at"}
	contactSchema     = obj(contactProps, contactRequired...)
	contactListSchema = obj(merge(contactProps, props{"person": personViewSchema, "via": str("for F2: the F1 contact's masked name")}), append(contactRequired, "person", "via")...)
	exportSchema      = obj(props{
		"id": integer("export id"), "case_id": integer("case id"), "format": enum("file format", []string{"csv", "xlsx"}),
		"rows": integer("contacts in the file"), "reason": str("why it was asked for"),
		"status":       enum("ready: may be downloaded; pending: above the size limit, waits for a second official's approval", []string{string(ravao.ExportReady), string(ravao.ExportPending)}),
		"requested_by": integer("account that asked for it"), "approved_by": integer("account that approved it; 0 when none"),
		"approved_at": nullTimeSchema, "created_at": timeSchema,
	}, "id", "case_id", "format", "rows", "reason", "status", "requested_by", "approved_by", "approved_at", "created_at")
	timeInSchema = map[string]any{"type": "string", "format": "date-time", "description": "RFC 3339"}
)

var caseOpenDoc = Doc{
	Summary: "Open a case (F0): the person is isolated at once (gates show red), traced, and their contacts stored on the worked list" + tracingNote +
		". Name the person by exactly one of person_id (from POST /api/v1/people/lookup), phone, id_number or personal_qr (a scanned personal QR code or card); an unknown person is a field error; a person with an open case is 409",
	Tags: casesTags, Status: 201,
	Request: obj(props{
		"person_id": integer("opaque person id"), "phone": str("phone number, any usual format"), "id_number": str("12-digit CCCD"),
		"personal_qr": str("the text of a personal QR code or card"), "reason": str("why; kept with every audit event of the case (up to 500 characters)"),
		"unit_code":   str("the unit that works the case, in the caller's scope; the caller's own unit when empty"),
		"onset":       merge(timeInSchema, props{"description": "symptom onset or positive test; now when absent"}),
		"window_from": merge(timeInSchema, props{"description": "start of the infectious window; onset less settings.window_before_ms when absent"}),
		"window_to":   merge(timeInSchema, props{"description": "end of the window; open-ended (until isolation) when absent"}),
		"settings":    merge(settingsSchema, props{"description": "the case's thresholds, all five; the deployment's when absent"}),
	}, "reason"),
	Response: caseTracedSchema,
}

var casesListDoc = Doc{
	Summary: "The cases in the caller's units, newest first, the person's name masked" + tracingNote,
	Tags:    casesTags,
	Params: []Param{
		{Name: "status", Description: "open or closed; any when absent"},
		{Name: "unit", Description: "only cases of this unit and the units below it"},
		{Name: "after", Description: "list the cases with a smaller id (next_after of the previous page)"},
		{Name: "limit", Description: "1 to 100, 100 when absent"},
	},
	Response: obj(props{
		"cases":      array(caseRowSchema),
		"next_after": map[string]any{"type": []string{"integer", "null"}, "description": "after of the next page; null when this page is not full"},
	}, "cases", "next_after"),
}

var caseShowDoc = Doc{
	Summary: "A case with the person in clear and the timeline of their visits in the window, each with the people it exposed" + tracingNote,
	Tags:    casesTags,
	Response: obj(props{
		"case": caseSchema, "person": personViewSchema,
		"timeline": array(obj(props{
			"visit_id": integer("visit id (for publishing exposure windows)"), "venue_id": integer("venue id"), "venue_name": str("venue name"),
			"venue_type": str("venue type"), "venue_unit": str("the venue's unit"), "checkpoint_id": integer("checkpoint id"),
			"checkpoint_name": str("checkpoint name"), "checkpoint_kind": str("gate, counter, floor or vehicle"),
			"in": timeSchema, "out": nullTimeSchema, "out_reason": str("tap, gate or auto (tracing treats auto as no check-out); empty when none"),
			"exposed": integer("people exposed at this visit"), "close": integer("of whom close contacts"),
		}, "visit_id", "venue_id", "venue_name", "venue_type", "venue_unit", "checkpoint_id", "checkpoint_name", "checkpoint_kind", "in", "out", "out_reason", "exposed", "close")),
	}, "case", "person", "timeline"),
}

var caseUpdateDoc = Doc{
	Summary: "Change a case: absent fields are left alone; a new window or new thresholds trace again; close: true closes it (isolation ends). A closed case refuses changes (409)" + tracingNote,
	Tags:    casesTags,
	Request: obj(props{
		"reason": str("new reason"), "onset": timeInSchema, "window_from": timeInSchema,
		"window_to": merge(nullTimeSchema, props{"description": "RFC 3339; null makes the window open-ended"}),
		"settings":  merge(settingsSchema, props{"description": "the case's thresholds, all five"}),
		"close":     boolean("close the case"),
	}),
	Response: caseTracedSchema,
}

var caseExposuresDoc = Doc{
	Summary: "The tracing query, live: the people exposed to the case's visits in its window, ranked by total overlap, without names; nothing is stored" + tracingNote,
	Tags:    casesTags,
	Response: obj(props{"exposures": array(obj(props{
		"person_id": integer("the exposed person's opaque id"), "overlap_ms": msSchema("total overlap"),
		"visits": integer("shared visits"), "same_vehicle": boolean("on the same vehicle"), "first_at": timeSchema,
		"class": enum("close or possible", []string{string(ravao.ContactClose), string(ravao.ContactPossible)}),
	}, "person_id", "overlap_ms", "visits", "same_vehicle", "first_at", "class"))}, "exposures"),
}

var caseTraceDoc = Doc{
	Summary:  "Trace the case again and store the contacts: new people join the worked list, those already on it keep their status and assignee" + tracingNote,
	Tags:     casesTags,
	Response: tracedSchema,
}

var caseContactsDoc = Doc{
	Summary:  "The case's worked list with names and phones: the one answer of the API that names contacts. Degree, then overlap, longest first" + tracingNote,
	Tags:     contactsTags,
	Response: obj(props{"contacts": array(contactListSchema)}, "contacts"),
}

var caseExpandDoc = Doc{
	Summary:  "Trace the second degree from chosen F1 contacts of the case: their own contacts join the worked list at degree 2" + tracingNote,
	Tags:     contactsTags,
	Request:  obj(props{"contact_ids": array(integer("id of an F1 contact of this case"))}, "contact_ids"),
	Response: tracedSchema,
}

var contactShowDoc = Doc{
	Summary: "A contact of the worked list with its history (status changes, assignments, notes); no name or phone, which only the case's list gives" + tracingNote,
	Tags:    contactsTags,
	Response: obj(props{"contact": contactSchema, "history": array(obj(props{
		"id": integer("event id"), "at": timeSchema, "user_id": integer("who"), "user_name": str("their display name"),
		"status": contactStatusSchema, "assignee_id": integer("the assignee after the event"), "note": str("the note, if any"),
	}, "id", "at", "user_id", "user_name", "status", "assignee_id", "note"))}, "contact", "history"),
}

var contactUpdateDoc = Doc{
	Summary: "Change a contact's status or assignee, or add a note; absent fields are left alone. The assignee must be an official who may trace the case" + tracingNote,
	Tags:    contactsTags,
	Request: obj(props{
		"status": contactStatusSchema, "assignee_id": integer("the official to call them; 0 unassigns"),
		"note": str("added to the history (up to 1000 characters)"),
	}),
	Response: contactSchema,
}

var contactPromoteDoc = Doc{
	Summary: "Open a case for a contact who tested positive (F1 → F0): the contact becomes tested_positive and the new case is traced at once" + tracingNote,
	Tags:    contactsTags, Status: 201,
	Request:  reasonBody,
	Response: caseTracedSchema,
}

var exportRequestDoc = Doc{
	Summary: "Make a file of the case's worked list (names, phones, figures; safe to open in a spreadsheet), with a reason; above the deployment's size it is pending until a second official approves it" + tracingNote,
	Tags:    exportsTags, Status: 201,
	Request:  obj(props{"format": enum("file format", []string{"csv", "xlsx"}), "reason": str("why; up to 500 characters")}, "format", "reason"),
	Response: exportSchema,
}

var exportsListDoc = Doc{
	Summary:  "A case's exports, newest first, without their files" + tracingNote,
	Tags:     exportsTags,
	Response: obj(props{"exports": array(exportSchema)}, "exports"),
}

var exportApproveDoc = Doc{
	Summary:  "Approve a pending export: the approver must be another official who may trace the case (asking for one's own export is 403; an export not pending is 409)" + tracingNote,
	Tags:     exportsTags,
	Response: exportSchema,
}

var exportFileDoc = Doc{
	Summary:  "Download a ready export as an attachment (text/csv or the XLSX type), never cached; a pending export is 409" + tracingNote,
	Tags:     exportsTags,
	Produces: "application/octet-stream",
	Response: map[string]any{"type": "string", "format": "binary", "description": "CSV or XLSX file of the worked list"},
}

// contactStatusNames lists the contact statuses.
func contactStatusNames() []string {
	out := make([]string, 0, len(ravao.ContactStatuses))
	for _, s := range ravao.ContactStatuses {
		out = append(out, string(s))
	}
	return out
}
