package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/visitors"
)

// The sample data of the residents pages, for the test that renders every
// template in both languages.
func init() {
	fail := formFailure{Status: 400, Message: "Một số thông tin chưa hợp lệ.", Fields: map[string]string{
		"full_name": "Họ và tên không hợp lệ.", "phone": "Số điện thoại không hợp lệ.", "unit": "Ngoài phạm vi.",
		"q.symptoms": "Cần trả lời.", "consent": "Cần xác nhận.",
	}, Other: []string{"Khác"}}
	samples["residents.html"] = func() *pageData {
		return &pageData{Title: "residents.title", Path: "/residents", Data: &residentsData{
			Rows: []residentRow{
				{ID: 7, Name: "Trần T*** B", BirthYear: 1950, Unit: "Phường Quang Trung"},
				{ID: 9, Name: "Lê V*** C", BirthYear: 2015, Unit: "Phường Quang Trung", Card: 2},
			},
			After: 3, NextURL: "/residents?after=9", Done: "residents.added", Failure: fail,
		}}
	}
	samples["resident_new.html"] = func() *pageData {
		return &pageData{Title: "resident_new.title", Path: "/residents/new", Data: &residentNewData{
			Form:    visitorForm{FullName: "Trần Thị Bình", BirthYear: "1950", Sex: "f", Unit: "13321"},
			Consent: true, Sexes: sexChoices(), Failure: fail,
			Picker: unitPicker{Province: "35", Provinces: []unitChoice{{"35", "Tỉnh Hà Nam"}},
				Communes: []unitGroup{{Name: "Thành phố Phủ Lý", Units: []unitChoice{{"13321", "Phường Quang Trung"}}}}},
			Questions: questions.Default().Localised("vi"), Answers: questions.Answers{"symptoms": {"none"}},
		}}
	}
}

// residentForm is a valid declaration on a resident's behalf, without a
// phone; changes overwrite its fields.
func residentForm(changes url.Values) url.Values {
	v := url.Values{
		"consent": {"yes"}, "full_name": {"Trần Thị Bình"}, "phone": {""}, "birth_year": {"1950"},
		"sex": {"f"}, "province": {"35"}, "unit": {"13321"}, "id_number": {""},
		"q.symptoms": {"none"}, "q.contact": {"no"}, "q.travel": {"no"},
	}
	for k, vals := range changes {
		v[k] = vals
	}
	return v
}

// residentsOf lists an official's residents as the service gives them.
func (f *pagesFixture) residentsOf(login string) []visitors.Resident {
	f.t.Helper()
	list, err := f.visits.Residents(context.Background(), f.principalOf(login), 0, 100)
	if err != nil {
		f.t.Fatalf("residents of %s: %v", login, err)
	}
	return list
}

// residentsState is the residents of an official with their card serials
// and the audit count: what a refused request must leave alone.
func (f *pagesFixture) residentsState(login string) string {
	f.t.Helper()
	var b strings.Builder
	for _, r := range f.residentsOf(login) {
		fmt.Fprintf(&b, "%d:%d ", r.ID, r.CardSerial)
	}
	fmt.Fprintf(&b, "audit %d", f.counts().audit)
	return b.String()
}

// pdfText is the text pdftotext finds in a PDF answer.
func pdfText(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	pdftotext := testenv.Tool(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "cards.pdf")
	if err := os.WriteFile(path, rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// wantPDF checks that rec answers a PDF download whose name says nothing
// about anyone.
func wantPDF(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(rec.Body.String(), "%PDF-") {
		t.Fatalf("%s: got %d %q, want 200 with a PDF: %.300s", what, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename="ravao-qr-cards.pdf"` {
		t.Errorf("%s: Content-Disposition %q, want an attachment named without personal data", what, cd)
	}
}

func TestResidentPagesDeclareListPrintRevoke(t *testing.T) {
	f := newPagesFixture(t)
	wantPage(t, "home", f.get(pgLocal, "/home"), 200, `href="/residents"`)
	wantPage(t, "empty list", f.get(pgLocal, "/residents"), 200, "Bạn chưa khai báo hộ người dân nào", `href="/residents/new"`)
	wantPage(t, "form", f.get(pgLocal, "/residents/new"), 200,
		`name="consent"`, `<option value="13321" selected>Phường Quang Trung</option>`, `name="q.symptoms"`, "Số điện thoại (không bắt buộc)")
	if body := f.get(pgLocal, "/residents/new").Body.String(); strings.Contains(body, " checked") {
		t.Errorf("form: something is ticked in advance")
	}

	before := f.residentsState(pgLocal)
	body := wantPage(t, "no consent, no name", f.post(pgLocal, "/residents/new", residentForm(url.Values{"consent": nil, "full_name": {""}, "birth_year": {"1951"}})), 400,
		`id="e-consent"`, "Hãy xác nhận người dân đã đồng ý", `id="e-full-name"`, `value="1951"`)
	if strings.Contains(body, `name="consent" value="yes" required checked`) {
		t.Errorf("no consent: the consent box came back ticked")
	}
	wantPage(t, "bad year", f.post(pgLocal, "/residents/new", residentForm(url.Values{"birth_year": {"19x0"}})), 400,
		`id="e-birth-year"`, `value="Trần Thị Bình"`, `name="consent" value="yes" required checked`)
	wantPage(t, "out of scope", f.post(pgLocal, "/residents/new", residentForm(url.Values{"province": {"37"}, "unit": {"14371"}})), 400,
		`id="e-unit"`, "ngoài phạm vi quản lý")
	wantPage(t, "change province", f.post(pgLocal, "/residents/new", residentForm(url.Values{"step": {"province"}, "province": {"37"}})), 200,
		"Phường Ninh Khánh", `value="Trần Thị Bình"`)
	if after := f.residentsState(pgLocal); after != before {
		t.Fatalf("refused declarations changed data: before %s, after %s", before, after)
	}

	wantRedirect(t, "first", f.post(pgLocal, "/residents/new", residentForm(nil)), "/residents?added=1")
	wantRedirect(t, "second", f.post(pgLocal, "/residents/new", residentForm(url.Values{
		"full_name": {"Lê Văn Cường"}, "phone": {"0987 654 321"}, "birth_year": {"2015"}, "sex": {"m"}, "q.symptoms": {"cough"},
	})), "/residents?added=1")
	body = wantPage(t, "list", f.get(pgLocal, "/residents?added=1"), 200,
		"Đã lưu khai báo của người dân", "Trần T*** B", "Lê V*** C", "1950", "2015", "Phường Quang Trung", "Chưa in", `name="action" value="print"`)
	for _, secret := range []string{"Bình", "Cường", "0987", "654 321"} {
		if strings.Contains(body, secret) {
			t.Errorf("list shows %q: names must be masked, phones absent", secret)
		}
	}
	list := f.residentsOf(pgLocal)
	if len(list) != 2 {
		t.Fatalf("got %d residents, want 2", len(list))
	}
	after := wantPage(t, "second page", f.get(pgLocal, fmt.Sprintf("/residents?after=%d", list[0].ID)), 200, list[1].Name)
	if strings.Contains(after, list[0].Name) {
		t.Errorf("second page: lists the first resident again")
	}
	wantPage(t, "bad after", f.get(pgLocal, "/residents?after=x"), 400)
	both := url.Values{"action": {"print"}, "id": {fmt.Sprint(list[0].ID), fmt.Sprint(list[1].ID)}}

	rec := f.post(pgLocal, "/residents/cards", both)
	wantPDF(t, "print", rec)
	if text := pdfText(t, rec); !strings.Contains(text, "Trần T*** B") || !strings.Contains(text, "Lê V*** C") || strings.Contains(text, "Bình") {
		t.Errorf("the cards' text lacks the masked names or shows a full one:\n%s", text)
	}
	wantPage(t, "list after printing", f.get(pgLocal, "/residents"), 200, "Thẻ số 1")

	wantPage(t, "nobody ticked", f.post(pgLocal, "/residents/cards", url.Values{"action": {"print"}}), 400, "Chưa chọn người nào", "Trần T*** B")
	wantPage(t, "not an id", f.post(pgLocal, "/residents/cards", url.Values{"action": {"print"}, "id": {"x"}}), 400, "Mã số không hợp lệ")
	wantPage(t, "no button", f.post(pgLocal, "/residents/cards", url.Values{"id": {fmt.Sprint(list[0].ID)}}), 400, "Dữ liệu không hợp lệ")
	before = f.residentsState(pgLocal)
	wantPage(t, "another commune's official", f.post(pgLocalFar, "/residents/cards", both), 404)
	wantPage(t, "a venue manager", f.get(pgManager, "/residents"), 403)
	wantPage(t, "a venue manager declaring", f.post(pgManager, "/residents/new", residentForm(nil)), 403)
	wantPage(t, "the other official's list", f.get(pgLocalFar, "/residents"), 200, "Bạn chưa khai báo hộ người dân nào")
	if after := f.residentsState(pgLocal); after != before {
		t.Fatalf("refused card requests changed data: before %s, after %s", before, after)
	}

	revoke := url.Values{"action": {"revoke"}, "id": {fmt.Sprint(list[0].ID)}}
	wantRedirect(t, "revoke", f.post(pgLocal, "/residents/cards", revoke), "/residents?revoked=1")
	wantPage(t, "list after revoking", f.get(pgLocal, "/residents?revoked=1"), 200, "Đã thu hồi thẻ", "Thẻ số 2", "Thẻ số 1")
	if got := f.residentsOf(pgLocal); got[0].CardSerial != 2 || got[1].CardSerial != 1 {
		t.Errorf("serials after revoking the first: got %d and %d, want 2 and 1", got[0].CardSerial, got[1].CardSerial)
	}
}
