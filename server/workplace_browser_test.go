package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/personalqr"
	"github.com/ravao/ravao/qrframe"
)

// TestBrowserWorkplace signs in as a factory's manager in a real
// Chromium, follows the staff link of the home page, uploads the staff
// list with the file input, reads yesterday's compliance (one of three
// members declared and entered), and prints the staff cards with the
// page's form: every card's QR code decodes (gozxing, and zbarimg when
// present) to a personal code the gate accepts, of a member's person.
func TestBrowserWorkplace(t *testing.T) {
	f := newWorkplaceFixture(t)
	f.checkIn()
	file := filepath.Join(t.TempDir(), "nhan-vien.csv")
	if err := os.WriteFile(file, []byte(staffFile), 0o600); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	b := newBrowser(t, ts.URL)
	b.login("quanly", staffPassword, "/home", `a[href="/workplaces"]`)
	want := func(where, sel, value string) {
		t.Helper()
		if got := b.text(sel); got != value {
			t.Errorf("%s: %s reads %q, want %q", where, sel, got, value)
		}
	}

	b.do("open the staff list", chromedp.Click(chromedp.CSS(`a[href="/workplaces"]`)), chromedp.WaitVisible(chromedp.ID("upload-form")))
	b.do("upload the list", chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}),
		chromedp.Click(chromedp.ID("upload-submit")), chromedp.WaitVisible(chromedp.ID("done")))
	want("after the upload", "#done", "Đã lưu danh sách: 3 nhân viên, 1 đã liên kết với Ravao.")
	want("after the upload", "#staff tbody tr:first-child .link-state", "Chưa liên kết")

	b.do("open the compliance", chromedp.Click(chromedp.ID("compliance-link")), chromedp.WaitVisible(chromedp.ID("totals")))
	want("today", "#day", "2026-03-11")
	b.do("go to yesterday", chromedp.Click(chromedp.ID("prev-day")), chromedp.WaitVisible(chromedp.ID("totals")))
	want("yesterday", "#day", "2026-03-10")
	want("yesterday", "#c-staff", "3")
	want("yesterday", "#c-compliant", "1")
	want("yesterday", "#c-percent", "33")
	want("yesterday", "#not-compliant tbody tr:first-child .member-name", "Lê Văn Cường")

	b.do("back to the list", chromedp.Click(chromedp.ID("staff-link")), chromedp.WaitVisible(chromedp.ID("cards-form")),
		chromedp.Click(chromedp.ID("f-consent")))
	// The form's answer is a PDF download: the page's form is sent by the
	// browser's own fetch, with the button pressed, to read it.
	js := `(async () => { const f = document.getElementById('cards-form'); const d = new FormData(f); d.append('action', 'all');
		const r = await fetch(f.getAttribute('action'), {method: 'POST', body: new URLSearchParams(d)});
		const b = new Uint8Array(await r.arrayBuffer()); let s = ''; for (const c of b) s += String.fromCharCode(c);
		return r.status + ' ' + r.headers.get('Content-Type') + ' ' + btoa(s); })()`
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("print the cards: %v", err)
	}
	parts := strings.SplitN(got, " ", 3)
	if len(parts) != 3 || parts[0] != "200" || parts[1] != "application/pdf" {
		t.Fatalf("print the cards: got %.200q, want 200 application/pdf", got)
	}
	pdf, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	payloads := scanStaffCards(t, pdf, 3)
	verifier := f.visits.Verifier()
	var people []int64
	for i, p := range payloads {
		if !personalqr.Looks(p) || len(p) != personalqr.PayloadLen {
			t.Errorf("card %d: %q is not a personal code", i+1, p)
			continue
		}
		claims, err := f.visits.CheckPersonalQR(context.Background(), p)
		if err != nil || claims.Kind != personalqr.KindCard {
			t.Errorf("card %d: the gate refuses it: %+v %v", i+1, claims, err)
		}
		if _, err := verifier.Parse(p, wpNow); err != nil {
			t.Errorf("card %d: %v", i+1, err)
		}
		people = append(people, claims.PersonID)
	}
	if !slices.Contains(people, f.person) {
		t.Errorf("cards of %v: none is the linked member's person %d", people, f.person)
	}
	b.do("the list after printing", chromedp.Navigate(ts.URL+fmt.Sprintf("/organisations/%d/staff", f.org.ID)), chromedp.WaitVisible(chromedp.ID("staff-count")))
	want("after printing", "#staff-count", "3 nhân viên, 3 đã liên kết với Ravao.")
}

// scanStaffCards rasterises a cards PDF, crops each of the first n card
// slots (two columns of four ID-1 cards, centred on A4) and reads each QR
// code with gozxing, and with zbarimg when it is installed: both must
// agree.
func scanStaffCards(t *testing.T, pdf []byte, n int) []string {
	t.Helper()
	pdftoppm := testenv.Tool(t, "pdftoppm")
	dir := t.TempDir()
	path := filepath.Join(dir, "cards.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	const dpi = 150
	if out, err := exec.Command(pdftoppm, "-r", fmt.Sprint(dpi), "-gray", "-png", "-singlefile", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	page, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	zbarimg := ""
	if testenv.Strict() {
		zbarimg = testenv.Tool(t, "zbarimg")
	} else if p, err := exec.LookPath("zbarimg"); err == nil {
		zbarimg = p
	}
	px := func(mm float64) int { return int(mm / 25.4 * dpi) }
	const cardW, cardH, gap = 85.6, 54.0, 6.0
	x0, y0 := (210-2*cardW-gap)/2, (297-4*cardH-3*gap)/2
	var out []string
	for i := range n {
		x, y := x0+float64(i%2)*(cardW+gap), y0+float64(i/2)*(cardH+gap)
		crop := page.(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(image.Rect(px(x)-4, px(y)-4, px(x+cardW)+4, px(y+cardH)+4))
		got, err := qrframe.DecodeImage(crop)
		if err != nil {
			t.Errorf("card %d: gozxing: %v", i+1, err)
			continue
		}
		if zbarimg != "" {
			var buf bytes.Buffer
			if err := png.Encode(&buf, crop); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, fmt.Sprintf("card-%d.png", i))
			if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			z, err := exec.Command(zbarimg, "--raw", "-q", p).Output()
			if zs := strings.TrimSpace(string(z)); err != nil || zs != got {
				t.Errorf("card %d: zbarimg read %q (%v), gozxing %q", i+1, zs, err, got)
			}
		}
		out = append(out, got)
	}
	return out
}
