package server

import (
	"net/http"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/breaches"
)

// breachInJSON is a breach as the officer records or changes it. Absent
// fields are left alone by PATCH.
type breachInJSON struct {
	Title          *string             `json:"title"`
	What           *string             `json:"what"`
	Place          *string             `json:"place"`
	Measures       *string             `json:"measures"`
	Consequences   *string             `json:"consequences"`
	LateReason     *string             `json:"late_reason"`
	OccurredAt     *string             `json:"occurred_at"`
	FoundAt        *string             `json:"found_at"`
	DataKinds      *[]string           `json:"data_kinds"`
	PeopleAffected *int                `json:"people_affected"`
	Status         *ravao.BreachStatus `json:"status"`
	NotifiedAt     *string             `json:"notified_at"`
	AuthorityRef   *string             `json:"authority_ref"`
}

// breachJSON is a breach as the officer sees it; lists leave out the text.
type breachJSON struct {
	ID             int64              `json:"id"`
	Title          string             `json:"title"`
	What           string             `json:"what,omitempty"`
	Place          string             `json:"place,omitempty"`
	Measures       string             `json:"measures,omitempty"`
	Consequences   string             `json:"consequences,omitempty"`
	LateReason     string             `json:"late_reason,omitempty"`
	OccurredAt     *time.Time         `json:"occurred_at"`
	FoundAt        time.Time          `json:"found_at"`
	Deadline       time.Time          `json:"deadline"`
	DataKinds      []string           `json:"data_kinds"`
	PeopleAffected int                `json:"people_affected"`
	Status         ravao.BreachStatus `json:"status"`
	NotifiedAt     *time.Time         `json:"notified_at"`
	AuthorityRef   string             `json:"authority_ref"`
	PeopleListedAt *time.Time         `json:"people_listed_at"`
	CreatedBy      int64              `json:"created_by"`
	CreatedAt      time.Time          `json:"created_at"`
	UpdatedAt      time.Time          `json:"updated_at"`
	Events         []breachEventJSON  `json:"events,omitempty"`
}

// breachEventJSON is a step of a breach's history.
type breachEventJSON struct {
	At     time.Time          `json:"at"`
	UserID int64              `json:"user_id"`
	Action string             `json:"action"`
	Status ravao.BreachStatus `json:"status"`
}

func breachOut(b ravao.Breach) breachJSON {
	kinds := b.DataKinds
	if kinds == nil {
		kinds = []string{}
	}
	return breachJSON{
		ID: b.ID, Title: b.Title, What: b.What, Place: b.Place, Measures: b.Measures, Consequences: b.Consequences,
		LateReason: b.LateReason, OccurredAt: optTime(b.OccurredAt), FoundAt: b.FoundAt, Deadline: b.Deadline(),
		DataKinds: kinds, PeopleAffected: b.PeopleAffected, Status: b.Status, NotifiedAt: optTime(b.NotifiedAt),
		AuthorityRef: b.AuthorityRef, PeopleListedAt: optTime(b.PeopleListedAt), CreatedBy: b.CreatedBy,
		CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt,
	}
}

// change reads the JSON into a change of a breach.
func (in breachInJSON) change() (breaches.Change, error) {
	fe := ravao.FieldErrors{}
	c := breaches.Change{Title: in.Title, What: in.What, Place: in.Place, Measures: in.Measures, Consequences: in.Consequences,
		LateReason: in.LateReason, AuthorityRef: in.AuthorityRef, DataKinds: in.DataKinds, PeopleAffected: in.PeopleAffected,
		Status: in.Status}
	for _, f := range []struct {
		v     *string
		field string
		dst   **time.Time
	}{{in.OccurredAt, "occurred_at", &c.OccurredAt}, {in.FoundAt, "found_at", &c.FoundAt}, {in.NotifiedAt, "notified_at", &c.NotifiedAt}} {
		if f.v != nil {
			t := apiTime(f.v, f.field, fe)
			*f.dst = &t
		}
	}
	return c, fe.Err()
}

// apiBreachesList lists the register.
func (s *Server) apiBreachesList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.breaches.List(r.Context(), principal(r))
	if err != nil {
		return err
	}
	out := make([]breachJSON, 0, len(list))
	for _, b := range list {
		out = append(out, breachOut(b))
	}
	return writeJSON(w, http.StatusOK, map[string][]breachJSON{"breaches": out})
}

// apiBreachRecord records a breach.
func (s *Server) apiBreachRecord(w http.ResponseWriter, r *http.Request) error {
	var in breachInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := in.change()
	if err != nil {
		return err
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	rec := breaches.Input{Title: str(in.Title), What: str(in.What), Place: str(in.Place), Measures: str(in.Measures),
		Consequences: str(in.Consequences)}
	if c.OccurredAt != nil {
		rec.OccurredAt = *c.OccurredAt
	}
	if c.FoundAt != nil {
		rec.FoundAt = *c.FoundAt
	}
	if in.DataKinds != nil {
		rec.DataKinds = *in.DataKinds
	}
	if in.PeopleAffected != nil {
		rec.PeopleAffected = *in.PeopleAffected
	}
	b, err := s.breaches.Record(r.Context(), principal(r), rec)
	if err != nil {
		return err
	}
	return writeCreated(w, breachOut(b))
}

// apiBreachShow answers a breach with its history.
func (s *Server) apiBreachShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := s.breaches.Get(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	out := breachOut(v.Breach)
	for _, e := range v.Events {
		out.Events = append(out.Events, breachEventJSON{At: e.At, UserID: e.UserID, Action: e.Action, Status: e.Status})
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiBreachUpdate changes a breach.
func (s *Server) apiBreachUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in breachInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := in.change()
	if err != nil {
		return err
	}
	b, err := s.breaches.Update(r.Context(), principal(r), id, c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, breachOut(b))
}

// breachReportJSON is the prefilled notification.
type breachReportJSON struct {
	Lang       string                `json:"lang"`
	Title      string                `json:"title"`
	To         string                `json:"to"`
	Sections   []breachReportSection `json:"sections"`
	Text       string                `json:"text"`
	ReportedAt time.Time             `json:"reported_at"`
	Deadline   time.Time             `json:"deadline"`
	Within     bool                  `json:"within_72_hours"`
	HoursLate  int                   `json:"hours_late"`
}

// breachReportSection is one item of the notification.
type breachReportSection struct {
	Heading string `json:"heading"`
	Body    string `json:"body"`
}

// apiBreachReport answers the notification in ?lang= (vi by default).
func (s *Server) apiBreachReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	lang := r.URL.Query().Get("lang")
	if lang != "" && lang != "vi" && lang != "en" {
		return ravao.FieldError("lang", "err.lang")
	}
	rep, err := s.breaches.Report(r.Context(), principal(r), id, lang)
	if err != nil {
		return err
	}
	out := breachReportJSON{Lang: rep.Lang, Title: rep.Title, To: rep.To, Text: rep.Text(), ReportedAt: rep.ReportedAt,
		Deadline: rep.Deadline, Within: rep.Within, HoursLate: rep.HoursLate, Sections: []breachReportSection{}}
	for _, sec := range rep.Sections {
		out.Sections = append(out.Sections, breachReportSection{sec.Heading, sec.Body})
	}
	return writeJSON(w, http.StatusOK, out)
}

// breachCriteriaJSON chooses the people a breach may concern.
type breachCriteriaJSON struct {
	VenueIDs     []int64 `json:"venue_ids"`
	Declarations bool    `json:"declarations"`
	UnitCode     string  `json:"unit_code"`
	From         *string `json:"from"`
	To           *string `json:"to"`
}

// breachAffectedJSON is how many people the criteria select, the first masked.
type breachAffectedJSON struct {
	Count     int                `json:"count"`
	WithPhone int                `json:"with_phone"`
	People    []breachPersonJSON `json:"people"`
}

type breachPersonJSON struct {
	PersonID    int64  `json:"person_id"`
	MaskedName  string `json:"masked_name"`
	MaskedPhone string `json:"masked_phone"`
}

// apiBreachAffected counts and lists, masked, the people a breach may
// concern.
func (s *Server) apiBreachAffected(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in breachCriteriaJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	fe := ravao.FieldErrors{}
	c := breaches.Criteria{VenueIDs: in.VenueIDs, Declarations: in.Declarations, UnitCode: in.UnitCode,
		From: apiTime(in.From, "from", fe), To: apiTime(in.To, "to", fe)}
	if err := fe.Err(); err != nil {
		return err
	}
	a, err := s.breaches.Affected(r.Context(), principal(r), id, c)
	if err != nil {
		return err
	}
	out := breachAffectedJSON{Count: a.Count, WithPhone: a.WithPhone, People: []breachPersonJSON{}}
	for _, p := range a.People {
		out.People = append(out.People, breachPersonJSON{p.PersonID, p.MaskedName, p.MaskedPhone})
	}
	return writeJSON(w, http.StatusOK, out)
}
