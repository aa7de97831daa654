package progress

import (
	"context"
	"errors"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/tabular"
	"github.com/ravao/ravao/rosterfile"
)

// errNoVault is why a deployment without a vault cannot take rosters: their
// phones must be sealed.
var errNoVault = errors.New("progress: rosters need the vault")

// maxFileName bounds the file name kept with a roster, in bytes.
const maxFileName = 200

// UploadRoster reads a roster file (CSV or XLSX by fileName's extension)
// for unitCode ("" for the actor's own unit) and sector ("" for all; a
// sector supervisor's own sector), and when every line is valid replaces
// that unit and sector's roster with it and matches it, in one
// transaction. Each line's unit must be the roster's unit or below it
// ("" is the roster's unit); its sector "" takes the roster's, and a
// roster of one sector takes no other. The entries of the roster
// replaced keep, by unit and name, the venues people confirmed and the
// proposals they rejected. When any line is bad, the result lists every
// bad line and nothing is written.
func (s *Service) UploadRoster(ctx context.Context, actor *ravao.Principal, unitCode string, sector ravao.Sector, fileName string, r io.Reader) (RosterResult, error) {
	if s.cfg.Vault == nil {
		return RosterResult{}, errNoVault
	}
	if !actor.MayEver(ravao.PermMonitor) {
		return RosterResult{}, errForbidden()
	}
	code, err := actor.MonitoredUnit(unitCode)
	if err == nil && code == "" {
		err = ravao.FieldError("unit", "err.required")
	}
	if err != nil {
		return RosterResult{}, err
	}
	// The scope is checked before the file is read, and again in the
	// transaction that writes.
	err = s.store.View(ctx, func(tx ravao.Tx) error {
		_, err := s.resolveRoster(tx, actor, code, sector)
		return err
	})
	if err != nil {
		return RosterResult{}, err
	}
	file, err := rosterfile.Parse(fileName, r)
	if err != nil {
		return RosterResult{}, err
	}
	var res RosterResult
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		sc, err := s.resolveRoster(tx, actor, code, sector)
		if err != nil {
			return err
		}
		res, err = s.upload(ctx, tx, actor, sc, keptName(fileName), file)
		return err
	})
	if err != nil {
		return RosterResult{}, err
	}
	return res, nil
}

// keptName is the base of an uploaded file's name, bounded in length.
func keptName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" {
		return ""
	}
	for len(name) > maxFileName {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return strings.ToValidUTF8(name, "")
}

// upload checks the parsed rows and, when all are good, writes the roster.
func (s *Service) upload(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, sc rosterScope, fileName string, file rosterfile.Result) (RosterResult, error) {
	entries, rowErrs, err := s.entries(tx, actor, sc, file)
	if err != nil {
		return RosterResult{}, err
	}
	if len(rowErrs) > 0 {
		return RosterResult{Errors: rowErrs}, nil
	}
	if len(entries) == 0 {
		return RosterResult{}, ravao.FieldError("file", "err.roster_empty")
	}
	if err := carryOver(tx, sc, entries); err != nil {
		return RosterResult{}, err
	}
	if _, err := newMatcher(tx).match(entries); err != nil {
		return RosterResult{}, err
	}
	res := RosterResult{Roster: ravao.Roster{UnitCode: sc.unit.Code, UnitPath: sc.path, Sector: sc.sector,
		FileName: fileName, UploadedBy: actor.User.ID}}
	if err := tx.CreateRoster(&res.Roster, entries); err != nil {
		return RosterResult{}, err
	}
	for _, e := range entries {
		switch {
		case e.Match.Covered():
			res.Covered++
		case e.Match == ravao.MatchName:
			res.Proposed++
		default:
			res.Missing++
		}
	}
	return res, tx.AppendAudit(rosterAudit(ctx, actor, "roster.upload", "roster", formatID(res.Roster.ID)))
}

// entries checks every row's unit and sector against the roster's and
// makes the entries of the good ones; the file's own row errors and these
// come back together, one per line, in line order.
func (s *Service) entries(tx ravao.Tx, actor *ravao.Principal, sc rosterScope, file rosterfile.Result) ([]*ravao.RosterEntry, []RowError, error) {
	bad := map[int]map[string]string{}
	for _, re := range file.Errors {
		fields := rowFields(bad, re.Line)
		for f, k := range re.Fields {
			fields[f] = k
		}
	}
	units := rowUnits{tx: tx, version: ravao.ActiveUnitVersion(tx), root: sc.path, paths: map[string]rowUnit{}}
	var entries []*ravao.RosterEntry
	for _, row := range file.Rows {
		e, fe, err := s.entry(&units, actor, sc, row)
		if err != nil {
			return nil, nil, err
		}
		if len(fe) > 0 {
			fields := rowFields(bad, row.Line)
			for f, k := range fe {
				fields[f] = k
			}
			continue
		}
		entries = append(entries, e)
	}
	return entries, tabular.RowErrors(bad), nil
}

// rowFields is the field errors of a line, made when the line has none
// yet.
func rowFields(bad map[int]map[string]string, line int) map[string]string {
	f, ok := bad[line]
	if !ok {
		f = map[string]string{}
		bad[line] = f
	}
	return f
}

// entry makes the entry of a row, its phone sealed and keyed, or says
// what is wrong with the row's unit and sector.
func (s *Service) entry(units *rowUnits, actor *ravao.Principal, sc rosterScope, row rosterfile.Row) (*ravao.RosterEntry, ravao.FieldErrors, error) {
	fe := ravao.FieldErrors{}
	code := strings.TrimSpace(row.UnitCode)
	if code == "" {
		code = sc.unit.Code
	}
	u, err := units.lookup(code)
	if err != nil {
		return nil, nil, err
	}
	if u.problem != "" {
		fe.Add("unit_code", u.problem)
	}
	sector := row.Sector
	switch {
	case sector == "":
		sector = sc.sector
	case sc.sector != "" && sector != sc.sector:
		fe.Add("sector", "err.sector_outside")
	}
	if len(fe) > 0 {
		return nil, fe, nil
	}
	e := &ravao.RosterEntry{Line: row.Line, UnitCode: code, UnitPath: u.path, Sector: sector,
		Name: row.Name, NameKey: ravao.NameKey(row.Name), Address: row.Address, TaxCode: row.TaxCode,
		UpdatedBy: actor.User.ID}
	if !row.Phone.Empty() {
		phone := row.Phone.Reveal()
		e.Phone = s.cfg.Vault.Seal([]byte(phone), rosterPhoneAAD(e))
		e.PhoneKey = s.cfg.Vault.Lookup("phone", phone)
	}
	return e, nil, nil
}

// rowUnits resolves the units rows name, once per code.
type rowUnits struct {
	tx      ravao.Tx
	version string
	root    string // the roster's unit path
	paths   map[string]rowUnit
}

// rowUnit is a row's unit: its path, or the message key of what is wrong.
type rowUnit struct {
	path    string
	problem string
}

// lookup resolves a unit code of the active version: unknown codes and
// units outside the roster's unit are problems.
func (r *rowUnits) lookup(code string) (rowUnit, error) {
	if u, ok := r.paths[code]; ok {
		return u, nil
	}
	var u rowUnit
	unit, err := r.tx.Unit(r.version, code)
	switch {
	case ravao.IsNotFound(err):
		u.problem = "err.unit_unknown"
	case err != nil:
		return u, err
	default:
		anc, err := r.tx.UnitAncestors(r.version, code)
		if err != nil {
			return u, err
		}
		u.path = ravao.UnitPathOf(ravao.UnitPath(anc, unit))
		if !strings.HasPrefix(u.path, r.root) {
			u.problem = "err.unit_outside"
		}
	}
	r.paths[code] = u
	return u, nil
}

// carryOver gives the new entries, from the roster they replace, the
// venue people confirmed and the proposal they rejected for the entry of
// the same unit and name key.
func carryOver(tx ravao.Tx, sc rosterScope, entries []*ravao.RosterEntry) error {
	old, err := tx.Roster(sc.unit.Code, sc.sector)
	if ravao.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	list, err := tx.RosterEntries(ravao.RosterFilter{RosterID: old.ID})
	if err != nil {
		return err
	}
	type key struct{ unit, name string }
	prev := make(map[key]ravao.RosterEntry, len(list))
	for _, o := range list {
		k := key{o.UnitCode, o.NameKey}
		if p, seen := prev[k]; !seen || (p.Match != ravao.MatchConfirmed && o.Match == ravao.MatchConfirmed) {
			prev[k] = o
		}
	}
	for _, e := range entries {
		o, ok := prev[key{e.UnitCode, e.NameKey}]
		if !ok {
			continue
		}
		e.RejectedVenueID = o.RejectedVenueID
		if o.Match == ravao.MatchConfirmed && o.VenueID != 0 {
			e.VenueID, e.Match, e.UpdatedBy = o.VenueID, ravao.MatchConfirmed, o.UpdatedBy
		}
	}
	return nil
}
