package rosterfile

import (
	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/tabular"
)

// sectors maps the Vietnamese names people write for a sector, folded by
// tabular.HeaderKey, to the sector.
var sectors = map[string]ravao.Sector{
	"giao_duc": ravao.SectorEducation, "lao_dong": ravao.SectorLabour,
	"giao_thong_van_tai": ravao.SectorTransport, "giao_thong": ravao.SectorTransport, "van_tai": ravao.SectorTransport,
	"y_te": ravao.SectorHealth, "khu_cong_nghiep": ravao.SectorIndustry, "cong_nghiep": ravao.SectorIndustry,
	"thuong_mai": ravao.SectorCommerce, "noi_cong_cong": ravao.SectorPublic, "cong_cong": ravao.SectorPublic,
	"khac": ravao.SectorOther,
}

// validate checks every cell of a data line and reports every problem.
func (p *parser) validate(l tabular.Line) (Row, ravao.FieldErrors) {
	fe := l.Errors
	if l.Bad != "" {
		return Row{}, fe
	}
	cells := l.Cells
	row := Row{Line: l.Number}
	row.Name = name(cells[colName], fe)
	row.Address = address(cells[colAddress], fe)
	row.UnitCode = unitCode(cells[colUnitCode], fe)
	row.Sector = sector(cells[colSector], fe)
	row.TaxCode = taxCode(cells[colTaxCode], fe)
	row.Phone = phone(cells[colPhone], fe)
	p.duplicates(row, fe)
	return row, fe
}

// name normalises the place's name, which must be present.
func name(cell string, fe ravao.FieldErrors) string {
	if cell == "" {
		fe.Add(colName, "err.required")
		return ""
	}
	n, err := ravao.NormalizeName(cell)
	if err != nil {
		fe.Add(colName, ravao.ErrorKey(err))
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

// unitCode checks that the unit code is well formed; whether the unit
// exists is the caller's question.
func unitCode(cell string, fe ravao.FieldErrors) string {
	switch {
	case cell == "":
		fe.Add(colUnitCode, "err.required")
	case !ravao.ValidUnitCode(cell):
		fe.Add(colUnitCode, "err.unit_code")
	default:
		return cell
	}
	return ""
}

// sector reads a sector code or its Vietnamese name, in any case and with
// or without diacritics; an empty cell is no sector.
func sector(cell string, fe ravao.FieldErrors) ravao.Sector {
	if cell == "" {
		return ""
	}
	k := tabular.HeaderKey(cell)
	if s := ravao.Sector(k); s.Valid() {
		return s
	}
	s, ok := sectors[k]
	if !ok {
		fe.Add(colSector, "err.sector")
	}
	return s
}

// taxCode normalises a tax code, which may be absent.
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

// phone normalises a contact phone, which may be absent, to its national
// form.
func phone(cell string, fe ravao.FieldErrors) ravao.PII {
	if cell == "" {
		return ""
	}
	n, err := ravao.NormalizePhone(tabular.PhoneCell(cell))
	if err != nil {
		fe.Add(colPhone, "err.phone")
		return ""
	}
	return ravao.PII(n)
}

// duplicates reports, on the later line, a tax code, a phone, or a name in
// the same unit that an earlier line already gave. Values are remembered
// even on lines with other errors: once the line is corrected, they would
// be duplicates all the same.
func (p *parser) duplicates(row Row, fe ravao.FieldErrors) {
	once(p.taxCodes, row.TaxCode, colTaxCode, fe)
	once(p.phones, row.Phone.Reveal(), colPhone, fe)
	if row.Name != "" && row.UnitCode != "" {
		once(p.names, row.UnitCode+"\x00"+ravao.NameKey(row.Name), colName, fe)
	}
}

// once adds err.duplicate on col when key was seen before, and remembers
// it; an empty key is no value.
func once(seen map[string]bool, key, col string, fe ravao.FieldErrors) {
	if key == "" {
		return
	}
	if seen[key] {
		fe.Add(col, "err.duplicate")
	}
	seen[key] = true
}
