package server

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/ravao/ravao"
)

var peopleLookupDoc = Doc{
	Summary: "Find a person by phone or ID card number, for tracing; every lookup is audited with its reason (health officials)",
	Tags:    []string{"people"},
	Request: obj(props{
		"phone": str("phone number, any usual format"), "id_number": str("12-digit CCCD"),
		"reason": str("why the person is looked up; kept in the audit log"),
	}, "reason"),
	Response: obj(props{
		"found": boolean("whether a person matched"),
		"person": obj(props{
			"id": integer("opaque person id"), "masked_name": str("e.g. Nguyễn V*** A"), "birth_year": integer("year of birth"),
		}),
	}, "found"),
}

// maxReason is the longest reason an audit event keeps.
const maxReason = 500

// lookupRequest is the body of POST /api/v1/people/lookup. Phone and ID
// number travel in the body, never in the URL, so they stay out of logs.
type lookupRequest struct {
	Phone    string `json:"phone"`
	IDNumber string `json:"id_number"`
	Reason   string `json:"reason"`
}

// lookupKey is a normalised identifier as the vault keys it.
type lookupKey struct {
	kind, value string
}

// keys validates the request and returns the lookups to try, ID number
// first as the more specific.
func (in lookupRequest) keys() ([]lookupKey, error) {
	fe := ravao.FieldErrors{}
	var keys []lookupKey
	if strings.TrimSpace(in.IDNumber) != "" {
		if n, err := ravao.NormalizeCCCD(in.IDNumber); err != nil {
			fe.Add("id_number", "err.cccd")
		} else {
			keys = append(keys, lookupKey{"cccd", n})
		}
	}
	if strings.TrimSpace(in.Phone) != "" {
		if n, err := ravao.NormalizePhone(in.Phone); err != nil {
			fe.Add("phone", "err.phone")
		} else {
			keys = append(keys, lookupKey{"phone", n})
		}
	}
	if strings.TrimSpace(in.Phone) == "" && strings.TrimSpace(in.IDNumber) == "" {
		fe.Add("phone", "err.lookup_what")
	}
	switch reason := strings.TrimSpace(in.Reason); {
	case reason == "":
		fe.Add("reason", "err.reason")
	case len(reason) > maxReason || !utf8.ValidString(reason):
		fe.Add("reason", "err.too_long")
	}
	return keys, fe.Err()
}

// personJSON is what a lookup shows of a person: no full name yet, that
// comes with case-scoped tracing.
type personJSON struct {
	ID         int64  `json:"id"`
	MaskedName string `json:"masked_name"`
	BirthYear  int    `json:"birth_year"`
}

// apiPeopleLookup finds a person by keyed lookup and audits the search,
// found or not, in the same transaction.
func (s *Server) apiPeopleLookup(w http.ResponseWriter, r *http.Request) error {
	var in lookupRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	keys, err := in.keys()
	if err != nil {
		return err
	}
	p := principal(r)
	var rec ravao.PersonRecord
	found := false
	err = s.store.Update(r.Context(), func(tx ravao.Tx) error {
		rec, found, err = s.findPerson(tx, keys)
		if err != nil {
			return err
		}
		ev := &ravao.AuditEvent{
			At: tx.Now(), UserID: p.User.ID, Role: ravao.RoleHealth, Action: "person.lookup",
			ObjectType: "person", Reason: strings.TrimSpace(in.Reason), RequestID: ravao.RequestID(r.Context()),
		}
		if found {
			ev.ObjectID = idString(rec.ID)
		}
		return tx.AppendAudit(ev)
	})
	if err != nil {
		return err
	}
	if !found {
		return writeJSON(w, http.StatusOK, map[string]any{"found": false})
	}
	person, err := s.vault.OpenPerson(rec)
	if err != nil {
		return err
	}
	out := personJSON{ID: rec.ID, MaskedName: ravao.MaskName(person.FullName), BirthYear: rec.BirthYear}
	return writeJSON(w, http.StatusOK, map[string]any{"found": true, "person": out})
}

// findPerson tries each key in turn.
func (s *Server) findPerson(tx ravao.Tx, keys []lookupKey) (ravao.PersonRecord, bool, error) {
	for _, k := range keys {
		find := tx.PersonByPhoneKey
		if k.kind == "cccd" {
			find = tx.PersonByIDNumberKey
		}
		rec, err := find(s.vault.Lookup(k.kind, k.value))
		if err == nil {
			return rec, true, nil
		}
		if !ravao.IsNotFound(err) {
			return rec, false, err
		}
	}
	return ravao.PersonRecord{}, false, nil
}
