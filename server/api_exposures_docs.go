package server

import "github.com/ravao/ravao"

// exposuresTags tags every route of exposure windows in the OpenAPI document.
var exposuresTags = []string{"exposures"}

// exposuresNote is said of the officials' routes of exposure windows.
const exposuresNote = " (health officials only: 403 for anyone else; a venue, window or case outside the caller's units is 404 or a field error). Audited. Instants are RFC 3339"

var (
	severitySchema     = enum("high: isolate and get tested; low: watch for symptoms", []string{string(ravao.SeverityHigh), string(ravao.SeverityLow)})
	publicWindowSchema = obj(props{
		"id": integer("window id"), "venue_id": integer("the venue (as in the poster's place)"),
		"checkpoint_id": integer("the one checkpoint concerned (a vehicle); absent for the whole venue"),
		"venue_name":    str("the venue's registered name"), "from": timeSchema, "to": timeSchema, "severity": severitySchema,
		"message": obj(props{"vi": str("in Vietnamese"), "en": str("in English")}, "vi", "en"),
	}, "id", "venue_id", "venue_name", "from", "to", "severity", "message")
	windowSchema = obj(props{
		"id": integer("window id"), "venue_id": integer("venue id"), "venue_name": str("the venue's name (in lists)"),
		"checkpoint_id": integer("the one checkpoint concerned; 0 for the whole venue"), "checkpoint_name": str("its name (in lists)"),
		"from": timeSchema, "to": timeSchema, "severity": severitySchema,
		"message_vi": str("message shown in Vietnamese"), "message_en": str("message shown in English"),
		"case_id": integer("the case it was published from; 0 when by hand"), "created_by": integer("account that published it"),
		"created_at": timeSchema, "withdrawn_at": nullTimeSchema,
	}, "id", "venue_id", "checkpoint_id", "from", "to", "severity", "message_vi", "message_en", "case_id", "created_by", "created_at", "withdrawn_at")
	windowsSchema = obj(props{"windows": array(windowSchema)}, "windows")
	messagesProps = props{
		"severity":   severitySchema,
		"message_vi": str("at most 500 bytes; empty: the default message of the severity, naming the venue"),
		"message_en": str("the same in English"),
	}
)

var exposuresCurrentDoc = Doc{
	Summary:  "The exposure windows every visitor's phone matches against the visits it keeps: not withdrawn, ended within the last 14 days. Public and without personal data; the matching is done on the phone, so nothing about the visitor is sent. Cache-Control: public, max-age=60, with an ETag (If-None-Match answers 304)",
	Tags:     exposuresTags,
	Response: obj(props{"windows": array(publicWindowSchema)}, "windows"),
}

var exposurePublishDoc = Doc{
	Summary: "Publish an exposure window by hand, at a venue in the caller's units (optionally one of its checkpoints), with a reason for the audit log (no personal data in it)" + exposuresNote + ". The window must have begun, last at most 7 days and have ended less than 14 days ago",
	Tags:    exposuresTags, Status: 201,
	Request: obj(merge(messagesProps, props{
		"venue_id": integer("venue id"), "checkpoint_id": integer("one of the venue's checkpoints, to limit the window to it; 0 or absent for the whole venue"),
		"from": timeSchema, "to": timeSchema, "reason": str("why it is published without a case; required, at most 500 bytes"),
	}), "venue_id", "from", "to", "severity", "reason"),
	Response: windowSchema,
}

var exposuresManageDoc = Doc{
	Summary: "The exposure windows at venues in the caller's units, current and withdrawn, newest first" + exposuresNote,
	Tags:    exposuresTags,
	Params: []Param{
		{Name: "venue_id", Description: "only this venue's windows"},
		{Name: "ends_after", Description: "RFC 3339; windows ending after it (default: 14 days ago)"},
		{Name: "limit", Description: "1 to 1000, 200 when absent"},
	},
	Response: windowsSchema,
}

var exposureWithdrawDoc = Doc{
	Summary: "Withdraw an exposure window (the kill switch): phones stop showing it at their next load, within a minute" + exposuresNote + ". A window withdrawn already is 409 err.window_withdrawn",
	Tags:    exposuresTags, Status: 204,
}

var casePublishDoc = Doc{
	Summary: "Publish exposure windows from a case's visits in its window: each from the check-in to the real check-out (or check-in plus the case's open window when there is none), extended by the case's buffer; at the whole venue, or only the vehicle. A visit published before keeps its window, which is returned again" + exposuresNote,
	Tags:    exposuresTags,
	Request: obj(merge(messagesProps, props{
		"visit_ids": array(integer("one of the case's visits in its window; absent or empty: all of them")),
	}), "severity"),
	Response: windowsSchema,
}

var caseNotifyDoc = Doc{
	Summary:  "Queue an SMS to each close contact (F1) of the case who has a phone and has not been sent one yet: it names the place and the day, never the case. Answers how many were queued; a closed case is 409" + exposuresNote,
	Tags:     exposuresTags,
	Response: obj(props{"queued": integer("messages queued now")}, "queued"),
}

var caseNotificationsDoc = Doc{
	Summary: "Where each message to the case's contacts is: queued (with the next attempt), sent, or failed after 4 attempts" + exposuresNote,
	Tags:    exposuresTags,
	Response: obj(props{"notifications": array(obj(props{
		"id": integer("message id"), "contact_id": integer("the contact on the case's worked list"),
		"status":   enum("queued, sent or failed", []string{string(ravao.NotifyQueued), string(ravao.NotifySent), string(ravao.NotifyFailed)}),
		"attempts": integer("sending attempts so far"), "last_error": str("message key of the last failure"),
		"next_at": nullTimeSchema, "created_at": timeSchema, "sent_at": nullTimeSchema,
	}, "id", "contact_id", "status", "attempts", "next_at", "created_at", "sent_at"))}, "notifications"),
}
