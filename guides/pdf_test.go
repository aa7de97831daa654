package guides

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ravao/ravao/internal/testenv"
)

// words are the PDF's words in one language, from the real catalogue.
func words(t *testing.T, lang string) Words {
	c := catalogue(t)
	return Words{T: func(k string, args ...any) string { return c.T(lang, k, args...) }, URL: "https://ravao.example.gov.vn/guides/x"}
}

func renderPDF(t *testing.T, g Guide) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := PDF(&buf, g, words(t, g.Lang)); err != nil {
		t.Fatalf("%s/%s: %v", g.Slug, g.Lang, err)
	}
	return buf.Bytes()
}

// pdfText is what pdftotext reads in a PDF, its lines joined by spaces.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool := testenv.Tool(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "g.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// Every guide's PDF reads back, diacritics and all: its title, the first
// words of every section, the buttons it names, and its page numbers.
func TestPDFTextInBothLanguages(t *testing.T) {
	lib := library(t)
	for _, lang := range Langs {
		for _, g := range lib.List(lang) {
			text := pdfText(t, renderPDF(t, g))
			r := g.Resolve(func(k string) string { return words(t, lang).T(k) })
			want := []string{g.Title, map[string]string{"vi": "Trang 1/", "en": "Page 1 of"}[lang]}
			for _, s := range r.Sections {
				want = append(want, s.Title, firstWords(s.Items[0].Text.Quoted(), 4))
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s/%s: the PDF's text lacks %q", g.Slug, lang, w)
				}
			}
		}
	}
	for slug, ws := range map[string][]string{
		"checkin": {"Quét mã", "Khai báo", "Check-in tại đây", "Được vào", "khai báo y tế một lần"},
		"gate":    {"Quét mã", "Bật camera để quét", "Thẻ CCCD gắn chip", "Cần kiểm tra y tế", "Khai hộ người chưa khai báo", "Khi mất mạng"},
		"posters": {"ngang tầm mắt", "1,4–1,6 m", "Tất cả áp phích (A4)", "QR 10,5 cm"},
		"privacy": {"Nhật ký truy cập", "Bộ Công an", "dữ liệu cá nhân nhạy cảm"},
	} {
		g, _ := lib.Get(slug, "vi")
		text := pdfText(t, renderPDF(t, g))
		for _, w := range ws {
			if !strings.Contains(text, w) {
				t.Errorf("%s/vi: the PDF's text lacks %q", slug, w)
			}
		}
	}
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(n, len(f))], " ")
}

// The same guide always gives the same bytes, dated with the edition.
func TestPDFIsReproducible(t *testing.T) {
	lib := library(t)
	g, _ := lib.Get("posters", "vi")
	a, b := renderPDF(t, g), renderPDF(t, g)
	if !bytes.Equal(a, b) {
		t.Error("two renderings of one guide differ")
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20261101")) || !bytes.HasPrefix(a, []byte("%PDF-")) {
		t.Error("the PDF is not dated with the edition")
	}
	if n := bytes.Count(a, []byte("/Type /Page\n")); n < 1 || n > 4 {
		t.Errorf("posters/vi: %d pages, want a short guide (1 to 4)", n)
	}
}
