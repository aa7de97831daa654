package server

// residentsTags tags every route of residents in the OpenAPI document.
var residentsTags = []string{"residents"}

// residentsNote is said of every route of residents.
const residentsNote = " (commune officials only: 403 for anyone else)"

var (
	residentSchema = obj(props{
		"id": integer("person id"), "name": str("masked name"), "birth_year": integer("year of birth"),
		"unit_code":   str("commune (level 3 unit) of residence"),
		"card_serial": integer("serial of the current card; 0 before the first print. Printing or revoking increments it"),
		"created_at":  timeSchema,
	}, "id", "name", "birth_year", "unit_code", "card_serial", "created_at")
	residentIDsSchema = obj(props{
		"ids": array(integer("id of a resident the caller declared")),
	}, "ids")
)

var residentCreateDoc = Doc{
	Summary: "Declare a resident without a smartphone on their behalf" + residentsNote + ": the official confirms the resident's consent; the phone and ID number are optional; the commune must be in the official's area (err.unit_out_of_scope); a phone or ID number already declared is 400 err.person_known",
	Tags:    residentsTags, Status: 201,
	Request: obj(props{
		"consent": boolean("must be true: the resident agreed to contact-tracing use"),
		"profile": profileSchema, "answers": answersSchema,
	}, "consent", "profile", "answers"),
	Response: obj(props{"id": integer("the resident's person id")}, "id"),
}

var residentsListDoc = Doc{
	Summary: "The residents the caller declared, by id, names masked" + residentsNote,
	Tags:    residentsTags,
	Params: []Param{
		{Name: "after", Description: "list the residents after this id (next_after of the previous page)"},
		{Name: "limit", Description: "1 to 100, 100 when absent"},
	},
	Response: obj(props{
		"residents":  array(residentSchema),
		"next_after": map[string]any{"type": []string{"integer", "null"}, "description": "after of the next page; null when this page is not full"},
	}, "residents", "next_after"),
}

var residentCardsDoc = Doc{
	Summary: "Print new personal QR cards for residents the caller declared, eight to an A4 page (PDF)" + residentsNote + "; their earlier cards stop working. An empty list is 400; an id that is not the caller's resident is 404 and nothing changes",
	Tags:    residentsTags, Request: residentIDsSchema, Produces: "application/pdf",
	Response: map[string]any{"type": "string", "format": "binary", "description": "PDF of ID-1 cards, masked names only"},
}

var residentCardsRevokeDoc = Doc{
	Summary: "Revoke the cards of residents the caller declared (lost or stolen cards), without printing new ones" + residentsNote + ". An empty list is 400; an id that is not the caller's resident is 404 and nothing changes",
	Tags:    residentsTags, Request: residentIDsSchema, Status: 204,
}
