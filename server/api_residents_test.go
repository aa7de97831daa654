package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/personalqr"
)

// residentBody is a JSON declaration on a resident's behalf.
func residentBody(name, phone, unit string) string {
	return fmt.Sprintf(`{"consent":true,"profile":{"full_name":%q,"phone":%q,"birth_year":1948,"sex":"m","unit_code":%q},
		"answers":{"symptoms":["none"],"contact":["no"],"travel":["no"]}}`, name, phone, unit)
}

// scanCards reads the QR codes of a cards PDF, one payload per card.
func scanCards(t *testing.T, pdf []byte) []string {
	t.Helper()
	pdftoppm, zbarimg := testenv.Tool(t, "pdftoppm"), testenv.Tool(t, "zbarimg")
	dir := t.TempDir()
	path := filepath.Join(dir, "cards.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(pdftoppm, "-r", "150", "-gray", "-png", "-singlefile", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	out, err := exec.Command(zbarimg, "--raw", "-q", filepath.Join(dir, "page.png")).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	codes := strings.Fields(string(out))
	slices.Sort(codes)
	return codes
}

func TestResidentsAPIDeclareListPrintRevoke(t *testing.T) {
	f := newPagesFixture(t)
	var ids []int64
	for _, body := range []string{residentBody("Phạm Văn Đức", "", "13321"), residentBody("Đỗ Thị Hoa", "0977 111 222", "13321")} {
		rec := f.do(request{method: "POST", path: "/api/v1/residents", body: body, token: f.tokens[pgLocal]})
		var out struct{ ID int64 }
		decode(t, rec.Body, &out)
		if rec.Code != http.StatusCreated || out.ID == 0 {
			t.Fatalf("declare: got %d %+v, want 201 with an id", rec.Code, out)
		}
		ids = append(ids, out.ID)
	}
	slices.Sort(ids)

	var page struct {
		Residents []residentJSON
		NextAfter *int64 `json:"next_after"`
	}
	rec := f.do(request{method: "GET", path: "/api/v1/residents?limit=1", token: f.tokens[pgLocal]})
	decode(t, rec.Body, &page)
	if rec.Code != 200 || len(page.Residents) != 1 || page.Residents[0].ID != ids[0] || page.NextAfter == nil || *page.NextAfter != ids[0] {
		t.Fatalf("first page: got %d %+v, want the first resident and next_after", rec.Code, page)
	}
	rec = f.do(request{method: "GET", path: fmt.Sprintf("/api/v1/residents?after=%d", ids[0]), token: f.tokens[pgLocal]})
	page.NextAfter = nil
	decode(t, rec.Body, &page)
	if len(page.Residents) != 1 || page.Residents[0].ID != ids[1] || page.NextAfter != nil {
		t.Fatalf("second page: got %+v, want the second resident and no next_after", page)
	}
	rec = f.do(request{method: "GET", path: "/api/v1/residents", token: f.tokens[pgLocal]})
	if body := rec.Body.String(); !strings.Contains(body, `"name":"Phạm V*** Đ"`) || !strings.Contains(body, `"name":"Đỗ T*** H"`) ||
		strings.Contains(body, "Hoa") || strings.Contains(body, "0977") || !strings.Contains(body, `"card_serial":0`) {
		t.Errorf("list: want masked names, no phone, no card yet: %s", body)
	}

	both := fmt.Sprintf(`{"ids":[%d,%d]}`, ids[0], ids[1])
	rec = f.do(request{method: "POST", path: "/api/v1/residents/cards", body: both, token: f.tokens[pgLocal]})
	wantPDF(t, "print", rec)
	pdf := rec.Body.Bytes()
	if text := pdfText(t, rec); !strings.Contains(text, "Phạm V*** Đ") || !strings.Contains(text, "Đỗ T*** H") {
		t.Errorf("the cards' text lacks the masked names:\n%s", text)
	}
	codes := scanCards(t, pdf)
	if len(codes) != 2 {
		t.Fatalf("scanned %d codes, want 2", len(codes))
	}
	owner := map[int64]string{}
	for _, c := range codes {
		claims, err := f.visits.CheckPersonalQR(context.Background(), c)
		if err != nil || claims.Kind != personalqr.KindCard || claims.Serial != 1 {
			t.Fatalf("printed card: claims %+v (%v), want a valid card with serial 1", claims, err)
		}
		owner[claims.PersonID] = c
	}

	rec = f.do(request{method: "POST", path: "/api/v1/residents/cards/revoke", body: fmt.Sprintf(`{"ids":[%d]}`, ids[0]), token: f.tokens[pgLocal]})
	if rec.Code != http.StatusNoContent {
		t.Fatalf("revoke: got %d %s, want 204", rec.Code, rec.Body)
	}
	if _, err := f.visits.CheckPersonalQR(context.Background(), owner[ids[0]]); !errors.Is(err, personalqr.ErrInvalid) {
		t.Errorf("revoked card: got %v, want it invalid", err)
	}
	if _, err := f.visits.CheckPersonalQR(context.Background(), owner[ids[1]]); err != nil {
		t.Errorf("the other card after revoking one: %v, want it still valid", err)
	}
	if got := f.residentsOf(pgLocal); got[0].CardSerial != 2 || got[1].CardSerial != 1 {
		t.Errorf("serials: got %d and %d, want 2 and 1", got[0].CardSerial, got[1].CardSerial)
	}
}

func TestResidentsAPIRefusesChangingNothing(t *testing.T) {
	f := newPagesFixture(t)
	rec := f.do(request{method: "POST", path: "/api/v1/residents", body: residentBody("Phạm Văn Đức", "", "13321"), token: f.tokens[pgLocal]})
	if rec.Code != http.StatusCreated {
		t.Fatalf("declare: got %d %s", rec.Code, rec.Body)
	}
	id := f.residentsOf(pgLocal)[0].ID
	noConsent := strings.Replace(residentBody("Lê Văn Em", "", "13321"), `"consent":true`, `"consent":false`, 1)
	tests := []struct {
		name, login, method, path, body string
		status                          int
		code                            ravao.Code
		field, fkey                     string
	}{
		{"not JSON", pgLocal, "POST", "/api/v1/residents", `{"consent":`, 400, ravao.Invalid, "", ""},
		{"phone-link proof", pgLocal, "POST", "/api/v1/residents", strings.Replace(residentBody("Lê Văn Em", "", "13321"), `"consent"`, `"code":"123456","consent"`, 1), 400, ravao.Invalid, "", ""},
		{"no consent", pgLocal, "POST", "/api/v1/residents", noConsent, 400, ravao.Invalid, "consent", "err.consent_official"},
		{"another commune", pgLocal, "POST", "/api/v1/residents", residentBody("Lê Văn Em", "", "14371"), 400, ravao.Invalid, "unit", "err.unit_out_of_scope"},
		{"known phone", pgLocal, "POST", "/api/v1/residents", residentBody("Lê Văn Em", personPhone, "13321"), 400, ravao.Invalid, "phone", "err.person_known"},
		{"bad limit", pgLocal, "GET", "/api/v1/residents?limit=101", "", 400, ravao.Invalid, "limit", "err.limit"},
		{"bad after", pgLocal, "GET", "/api/v1/residents?after=x", "", 400, ravao.Invalid, "after", "err.id"},
		{"no ids", pgLocal, "POST", "/api/v1/residents/cards", `{"ids":[]}`, 400, ravao.Invalid, "", ""},
		{"ids not numbers", pgLocal, "POST", "/api/v1/residents/cards", `{"ids":["a"]}`, 400, ravao.Invalid, "", ""},
		{"unknown id", pgLocal, "POST", "/api/v1/residents/cards", fmt.Sprintf(`{"ids":[%d,%d]}`, id, id+1), 404, ravao.NotFound, "", ""},
		{"the seeded visitor", pgLocal, "POST", "/api/v1/residents/cards/revoke", fmt.Sprintf(`{"ids":[%d]}`, f.person), 404, ravao.NotFound, "", ""},
		{"another official's resident", pgLocalFar, "POST", "/api/v1/residents/cards", fmt.Sprintf(`{"ids":[%d]}`, id), 404, ravao.NotFound, "", ""},
		{"another official revoking", pgLocalFar, "POST", "/api/v1/residents/cards/revoke", fmt.Sprintf(`{"ids":[%d]}`, id), 404, ravao.NotFound, "", ""},
		{"venue manager declaring", pgManager, "POST", "/api/v1/residents", residentBody("Lê Văn Em", "", "13321"), 403, ravao.Forbidden, "", ""},
		{"venue manager listing", pgManager, "GET", "/api/v1/residents", "", 403, ravao.Forbidden, "", ""},
		{"venue manager printing", pgManager, "POST", "/api/v1/residents/cards", fmt.Sprintf(`{"ids":[%d]}`, id), 403, ravao.Forbidden, "", ""},
		{"health official revoking", "health", "POST", "/api/v1/residents/cards/revoke", fmt.Sprintf(`{"ids":[%d]}`, id), 403, ravao.Forbidden, "", ""},
		{"nobody", "", "GET", "/api/v1/residents", "", 401, ravao.Unauthorized, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.residentsState(pgLocal)
			rec := f.do(request{method: tt.method, path: tt.path, body: tt.body, token: f.tokens[tt.login]})
			if rec.Code != tt.status {
				t.Fatalf("got %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			got := apiError(t, rec)
			if got.Code != tt.code || got.Message == "" {
				t.Errorf("got %+v, want code %s with a message", got, tt.code)
			}
			if tt.field != "" && got.Fields[tt.field] != f.srv.cat.T("vi", tt.fkey) {
				t.Errorf("field %s: got %q, want %q", tt.field, got.Fields[tt.field], f.srv.cat.T("vi", tt.fkey))
			}
			if after := f.residentsState(pgLocal); after != before {
				t.Errorf("the request changed data: before %s, after %s", before, after)
			}
		})
	}
	if list := f.residentsOf(pgLocalFar); len(list) != 0 {
		t.Errorf("the other official lists %d residents, want none", len(list))
	}
}

func TestResidentsAPIIsDocumented(t *testing.T) {
	f := newPagesFixture(t)
	var doc struct {
		Paths map[string]map[string]struct{ Tags []string }
	}
	decode(t, f.do(request{method: "GET", path: "/api/v1/openapi.json"}).Body, &doc)
	for _, op := range []struct{ path, method string }{
		{"/api/v1/residents", "post"}, {"/api/v1/residents", "get"},
		{"/api/v1/residents/cards", "post"}, {"/api/v1/residents/cards/revoke", "post"},
	} {
		if got := doc.Paths[op.path][op.method].Tags; !slices.Equal(got, []string{"residents"}) {
			t.Errorf("%s %s: tags %v, want [residents]", op.method, op.path, got)
		}
	}
}
