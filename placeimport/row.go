package placeimport

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ravao/ravao"
	"golang.org/x/text/unicode/norm"
)

// maxAddressBytes matches the limit ravao.Person puts on an address.
const maxAddressBytes = 300

// validate checks every cell of a data record and reports every problem.
func (p *parser) validate(rec record) (Row, ravao.FieldErrors) {
	fe := ravao.FieldErrors{}
	if rec.bad != "" {
		fe.Add(colRow, rec.bad)
		return Row{}, fe
	}
	cells := p.cells(rec.cells, fe)
	row := Row{Line: rec.line}
	row.Organisation = requiredName(cells[colOrganisation], colOrganisation, fe)
	row.Venue = requiredName(cells[colVenue], colVenue, fe)
	row.Type = ravao.VenueType(strings.ToLower(cells[colType]))
	if !row.Type.Valid() {
		fe.Add(colType, emptyOr(cells[colType], "err.venue_type"))
	}
	row.Sector = ravao.Sector(strings.ToLower(cells[colSector]))
	if !row.Sector.Valid() {
		fe.Add(colSector, emptyOr(cells[colSector], "err.sector"))
	}
	row.UnitCode = cells[colUnitCode]
	if !ravao.ValidUnitCode(row.UnitCode) {
		fe.Add(colUnitCode, emptyOr(row.UnitCode, "err.unit_code"))
	}
	row.Address = address(cells[colAddress], fe)
	row.ContactName = ravao.PII(optionalName(cells[colContactName], colContactName, fe))
	row.ContactPhone = phone(cells[colContactPhone], fe)
	p.places(row, fe)
	p.checkpoints(&row, cells[colCheckpoints], cells[colPlates], fe)
	return row, fe
}

// cells maps the record to its columns, trimmed. Invalid UTF-8 is reported
// on its column; a non-empty cell under no column most often means an
// unquoted comma shifted the line, so the line is reported as a whole.
func (p *parser) cells(raw []string, fe ravao.FieldErrors) map[string]string {
	m := make(map[string]string, len(p.cols))
	for i, c := range raw {
		c = strings.TrimSpace(c)
		col := ""
		if i < len(p.cols) {
			col = p.cols[i]
		}
		switch {
		case col == "" && c != "":
			fe.Add(colRow, "err.import_columns")
		case !utf8.ValidString(c):
			fe.Add(col, "err.utf8")
		case col != "":
			m[col] = norm.NFC.String(c)
		}
	}
	return m
}

// emptyOr returns err.required for an empty cell, else key.
func emptyOr(cell, key string) string {
	if cell == "" {
		return "err.required"
	}
	return key
}

// requiredName normalises a name that must be present.
func requiredName(cell, col string, fe ravao.FieldErrors) string {
	if cell == "" {
		fe.Add(col, "err.required")
		return ""
	}
	return optionalName(cell, col, fe)
}

// optionalName normalises a name that may be absent; the error key is the
// one ravao.NormalizeName gives, which says what is wrong.
func optionalName(cell, col string, fe ravao.FieldErrors) string {
	if cell == "" {
		return ""
	}
	n, err := ravao.NormalizeName(cell)
	if err != nil {
		fe.Add(col, ravao.ErrorKey(err))
		return ""
	}
	return n
}

// address single-spaces an address and bounds it.
func address(cell string, fe ravao.FieldErrors) string {
	a := strings.Join(strings.Fields(cell), " ")
	if len(a) > maxAddressBytes || strings.IndexFunc(a, unicode.IsControl) >= 0 {
		fe.Add(colAddress, "err.address")
		return ""
	}
	return a
}

// phone normalises the contact phone. A spreadsheet that stored the number
// as a number has lost its leading zero (912345678); it is put back, for
// that is what the person typed.
func phone(cell string, fe ravao.FieldErrors) ravao.PII {
	if cell == "" {
		fe.Add(colContactPhone, "err.required")
		return ""
	}
	if lostZero(cell) {
		cell = "0" + cell
	}
	n, err := ravao.NormalizePhone(cell)
	if err != nil {
		fe.Add(colContactPhone, "err.phone")
		return ""
	}
	return ravao.PII(n)
}

// lostZero reports whether s is a national number without its leading 0:
// nine digits of a mobile or ten of a landline.
func lostZero(s string) bool {
	if _, err := strconv.ParseUint(s, 10, 64); err != nil {
		return false
	}
	return len(s) == 9 && strings.ContainsRune("35789", rune(s[0])) || len(s) == 10 && s[0] == '2'
}

// places reports a (organisation, venue) pair already given on an earlier
// line, compared without regard to case.
func (p *parser) places(row Row, fe ravao.FieldErrors) {
	if row.Organisation == "" || row.Venue == "" {
		return
	}
	k := strings.ToLower(row.Organisation) + "\x00" + strings.ToLower(row.Venue)
	if p.seen[k] {
		fe.Add(colVenue, "err.import_duplicate")
	}
	p.seen[k] = true
}
