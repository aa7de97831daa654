package workplaces

import (
	"io"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/tabular"
)

// MaxRows is the largest staff list one file may hold; more is refused as
// a whole.
const MaxRows = 20000

// The canonical column names of a staff file; they are also the fields of
// RowError and of a typed member's errors.
const (
	ColName        = "name"
	ColPhone       = "phone"
	ColIDNumber    = "id_number"
	ColStaffNumber = "staff_number"
	ColDepartment  = "department"
	ColBirthYear   = "birth_year"
	ColVenues      = "venues"
	ColRow         = tabular.RowField
)

// Columns lists the columns of a staff file in the order the docs give.
var Columns = []string{ColName, ColPhone, ColIDNumber, ColStaffNumber, ColDepartment, ColBirthYear, ColVenues}

// maxText bounds a staff number and a department, in bytes.
const maxText = 100

// schema is the shape of a staff file: name and phone are required.
var schema = tabular.Schema{Aliases: aliases, Required: []string{ColName, ColPhone}, MaxRows: MaxRows, HeaderError: "err.staff_header"}

// aliases maps a header cell, folded by tabular.HeaderKey, to its column;
// the Vietnamese names are written without diacritics.
var aliases = map[string]string{
	"name": ColName, "full_name": ColName, "ho_ten": ColName, "ho_va_ten": ColName, "ten": ColName,
	"ten_nhan_vien": ColName, "nhan_vien": ColName, "ho_ten_nhan_vien": ColName, "ten_cong_nhan": ColName,
	"phone": ColPhone, "so_dien_thoai": ColPhone, "dien_thoai": ColPhone, "sdt": ColPhone, "so_dt": ColPhone,
	"id_number": ColIDNumber, "cccd": ColIDNumber, "so_cccd": ColIDNumber, "can_cuoc": ColIDNumber,
	"can_cuoc_cong_dan": ColIDNumber, "so_dinh_danh": ColIDNumber, "so_dinh_danh_ca_nhan": ColIDNumber,
	"staff_number": ColStaffNumber, "ma_nhan_vien": ColStaffNumber, "ma_nv": ColStaffNumber, "ma_so": ColStaffNumber,
	"ma_cong_nhan": ColStaffNumber, "so_the": ColStaffNumber, "employee_id": ColStaffNumber,
	"department": ColDepartment, "phong_ban": ColDepartment, "bo_phan": ColDepartment, "to": ColDepartment,
	"phan_xuong": ColDepartment, "to_doi": ColDepartment,
	"birth_year": ColBirthYear, "nam_sinh": ColBirthYear,
	"venues": ColVenues, "venue": ColVenues, "dia_diem": ColVenues, "noi_lam_viec": ColVenues, "co_so": ColVenues,
	"dia_diem_lam_viec": ColVenues, "workplace": ColVenues,
	"stt": tabular.Ignore, "so_thu_tu": tabular.Ignore, "ghi_chu": tabular.Ignore, "note": tabular.Ignore,
}

// Row is one valid line of a staff file (or one typed member), normalised:
// Venues are the names or IDs the line gave, resolved later against the
// organisation's venues.
type Row struct {
	Line        int
	Name        ravao.PII // NFC, as NormalizeName gives it
	Phone       ravao.PII // national form
	IDNumber    ravao.PII // 12 digits, "" when none
	StaffNumber string
	Department  string
	BirthYear   int // 0 when none
	Venues      []string
}

// RowError lists every problem of one line: Fields maps a column (or row,
// for the line as a whole) to a message key.
type RowError = tabular.RowError

// parsed is a file read: its valid rows and its bad lines, in file order.
type parsed struct {
	rows   []Row
	errors []RowError
	seen   map[string]map[string]bool // column → values of earlier lines
}

// parseFile reads a staff file by the extension of its name. It fails
// only when the file as a whole is refused (format, header, size).
func parseFile(name string, r io.Reader, now int) (parsed, error) {
	p := parsed{seen: map[string]map[string]bool{ColPhone: {}, ColIDNumber: {}, ColStaffNumber: {}}}
	err := schema.Read(name, r, func(l tabular.Line) error {
		fe := l.Errors
		if l.Bad != "" {
			p.errors = append(p.errors, RowError{Line: l.Number, Fields: map[string]string(fe)})
			return nil
		}
		row := checkRow(l.Cells, now, fe)
		row.Line = l.Number
		p.duplicates(row, fe)
		if len(fe) > 0 {
			p.errors = append(p.errors, RowError{Line: l.Number, Fields: map[string]string(fe)})
			return nil
		}
		p.rows = append(p.rows, row)
		return nil
	})
	return p, err
}

// duplicates reports, on the later line, a phone, ID number or staff
// number an earlier line gave.
func (p *parsed) duplicates(row Row, fe ravao.FieldErrors) {
	for col, v := range map[string]string{ColPhone: row.Phone.Reveal(), ColIDNumber: row.IDNumber.Reveal(), ColStaffNumber: strings.ToLower(row.StaffNumber)} {
		if v == "" {
			continue
		}
		if p.seen[col][v] {
			fe.Add(col, "err.duplicate")
		}
		p.seen[col][v] = true
	}
}

// checkRow validates the cells of one member (a file's line or a typed
// form, by column name) and reports every problem in fe.
func checkRow(cells map[string]string, year int, fe ravao.FieldErrors) Row {
	var row Row
	if c := strings.TrimSpace(cells[ColName]); c == "" {
		fe.Add(ColName, "err.required")
	} else if n, err := ravao.NormalizeName(c); err != nil {
		fe.Add(ColName, "err.full_name")
	} else {
		row.Name = ravao.PII(n)
	}
	if c := strings.TrimSpace(cells[ColPhone]); c == "" {
		fe.Add(ColPhone, "err.required")
	} else if n, err := ravao.NormalizePhone(tabular.PhoneCell(c)); err != nil {
		fe.Add(ColPhone, "err.phone")
	} else {
		row.Phone = ravao.PII(n)
	}
	if c := strings.Join(strings.Fields(cells[ColIDNumber]), ""); c != "" {
		if err := ravao.ValidateCCCD(c); err != nil {
			fe.Add(ColIDNumber, "err.cccd")
		} else {
			row.IDNumber = ravao.PII(c)
		}
	}
	row.StaffNumber = text(cells[ColStaffNumber], ColStaffNumber, fe)
	row.Department = text(cells[ColDepartment], ColDepartment, fe)
	if c := strings.TrimSpace(cells[ColBirthYear]); c != "" {
		y, err := strconv.Atoi(c)
		if err != nil || y < 1900 || y > year {
			fe.Add(ColBirthYear, "err.birth_year")
		} else {
			row.BirthYear = y
		}
	}
	row.Venues = splitVenues(cells[ColVenues])
	return row
}

// text single-spaces a short text cell and bounds it.
func text(cell, col string, fe ravao.FieldErrors) string {
	t := strings.Join(strings.Fields(cell), " ")
	if len(t) > maxText {
		fe.Add(col, "err.too_long")
		return ""
	}
	return t
}

// splitVenues reads a venues cell: names or IDs separated by semicolons,
// commas or vertical bars.
func splitVenues(cell string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(cell, func(r rune) bool { return r == ';' || r == ',' || r == '|' }) {
		if p := strings.Join(strings.Fields(part), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// venueKey is how a venue's name is compared with what a line wrote.
func venueKey(name string) string {
	return strings.Join(strings.Fields(ravao.FoldDiacritics(name)), " ")
}

// venueIndex resolves what lines write in the venues column against an
// organisation's venues: a venue's name (in any case, with or without
// diacritics) or its ID.
type venueIndex struct {
	byKey map[string]int64
	ids   map[int64]bool
	all   []int64
}

func newVenueIndex(venues []ravao.Venue) venueIndex {
	x := venueIndex{byKey: map[string]int64{}, ids: map[int64]bool{}}
	for _, v := range venues {
		x.byKey[venueKey(v.Name)] = v.ID
		x.ids[v.ID] = true
		x.all = append(x.all, v.ID)
	}
	return x
}

// resolve turns a line's venues into IDs, every venue of the
// organisation when the line names none; a name or ID that is not one of
// them is reported on the venues column.
func (x venueIndex) resolve(names []string, fe ravao.FieldErrors) []int64 {
	if len(names) == 0 {
		return append([]int64(nil), x.all...)
	}
	var out []int64
	for _, n := range names {
		id, ok := x.byKey[venueKey(n)]
		if !ok {
			if v, err := strconv.ParseInt(n, 10, 64); err == nil && x.ids[v] {
				id, ok = v, true
			}
		}
		if !ok {
			fe.Add(ColVenues, "err.staff_venue_unknown")
			return nil
		}
		if !containsID(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
