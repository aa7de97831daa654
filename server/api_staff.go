package server

import (
	"net/http"
	"strconv"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/workplaces"
)

// staffMemberJSON is a staff member as their manager sees them: the
// phone masked, the link to a Ravao person only as yes or no.
type staffMemberJSON struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Phone       string  `json:"phone"`
	StaffNumber string  `json:"staff_number"`
	Department  string  `json:"department"`
	BirthYear   int     `json:"birth_year"`
	VenueIDs    []int64 `json:"venue_ids"`
	Linked      bool    `json:"linked"`
}

// staffListJSON is an organisation's staff list.
type staffListJSON struct {
	OrganisationID int64             `json:"organisation_id"`
	Members        []staffMemberJSON `json:"members"`
	Linked         int               `json:"linked"`
}

// staffInJSON is one member as typed: the phone and ID number in clear.
type staffInJSON struct {
	Name        string  `json:"name"`
	Phone       string  `json:"phone"`
	IDNumber    string  `json:"id_number"`
	StaffNumber string  `json:"staff_number"`
	Department  string  `json:"department"`
	BirthYear   int     `json:"birth_year"`
	VenueIDs    []int64 `json:"venue_ids"`
}

// input is the member as the service takes it.
func (in staffInJSON) input() workplaces.MemberInput {
	year := ""
	if in.BirthYear != 0 {
		year = strconv.Itoa(in.BirthYear)
	}
	return workplaces.MemberInput{VenueIDs: in.VenueIDs, Cells: map[string]string{
		workplaces.ColName: in.Name, workplaces.ColPhone: in.Phone, workplaces.ColIDNumber: in.IDNumber,
		workplaces.ColStaffNumber: in.StaffNumber, workplaces.ColDepartment: in.Department, workplaces.ColBirthYear: year,
	}}
}

// staffCardsJSON asks for a batch of staff cards.
type staffCardsJSON struct {
	IDs     []int64 `json:"ids"`
	Consent bool    `json:"consent"`
}

// apiMemberID reads {member}; a bad id is a field error.
func apiMemberID(r *http.Request) (int64, error) { return apiPathNumber(r, "member") }

// apiStaffList returns an organisation's staff list to its manager.
func (s *Server) apiStaffList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	l, err := s.workplaces.Staff(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	out := staffListJSON{OrganisationID: id, Members: make([]staffMemberJSON, 0, len(l.Members)), Linked: l.Linked}
	for _, m := range l.Members {
		vs := m.VenueIDs
		if vs == nil {
			vs = []int64{}
		}
		out.Members = append(out.Members, staffMemberJSON{ID: m.ID, Name: m.Name, Phone: m.Phone, StaffNumber: m.StaffNumber,
			Department: m.Department, BirthYear: m.BirthYear, VenueIDs: vs, Linked: m.Linked})
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiStaffCreate adds one member.
func (s *Server) apiStaffCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in staffInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	mid, err := s.workplaces.Add(r.Context(), principal(r), id, in.input())
	if err != nil {
		return err
	}
	return writeCreated(w, map[string]int64{"id": mid})
}

// apiStaffUpdate replaces one member's fields.
func (s *Server) apiStaffUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	mid, err := apiMemberID(r)
	if err != nil {
		return err
	}
	var in staffInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.workplaces.Update(r.Context(), principal(r), id, mid, in.input()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiStaffDelete removes one member.
func (s *Server) apiStaffDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	mid, err := apiMemberID(r)
	if err != nil {
		return err
	}
	if err := s.workplaces.Delete(r.Context(), principal(r), id, mid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiStaffUpload replaces the list with an uploaded file; bad lines are
// 400 with every line's problems, and nothing is written.
func (s *Server) apiStaffUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	res, err := s.uploadStaff(r, id)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	if len(res.Errors) > 0 {
		return s.refuseUpload(w, lang, "workplace.nothing_written", res.Errors)
	}
	return writeJSON(w, http.StatusCreated, map[string]int{"members": res.Members, "linked": res.Linked})
}

// apiStaffCards answers the PDF of the members' staff cards.
func (s *Server) apiStaffCards(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in staffCardsJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	cs, err := s.workplaces.Cards(r.Context(), principal(r), id, workplaces.CardsRequest{IDs: in.IDs, Consent: in.Consent})
	if err != nil {
		return err
	}
	return s.writeCards(w, r, cs)
}

// ratesJSON are a group's figures on a day.
type ratesJSON struct {
	Staff     int `json:"staff"`
	Linked    int `json:"linked"`
	Declared  int `json:"declared"`
	Entered   int `json:"entered"`
	Compliant int `json:"compliant"`
	Percent   int `json:"percent"`
}

func toRatesJSON(r workplaces.Rates) ratesJSON {
	return ratesJSON{Staff: r.Staff, Linked: r.Linked, Declared: r.Declared, Entered: r.Entered, Compliant: r.Compliant, Percent: r.Percent()}
}

// namedRatesJSON are the figures of a venue, a department or a business.
type namedRatesJSON struct {
	ID   int64  `json:"id,omitempty"`
	Name string `json:"name"`
	ratesJSON
}

// dayRatesJSON are the totals of one day.
type dayRatesJSON struct {
	Day     string `json:"day"`
	Workday bool   `json:"workday"`
	ratesJSON
}

// followUpJSON is a member who did not comply.
type followUpJSON struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	StaffNumber string `json:"staff_number"`
	Department  string `json:"department"`
	Linked      bool   `json:"linked"`
	Declared    bool   `json:"declared"`
	Entered     bool   `json:"entered"`
}

// apiCompliance returns an organisation's compliance on ?day= to its
// manager, with the members who did not comply.
func (s *Server) apiCompliance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	day, err := dayParam(r.URL.Query().Get("day"))
	if err != nil {
		return err
	}
	v, err := s.workplaces.Day(r.Context(), principal(r), id, day)
	if err != nil {
		return err
	}
	out := map[string]any{
		"organisation_id": id, "day": v.Day.String(), "workday": v.Workday, "totals": toRatesJSON(v.Totals),
		"venues": namedRates(v.Venues), "departments": namedRates(v.Departments),
	}
	series := make([]dayRatesJSON, 0, len(v.Series))
	for _, d := range v.Series {
		series = append(series, dayRatesJSON{Day: d.Day.String(), Workday: d.Workday, ratesJSON: toRatesJSON(d.Rates)})
	}
	out["series"] = series
	follow := make([]followUpJSON, 0, len(v.NotCompliant))
	for _, f := range v.NotCompliant {
		follow = append(follow, followUpJSON{ID: f.ID, Name: f.Name, StaffNumber: f.StaffNumber, Department: f.Department,
			Linked: f.Linked, Declared: f.Declared, Entered: f.Entered})
	}
	out["not_compliant"] = follow
	return writeJSON(w, http.StatusOK, out)
}

// namedRates writes rows of venues or departments.
func namedRates(rows []workplaces.RateRow) []namedRatesJSON {
	out := make([]namedRatesJSON, 0, len(rows))
	for _, r := range rows {
		out = append(out, namedRatesJSON{ID: r.VenueID, Name: r.Name, ratesJSON: toRatesJSON(r.Rates)})
	}
	return out
}

// apiStatsCompliance returns the compliance per business under ?unit=
// (the caller's own when absent), ?sector=, ?zone= on ?day=: no names of
// people.
func (s *Server) apiStatsCompliance(w http.ResponseWriter, r *http.Request) error {
	qs := r.URL.Query()
	fe := ravao.FieldErrors{}
	q := workplaces.StatsQuery{UnitCode: qs.Get("unit"), Sector: statsSector(qs.Get("sector"), fe), Zone: qs.Get("zone")}
	if q.UnitCode != "" {
		q.UnitCode = statsUnitCode(q.UnitCode, fe) // "all": the whole deployment
	}
	if err := fe.Err(); err != nil {
		return err
	}
	day, err := dayParam(qs.Get("day"))
	if err != nil {
		return err
	}
	q.Day = day
	v, err := s.workplaces.Stats(r.Context(), principal(r), q)
	if err != nil {
		return err
	}
	businesses := make([]namedRatesJSON, 0, len(v.Businesses))
	for _, b := range v.Businesses {
		businesses = append(businesses, namedRatesJSON{ID: b.OrganisationID, Name: b.Name, ratesJSON: toRatesJSON(b.Rates)})
	}
	return writeJSON(w, http.StatusOK, map[string]any{
		"unit_code": v.Unit.Code, "sector": v.Sector, "zone": v.Zone, "day": v.Day.String(), "workday": v.Workday,
		"totals": toRatesJSON(v.Totals), "businesses": businesses,
	})
}
