package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ravao/ravao"
)

// checkpointOf is a checkpoint of a venue as the manager's API shows it.
func (f *placeFixture) checkpointOf(login string, venue, cp int64) checkpointJSON {
	f.t.Helper()
	rec := f.as(login, "GET", fmt.Sprintf("/api/v1/venues/%d", venue), "")
	var v venueDetailJSON
	decode(f.t, rec.Body, &v)
	for _, c := range v.Checkpoints {
		if c.ID == cp {
			return c
		}
	}
	f.t.Fatalf("venue %d: checkpoint %d not shown (status %d)", venue, cp, rec.Code)
	return checkpointJSON{}
}

func TestPlacesAPICodesRevokeReissue(t *testing.T) {
	f := newPlaceFixture(t)
	old := f.checkpointOf(managerA, f.venueA, f.cpA)
	if old.Code == "" || old.URL != "http://ravao.test/q/"+old.Code || old.Revoked {
		t.Fatalf("checkpoint: got %+v, want a live code and its URL", old)
	}
	rec := f.do(request{method: "GET", path: "/api/v1/codes/" + old.Code})
	var l landingJSON
	decode(t, rec.Body, &l)
	if rec.Code != 200 || l.Code != old.Code || l.Venue.Name != "Xưởng may số 1" || l.Organisation.Name != "Công ty May Hà Nam" ||
		l.Checkpoint.Name != "Cổng chính" || l.Venue.Place != "Phường Quang Trung, Thành phố Phủ Lý, Tỉnh Hà Nam" || l.Venue.Status != ravao.VenueApproved {
		t.Fatalf("landing: got %d %+v", rec.Code, l)
	}
	checkQRImages(t, f, true)
	cp := fmt.Sprint(f.cpA)
	rec = f.as(managerA, "POST", "/api/v1/checkpoints/"+cp+"/revoke", "")
	var c checkpointJSON
	decode(t, rec.Body, &c)
	if rec.Code != 200 || !c.Revoked || c.Code != "" || c.URL != "" {
		t.Fatalf("revoke: got %d %+v, want revoked without a code", rec.Code, c)
	}
	if rec := f.do(request{method: "GET", path: "/api/v1/codes/" + old.Code}); rec.Code != 404 {
		t.Errorf("revoked code: got %d, want 404", rec.Code)
	}
	checkQRImages(t, f, false)
	rec = f.as(managerA, "POST", "/api/v1/checkpoints/"+cp+"/reissue", "")
	decode(t, rec.Body, &c)
	if rec.Code != 200 || c.Revoked || c.Code == "" || c.Code == old.Code || c.Serial != old.Serial+1 {
		t.Fatalf("reissue: got %d %+v, want a new code with serial %d", rec.Code, c, old.Serial+1)
	}
	if rec := f.do(request{method: "GET", path: "/api/v1/codes/" + c.Code}); rec.Code != 200 {
		t.Errorf("new code: got %d, want 200", rec.Code)
	}
	if rec := f.do(request{method: "GET", path: "/api/v1/codes/" + old.Code}); rec.Code != 404 {
		t.Errorf("old code after reissue: got %d, want 404", rec.Code)
	}
	rec = f.as(managerA, "POST", "/api/v1/checkpoints/"+cp+"/reissue", "")
	decode(t, rec.Body, &c)
	if rec := f.do(request{method: "GET", path: "/api/v1/codes/" + old.Code}); rec.Code != 404 || c.Serial != old.Serial+2 {
		t.Errorf("first code after a second reissue: got %d (serial %d), want 404", rec.Code, c.Serial)
	}
}

// checkQRImages checks the QR images and the poster of the seeded
// checkpoint: drawn while its code lives, refused once revoked.
func checkQRImages(t *testing.T, f *placeFixture, live bool) {
	t.Helper()
	base := fmt.Sprintf("/api/v1/checkpoints/%d/", f.cpA)
	for _, tt := range []struct {
		path, ct string
		magic    []byte
	}{
		{"qr.png?px=300", "image/png", []byte("\x89PNG")},
		{"qr.svg", "image/svg+xml", []byte("<svg")},
		{"poster.pdf", "application/pdf", []byte("%PDF")},
	} {
		rec := f.as("health", "GET", base+tt.path, "")
		if !live {
			if got := apiError(t, rec); rec.Code != 404 || got.Message != f.srv.cat.T("vi", "err.checkpoint_revoked") {
				t.Errorf("%s of a revoked checkpoint: got %d %+v, want 404", tt.path, rec.Code, got)
			}
			continue
		}
		if rec.Code != 200 || rec.Header().Get("Content-Type") != tt.ct || !bytes.HasPrefix(rec.Body.Bytes(), tt.magic) {
			t.Errorf("%s: got %d %q, want %s", tt.path, rec.Code, rec.Header().Get("Content-Type"), tt.ct)
		}
	}
}

func TestPlacesAPIUnknownCodesAreLimited(t *testing.T) {
	f := newPlaceFixture(t)
	live := f.checkpointOf(managerA, f.venueA, f.cpA)
	var statuses []int
	for i := range 35 {
		rec := f.do(request{method: "GET", path: fmt.Sprintf("/api/v1/codes/%016d", i)})
		statuses = append(statuses, rec.Code)
		if rec.Code == http.StatusTooManyRequests {
			if got := apiError(t, rec); got.Code != ravao.TooMany || rec.Header().Get("Retry-After") == "" {
				t.Errorf("429: got %+v, Retry-After %q", got, rec.Header().Get("Retry-After"))
			}
		}
	}
	got := fmt.Sprint(statuses)
	want := strings.TrimSuffix(strings.Repeat("404 ", 30)+strings.Repeat("429 ", 5), " ")
	if got != "["+want+"]" {
		t.Errorf("unknown codes from one client: got %s, want 30 × 404 then 429", got)
	}
	if rec := f.do(request{method: "GET", path: "/api/v1/codes/" + live.Code}); rec.Code != 200 {
		t.Errorf("a real code after the limit: got %d, want 200 (scanning posters is never slowed)", rec.Code)
	}
}
