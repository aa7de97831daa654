package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
)

// missingAPILimit is the most entries one missing-list call returns.
const missingAPILimit = 1000

// coverageFiguresJSON are the figures of one line of coverage.
type coverageFiguresJSON struct {
	Required int `json:"required"`
	Covered  int `json:"covered"`
	Proposed int `json:"proposed"`
	Percent  int `json:"percent"`
}

func toFiguresJSON(r progress.CoverageRow) coverageFiguresJSON {
	return coverageFiguresJSON{Required: r.Required, Covered: r.Covered, Proposed: r.Proposed, Percent: r.Percent()}
}

// coverageChildJSON is a sub-unit's coverage.
type coverageChildJSON struct {
	Unit unitJSON `json:"unit"`
	coverageFiguresJSON
}

// coverageSectorJSON is a sector's coverage.
type coverageSectorJSON struct {
	Sector ravao.Sector `json:"sector"`
	coverageFiguresJSON
}

// rosterJSON is one roster.
type rosterJSON struct {
	ID        int64        `json:"id"`
	UnitCode  string       `json:"unit_code"`
	Sector    ravao.Sector `json:"sector"`
	FileName  string       `json:"file_name"`
	Entries   int          `json:"entries"`
	CreatedAt time.Time    `json:"created_at"`
}

func toRosterJSON(r ravao.Roster) rosterJSON {
	return rosterJSON{ID: r.ID, UnitCode: r.UnitCode, Sector: r.Sector, FileName: r.FileName, Entries: r.Entries, CreatedAt: r.CreatedAt.UTC()}
}

// coverageJSON is a unit's coverage; Unit is null for the whole
// deployment.
type coverageJSON struct {
	Unit      *unitJSON            `json:"unit"`
	Ancestors []unitJSON           `json:"ancestors"`
	Sector    ravao.Sector         `json:"sector"`
	Totals    coverageFiguresJSON  `json:"totals"`
	Children  []coverageChildJSON  `json:"children"`
	Sectors   []coverageSectorJSON `json:"sectors"`
	Rosters   []rosterJSON         `json:"rosters"`
}

func toCoverageJSON(v progress.CoverageView) coverageJSON {
	out := coverageJSON{
		Ancestors: toUnitsJSON(v.Ancestors), Sector: v.Sector, Totals: toFiguresJSON(v.Totals),
		Children: make([]coverageChildJSON, 0, len(v.Children)), Sectors: make([]coverageSectorJSON, 0, len(v.Sectors)),
		Rosters: make([]rosterJSON, 0, len(v.Rosters)),
	}
	if v.Unit.Code != "" {
		out.Unit = &toUnitsJSON([]ravao.Unit{v.Unit})[0]
	}
	for _, c := range v.Children {
		out.Children = append(out.Children, coverageChildJSON{Unit: toUnitsJSON([]ravao.Unit{c.Unit})[0], coverageFiguresJSON: toFiguresJSON(c)})
	}
	for _, c := range v.Sectors {
		out.Sectors = append(out.Sectors, coverageSectorJSON{Sector: c.Sector, coverageFiguresJSON: toFiguresJSON(c)})
	}
	for _, r := range v.Rosters {
		out.Rosters = append(out.Rosters, toRosterJSON(r))
	}
	return out
}

// apiCoverage returns a unit's coverage ("all": the whole deployment).
func (s *Server) apiCoverage(w http.ResponseWriter, r *http.Request) error {
	q, err := apiCoverageQuery(r)
	if err != nil {
		return err
	}
	v, err := s.progress.Coverage(r.Context(), principal(r), q)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toCoverageJSON(v))
}

// apiCoverageQuery reads {code} and ?sector=; a bad code is a field error
// (the API never answers a bad code with a page's 404).
func apiCoverageQuery(r *http.Request) (ravao.StatsQuery, error) {
	fe := ravao.FieldErrors{}
	q := ravao.StatsQuery{UnitCode: statsUnitCode(r.PathValue("code"), fe), Sector: statsSector(r.URL.Query().Get("sector"), fe)}
	return q, fe.Err()
}

// proposedJSON is the venue proposed for an entry.
type proposedJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// missingEntryJSON is a place still missing.
type missingEntryJSON struct {
	ID            int64             `json:"id"`
	Line          int               `json:"line"`
	Name          string            `json:"name"`
	Address       string            `json:"address"`
	UnitCode      string            `json:"unit_code"`
	Sector        ravao.Sector      `json:"sector"`
	TaxCode       string            `json:"tax_code"`
	Phone         string            `json:"phone"`
	Match         ravao.RosterMatch `json:"match"`
	ProposedVenue *proposedJSON     `json:"proposed_venue"`
}

// missingJSON is a page of the missing list; NextAfter is 0 on the last.
type missingJSON struct {
	Entries   []missingEntryJSON `json:"entries"`
	NextAfter int64              `json:"next_after"`
}

// apiCoverageMissing returns a page of the places still missing.
func (s *Server) apiCoverageMissing(w http.ResponseWriter, r *http.Request) error {
	q, err := apiCoverageQuery(r)
	fe := ravao.FieldErrors{}
	fe.Merge(err)
	after := queryInt(r, "after", 0, fe)
	limit := int(queryInt(r, "limit", missingPage, fe))
	if limit < 1 || limit > missingAPILimit {
		fe.Add("limit", "coverage.err_limit")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	entries, err := s.progress.Missing(r.Context(), principal(r), q, after, limit+1)
	if err != nil {
		return err
	}
	out := missingJSON{Entries: make([]missingEntryJSON, 0, min(len(entries), limit))}
	if len(entries) > limit {
		entries = entries[:limit]
		out.NextAfter = entries[limit-1].Entry.ID
	}
	for _, e := range entries {
		out.Entries = append(out.Entries, toMissingJSON(e))
	}
	return writeJSON(w, http.StatusOK, out)
}

// toMissingJSON is one entry; its phone in clear, on purpose (the commune
// calls the place).
func toMissingJSON(e progress.MissingEntry) missingEntryJSON {
	out := missingEntryJSON{
		ID: e.Entry.ID, Line: e.Entry.Line, Name: e.Entry.Name, Address: e.Entry.Address, UnitCode: e.Entry.UnitCode,
		Sector: e.Entry.Sector, TaxCode: e.Entry.TaxCode, Phone: e.Phone.Reveal(), Match: e.Entry.Match,
	}
	if v := e.Proposed; v != nil {
		out.ProposedVenue = &proposedJSON{ID: v.ID, Name: v.Name}
	}
	return out
}

// queryInt reads a non-negative integer query parameter, def when absent.
func queryInt(r *http.Request, name string, def int64, fe ravao.FieldErrors) int64 {
	v := strings.TrimSpace(r.URL.Query().Get(name))
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		fe.Add(name, "err.invalid")
		return def
	}
	return n
}

// rosterResultJSON is what an upload did.
type rosterResultJSON struct {
	Roster   rosterJSON `json:"roster"`
	Covered  int        `json:"covered"`
	Proposed int        `json:"proposed"`
	Missing  int        `json:"missing"`
}

// rosterErrorsJSON is a refused upload: the usual error, and the file's
// bad lines in the shape the places import gives them.
type rosterErrorsJSON struct {
	Error     errorDetail    `json:"error"`
	RowErrors []rowErrorJSON `json:"row_errors"`
}

// apiRosterUpload replaces a unit and sector's roster with an uploaded
// file (multipart: file, sector).
func (s *Server) apiRosterUpload(w http.ResponseWriter, r *http.Request) error {
	fe := ravao.FieldErrors{}
	code := statsUnitCode(r.PathValue("code"), fe)
	if code == "" {
		fe.Add("unit", "err.unit_code")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	res, _, err := s.uploadRoster(r, code)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	if len(res.Errors) > 0 {
		return s.refuseUpload(w, lang, "coverage.nothing_written", res.Errors)
	}
	return writeJSON(w, http.StatusCreated, rosterResultJSON{Roster: toRosterJSON(res.Roster), Covered: res.Covered, Proposed: res.Proposed, Missing: res.Missing})
}

// apiRosterDelete deletes a unit and sector's roster (?sector=, "" for
// the roster of all sectors).
func (s *Server) apiRosterDelete(w http.ResponseWriter, r *http.Request) error {
	q, err := apiCoverageQuery(r)
	if err == nil && q.UnitCode == "" {
		err = ravao.FieldError("unit", "err.unit_code")
	}
	if err != nil {
		return err
	}
	if err := s.progress.DeleteRoster(r.Context(), principal(r), q.UnitCode, q.Sector); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// chooseJSON is the body of a choose call.
type chooseJSON struct {
	VenueID int64 `json:"venue_id"`
}

// apiRosterEntry confirms or turns down an entry's proposal, or matches
// it to a venue ({"venue_id": n}).
func (s *Server) apiRosterEntry(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var in chooseJSON
		if action == "choose" {
			if err := decodeJSON(r, &in); err != nil {
				return err
			}
			if in.VenueID <= 0 {
				return ravao.FieldError("venue_id", "coverage.err_venue_id")
			}
		}
		if err := s.rosterEntryDo(r.Context(), principal(r), action, id, in.VenueID); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}
