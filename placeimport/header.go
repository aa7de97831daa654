package placeimport

import "github.com/ravao/ravao/internal/tabular"

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
	colTaxCode      = "tax_code"
	colCheckpoints  = "checkpoints"
	colPlates       = "plates"
	colRow          = tabular.RowField // the line as a whole
)

// required are the columns a header must have.
var required = []string{colOrganisation, colVenue, colType, colSector, colUnitCode, colContactPhone}

// aliases maps a header cell, folded by tabular.HeaderKey, to its column.
// The Vietnamese names are written without diacritics because HeaderKey folds
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
	"tax_code": colTaxCode, "mst": colTaxCode, "ma_so_thue": colTaxCode, "ma_so_doanh_nghiep": colTaxCode,
	"checkpoints":    colCheckpoints,
	"diem_kiem_soat": colCheckpoints, "cac_diem_kiem_soat": colCheckpoints, "cong": colCheckpoints,
	"plates":  colPlates,
	"bien_so": colPlates, "bien_so_xe": colPlates, "bien_kiem_soat": colPlates,
}
