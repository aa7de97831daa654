package progress

// Contracts for issue 7's rosters, zones and kept reports; each helper
// replaces its part with a real file and deletes it from here.

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/ravao/ravao"
)

var errStub = errors.New("progress: not implemented yet")

// ---- rosters (roster.go) ----

// RosterResult is what an upload did. When Errors is not empty nothing
// was written (Roster is zero).
type RosterResult struct {
	Roster   ravao.Roster
	Errors   []RowError // per line, in file order
	Covered  int        // entries matched at once by tax code or phone
	Proposed int        // entries with a name proposal to confirm
	Missing  int        // entries with no match
}

// RowError is one bad line of an uploaded roster: Fields maps a column
// (name, address, unit_code, sector, tax_code, phone, or row) to a message
// key.
type RowError struct {
	Line   int
	Fields map[string]string
}

// CoverageView is a unit's coverage: how many places must register
// (entries of the rosters at or below it), how many are covered, per
// sub-unit and per sector.
type CoverageView struct {
	Unit      ravao.Unit
	Ancestors []ravao.Unit
	Sector    ravao.Sector // "" for all
	Totals    CoverageRow
	Children  []CoverageRow // every sub-unit with entries, by name
	Sectors   []CoverageRow // per sector (Unit zero), by sector
	Rosters   []ravao.Roster
}

// CoverageRow is one line of coverage.
type CoverageRow struct {
	Unit     ravao.Unit   // zero for a sector row or the totals
	Sector   ravao.Sector // "" unless a sector row
	Required int
	Covered  int
	Proposed int
}

// Percent is Covered over Required, rounded down; 0 when none required.
func (r CoverageRow) Percent() int {
	if r.Required == 0 {
		return 0
	}
	return r.Covered * 100 / r.Required
}

// MissingEntry is a place still missing, for the commune to visit, with
// the venue proposed for it when there is one.
type MissingEntry struct {
	Entry    ravao.RosterEntry
	Phone    ravao.PII // opened from Entry.Phone; "" when none
	Proposed *ravao.Venue
}

// UploadRoster reads a roster file (CSV or XLSX by fileName's extension)
// for unitCode and sector ("" for all), and when every line is valid
// replaces that unit and sector's roster with it and matches it.
func (s *Service) UploadRoster(ctx context.Context, actor *ravao.Principal, unitCode string, sector ravao.Sector, fileName string, r io.Reader) (RosterResult, error) {
	return RosterResult{}, errStub
}

// Coverage shows a unit's coverage (q.From, q.To unused).
func (s *Service) Coverage(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) (CoverageView, error) {
	return CoverageView{}, errStub
}

// Missing lists the entries at or below q's unit (and sector) not covered,
// by ID after afterID, at most limit.
func (s *Service) Missing(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery, afterID int64, limit int) ([]MissingEntry, error) {
	return nil, errStub
}

// ConfirmMatch confirms an entry's name proposal.
func (s *Service) ConfirmMatch(ctx context.Context, actor *ravao.Principal, entryID int64) error {
	return errStub
}

// RejectMatch turns down an entry's name proposal.
func (s *Service) RejectMatch(ctx context.Context, actor *ravao.Principal, entryID int64) error {
	return errStub
}

// ChooseVenue matches an entry to a venue a person chose.
func (s *Service) ChooseVenue(ctx context.Context, actor *ravao.Principal, entryID, venueID int64) error {
	return errStub
}

// DeleteRoster deletes a unit and sector's roster.
func (s *Service) DeleteRoster(ctx context.Context, actor *ravao.Principal, unitCode string, sector ravao.Sector) error {
	return errStub
}

// Rematch matches the entries still missing against the venues registered
// since, and says how many became covered or proposed.
func (s *Service) Rematch(ctx context.Context) (int, error) { return 0, errStub }

// ---- zones (zone.go) ----

// ZoneView is an industrial zone's progress under a unit.
type ZoneView struct {
	Unit       ravao.Unit
	Ancestors  []ravao.Unit
	Query      ravao.StatsQuery // Zone set
	Totals     ravao.Counts
	Series     []ravao.UnitDayCounts // one per day, zero-filled
	Places     []ravao.VenueActivity
	PlacesMore bool
	Silent     []ravao.SilentVenue
	SilentMore bool
}

// Zones lists the zones under q's unit (and sector).
func (s *Service) Zones(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) ([]ravao.ZoneCount, error) {
	return nil, errStub
}

// Zone shows one zone's progress: q.Zone under q.UnitCode.
func (s *Service) Zone(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) (ZoneView, error) {
	return ZoneView{}, errStub
}

// ---- kept reports (reports.go) ----

// KeptReports lists the reports kept for a unit and sector, newest first.
func (s *Service) KeptReports(ctx context.Context, actor *ravao.Principal, q ravao.StatsQuery) ([]ravao.ProgressReport, error) {
	return nil, errStub
}

// MakeReports makes and keeps the report of day for every unit with
// places (and the whole deployment), then deletes reports older than
// KeepReports days; it says how many it made.
func (s *Service) MakeReports(ctx context.Context, day ravao.Day) (int, error) { return 0, errStub }

// RunReports makes yesterday's reports every morning at hour (local)
// until ctx ends, and at start when they are missing.
func RunReports(ctx context.Context, s *Service, log *slog.Logger, hour int) {}

var _ = time.Now
