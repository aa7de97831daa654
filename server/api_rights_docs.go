package server

// OpenAPI documentation of the data-subject requests: the visitor's code,
// correction and deletion, and the data-protection officer's queue.

var rightsTags = []string{"data protection"}

// proofNote is said of every route that needs the code's proof.
const proofNote = "; needs the proof of POST /api/v1/me/data/verify (X-Ravao-Data-Proof header or the ravao_data session cookie), else 401 err.dsr_code_needed"

var (
	requestSchema = obj(props{
		"id": integer("request id"), "kind": enum("what was asked", []string{"delete", "correct"}),
		"status":     enum("open requests wait in the officer's queue", []string{"open", "done", "refused"}),
		"created_at": timeSchema, "due_at": map[string]any{"type": "string", "format": "date-time", "description": "end of the second working day after the request (weekends and --holidays skipped)"},
		"resolved_at": timeSchema, "overdue": boolean("still open after its due date"),
	}, "id", "kind", "status", "created_at", "due_at", "overdue")
	requestViewSchema = obj(props{
		"request":   requestSchema,
		"source":    enum("request: asked on the data page; withdraw: consent withdrawn", []string{"request", "withdraw"}),
		"reason":    str("why the officer refused"),
		"fields":    array(str("a field a correction changed (names, never values)")),
		"protected": boolean("an open case still needs the person's data: a deletion cannot be done yet"),
		"erased":    boolean("the person's data are gone"),
		"events": array(obj(props{"at": timeSchema, "action": str("created, queued, erased, corrected, done, refused"),
			"user_id": integer("the officer; absent for the person or Ravao")}, "at", "action")),
	}, "request", "source", "protected", "erased", "events")
)

var dataCodeDoc = Doc{
	Summary: "Send a one-time code by SMS to the phone of the device's person, to open their data (at most 5 codes an hour per phone); the challenge is also kept in the ravao_data session cookie. People without a phone (dependants, residents registered by an official) are answered through their guardian's device or the commune official: 409 err.dsr_no_phone" + deviceNote,
	Tags:    rightsTags, Status: 201,
	Response: obj(props{"challenge": str("send it back with the code"), "expires_in_seconds": integer("how long the code works")},
		"challenge", "expires_in_seconds"),
}

var dataVerifyDoc = Doc{
	Summary: "Enter the code: the challenge becomes the proof that opens the person's data for 30 minutes (also set as the ravao_data session cookie). Five wrong codes kill the challenge (err.code_attempts)" + deviceNote,
	Tags:    rightsTags,
	Request: obj(props{"challenge": str("from POST /api/v1/me/data/code; the session cookie's when absent"), "code": str("the six-digit code")}, "code"),
	Response: obj(props{"proof": str("send it as X-Ravao-Data-Proof"), "expires_in_seconds": integer("how long the proof works")},
		"proof", "expires_in_seconds"),
}

var correctDoc = Doc{
	Summary: "Correct the profile of the device's person, validated as a declaration; the phone and the ID number are not corrected here. The change is audited (field names only); the old values are not kept" + deviceNote + proofNote,
	Tags:    rightsTags, Status: 204,
	Request: obj(props{
		"full_name": str("full name"), "birth_year": integer("year of birth"), "sex": enum("sex", []string{"m", "f", "x"}),
		"address": str("street address; optional"), "unit_code": str("commune (level 3 unit) of residence"),
	}, "full_name", "birth_year", "sex", "unit_code"),
}

var deletionRequestDoc = Doc{
	Summary: "Ask for everything held about the device's person and their dependants to be deleted: done at once when no open case needs the data (the device cookie is cleared), else queued for the data-protection officer, due two working days later" + deviceNote + proofNote,
	Tags:    rightsTags, Status: 201,
	Request:  obj(props{"kind": enum("what is asked; delete when absent", []string{"delete"})}),
	Response: requestSchema,
}

var dsrListDoc = Doc{
	Summary:  "The data-protection officer's queue: requests by due date, open ones unless ?status= says otherwise. Audited",
	Tags:     rightsTags,
	Params:   []Param{{Name: "status", Description: "open (default), done or refused"}},
	Response: obj(props{"requests": array(requestSchema)}, "requests"),
}

var dsrShowDoc = Doc{
	Summary:  "One data-subject request with its details and history. Audited",
	Tags:     rightsTags,
	Response: requestViewSchema,
}

var dsrResolveDoc = Doc{
	Summary:  "Answer an open request: done (a deletion erases the person now; 409 err.erase_open_case while an open case still needs the data) or refused with a reason (kept sealed). 409 err.dsr_closed when already answered",
	Tags:     rightsTags,
	Request:  obj(props{"outcome": enum("the answer", []string{"done", "refused"}), "reason": str("required when refused; at most 1000 characters")}, "outcome"),
	Response: requestViewSchema,
}
