package tracing_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/sheet"
	"github.com/ravao/ravao/tracing"
)

// injection is a name typed at a check-in to run a command on the
// computer of whoever opens an export in a spreadsheet.
const injection = "=cmd|' /C calc'!A0"

// header is the Vietnamese header of an export.
var header = []string{"Cấp", "Mức tiếp xúc", "Họ và tên", "Số điện thoại", "Năm sinh", "Thời gian tiếp xúc (phút)",
	"Số lần", "Cùng phương tiện", "Lần đầu tiếp xúc", "Trạng thái", "Cán bộ phụ trách", "Qua F1"}

// exported opens the outbreak's case with one more contact whose name is
// an injection, assigns Bình to the second official and expands from her.
func (e *env) exported() (outbreak, ravao.Case) {
	e.t.Helper()
	o := e.outbreak()
	bad := e.person(injection, "0912000009", "")
	e.visit(bad, e.gateA, at(9, 9, 15), at(9, 9, 45))
	c, _ := e.open(tracing.OpenCase{Phone: anPhone})
	binh := e.list(c.ID)[o.binh].Contact
	to, called := e.health2.User.ID, ravao.ContactCalled
	if _, err := e.tr.UpdateContact(e.ctx, e.health, binh.ID, tracing.ContactUpdate{AssigneeID: &to, Status: &called}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.tr.Expand(e.ctx, e.health, c.ID, []int64{binh.ID}); err != nil {
		e.t.Fatal(err)
	}
	return o, c
}

// download requests an export and downloads it.
func (e *env) download(t *testing.T, caseID int64, format string) tracing.Download {
	t.Helper()
	x, err := e.tr.RequestExport(e.ctx, e.health, caseID, format, "Gửi danh sách F1 cho CDC tỉnh")
	if err != nil {
		t.Fatal(err)
	}
	if x.Status != ravao.ExportReady || x.Rows != 7 || x.Format != format || x.Sealed != nil {
		t.Errorf("export: %+v, want ready with 7 rows and no file", x)
	}
	d, err := e.tr.DownloadExport(e.ctx, e.health, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// wantRows checks an export's table, cells as a spreadsheet shows them
// (excelize leaves a row's trailing empty cells out: they are put back).
func wantRows(t *testing.T, rows [][]string) {
	t.Helper()
	for i, r := range rows {
		for len(r) < len(header) {
			r = append(r, "")
		}
		rows[i] = r
	}
	if len(rows) != 8 || !slices.Equal(rows[0], header) {
		t.Fatalf("export: %d rows, header %q", len(rows), rows[0])
	}
	byPhone := map[string][]string{}
	for _, r := range rows[1:] {
		byPhone[r[3]] = r
	}
	wants := map[string][]string{
		"0912000002": {"F1", "Tiếp xúc gần", "Trần Thị Bình", "0912000002", "1990", "50", "1", "Không", "2026-07-09 09:30", "Đã gọi", "yte35b", ""},
		"0912000009": {"F1", "Tiếp xúc gần", injection, "0912000009", "1990", "30", "1", "Không", "2026-07-09 09:15", "Chưa liên hệ", "", ""},
		"0912000003": {"F1", "Có thể tiếp xúc", "Lê Minh Chi", "0912000003", "1990", "10", "1", "Không", "2026-07-09 10:20", "Chưa liên hệ", "", ""},
		"0912000006": {"F1", "Tiếp xúc gần", "Vũ Trường Giang", "0912000006", "1990", "3", "1", "Có", "2026-07-09 12:03", "Chưa liên hệ", "", ""},
		"0912000007": {"F2", "Tiếp xúc gần", "Đỗ Mạnh Hùng", "0912000007", "1990", "60", "1", "Không", "2026-07-09 14:30", "Chưa liên hệ", "", "Trần T*** B"},
	}
	for phone, w := range wants {
		if got := byPhone[phone]; !slices.Equal(got, w) {
			t.Errorf("row of %s:\n got %q\nwant %q", phone, got, w)
		}
	}
	if rows[1][0] != "F1" || rows[len(rows)-1][0] != "F2" {
		t.Errorf("rows not by degree: first %q, last %q", rows[1], rows[len(rows)-1])
	}
}

func TestExportsOpenSafelyInASpreadsheet(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		_, c := e.exported()
		t.Run("csv", func(t *testing.T) { e.wantCSV(t, c.ID) })
		t.Run("xlsx", func(t *testing.T) { e.wantXLSX(t, c.ID) })
	})
}

// wantCSV exports the case as CSV and reads it back as a spreadsheet
// would: no cell may start a formula, and restored they are the list.
func (e *env) wantCSV(t *testing.T, caseID int64) {
	d := e.download(t, caseID, "csv")
	if d.Name != "ravao-case-"+strconv.FormatInt(caseID, 10)+"-contacts.csv" || d.ContentType != "text/csv; charset=utf-8" {
		t.Errorf("download %q %q", d.Name, d.ContentType)
	}
	data, ok := bytes.CutPrefix(d.Data, []byte("\uFEFF"))
	if !ok {
		t.Errorf("CSV without a BOM: Excel would garble the names")
	}
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range records {
		for i, cell := range r {
			if sheet.Dangerous(cell) {
				t.Errorf("CSV cell %q could run as a formula", cell)
			}
			r[i] = sheet.Restore(cell)
		}
	}
	wantRows(t, records)
	if !strings.Contains(string(data), "'"+injection) {
		t.Errorf("the injection is not neutralised in the file")
	}
}

// wantXLSX exports the case as XLSX and reads it back: text cells, no
// formula anywhere.
func (e *env) wantXLSX(t *testing.T, caseID int64) {
	d := e.download(t, caseID, "xlsx")
	if !strings.HasSuffix(d.Name, ".xlsx") || !strings.Contains(d.ContentType, "spreadsheetml") {
		t.Errorf("download %q %q", d.Name, d.ContentType)
	}
	f, err := excelize.OpenReader(bytes.NewReader(d.Data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Người tiếp xúc")
	if err != nil {
		t.Fatal(err)
	}
	for r := range rows {
		for col := range rows[r] {
			cell, _ := excelize.CoordinatesToCellName(col+1, r+1)
			if formula, _ := f.GetCellFormula("Người tiếp xúc", cell); formula != "" {
				t.Errorf("cell %s is a formula: %q", cell, formula)
			}
		}
	}
	wantRows(t, rows)
}

// TestExportTwoPersonRule: bad requests first, then an export above the
// limit waits for another official of the case.
func TestExportTwoPersonRule(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		_, c := e.exported()
		_, err := e.tr.RequestExport(e.ctx, e.health, c.ID, "pdf", "Gửi CDC")
		e.wantField(t, err, "format", "err.export_format")
		_, err = e.tr.RequestExport(e.ctx, e.health, c.ID, "csv", "  ")
		e.wantField(t, err, "reason", "err.reason_required")
		_, err = e.tr.RequestExport(e.ctx, e.health, c.ID, "csv", strings.Repeat("lý do ", 100))
		e.wantField(t, err, "reason", "err.too_long")
		_, err = e.tr.RequestExport(e.ctx, e.health37, c.ID, "csv", "Gửi CDC")
		if ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("export out of scope: %v, want not found", err)
		}
		_, err = e.tr.DownloadExport(e.ctx, e.health, 987654)
		if ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("download of nothing: %v, want not found", err)
		}
		if n := len(e.audit("export.request")); n != 0 {
			t.Errorf("refused exports audited %d times", n)
		}
		small := e.service(tracing.Config{ApprovalRows: 5})
		x, err := small.RequestExport(e.ctx, e.health, c.ID, "xlsx", "Gửi Sở Y tế")
		if err != nil {
			t.Fatal(err)
		}
		if x.Status != ravao.ExportPending || x.Rows != 7 || x.RequestedBy != e.health.User.ID {
			t.Fatalf("export of 7 rows above 5: %+v, want pending", x)
		}
		_, err = small.DownloadExport(e.ctx, e.health, x.ID)
		e.wantErr(t, err, ravao.Conflict, "err.export_pending")
		_, err = small.ApproveExport(e.ctx, e.health, x.ID)
		e.wantErr(t, err, ravao.Forbidden, "err.export_self_approve")
		_, err = small.ApproveExport(e.ctx, e.health37, x.ID)
		if ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("approval out of scope: %v, want not found", err)
		}
		_, err = small.ApproveExport(e.ctx, e.ward, x.ID)
		if ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("approval by the ward, outside the province's case: %v, want not found", err)
		}
		ok, err := small.ApproveExport(e.ctx, e.health2, x.ID)
		if err != nil || ok.Status != ravao.ExportReady || ok.ApprovedBy != e.health2.User.ID || !ok.ApprovedAt.Equal(t0) || ok.Sealed != nil {
			t.Fatalf("approve: %+v, %v", ok, err)
		}
		_, err = small.ApproveExport(e.ctx, e.health2, x.ID)
		e.wantErr(t, err, ravao.Conflict, "err.export_not_pending")
		d, err := small.DownloadExport(e.ctx, e.health, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(d.Data))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Người tiếp xúc")
		f.Close()
		wantRows(t, rows)
		list, err := e.tr.Exports(e.ctx, e.health2, c.ID)
		if err != nil || len(list) != 1 || list[0].ID != x.ID || list[0].Status != ravao.ExportReady || list[0].Reason != "Gửi Sở Y tế" {
			t.Errorf("exports: %+v, %v", list, err)
		}
		if _, err := e.tr.Exports(e.ctx, e.health37, c.ID); ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("exports out of scope: %v, want not found", err)
		}
		if a, b := len(e.audit("export.approve")), len(e.audit("export.download")); a != 1 || b != 1 {
			t.Errorf("audited %d approvals, %d downloads; want 1 and 1", a, b)
		}
	})
}
