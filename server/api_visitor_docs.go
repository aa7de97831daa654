package server

// visitorsTags tags every route of visitors in the OpenAPI document.
var visitorsTags = []string{"visitors"}

// deviceNote is said of every route that needs a device.
const deviceNote = " (device token in the X-Ravao-Device header or the ravao_device cookie; 401 err.device_unknown without a known one)"

var (
	timeSchema     = map[string]any{"type": "string", "format": "date-time"}
	nullTimeSchema = map[string]any{"type": []string{"string", "null"}, "format": "date-time"}
	profileSchema  = obj(props{
		"full_name": str("full name"), "phone": str("Vietnamese mobile number; optional for dependants"),
		"id_number": str("CCCD, 12 digits; optional"), "birth_year": integer("year of birth"),
		"sex": enum("sex", []string{"m", "f", "x"}), "unit_code": str("commune (level 3 unit) of residence"),
	}, "full_name", "birth_year", "sex", "unit_code")
	answersSchema = map[string]any{
		"type": "object", "additionalProperties": array(map[string]any{"type": "string"}),
		"description": "answers by question id: the chosen option ids, or yes/no",
	}
	visitSchema = obj(props{
		"id": integer("visit id"), "venue_id": integer("venue id"), "checkpoint_id": integer("checkpoint id"),
		"in_at": timeSchema, "out_at": nullTimeSchema, "due_at": nullTimeSchema,
		"decision": enum("green: go in; red: go to the health desk", []string{"green", "yellow", "red"}),
		"source":   enum("how the visit was recorded", []string{"self", "gate", "sync", "api"}),
	}, "id", "venue_id", "checkpoint_id", "in_at", "out_at", "due_at", "decision", "source")
)

var declarationCreateDoc = Doc{
	Summary: "First visit of a device: explicit consent, the person's profile and health answers; gives a new device token, also set as the ravao_device cookie. A phone declared on another device is refused with 409 err.phone_link until the declaration carries the challenge and code of POST /api/v1/declarations/code",
	Tags:    visitorsTags, Status: 201,
	Request: obj(props{
		"consent": boolean("must be true: the visitor agrees to contact-tracing use"),
		"profile": profileSchema, "answers": answersSchema,
		"challenge": str("from POST /api/v1/declarations/code, when the phone was declared on another device"),
		"code":      str("the six-digit code the phone received"),
	}, "consent", "profile", "answers"),
	Response: obj(props{
		"device": str("device token: keep it secret, send it as X-Ravao-Device"), "person_id": integer("opaque person id"),
		"risk": boolean("whether the answers declare symptoms or exposure"),
	}, "device", "person_id", "risk"),
}

var checkinCreateDoc = Doc{
	Summary: "Check in at a poster's code" + deviceNote + ". 201 with a new visit, 200 when repeated (same Idempotency-Key and body, or already inside this venue); 409 err.declaration_needed when the declaration is stale (send answers); 422 when the Idempotency-Key was used with another body",
	Tags:    visitorsTags, Status: 201,
	Request: obj(props{
		"code": str("the checkpoint code from the poster's URL"), "answers": answersSchema,
		"dependants": array(integer("dependant id")),
	}, "code"),
	Response: obj(props{
		"visit":      visitSchema,
		"venue":      obj(props{"id": integer("venue id"), "name": str("venue name"), "place": str("address with unit names")}, "id", "name", "place"),
		"checkpoint": obj(props{"id": integer("checkpoint id"), "name": str("checkpoint name")}, "id", "name"),
		"dependants": array(visitSchema), "repeated": boolean("an earlier answer to the same request"),
	}, "visit", "venue", "checkpoint", "dependants", "repeated"),
}

var visitCheckoutDoc = Doc{
	Summary: "Check out of one of the device's visits or a dependant's" + deviceNote + "; anyone else's is 404, a closed one 409",
	Tags:    visitorsTags, Response: visitSchema,
}

var myVisitsDoc = Doc{
	Summary: "The visits of the device's person and dependants over the last 30 days, newest first" + deviceNote,
	Tags:    visitorsTags, Response: obj(props{"visits": array(visitSchema)}, "visits"),
}

var dependantCreateDoc = Doc{
	Summary: "Add a dependant (a child, an elderly relative without a phone) who checks in with the device's person" + deviceNote,
	Tags:    visitorsTags, Status: 201, Request: profileSchema,
	Response: obj(props{"id": integer("the dependant's person id")}, "id"),
}

var dependantsListDoc = Doc{
	Summary: "The device person's dependants, names masked" + deviceNote,
	Tags:    visitorsTags,
	Response: obj(props{"dependants": array(obj(props{
		"id": integer("person id"), "name": str("masked name"),
	}, "id", "name"))}, "dependants"),
}

var personalQRDoc = Doc{
	Summary: "A fresh signed on-screen personal code of the device's person, valid a few minutes" + deviceNote,
	Tags:    visitorsTags,
	Response: obj(props{
		"payload": str("digits to show as a QR code (numeric mode)"), "expires_at": timeSchema,
	}, "payload", "expires_at"),
}
