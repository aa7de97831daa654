package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/visitors"
)

// residentInJSON is a declaration on a resident's behalf: the official
// confirms the resident's consent. Unlike a visitor's declaration it
// carries no phone-link proof, which only a device can give.
type residentInJSON struct {
	Consent bool              `json:"consent"`
	Profile visitors.Profile  `json:"profile"`
	Answers questions.Answers `json:"answers"`
}

// residentJSON is a resident in the official's list, name masked.
type residentJSON struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	BirthYear  int       `json:"birth_year"`
	UnitCode   string    `json:"unit_code"`
	CardSerial uint32    `json:"card_serial"`
	CreatedAt  time.Time `json:"created_at"`
}

// residentsJSON is a page of residents; NextAfter is the after of the next
// page, nil when this one is not full.
type residentsJSON struct {
	Residents []residentJSON `json:"residents"`
	NextAfter *int64         `json:"next_after"`
}

// idsJSON names the residents of a card batch.
type idsJSON struct {
	IDs []int64 `json:"ids"`
}

// apiResidentCreate declares a resident on their behalf.
func (s *Server) apiResidentCreate(w http.ResponseWriter, r *http.Request) error {
	var in residentInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	id, err := s.visits.DeclareResident(r.Context(), principal(r), visitors.Declaration{
		Consent: in.Consent, Profile: in.Profile, Answers: in.Answers,
	})
	if err != nil {
		return err
	}
	return writeCreated(w, map[string]int64{"id": id})
}

// apiResidentsList lists the residents the caller declared, by id.
func (s *Server) apiResidentsList(w http.ResponseWriter, r *http.Request) error {
	after, limit, err := residentsPage(r)
	if err != nil {
		return err
	}
	list, err := s.visits.Residents(r.Context(), principal(r), after, limit)
	if err != nil {
		return err
	}
	out := residentsJSON{Residents: make([]residentJSON, 0, len(list))}
	for _, res := range list {
		out.Residents = append(out.Residents, residentJSON{ID: res.ID, Name: res.Name, BirthYear: res.BirthYear,
			UnitCode: res.UnitCode, CardSerial: res.CardSerial, CreatedAt: res.CreatedAt})
	}
	if len(list) == limit {
		out.NextAfter = &list[len(list)-1].ID
	}
	return writeJSON(w, http.StatusOK, out)
}

// residentsPage reads ?after= and ?limit= (1 to 100, 100 when absent).
func residentsPage(r *http.Request) (after int64, limit int, err error) {
	q, fe := r.URL.Query(), ravao.FieldErrors{}
	after, limit = queryID(q.Get("after"), "after", fe), residentsPageSize
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > residentsPageSize {
			fe.Add("limit", "err.limit")
		}
		limit = n
	}
	return after, limit, fe.Err()
}

// apiResidentCards answers a PDF of new cards for the residents named:
// their earlier cards stop working.
func (s *Server) apiResidentCards(w http.ResponseWriter, r *http.Request) error {
	var in idsJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	cs, err := s.visits.ResidentCards(r.Context(), principal(r), in.IDs, true)
	if err != nil {
		return err
	}
	return s.writeCards(w, r, cs)
}

// apiResidentCardsRevoke stops the cards of the residents named from
// working, without printing new ones.
func (s *Server) apiResidentCardsRevoke(w http.ResponseWriter, r *http.Request) error {
	var in idsJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if _, err := s.visits.ResidentCards(r.Context(), principal(r), in.IDs, false); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
