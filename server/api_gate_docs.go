package server

// gateTags tags the gate console's calls in the OpenAPI document.
var gateTags = []string{"gate"}

var (
	scanSchemaProps = props{
		"payload":         str("what the camera or scanner read: a Ravao personal QR code, a chip ID card's QR, or the 2021 health QR"),
		"phone":           str("instead of a payload: the phone of someone with nothing to scan, with challenge and code"),
		"challenge":       str("from POST /api/v1/gate/phone-code"),
		"code":            str("the six-digit code the person reads out"),
		"direction":       enum("in (default) or out", []string{"in", "out"}),
		"idempotency_key": str("the gate's name for this scan (at most 100 characters): a retry or a second sync gives the first answer"),
		"device_time":     map[string]any{"type": "string", "format": "date-time", "description": "when the gate scanned (offline queue): at most 72 hours ago, at most 5 minutes ahead"},
	}
	gateResultSchema = obj(props{
		"decision":   enum("green: go in; yellow: declare on the spot; red: send to the health desk", []string{"green", "yellow", "red"}),
		"kind":       enum("what identified the person", []string{"personal_qr", "card", "cccd", "qr1405", "phone", "proxy"}),
		"person_id":  integer("opaque id, to declare on the person's behalf"),
		"name":       str("masked name, e.g. Nguyễn V*** A"),
		"birth_year": integer("year of birth"),
		"visit_id":   map[string]any{"type": []string{"integer", "null"}, "description": "the visit entered or closed; null when none"},
		"direction":  enum("in or out", []string{"in", "out"}),
		"at":         timeSchema, "repeated": boolean("already inside, or this scan was seen before"),
		"note": str("something to tell the guard, in their language"),
	}, "decision", "kind", "person_id", "name", "birth_year", "visit_id", "direction", "at", "repeated")
)

func withCheckpoint(p props) props {
	out := props{"checkpoint_id": integer("the gate's checkpoint")}
	for k, v := range p {
		out[k] = v
	}
	return out
}

var gateScanDoc = Doc{
	Summary: "Scan a person at a checkpoint's gate (gate staff of the checkpoint, or the venue's managers): 201 with a new entry, 200 otherwise; an unrecognised code is 400 err.payload_unknown; another checkpoint is 404",
	Tags:    gateTags, Status: 201,
	Request:  obj(withCheckpoint(scanSchemaProps), "checkpoint_id"),
	Response: gateResultSchema,
}

var gateSyncDoc = Doc{
	Summary: "Sync a gate's offline queue (at most 1,000 scans, each with idempotency_key and device_time): recorded once however often it is sent; rejected scans are listed with their reason",
	Tags:    gateTags,
	Request: obj(props{"checkpoint_id": integer("the gate's checkpoint"), "scans": array(obj(scanSchemaProps, "idempotency_key", "device_time"))},
		"checkpoint_id", "scans"),
	Response: obj(props{
		"accepted": integer("scans recorded"), "duplicates": integer("scans seen before, or people already inside"),
		"rejected": array(obj(props{"idempotency_key": str("the scan"), "code": str("error code"), "message": str("why, in the caller's language")},
			"idempotency_key", "code", "message")),
	}, "accepted", "duplicates", "rejected"),
}

var gatePhoneCodeDoc = Doc{
	Summary: "Send a one-time code by SMS to someone with nothing to scan; they read it to the guard, who scans with phone, challenge and code",
	Tags:    gateTags, Status: 201,
	Request: obj(props{"checkpoint_id": integer("the gate's checkpoint"), "phone": str("the person's phone")}, "checkpoint_id", "phone"),
	Response: obj(props{"challenge": str("send it back with the code"), "expires_in_seconds": integer("how long the code works")},
		"challenge", "expires_in_seconds"),
}

var gateDeclareDoc = Doc{
	Summary: "Declare on a person's behalf (khai hộ), recorded with the guard's identity: with person_id, new answers for someone a yellow scan let in; without, someone new (consent and profile required), who is then let in",
	Tags:    gateTags,
	Request: obj(props{
		"checkpoint_id": integer("the gate's checkpoint"), "person_id": integer("from a yellow scan; omit for someone new"),
		"consent": boolean("the person agrees (someone new)"), "profile": profileSchema, "answers": answersSchema,
		"idempotency_key": str("for someone new: names the entry"),
	}, "checkpoint_id", "answers"),
	Response: gateResultSchema,
}

var gateSummaryDoc = Doc{
	Summary: "A gate's checkpoint and venue, today's entries, exits and people inside, and the latest scans (masked)",
	Tags:    gateTags,
	Response: obj(props{
		"checkpoint": obj(props{"id": integer("checkpoint id"), "name": str("name")}, "id", "name"),
		"venue":      obj(props{"id": integer("venue id"), "name": str("name")}, "id", "name"),
		"counts":     obj(props{"in": integer("entries today"), "out": integer("exits today"), "inside": integer("inside now")}, "in", "out", "inside"),
		"recent":     array(gateResultSchema),
	}, "checkpoint", "venue", "counts", "recent"),
}

var gateKeyDoc = Doc{
	Summary: "The public key that checks Ravao personal QR codes offline (Ed25519 over \"ravao personal qr\\x00\", the prefix and the 15-byte body; see package personalqr)",
	Tags:    gateTags,
	Response: obj(props{"public_key": str("base64, 32 bytes"), "algorithm": str("Ed25519"), "prefix": str("payload prefix")},
		"public_key", "algorithm", "prefix"),
}

var gateFrameDoc = Doc{
	Summary:  "Decode a camera frame (JPEG or PNG body, at most 2 MiB) for browsers without a native barcode detector; 400 err.no_code when it holds no QR code",
	Tags:     gateTags,
	Response: obj(props{"payload": str("the QR code's text")}, "payload"),
}
