// Package rosterfile turns the list of places that must register, as a
// commune or a sector supervisor uploads it (CSV or XLSX: name, address,
// unit, sector, tax code or phone), into validated rows or per-row errors.
// It writes nothing: checking that unit codes exist and storing the roster
// is the caller's job.
package rosterfile

import (
	"io"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/tabular"
)

// MaxRows is the largest number of data rows one file may hold; more is
// refused as a whole (err.import_too_many).
const MaxRows = 20000

// The canonical column names; they are also the field names of RowError.
const (
	colName     = "name"
	colAddress  = "address"
	colUnitCode = "unit_code"
	colSector   = "sector"
	colTaxCode  = "tax_code"
	colPhone    = "phone"
	colRow      = tabular.RowField // the line as a whole
)

// Row is one valid entry of the file, normalised. Sector is "" when the
// file gave none; TaxCode is in ravao.NormalizeTaxCode form and Phone in
// the national form, each "" when the file gave none.
type Row struct {
	Line     int
	Name     string
	Address  string
	UnitCode string
	Sector   ravao.Sector
	TaxCode  string
	Phone    ravao.PII
}

// RowError lists every problem of one line: Fields maps a column name
// (name, address, unit_code, sector, tax_code, phone, or row for the line
// as a whole) to a message key.
type RowError = tabular.RowError

// Result is a parsed file: the valid rows and the errors, each in file order.
type Result struct {
	Rows   []Row
	Errors []RowError
}

// schema is the shape of a roster file. A missing required column is
// err.roster_header, whose message names the roster's columns.
var schema = tabular.Schema{Aliases: aliases, Required: []string{colName, colUnitCode}, MaxRows: MaxRows, HeaderError: "err.roster_header"}

// aliases maps a header cell, folded by tabular.HeaderKey, to its column;
// the Vietnamese names are written without diacritics. A row number column
// (STT) and notes are common in the lists communes keep, and are not read.
var aliases = map[string]string{
	"name": colName, "place": colName, "venue": colName, "ten": colName, "ten_co_so": colName,
	"ten_dia_diem": colName, "co_so": colName, "dia_diem": colName, "ten_doanh_nghiep": colName, "don_vi": colName,
	"address": colAddress, "dia_chi": colAddress,
	"unit_code": colUnitCode, "unit": colUnitCode, "ma_don_vi": colUnitCode, "ma_don_vi_hanh_chinh": colUnitCode,
	"ma_dvhc": colUnitCode, "ma_xa": colUnitCode, "ma_phuong_xa": colUnitCode,
	"sector": colSector, "nganh": colSector, "linh_vuc": colSector,
	"tax_code": colTaxCode, "mst": colTaxCode, "ma_so_thue": colTaxCode, "ma_so_doanh_nghiep": colTaxCode,
	"phone": colPhone, "contact_phone": colPhone, "so_dien_thoai": colPhone, "dien_thoai": colPhone, "sdt": colPhone,
	"stt": tabular.Ignore, "so_thu_tu": tabular.Ignore, "ghi_chu": tabular.Ignore,
}

// Parse reads a file by the extension of its name: .csv or .xlsx.
func Parse(name string, r io.Reader) (Result, error) {
	p := newParser()
	return p.result(schema.Read(name, r, p.add))
}

// ParseCSV reads a CSV file: a header row, then one place per line, with
// commas or semicolons; a UTF-8 byte order mark is skipped. It fails only
// when the file cannot be read, its header is wrong or it has more than
// MaxRows rows; bad lines are reported in Result.Errors.
func ParseCSV(r io.Reader) (Result, error) {
	p := newParser()
	return p.result(schema.ReadCSV(r, p.add))
}

// ParseXLSX reads the first sheet of an XLSX workbook as ParseCSV reads a
// CSV file; the line numbers are the sheet's row numbers.
func ParseXLSX(r io.Reader) (Result, error) {
	p := newParser()
	return p.result(schema.ReadXLSX(r, p.add))
}

// parser holds what earlier lines gave, for the duplicate checks, and
// what was found.
type parser struct {
	taxCodes map[string]bool
	phones   map[string]bool
	names    map[string]bool // unit code and name key
	res      Result
}

// newParser starts reading a file.
func newParser() *parser {
	return &parser{taxCodes: map[string]bool{}, phones: map[string]bool{}, names: map[string]bool{}}
}

// result is what was found, or nothing when the file was refused.
func (p *parser) result(err error) (Result, error) {
	if err != nil {
		return Result{}, err
	}
	return p.res, nil
}

// add validates one data line and files it as a row or an error.
func (p *parser) add(l tabular.Line) error {
	row, fe := p.validate(l)
	if len(fe) > 0 {
		p.res.Errors = append(p.res.Errors, RowError{Line: l.Number, Fields: map[string]string(fe)})
		return nil
	}
	p.res.Rows = append(p.res.Rows, row)
	return nil
}
