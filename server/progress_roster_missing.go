package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
)

// missingPage is how many places the missing list shows at once.
const missingPage = 200

// missingFileLimit is the most places a downloaded missing list holds.
const missingFileLimit = 20000

// missingData is the data of the list of places still missing.
type missingData struct {
	Name        string
	Code        string // the path's unit code, for the forms' hidden field
	Sector      string
	After       string
	Entries     []missingRow
	NextURL     string
	CoverageURL string
	CSVURL      string
	XLSXURL     string
	Done        string
	Failure     formFailure
	FailedEntry int64 // the entry whose form failed
}

// missingRow is one place to visit, with the venue proposed for it.
type missingRow struct {
	ID                                                int64
	Line                                              int
	Name, Address, Unit, SectorKey, TaxCode, Phone    string
	ProposedID                                        int64
	ProposedName, ProposedHref, ProposedAddress, Type string
}

// missingQuery is a missing list's unit, sector and page.
type missingQuery struct {
	code  string // as in the path: a unit code or "all"
	q     ravao.StatsQuery
	after int64
}

// url is the list's path with its query and extra ("done=confirm").
func (m missingQuery) url(extra string) string {
	v := url.Values{}
	if m.q.Sector != "" {
		v.Set("sector", string(m.q.Sector))
	}
	if m.after > 0 {
		v.Set("after", strconv.FormatInt(m.after, 10))
	}
	out := "/stats/units/" + url.PathEscape(m.code) + "/coverage/missing"
	if enc := v.Encode(); enc != "" {
		out += "?" + enc
		if extra != "" {
			out += "&" + extra
		}
	} else if extra != "" {
		out += "?" + extra
	}
	return out
}

// readMissingQuery checks a missing list's unit, sector and after.
func readMissingQuery(code, sector, after string) (missingQuery, error) {
	if code != statsAll && !ravao.ValidUnitCode(code) {
		return missingQuery{}, ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	fe := ravao.FieldErrors{}
	m := missingQuery{code: code, q: ravao.StatsQuery{UnitCode: statsUnitCode(code, fe), Sector: statsSector(sector, fe)}}
	if after = strings.TrimSpace(after); after != "" {
		n, err := strconv.ParseInt(after, 10, 64)
		if err != nil || n < 0 {
			fe.Add("after", "err.invalid")
		}
		m.after = n
	}
	return m, fe.Err()
}

// missingBack is the list an entry's form came from (hidden fields unit,
// sector and after).
func missingBack(r *http.Request) (missingQuery, error) {
	return readMissingQuery(r.PostFormValue("unit"), r.PostFormValue("sector"), r.PostFormValue("after"))
}

// coverageMissing lists the places still missing under a unit.
func (s *Server) coverageMissing(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	m, err := readMissingQuery(r.PathValue("code"), q.Get("sector"), q.Get("after"))
	if err != nil {
		return err
	}
	return s.renderMissing(w, r, http.StatusOK, m, &missingData{Done: s.coverageDone(r)})
}

// renderMissing fills d with a page of the list and shows it.
func (s *Server) renderMissing(w http.ResponseWriter, r *http.Request, status int, m missingQuery, d *missingData) error {
	ctx, lang := r.Context(), s.lang(r)
	entries, err := s.progress.Missing(ctx, principal(r), m.q, m.after, missingPage+1)
	if err != nil {
		return err
	}
	more := len(entries) > missingPage
	if more {
		entries = entries[:missingPage]
	}
	codes := []string{m.q.UnitCode}
	for _, e := range entries {
		codes = append(codes, e.Entry.UnitCode)
	}
	names, err := s.unitNames(ctx, lang, codes)
	if err != nil {
		return err
	}
	d.Name = s.cat.T(lang, "stats.everywhere")
	if m.q.UnitCode != "" {
		d.Name = names[m.q.UnitCode]
	}
	d.Code, d.Sector = m.code, string(m.q.Sector)
	if m.after > 0 {
		d.After = strconv.FormatInt(m.after, 10)
	}
	for _, e := range entries {
		d.Entries = append(d.Entries, toMissingRow(e, names[e.Entry.UnitCode]))
	}
	d.Failure = failureOffPage(d.Failure, d.FailedEntry, entries)
	if more {
		d.NextURL = missingQuery{code: m.code, q: m.q, after: entries[len(entries)-1].Entry.ID}.url("") + "#entries"
	}
	d.CoverageURL = coverageURL(m.q.UnitCode) + statsSectorQuery(m.q.Sector)
	base := "/stats/units/" + url.PathEscape(m.code) + "/coverage/missing"
	d.CSVURL, d.XLSXURL = base+".csv"+statsSectorQuery(m.q.Sector), base+".xlsx"+statsSectorQuery(m.q.Sector)
	return s.views.render(w, status, "progress_roster_missing.html", s.page(r, "coverage.missing_title", d))
}

// failureOffPage moves the field message of a form whose entry is not on
// the page (covered meanwhile, or on another page) up to the page's own
// message, so that it is still read.
func failureOffPage(f formFailure, entry int64, entries []progress.MissingEntry) formFailure {
	msg, ok := f.Fields["venue_id"]
	if !ok || slices.ContainsFunc(entries, func(e progress.MissingEntry) bool { return e.Entry.ID == entry }) {
		return f
	}
	delete(f.Fields, "venue_id")
	f.Other = append(f.Other, msg)
	return f
}

// toMissingRow is an entry as the list shows it; the phone is shown in
// clear, on purpose: the commune calls the place.
func toMissingRow(e progress.MissingEntry, unit string) missingRow {
	out := missingRow{
		ID: e.Entry.ID, Line: e.Entry.Line, Name: e.Entry.Name, Address: e.Entry.Address, Unit: unit,
		TaxCode: e.Entry.TaxCode, Phone: e.Phone.Reveal(),
	}
	if e.Entry.Sector != "" {
		out.SectorKey = "sector." + string(e.Entry.Sector)
	}
	if v := e.Proposed; v != nil {
		out.ProposedID, out.ProposedName, out.ProposedHref, out.ProposedAddress = v.ID, v.Name, statsVenueURL(v.ID), v.Address
		out.Type = "venue_type." + string(v.Type)
	}
	return out
}

// allMissing reads the missing list page by page (the service gives at
// most progress.MaxMissingLimit entries a call), up to missingFileLimit.
func (s *Server) allMissing(r *http.Request, q ravao.StatsQuery) ([]progress.MissingEntry, error) {
	var all []progress.MissingEntry
	var after int64
	for len(all) < missingFileLimit {
		page, err := s.progress.Missing(r.Context(), principal(r), q, after, min(progress.MaxMissingLimit, missingFileLimit-len(all)))
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < progress.MaxMissingLimit {
			break
		}
		after = page[len(page)-1].Entry.ID
	}
	return all, nil
}

// coverageMissingFile downloads the missing list (the first
// missingFileLimit places) as CSV or XLSX; cells that look like formulas
// are neutralised by the sheet package.
func (s *Server) coverageMissingFile(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		m, err := readMissingQuery(r.PathValue("code"), r.URL.Query().Get("sector"), "")
		if err != nil {
			return err
		}
		entries, err := s.allMissing(r, m.q)
		if err != nil {
			return err
		}
		header, rows, err := s.missingSheet(r, entries)
		if err != nil {
			return err
		}
		return writeTable(w, kind, "Chua dang ky", "chua-dang-ky-"+m.code, header, rows)
	}
}

// missingSheet is the missing list as a table in the reader's language.
func (s *Server) missingSheet(r *http.Request, entries []progress.MissingEntry) ([]string, [][]string, error) {
	lang := s.lang(r)
	codes := make([]string, 0, len(entries))
	for _, e := range entries {
		codes = append(codes, e.Entry.UnitCode)
	}
	names, err := s.unitNames(r.Context(), lang, codes)
	if err != nil {
		return nil, nil, err
	}
	header := []string{}
	for _, k := range []string{"import.line", "coverage.col.name", "coverage.col.address", "coverage.col.unit_code", "coverage.unit_name", "coverage.col.sector", "coverage.col.tax_code", "coverage.col.phone", "coverage.proposed_venue"} {
		header = append(header, s.cat.T(lang, k))
	}
	rows := make([][]string, 0, len(entries))
	for _, e := range entries {
		row := toMissingRow(e, names[e.Entry.UnitCode])
		sector, proposed := "", ""
		if row.SectorKey != "" {
			sector = s.cat.T(lang, row.SectorKey)
		}
		if row.ProposedID != 0 {
			proposed = row.ProposedName + " (" + strconv.FormatInt(row.ProposedID, 10) + ")"
		}
		rows = append(rows, []string{strconv.Itoa(row.Line), row.Name, row.Address, e.Entry.UnitCode, row.Unit, sector, row.TaxCode, row.Phone, proposed})
	}
	return header, rows, nil
}
