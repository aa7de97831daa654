package server

import "slices"

// auditTags tags the audit log's routes in the OpenAPI document.
var auditTags = []string{"audit"}

// auditNote is said of every route of the audit log.
const auditNote = " Data-protection officers only (403 for anyone else). Reading, exporting and verifying the log are themselves recorded (audit.read, audit.export, audit.verify)."

var (
	auditEventSchema = obj(props{
		"id": integer("event id; also the order of appending"), "at": timeSchema,
		"user_id": integer("staff account; 0 for the system or an anonymous visitor"),
		"login":   str("the account's login; empty for the system or a visitor"),
		"role":    enum("the role the action was done in; empty for the system or a visitor", append(slices.Clone(roleNames()), "")),
		"action":  str("what was done, e.g. case.view, person.lookup, user.create"), "object_type": str("the kind of record, e.g. case, person, user"),
		"object_id": str("the record's id; never a phone, an ID number or a name"), "reason": str("the reason given, or details without personal values"),
		"request_id": str("the request that did it, as in the server's logs"),
		"seq":        integer("the event's place in the hash chain; 0 until the sealer (every 2 seconds) chains it"),
		"hash":       str("the event's chain hash, hex; empty until sealed"),
	}, "id", "at", "user_id", "login", "role", "action", "object_type", "object_id", "reason", "request_id", "seq", "hash")
	verificationSchema = obj(props{
		"ok":        boolean("the chain is intact from seq 1 to head_seq"),
		"checked":   integer("entries found intact"),
		"unsealed":  integer("events not yet chained"),
		"head_seq":  integer("the last intact entry's seq"),
		"head_hash": str("its hash, hex: write it down (or send it elsewhere) to detect later that the chain's tail was cut"),
		"broken": map[string]any{"type": []string{"object", "null"}, "description": "the first broken entry; null when ok",
			"properties": props{"seq": integer("its seq"), "id": integer("its event id"),
				"reason": enum("gap: an entry before it was deleted; link: its prev_hash is not the previous hash (the entry before it was deleted or replaced); hash: the entry was changed", []string{"gap", "link", "hash"})}},
		"at": timeSchema,
	}, "ok", "checked", "unsealed", "head_seq", "head_hash", "broken", "at")
)

var auditListDoc = Doc{
	Summary: "The audit log, newest first, 100 events a page, filtered by who (a login; an unknown login is 400 with a field error on user), what (an action), " +
		"which record (object_type and object_id, e.g. case 42) and when (from and to, days 2006-01-02 in the deployment's time zone, both included)." + auditNote,
	Tags: auditTags,
	Params: []Param{
		{Name: "user", Description: "login of the staff account"},
		{Name: "action", Description: "an action, e.g. case.view"},
		{Name: "object_type", Description: "kind of record, e.g. case"},
		{Name: "object_id", Description: "the record's id, e.g. 42"},
		{Name: "from", Description: "first day, 2006-01-02"},
		{Name: "to", Description: "last day, 2006-01-02"},
		{Name: "before", Description: "events older than this id: before of the previous page"},
	},
	Response: obj(props{
		"events": array(auditEventSchema),
		"before": map[string]any{"type": []string{"integer", "null"}, "description": "before of the next page; null on the last page"},
	}, "events", "before"),
}

var auditVerifyDoc = Doc{
	Summary: "Check the audit log's hash chain now: walks every sealed event by seq, recomputes its keyed hash and names the first entry whose seq is not the next one, " +
		"whose prev_hash is not the previous hash or whose hash does not match. Takes time on a large log; `ravao audit verify` does the same from the command line." + auditNote,
	Tags:     auditTags,
	Response: verificationSchema,
}
