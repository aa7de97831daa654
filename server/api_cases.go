package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
)

// caseOpenJSON is the body that opens a case: the person by exactly one
// of person_id, phone, id_number or personal_qr.
type caseOpenJSON struct {
	PersonID   int64           `json:"person_id"`
	Phone      string          `json:"phone"`
	IDNumber   string          `json:"id_number"`
	PersonalQR string          `json:"personal_qr"`
	Reason     string          `json:"reason"`
	UnitCode   string          `json:"unit_code"`
	Onset      *string         `json:"onset"`
	WindowFrom *string         `json:"window_from"`
	WindowTo   *string         `json:"window_to"`
	Settings   *settingsInJSON `json:"settings"`
}

// casePatchJSON changes a case; absent fields are left alone, and a null
// window_to makes the window open-ended.
type casePatchJSON struct {
	Reason     *string         `json:"reason"`
	Onset      *string         `json:"onset"`
	WindowFrom *string         `json:"window_from"`
	WindowTo   nullTime        `json:"window_to"`
	Settings   *settingsInJSON `json:"settings"`
	Close      bool            `json:"close"`
}

// apiCaseOpen opens a case and traces it at once.
func (s *Server) apiCaseOpen(w http.ResponseWriter, r *http.Request) error {
	var in caseOpenJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	fe := ravao.FieldErrors{}
	open := tracing.OpenCase{
		PersonID: in.PersonID, Phone: in.Phone, IDNumber: in.IDNumber, PersonalQR: in.PersonalQR, Reason: in.Reason,
		UnitCode: in.UnitCode, Onset: apiTime(in.Onset, "onset", fe), WindowFrom: apiTime(in.WindowFrom, "window_from", fe),
		WindowTo: apiTime(in.WindowTo, "window_to", fe), Settings: in.Settings.settings(fe),
	}
	if err := fe.Err(); err != nil {
		return err
	}
	c, traced, err := s.tracing.Open(r.Context(), principal(r), open)
	if err != nil {
		return apiFields(err, map[string]string{"unit": "unit_code"})
	}
	return writeCreated(w, tracedOut(c, traced))
}

// casesJSON is a page of cases; NextAfter is the after of the next page,
// nil when this one is not full.
type casesJSON struct {
	Cases     []caseRowJSON `json:"cases"`
	NextAfter *int64        `json:"next_after"`
}

// apiCasesList lists the cases in the caller's scope, newest first.
func (s *Server) apiCasesList(w http.ResponseWriter, r *http.Request) error {
	f, err := s.caseFilter(r)
	if err != nil {
		return err
	}
	list, err := s.tracing.Cases(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	out := casesJSON{Cases: make([]caseRowJSON, 0, len(list))}
	for _, c := range list {
		out.Cases = append(out.Cases, caseRowJSON{caseJSON: caseOut(c.Case), MaskedName: c.MaskedName, Contacts: c.Contacts})
	}
	if len(list) == f.Limit {
		out.NextAfter = &list[len(list)-1].Case.ID
	}
	return writeJSON(w, http.StatusOK, out)
}

// caseFilter reads ?status=, ?unit=, ?after= and ?limit= (1 to 100, 100
// when absent).
func (s *Server) caseFilter(r *http.Request) (ravao.CaseFilter, error) {
	q, fe := r.URL.Query(), ravao.FieldErrors{}
	f := ravao.CaseFilter{Status: ravao.CaseStatus(q.Get("status")), AfterID: queryID(q.Get("after"), "after", fe), Limit: casesPageSize}
	switch f.Status {
	case "", ravao.CaseOpen, ravao.CaseClosed:
	default:
		fe.Add("status", "err.case_status")
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > casesPageSize {
			fe.Add("limit", "err.limit")
		}
		f.Limit = n
	}
	if code := strings.TrimSpace(q.Get("unit")); code != "" {
		path, err := s.unitPath(r.Context(), code)
		if ravao.ErrorCode(err) == ravao.Invalid || ravao.IsNotFound(err) {
			fe.Add("unit", "err.unit_code")
		} else if err != nil {
			return f, err
		}
		f.UnitPath = path
	}
	return f, fe.Err()
}

// apiCaseShow shows a case with its person and timeline.
func (s *Server) apiCaseShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := s.tracing.Case(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, caseViewOut(v))
}

// apiCaseUpdate changes a case; a new window or new thresholds trace
// again.
func (s *Server) apiCaseUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in casePatchJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	up, err := in.update()
	if err != nil {
		return err
	}
	c, traced, err := s.tracing.Update(r.Context(), principal(r), id, up)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, tracedOut(c, traced))
}

// update reads the change, instants first.
func (in casePatchJSON) update() (tracing.CaseUpdate, error) {
	fe := ravao.FieldErrors{}
	up := tracing.CaseUpdate{Reason: in.Reason, Close: in.Close, Settings: in.Settings.settings(fe)}
	at := func(v *string, field string) *time.Time {
		if v == nil {
			return nil
		}
		t := apiTime(v, field, fe)
		return &t
	}
	up.Onset, up.WindowFrom = at(in.Onset, "onset"), at(in.WindowFrom, "window_from")
	if in.WindowTo.Set {
		up.WindowTo = &time.Time{}
		if in.WindowTo.Value != nil {
			up.WindowTo = at(in.WindowTo.Value, "window_to")
		}
	}
	return up, fe.Err()
}

// apiCaseExposures runs the tracing query now: the people exposed to the
// case, ranked, without names; nothing is stored.
func (s *Server) apiCaseExposures(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	list, err := s.tracing.Exposures(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	out := make([]exposureJSON, 0, len(list))
	for _, c := range list {
		out = append(out, exposureJSON{
			PersonID: c.PersonID, OverlapMS: c.Overlap.Milliseconds(), Visits: c.Visits,
			SameVehicle: c.SameVehicle, FirstAt: c.FirstAt, Class: c.Class,
		})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"exposures": out})
}

// apiCaseTrace traces the case again and stores the contacts.
func (s *Server) apiCaseTrace(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	traced, err := s.tracing.Trace(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, tracedJSON(traced))
}

// apiCaseContacts lists the worked list with names and phones.
func (s *Server) apiCaseContacts(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	list, err := s.tracing.Contacts(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	out := make([]tracedContactListJSON, 0, len(list))
	for _, cv := range list {
		out = append(out, tracedContactListJSON{tracedContactJSON: contactOut(cv), Person: personViewJSON(cv.Person), Via: cv.Via})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"contacts": out})
}

// expandJSON names the contacts to expand from.
type expandJSON struct {
	ContactIDs []int64 `json:"contact_ids"`
}

// apiCaseExpand traces the second degree from chosen contacts.
func (s *Server) apiCaseExpand(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in expandJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if len(in.ContactIDs) == 0 {
		fe := ravao.FieldErrors{}
		fe.Add("contact_ids", "err.expand_none")
		return fe.Err()
	}
	traced, err := s.tracing.Expand(r.Context(), principal(r), id, in.ContactIDs)
	if err != nil {
		return apiFields(err, map[string]string{"contacts": "contact_ids"})
	}
	return writeJSON(w, http.StatusOK, tracedJSON(traced))
}
