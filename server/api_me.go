package server

import (
	"net/http"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/visitors"
)

// meAPI lists the visitor's own-data calls: a code to link a phone declared
// on another device, everything held about them, erasure, printed cards,
// and restoring the device cookie from the browser's local storage.
func (s *Server) meAPI() []Route {
	return []Route{
		api("POST", "/api/v1/declarations/code", Public, s.apiLinkCode, linkCodeDoc),
		api("POST", "/api/v1/me/device", Public, s.apiDeviceRestore, deviceRestoreDoc),
		api("GET", "/api/v1/me/data", Public, s.apiMyData, myDataDoc),
		api("DELETE", "/api/v1/me", Public, s.apiErase, eraseDoc),
		api("POST", "/api/v1/me/cards", Public, s.apiMyCards, myCardsDoc),
		api("POST", "/api/v1/me/cards/revoke", Public, s.apiMyCardsRevoke, myCardsRevokeDoc),
	}
}

// apiLinkCode sends a one-time code to a phone declared on another device;
// the declaration then carries the challenge and the code.
func (s *Server) apiLinkCode(w http.ResponseWriter, r *http.Request) error {
	return s.sendCode(w, r, s.visits.RequestLinkCode)
}

// apiDeviceRestore sets the device cookie again from a token the page's
// script kept in local storage, when the browser lost the cookie.
func (s *Server) apiDeviceRestore(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.requireDevice(r)
	if err != nil {
		return err
	}
	if err := s.visits.Remember(r.Context(), tok); err != nil {
		return err
	}
	s.setDevice(w, tok)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiMyData answers everything held about the device's person and their
// dependants, in clear: theirs to read and keep.
func (s *Server) apiMyData(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.requireDevice(r)
	if err != nil {
		return err
	}
	var d visitors.Data
	if s.rights != nil {
		d, err = s.rights.MyData(r.Context(), tok, proof(r))
	} else {
		d, err = s.visits.MyData(r.Context(), tok)
	}
	if err != nil {
		return err
	}
	if r.URL.Query().Get("download") == "1" {
		w.Header().Set("Content-Disposition", `attachment; filename="ravao-my-data.json"`)
	}
	return writeJSON(w, http.StatusOK, d)
}

// apiErase withdraws consent: everything held about the device's person
// is deleted and the device forgotten (204), or, while an open case needs
// the data, the device stops checking in and a deletion request waits in
// the officer's queue (202 with the request).
func (s *Server) apiErase(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.requireDevice(r)
	if err != nil {
		return err
	}
	if s.rights == nil {
		if err := s.visits.Erase(r.Context(), tok); err != nil {
			return err
		}
		s.setDevice(w, "")
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	q, err := s.rights.Withdraw(r.Context(), tok)
	if err != nil {
		return err
	}
	s.setProof(w, "")
	if q.Status == ravao.DSROpen {
		return writeJSON(w, http.StatusAccepted, s.requestJSON(q))
	}
	s.setDevice(w, "")
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// peopleJSON names the people of a card request: the device's person
// and/or their dependants; none means the person.
type peopleJSON struct {
	People []int64 `json:"people"`
}

// apiMyCards prints new QR cards (PDF) for the device's person and chosen
// dependants; their earlier cards stop working.
func (s *Server) apiMyCards(w http.ResponseWriter, r *http.Request) error {
	tok, in, err := s.cardRequest(r)
	if err != nil {
		return err
	}
	cs, err := s.visits.MyCards(r.Context(), tok, in.People)
	if err != nil {
		return err
	}
	return s.writeCards(w, r, cs)
}

// apiMyCardsRevoke stops the printed cards of the device's person or chosen
// dependants from working (a lost card).
func (s *Server) apiMyCardsRevoke(w http.ResponseWriter, r *http.Request) error {
	tok, in, err := s.cardRequest(r)
	if err != nil {
		return err
	}
	if err := s.visits.RevokeMyCards(r.Context(), tok, in.People); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// cardRequest reads the device and the people of a card request.
func (s *Server) cardRequest(r *http.Request) (string, peopleJSON, error) {
	var in peopleJSON
	tok, err := s.requireDevice(r)
	if err != nil {
		return "", in, err
	}
	return tok, in, decodeJSON(r, &in)
}

var meTags = []string{"visitors"}

var (
	peopleSchema = obj(props{"people": array(integer("the device person's id or a dependant's; none means the person"))})
	pdfCards     = map[string]any{"type": "string", "format": "binary", "description": "A4 pages of eight ID-1 cards"}
)

var linkCodeDoc = Doc{
	Summary: "Send a one-time code by SMS to a phone declared on another device (POST /api/v1/declarations answered 409 err.phone_link); declare again with the challenge and the code",
	Tags:    meTags, Status: 201,
	Request: obj(props{"phone": str("the phone declared before")}, "phone"),
	Response: obj(props{"challenge": str("send it back with the code as challenge"),
		"expires_in_seconds": integer("how long the code works")}, "challenge", "expires_in_seconds"),
}

var deviceRestoreDoc = Doc{
	Summary: "Set the ravao_device cookie again from a device token kept in the browser's local storage" + deviceNote,
	Tags:    meTags, Status: 204,
}

var myDataDoc = Doc{
	Summary: "Everything held about the device's person and their dependants: profile (with the consent's legal basis), declarations with answers, visits" + deviceNote + proofNote + "; ?download=1 answers it as a file",
	Tags:    meTags, Params: []Param{{Name: "download", Description: "1 to download as ravao-my-data.json"}},
	Response: obj(props{
		"person": map[string]any{"type": "object"}, "dependants": array(map[string]any{"type": "object"}),
		"declarations": array(map[string]any{"type": "object"}), "visits": array(map[string]any{"type": "object"}),
	}, "person", "dependants", "declarations", "visits"),
}

var eraseDoc = Doc{
	Summary: "Withdraw consent. With no open case needing the data, everything held about the device's person and their dependants is deleted at once and every device of theirs forgotten (204); while an open case needs them, the person's devices stop checking in (403 err.consent_withdrawn) and a deletion request waits in the data-protection officer's queue, due two working days later (202 with the request)" + deviceNote,
	Tags:    meTags, Status: 204,
}

var myCardsDoc = Doc{
	Summary: "Print new personal QR cards (PDF) for the device's person and chosen dependants; earlier cards of theirs stop working" + deviceNote,
	Tags:    meTags, Request: peopleSchema, Response: pdfCards, Produces: "application/pdf",
}

var myCardsRevokeDoc = Doc{
	Summary: "Revoke the printed cards of the device's person or chosen dependants (a lost card)" + deviceNote,
	Tags:    meTags, Request: peopleSchema, Status: 204,
}
