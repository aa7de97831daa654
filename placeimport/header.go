package placeimport

import (
	"strings"
	"unicode/utf8"

	"github.com/ravao/ravao"
	"golang.org/x/text/unicode/norm"
)

// The canonical column names; they are also the field names of RowError.
const (
	colOrganisation = "organisation"
	colVenue        = "venue"
	colType         = "type"
	colSector       = "sector"
	colUnitCode     = "unit_code"
	colAddress      = "address"
	colContactName  = "contact_name"
	colContactPhone = "contact_phone"
	colCheckpoints  = "checkpoints"
	colPlates       = "plates"
	colRow          = "row" // the line as a whole
)

// required are the columns a header must have.
var required = []string{colOrganisation, colVenue, colType, colSector, colUnitCode, colContactPhone}

// aliases maps a header cell, folded by headerKey, to its column. The
// Vietnamese names are written without diacritics because headerKey folds
// them away: "Tổ chức", "To chuc" and "TỔ CHỨC" all match.
var aliases = map[string]string{
	"organisation": colOrganisation, "organization": colOrganisation,
	"to_chuc": colOrganisation, "ten_to_chuc": colOrganisation, "don_vi_quan_ly": colOrganisation,
	"venue": colVenue, "place": colVenue,
	"dia_diem": colVenue, "ten_dia_diem": colVenue, "co_so": colVenue, "ten_co_so": colVenue,
	"type": colType, "loai": colType, "loai_hinh": colType, "loai_dia_diem": colType,
	"sector": colSector, "nganh": colSector, "linh_vuc": colSector,
	"unit_code": colUnitCode, "unit": colUnitCode,
	"ma_don_vi": colUnitCode, "ma_don_vi_hanh_chinh": colUnitCode, "ma_dvhc": colUnitCode,
	"address": colAddress, "dia_chi": colAddress,
	"contact_name": colContactName, "contact": colContactName,
	"nguoi_lien_he": colContactName, "ten_nguoi_lien_he": colContactName, "lien_he": colContactName,
	"contact_phone": colContactPhone, "phone": colContactPhone,
	"so_dien_thoai": colContactPhone, "dien_thoai": colContactPhone, "sdt": colContactPhone,
	"checkpoints":    colCheckpoints,
	"diem_kiem_soat": colCheckpoints, "cac_diem_kiem_soat": colCheckpoints, "cong": colCheckpoints,
	"plates":  colPlates,
	"bien_so": colPlates, "bien_so_xe": colPlates, "bien_kiem_soat": colPlates,
}

// headerKey folds a header cell for matching: NFC, lower case, no
// diacritics, and every run of other characters made one underscore.
func headerKey(s string) string {
	if !utf8.ValidString(s) {
		return "\uFFFD"
	}
	var b strings.Builder
	sep := false
	for _, r := range ravao.FoldDiacritics(norm.NFC.String(s)) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteRune(r)
			continue
		}
		sep = true
	}
	return b.String()
}

// readHeader maps the header cells to columns. An unknown or repeated
// column refuses the file (err.import_column, with the 1-based column
// number), for a misspelt column would otherwise drop data silently; a
// missing required column refuses it with err.import_header.
func readHeader(cells []string) ([]string, error) {
	cols := make([]string, len(cells))
	have := map[string]bool{}
	for i, c := range cells {
		if strings.TrimSpace(c) == "" {
			continue
		}
		col, ok := aliases[headerKey(c)]
		if !ok || have[col] {
			return nil, ravao.Errorf(ravao.Invalid, "err.import_column", i+1)
		}
		have[col] = true
		cols[i] = col
	}
	fe := ravao.FieldErrors{}
	for _, col := range required {
		if !have[col] {
			fe.Add(col, "err.required")
		}
	}
	if len(fe) > 0 {
		return nil, &ravao.Error{Code: ravao.Invalid, Key: "err.import_header", Fields: fe}
	}
	return cols, nil
}
