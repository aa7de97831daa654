package placeimport

import (
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/tabular"
)

// validate checks every cell of a data line and reports every problem.
func (p *parser) validate(l tabular.Line) (Row, ravao.FieldErrors) {
	fe := l.Errors
	if l.Bad != "" {
		return Row{}, fe
	}
	cells := l.Cells
	row := Row{Line: l.Number}
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
	row.TaxCode = taxCode(cells[colTaxCode], fe)
	p.places(row, fe)
	p.checkpoints(&row, cells[colCheckpoints], cells[colPlates], fe)
	return row, fe
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
	a, ok := tabular.Address(cell)
	if !ok {
		fe.Add(colAddress, "err.address")
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
	n, err := ravao.NormalizePhone(tabular.PhoneCell(cell))
	if err != nil {
		fe.Add(colContactPhone, "err.phone")
		return ""
	}
	return ravao.PII(n)
}

// taxCode normalises the organisation's tax code, which may be absent.
func taxCode(cell string, fe ravao.FieldErrors) string {
	if cell == "" {
		return ""
	}
	t, err := ravao.NormalizeTaxCode(cell)
	if err != nil {
		fe.Add(colTaxCode, "err.tax_code")
		return ""
	}
	return t
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
