package reportpdf_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/i18n"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/progress"
	"github.com/ravao/ravao/reportpdf"
)

var ict = time.FixedZone("ICT", 7*3600)

// header is the silent places' header row as pdftotext lays it out.
var header = regexp.MustCompile(`Tên\s+Loại địa điểm\s+Đơn vị`)

// report is a district's report of 24 November 2026, kept at 06:00, with
// two communes (one silent), coverage, and silent places.
func report(silent int) progress.Report {
	tp := ravao.Unit{Code: "347", Name: "Phủ Lý", FullName: "Thành phố Phủ Lý"}
	qt := ravao.Unit{Code: "13321", Name: "Quang Trung", FullName: "Phường Quang Trung"}
	lhp := ravao.Unit{Code: "13324", Name: "Lê Hồng Phong", FullName: "Phường Lê Hồng Phong"}
	r := progress.Report{Day: 20261124, MadeAt: time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC)}
	r.Unit, r.Query = tp, ravao.StatsQuery{UnitCode: "347", From: 20261124, To: 20261124}
	r.Totals = ravao.Counts{Venues: 4, Approved: 4, Active: 2, CheckIns: 3, People: 3, Red: 1, Symptoms: 1}
	r.Children = []progress.ChildRow{{Unit: lhp, Counts: ravao.Counts{Venues: 1, Approved: 1}},
		{Unit: qt, Counts: ravao.Counts{Venues: 3, Approved: 3, Active: 2, CheckIns: 3, People: 3, Red: 1}}}
	r.SilentChildren = []ravao.Unit{lhp}
	for i := range silent {
		r.Silent = append(r.Silent, ravao.SilentVenue{VenueID: int64(i + 1), Name: fmt.Sprintf("Cửa hàng Hoa Mai số %03d", i+1),
			UnitCode: "13324", Type: ravao.VenueBusiness})
	}
	r.Coverage = &progress.CoverageView{Unit: tp, Totals: progress.CoverageRow{Required: 8, Covered: 6, Proposed: 1},
		Children: []progress.CoverageRow{{Unit: qt, Required: 5, Covered: 5}, {Unit: lhp, Required: 3, Covered: 1, Proposed: 1}}}
	return r
}

func words(t *testing.T, lang string) reportpdf.Words {
	cat, err := i18n.New("vi")
	if err != nil {
		t.Fatal(err)
	}
	return reportpdf.Words{
		T:          func(key string, args ...any) string { return cat.T(lang, key, args...) },
		UnitName:   func(u ravao.Unit) string { return u.FullName },
		PlaceUnits: map[string]string{"13324": "Phường Lê Hồng Phong"},
		TZ:         ict,
	}
}

// write makes the PDF of r into a temporary file.
func write(t *testing.T, r progress.Report, lang string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := reportpdf.Write(&buf, r, words(t, lang)); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", buf.Bytes()[:min(buf.Len(), 20)])
	}
	p := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// pages is the text of each page.
func pages(t *testing.T, path string) []string {
	t.Helper()
	tool := testenv.Tool(t, "pdftotext")
	out, err := exec.Command(tool, "-enc", "UTF-8", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	ps := strings.Split(norm.NFC.String(string(out)), "\f")
	if len(ps) > 0 && strings.TrimSpace(ps[len(ps)-1]) == "" {
		ps = ps[:len(ps)-1]
	}
	return ps
}

// TestWriteVietnamese checks that the names and labels, diacritics
// included, come back out of the PDF, coverage columns too.
func TestWriteVietnamese(t *testing.T) {
	ps := pages(t, write(t, report(3), "vi"))
	text := strings.Join(ps, "\n")
	for _, want := range []string{
		"Báo cáo tiến độ triển khai ngày 24/11/2026", "Thành phố Phủ Lý", "Lập lúc 06:00 25/11/2026",
		"Phường Quang Trung", "Phường Lê Hồng Phong", "Địa điểm đã đăng ký", "Khai báo có triệu chứng",
		"Phải đăng ký", "Đã đăng ký", "Tỷ lệ bao phủ", "75%", "100%", "33%",
		"Đơn vị có địa điểm nhưng không có lượt quét", "Cửa hàng Hoa Mai số 003", "Trang 1/1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q; got:\n%s", want, text)
		}
	}
}

// TestWriteEnglish checks the labels follow the language.
func TestWriteEnglish(t *testing.T) {
	text := strings.Join(pages(t, write(t, report(1), "en")), "\n")
	for _, want := range []string{"Deployment progress report for 24/11/2026", "Must register", "Page 1 of 1", "Phường Quang Trung"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q; got:\n%s", want, text)
		}
	}
}

// TestWriteLongList checks that 600 silent places run over several pages,
// each numbered, with the list's header again at the top of each page and
// every place printed once.
func TestWriteLongList(t *testing.T) {
	ps := pages(t, write(t, report(600), "vi"))
	if len(ps) < 5 {
		t.Fatalf("got %d pages, want several", len(ps))
	}
	for i, p := range ps {
		if want := fmt.Sprintf("Trang %d/%d", i+1, len(ps)); !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
		if i > 0 && !header.MatchString(p) {
			t.Errorf("page %d lacks the list's header", i+1)
		}
	}
	text := strings.Join(ps, "\n")
	for i := 1; i <= 600; i++ {
		if n := strings.Count(text, fmt.Sprintf("Hoa Mai số %03d", i)); n != 1 {
			t.Fatalf("place %d printed %d times, want once", i, n)
		}
	}
}

// TestWriteReproducible checks the same report gives the same bytes.
func TestWriteReproducible(t *testing.T) {
	var a, b bytes.Buffer
	if err := reportpdf.Write(&a, report(5), words(t, "vi")); err != nil {
		t.Fatal(err)
	}
	if err := reportpdf.Write(&b, report(5), words(t, "vi")); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two PDFs of the same report differ")
	}
}
