package server

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
)

// Logins of the accounts pagesFixture adds to newEnv's.
const (
	pgManager  = "pg.manager"  // venue manager of the seeded organisation
	pgManagerB = "pg.managerb" // venue manager of organisation B
	pgLocal    = "pg.local"    // local official of Phường Quang Trung (13321)
	pgLocalFar = "pg.local37"  // local official of a ward of Ninh Bình (37)
)

// pagesFixture is newEnv with a second organisation whose market waits for
// approval in the same ward as the seeded workshop, a ward of Ninh Bình,
// and the managers and officials of both.
type pagesFixture struct {
	*env
	org, venue, cp    int64 // the seeded "Xưởng may số 1"
	orgB, market, cpB int64 // "Chợ Quang Trung", pending
}

func newPagesFixture(t *testing.T) *pagesFixture {
	t.Helper()
	f := &pagesFixture{env: newEnv(t)}
	ctx := context.Background()
	err := f.store.Update(ctx, func(tx ravao.Tx) error {
		_, err := tx.PutUnits([]ravao.Unit{
			{Version: "demo", Code: "369", ParentCode: "37", Level: 2, Name: "Ninh Bình", FullName: "Thành phố Ninh Bình", NameEn: "Ninh Binh", FullNameEn: "Ninh Binh City"},
			{Version: "demo", Code: "14371", ParentCode: "369", Level: 3, Name: "Ninh Khánh", FullName: "Phường Ninh Khánh", NameEn: "Ninh Khanh", FullNameEn: "Ninh Khanh Ward"},
		})
		if err != nil {
			return err
		}
		vs, err := tx.Venues(ravao.VenueFilter{})
		if err != nil || len(vs) != 1 {
			return fmt.Errorf("seeded venues: %d, %v", len(vs), err)
		}
		cps, err := tx.Checkpoints(ravao.CheckpointFilter{VenueID: vs[0].ID})
		if err != nil || len(cps) != 1 {
			return fmt.Errorf("seeded checkpoints: %d, %v", len(cps), err)
		}
		f.org, f.venue, f.cp = vs[0].OrganisationID, vs[0].ID, cps[0].ID
		f.orgB, f.market, f.cpB, err = pgAddMarket(tx)
		return err
	})
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	f.addUser(ctx, pgManager, "Nguyễn Văn Quản Lý", staffPassword, ravao.RoleAssignment{Role: ravao.RoleVenueManager, OrganisationID: f.org})
	f.addUser(ctx, pgManagerB, "Đỗ Thị Chợ", staffPassword, ravao.RoleAssignment{Role: ravao.RoleVenueManager, OrganisationID: f.orgB})
	f.addUser(ctx, pgLocal, "Vũ Văn Phường", staffPassword, ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "13321"})
	f.addUser(ctx, pgLocalFar, "Hoàng Thị Ninh", staffPassword, ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: "14371"})
	return f
}

// pgAddMarket stores organisation B with a pending market and one gate.
func pgAddMarket(tx ravao.Tx) (org, venue, cp int64, err error) {
	o := ravao.Organisation{Name: "Ban quản lý chợ Quang Trung", UnitCode: "13321", Sector: ravao.SectorCommerce}
	if err := tx.CreateOrganisation(&o); err != nil {
		return 0, 0, 0, err
	}
	v := ravao.Venue{OrganisationID: o.ID, Name: "Chợ Quang Trung", Type: ravao.VenueMarket, Sector: ravao.SectorCommerce,
		UnitCode: "13321", UnitPath: "35/347/13321/", Address: "12 Lê Lợi", Status: ravao.VenuePending, DefaultStay: time.Hour}
	if err := tx.CreateVenue(&v); err != nil {
		return 0, 0, 0, err
	}
	c := ravao.Checkpoint{VenueID: v.ID, Name: "Cổng chợ", Kind: ravao.CheckpointGate}
	err = tx.CreateCheckpoint(&c)
	return o.ID, v.ID, c.ID, err
}

// get is a page request by one of the accounts ("" for nobody).
func (f *pagesFixture) get(login, path string) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(request{method: "GET", path: path, token: f.tokens[login]})
}

// post submits a form as one of the accounts ("" for nobody).
func (f *pagesFixture) post(login, path string, form url.Values) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(request{method: "POST", path: path, body: form.Encode(), form: true, token: f.tokens[login]})
}

// principalOf is the principal behind an account's token.
func (f *pagesFixture) principalOf(login string) *ravao.Principal {
	f.t.Helper()
	p, err := f.auth.Bearer(context.Background(), f.tokens[login])
	if err != nil {
		f.t.Fatalf("principal of %s: %v", login, err)
	}
	return p
}

// view is a place as the service shows it to an administrator.
func (f *pagesFixture) view(id int64) places.VenueView {
	f.t.Helper()
	v, err := f.places.Venue(context.Background(), f.principalOf("admin"), id)
	if err != nil {
		f.t.Fatalf("venue %d: %v", id, err)
	}
	return v
}

// wantPage checks a page's status and that its body holds every want.
func wantPage(t *testing.T, what string, rec *httptest.ResponseRecorder, status int, want ...string) string {
	t.Helper()
	body := rec.Body.String()
	if rec.Code != status {
		t.Errorf("%s: got status %d, want %d", what, rec.Code, status)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: body lacks %q", what, w)
		}
	}
	return body
}

func TestPlacePagesRender(t *testing.T) {
	f := newPagesFixture(t)
	code := f.view(f.venue).Checkpoints[0].Code
	invite, _, err := f.places.Invite(context.Background(), f.principalOf(pgManager), []int64{f.cp})
	if err != nil {
		t.Fatal(err)
	}
	venue, market := placeURL(f.venue), placeURL(f.market)
	for _, tt := range []struct {
		login, path string
		want        []string
	}{
		{"", "/register", []string{"Đăng ký địa điểm", `<option value="35">Tỉnh Hà Nam</option>`, `name="phone"`}},
		{"", "/dev/outbox", []string{"Hộp thư SMS", "chạy thử"}},
		{"", "/q/" + code, []string{"Xưởng may số 1", "Cổng chính", "Phường Quang Trung, Thành phố Phủ Lý, Tỉnh Hà Nam", "mã QR chính thức"}},
		{"", "/invite/" + invite, []string{"Công ty May Hà Nam", "Cổng chính", `name="password"`}},
		{pgManager, "/places", []string{"Xưởng may số 1", "Đã duyệt", "/api/v1/organisations/"}},
		{pgLocal, "/places?status=pending", []string{"Chợ Quang Trung", "Chờ duyệt"}},
		{pgManager, venue, []string{"Xưởng may số 1", "Công ty May Hà Nam", "/api/v1/checkpoints/", "qr.png", "poster.pdf?size=A4", "poster.pdf?size=A5", "/revoke", "/invitations"}},
		{pgLocal, market, []string{"Chợ Quang Trung", "/approve", "/suspend", `name="reason"`}},
		{pgManager, venue + "/poster", []string{"Xưởng may số 1", "Cổng chính", code, "Quét mã QR"}},
		{pgManager, "/places/import", []string{`enctype="multipart/form-data"`, `name="valid_only"`}},
		{pgManager, "/home", []string{"Địa điểm của bạn", "Xưởng may số 1", `href="/places"`}},
		{pgLocal, "/home", []string{`href="/places?status=pending"`}},
		{"admin", "/home", []string{`href="/places"`}},
	} {
		body := wantPage(t, tt.login+" "+tt.path, f.get(tt.login, tt.path), http.StatusOK, tt.want...)
		if strings.Contains(body, "%!") || strings.Contains(body, "msg.missing") {
			t.Errorf("%s: a message is broken", tt.path)
		}
	}
	// The local official approves but does not manage: no manager forms.
	if body := f.get(pgLocal, venue).Body.String(); strings.Contains(body, "/revoke") || strings.Contains(body, "/invitations") {
		t.Errorf("an official's view of a place shows the manager's forms")
	}
	// English, for the same pages.
	rec := f.do(request{method: "GET", path: market, token: f.tokens[pgLocal], lang: "en"})
	wantPage(t, "place in English", rec, http.StatusOK, "Pending", "Approve this place", "Market or supermarket")
}

func TestPlacePagesScope(t *testing.T) {
	f := newPagesFixture(t)
	before := f.placesState()
	venue := placeURL(f.venue)
	for _, tt := range []struct {
		login, method, path string
		status              int
	}{
		{pgManagerB, "GET", venue, http.StatusNotFound},
		{pgManagerB, "GET", venue + "/poster", http.StatusNotFound},
		{pgManagerB, "POST", venue + "/checkpoints", http.StatusNotFound},
		{pgManagerB, "POST", venue + "/invitations", http.StatusNotFound},
		{pgManagerB, "POST", fmt.Sprintf("/places/checkpoints/%d/revoke", f.cp), http.StatusNotFound},
		{pgLocalFar, "GET", venue, http.StatusNotFound},
		{pgLocalFar, "POST", placeURL(f.market) + "/approve", http.StatusNotFound},
		{pgManager, "POST", placeURL(f.market) + "/approve", http.StatusForbidden},
		{"gate", "GET", "/places", http.StatusForbidden},
		{"", "GET", venue, http.StatusSeeOther},
	} {
		form := url.Values{"name": {"Cổng lạ"}, "checkpoint": {fmt.Sprint(f.cp)}, "reason": {"x"}}
		var rec *httptest.ResponseRecorder
		if tt.method == "GET" {
			rec = f.get(tt.login, tt.path)
		} else {
			rec = f.post(tt.login, tt.path, form)
		}
		body := wantPage(t, tt.login+" "+tt.method+" "+tt.path, rec, tt.status)
		if tt.status == http.StatusNotFound && strings.Contains(body, "Xưởng may số 1") {
			t.Errorf("%s %s: the 404 page names the place", tt.login, tt.path)
		}
	}
	if got := f.placesState(); got != before {
		t.Errorf("refused requests changed the data:\n got %s\nwant %s", got, before)
	}
	// The list of manager B holds only B's place.
	body := f.get(pgManagerB, "/places").Body.String()
	if strings.Contains(body, "Xưởng may số 1") || !strings.Contains(body, "Chợ Quang Trung") {
		t.Errorf("manager B's list: got %q", body)
	}
}

// smsCode finds the six-digit code in an SMS text.
var smsCode = regexp.MustCompile(`\b\d{6}\b`)

// hiddenChallenge finds the challenge secret in step 2 of registration.
var hiddenChallenge = regexp.MustCompile(`name="challenge" value="([^"]+)"`)

// pgRegisterForm is a complete step 2 of registration.
func pgRegisterForm(challenge, code string) url.Values {
	return url.Values{
		"step": {"register"}, "challenge": {challenge}, "code": {code},
		"organisation": {"Hộ kinh doanh Bánh cuốn Bà Hai"}, "name": {"Quán bánh cuốn Bà Hai"},
		"type": {"restaurant"}, "sector": {""}, "province": {"35"}, "unit": {"13321"},
		"address": {"5 Trần Phú"}, "opening_hours": {"6:00–10:00"}, "capacity": {"20"},
		"contact_name": {"Trần Thị Hai"}, "contact_phone": {"0912 000 111"},
		"checkpoints": {"Cửa trước\nCửa sau\n"}, "login": {"baihai"}, "display_name": {"Trần Thị Hai"},
		"password": {"bánh-cuốn-nóng-hổi"},
	}
}

func TestRegisterPages(t *testing.T) {
	f := newPagesFixture(t)
	before := f.placesState()

	rec := f.post("", "/register", url.Values{"step": {"phone"}, "phone": {"12345"}, "province": {"35"}})
	wantPage(t, "bad phone", rec, http.StatusBadRequest, "Số điện thoại không hợp lệ.", `value="12345"`)
	rec = f.post("", "/register", url.Values{"step": {"phone"}, "phone": {"0912000111"}, "province": {"99"}})
	wantPage(t, "unknown province", rec, http.StatusBadRequest, "Mã đơn vị hành chính không có trong danh mục.")
	if n := len(f.outbox.Messages()); n != 0 {
		t.Fatalf("refused step 1 sent %d SMS", n)
	}

	rec = f.post("", "/register", url.Values{"step": {"phone"}, "phone": {"0912 000 111"}, "province": {"35"}})
	body := wantPage(t, "step 2", rec, http.StatusOK, "0912000111", `<optgroup label="Thành phố Phủ Lý">`, `value="13321"`,
		`name="tax_code"`, "Mã số thuế")
	m := hiddenChallenge.FindStringSubmatch(body)
	msgs := f.outbox.Messages()
	if m == nil || len(msgs) != 1 || !smsCode.MatchString(msgs[0].Text) {
		t.Fatalf("step 2: challenge %v, SMS %v", m, msgs)
	}
	if strings.Contains(rec.Header().Get("Location"), "0912") {
		t.Errorf("the phone went into a URL")
	}
	challenge, code := m[1], smsCode.FindString(msgs[0].Text)

	// Another province keeps what was typed.
	form := pgRegisterForm(challenge, code)
	form.Set("step", "province")
	form.Set("province", "37")
	wantPage(t, "change province", f.post("", "/register", form), http.StatusOK,
		"Quán bánh cuốn Bà Hai", `value="14371"`, `name="challenge" value="`+challenge)

	// Bad fields: every message beside its field, typed text kept, secrets not.
	form = pgRegisterForm(challenge, code)
	form.Set("organisation", " ")
	form.Set("login", "Bà Hai!")
	form.Set("capacity", "nhiều")
	rec = f.post("", "/register", form)
	body = wantPage(t, "bad fields", rec, http.StatusBadRequest, `id="e-organisation"`, "Tên địa điểm không hợp lệ.",
		`id="e-login"`, `id="e-capacity"`, "Sức chứa không hợp lệ.", "Quán bánh cuốn Bà Hai", "Cửa trước")
	if strings.Contains(body, "bánh-cuốn-nóng-hổi") || strings.Contains(body, `value="`+code+`"`) {
		t.Errorf("the form came back with the password or the code")
	}
	form = pgRegisterForm(challenge, code)
	form.Set("tax_code", "0101 2345")
	wantPage(t, "bad tax code", f.post("", "/register", form), http.StatusBadRequest, `id="e-tax-code"`,
		"Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số cho chi nhánh", `value="0101 2345"`, `aria-describedby="h-tax-code e-tax-code" aria-invalid="true"`)
	form = pgRegisterForm(challenge, "000000")
	if code == "000000" {
		form.Set("code", "111111")
	}
	wantPage(t, "wrong code", f.post("", "/register", form), http.StatusBadRequest, "Mã xác nhận không đúng.")
	form = pgRegisterForm(challenge, code)
	form.Set("login", "admin")
	wantPage(t, "taken login", f.post("", "/register", form), http.StatusConflict, "Tên đăng nhập này đã có người dùng.")
	if got := f.placesState(); got != before {
		t.Fatalf("refused registrations changed the data:\n got %s\nwant %s", got, before)
	}

	form = pgRegisterForm(challenge, code)
	form.Set("tax_code", "0101 234 567")
	rec = f.post("", "/register", form)
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/places/") {
		t.Fatalf("register: got %d to %q, want 303 to /places/{id}", rec.Code, loc)
	}
	session := pgSession(t, rec)
	rec = f.do(request{method: "GET", path: loc, cookies: []*http.Cookie{session}})
	wantPage(t, "new place", rec, http.StatusOK, "Quán bánh cuốn Bà Hai", "Chờ duyệt", "Cửa trước", "Cửa sau", "0912000111",
		"<dt>Mã số thuế</dt><dd>0101234567</dd>")
}

// pgSession is the session cookie a response sets.
func pgSession(t *testing.T, rec *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie && c.Value != "" {
			return c
		}
	}
	t.Fatalf("no session cookie in %v", rec.Result().Header)
	return nil
}

func TestLandingPage(t *testing.T) {
	f := newPagesFixture(t)
	code := f.view(f.venue).Checkpoints[0].Code
	rec := f.get("", "/q/"+code)
	body := wantPage(t, "landing", rec, http.StatusOK, "Xưởng may số 1", "Công ty May Hà Nam", "Phường Quang Trung")
	if len(body) >= 50<<10 {
		t.Errorf("landing page is %d bytes, want under 50 KB", len(body))
	}
	if strings.Contains(body, "tạm dừng") || strings.Contains(body, "chờ chính quyền") {
		t.Errorf("an approved place shows a status notice")
	}
	wantPage(t, "pending place", f.get("", "/q/"+f.view(f.market).Checkpoints[0].Code), http.StatusOK, "Chợ Quang Trung", "đang chờ chính quyền địa phương duyệt")
	if _, err := f.places.Suspend(context.Background(), f.principalOf(pgLocal), f.venue, "Áp phích bị làm giả"); err != nil {
		t.Fatal(err)
	}
	body = wantPage(t, "suspended place", f.get("", "/q/"+code), http.StatusOK, "đang bị chính quyền địa phương tạm dừng")
	if strings.Contains(body, "Áp phích bị làm giả") {
		t.Errorf("the landing page shows the reason of a suspension")
	}

	mutated := code[:len(code)-1] + string("0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(strings.IndexByte("0123456789ABCDEFGHJKMNPQRSTVWXYZ", code[len(code)-1])+1)%32])
	for _, bad := range []string{mutated, "35", strings.Repeat("Z", 200)} {
		body := wantPage(t, "unknown code "+bad, f.get("", "/q/"+bad), http.StatusNotFound, "Mã QR không hợp lệ")
		if strings.Contains(body, "Xưởng may") || strings.Contains(body, "Công ty") {
			t.Errorf("unknown code page reveals the place")
		}
	}
	status := 0
	for i := 0; i < 40 && status != http.StatusTooManyRequests; i++ {
		rec := f.get("", "/q/"+mutated)
		status = rec.Code
	}
	if status != http.StatusTooManyRequests {
		t.Errorf("40 unknown codes: last status %d, want 429", status)
	}
}

func TestPlaceStatusForms(t *testing.T) {
	f := newPagesFixture(t)
	market := placeURL(f.market)
	before := f.placesState()
	wantPage(t, "suspend without reason", f.post(pgLocal, market+"/suspend", url.Values{"reason": {"  "}}),
		http.StatusBadRequest, `id="e-suspend-reason"`, "Cần ghi rõ lý do.")
	rec := f.do(request{method: "POST", path: market + "/suspend", body: "reason=", form: true, token: f.tokens[pgLocal], lang: "en"})
	wantPage(t, "suspend without reason in English", rec, http.StatusBadRequest, "Please give a reason.")
	wantPage(t, "reinstate a pending place", f.post(pgLocal, market+"/reinstate", url.Values{"reason": {"ok"}}),
		http.StatusConflict, "Chỉ khôi phục được địa điểm đang bị tạm dừng.")
	if got := f.placesState(); got != before {
		t.Fatalf("refused forms changed the data:\n got %s\nwant %s", got, before)
	}

	rec = f.post(pgLocal, market+"/approve", nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != market+"?done=approve#status" {
		t.Fatalf("approve: got %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	wantPage(t, "approved", f.get(pgLocal, market+"?done=approve"), http.StatusOK, "Đã duyệt địa điểm.", "Đã duyệt")

	reason := "Không kiểm soát người ra vào ngày 12/8"
	if rec := f.post(pgLocal, market+"/suspend", url.Values{"reason": {reason}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("suspend: got %d", rec.Code)
	}
	wantPage(t, "manager's home", f.get(pgManagerB, "/home"), http.StatusOK, "Chợ Quang Trung", "Tạm dừng", reason)
	if rec := f.post(pgLocal, market+"/reinstate", url.Values{"reason": {"Đã khắc phục"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("reinstate: got %d", rec.Code)
	}
	if v := f.view(f.market); v.Status != ravao.VenueApproved || v.StatusReason != "Đã khắc phục" {
		t.Errorf("after reinstating: status %s, reason %q", v.Status, v.StatusReason)
	}
}

func TestCheckpointForms(t *testing.T) {
	f := newPagesFixture(t)
	venue := placeURL(f.venue)
	before := f.placesState()
	rec := f.post(pgManager, venue+"/checkpoints", url.Values{"name": {"Cổng sau"}, "plate": {"90B-123.45"}})
	wantPage(t, "plate on a gate", rec, http.StatusBadRequest, "Chỉ phương tiện mới có biển số và tuyến.", `value="Cổng sau"`)
	wantPage(t, "no name", f.post(pgManager, venue+"/checkpoints", url.Values{"name": {""}}), http.StatusBadRequest, `id="e-cp-name"`)
	if got := f.placesState(); got != before {
		t.Fatalf("refused forms changed the data:\n got %s\nwant %s", got, before)
	}
	rec = f.post(pgManager, venue+"/checkpoints", url.Values{"name": {"Cổng sau"}, "kind": {"gate"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("add checkpoint: got %d: %s", rec.Code, rec.Body)
	}
	wantPage(t, "added", f.get(pgManager, venue+"?done=checkpoint"), http.StatusOK, "Đã thêm điểm kiểm soát.", "Cổng sau")

	old := f.view(f.venue).Checkpoints[0].Code
	rec = f.post(pgManager, fmt.Sprintf("/places/checkpoints/%d/revoke", f.cp), nil)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), venue+"?done=revoke") {
		t.Fatalf("revoke: got %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	wantPage(t, "revoked code", f.get("", "/q/"+old), http.StatusNotFound)
	wantPage(t, "revoked", f.get(pgManager, venue), http.StatusOK, "Đã thu hồi mã")
	if rec := f.post(pgManager, fmt.Sprintf("/places/checkpoints/%d/reissue", f.cp), nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("reissue: got %d", rec.Code)
	}
	fresh := f.view(f.venue).Checkpoints[0].Code
	if fresh == old || f.get("", "/q/"+fresh).Code != http.StatusOK || f.get("", "/q/"+old).Code != http.StatusNotFound {
		t.Errorf("reissue: new code %q (old %q) does not replace the old one", fresh, old)
	}
}

// inviteLinkIn finds the invitation link on a place's page.
var inviteLinkIn = regexp.MustCompile(`id="invite-link"[^>]*>http://ravao\.test/invite/([0-9A-Z]+)<`)

func TestInvitationPages(t *testing.T) {
	f := newPagesFixture(t)
	venue := placeURL(f.venue)
	before := f.placesState()
	wantPage(t, "no checkpoint ticked", f.post(pgManager, venue+"/invitations", nil), http.StatusBadRequest, "Thông tin này là bắt buộc.")
	if got := f.placesState(); got != before {
		t.Fatalf("a refused invitation changed the data")
	}
	rec := f.post(pgManager, venue+"/invitations", url.Values{"checkpoint": {fmt.Sprint(f.cp)}})
	body := wantPage(t, "invitation", rec, http.StatusOK, "Đã tạo lời mời")
	m := inviteLinkIn.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no invitation link on the page")
	}
	invite := "/invite/" + m[1]
	wantPage(t, "invite page", f.get("", invite), http.StatusOK, "Công ty May Hà Nam", "Cổng chính")

	before = f.placesState()
	form := url.Values{"login": {"bao.ve2"}, "display_name": {"Lê Văn Hai"}, "password": {"ngắn"}}
	body = wantPage(t, "short password", f.post("", invite, form), http.StatusBadRequest, `id="e-password"`, "Mật khẩu quá ngắn", `value="bao.ve2"`)
	if strings.Contains(body, "ngắn\"") {
		t.Errorf("the password came back in the form")
	}
	if got := f.placesState(); got != before {
		t.Fatalf("a refused account changed the data")
	}
	form.Set("password", "mật-khẩu-bảo-vệ-2")
	rec = f.post("", invite, form)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/home" {
		t.Fatalf("accept: got %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	home := f.do(request{method: "GET", path: "/home", cookies: []*http.Cookie{pgSession(t, rec)}})
	wantPage(t, "gate staff home", home, http.StatusOK, "Lê Văn Hai", "Cổng chính")
	wantPage(t, "used invitation", f.get("", invite), http.StatusNotFound, "Lời mời không hợp lệ")
	wantPage(t, "unknown invitation", f.get("", "/invite/AAAAAAAAAAAA"), http.StatusNotFound)
}

// multipartFile is a form with one uploaded file and other fields.
func multipartFile(t testing.TB, name string, content []byte, fields map[string]string) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(content)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), b.Bytes()
}

// upload posts a file to the import page as login.
func (f *pagesFixture) upload(login, name string, content []byte, fields map[string]string) *httptest.ResponseRecorder {
	f.t.Helper()
	ctype, body := multipartFile(f.t, name, content, fields)
	req := httptest.NewRequest("POST", "/places/import", bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+f.tokens[login])
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	return rec
}

func TestImportPage(t *testing.T) {
	f := newPagesFixture(t)
	csv := "Tổ chức,Tên cơ sở,Loại,Ngành,Mã đơn vị,Địa chỉ,Số điện thoại,Điểm kiểm soát\n" +
		"Trường Tiểu học Quang Trung,Cơ sở chính,school,education,13321,1 Lý Thường Kiệt,0912345001,2\n" +
		"Trường Tiểu học Quang Trung,Cơ sở 2,truong,education,13321,,0912345002,\n" +
		"Nhà thuốc Minh Tâm,Nhà thuốc,business,commerce,99999,,0912345003,\n"
	before := f.placesState()
	rec := f.upload(pgLocal, "truong.csv", []byte(csv), nil)
	body := wantPage(t, "bad rows", rec, http.StatusBadRequest, "Chưa lưu gì", "<td>3</td><td>Loại</td>", "Loại địa điểm không hợp lệ.",
		"<td>4</td><td>Mã đơn vị hành chính</td>", "Mã đơn vị hành chính không có trong danh mục.")
	if strings.Contains(body, "import-created") {
		t.Errorf("a refused import lists created places")
	}
	wantPage(t, "not a spreadsheet", f.upload(pgLocal, "truong.pdf", []byte("%PDF"), nil), http.StatusBadRequest, "Chỉ nhận tệp .csv hoặc .xlsx.")
	wantPage(t, "no file", f.do(request{method: "POST", path: "/places/import", body: "{}", token: f.tokens[pgLocal]}), http.StatusBadRequest)
	if got := f.placesState(); got != before {
		t.Fatalf("refused imports changed the data:\n got %s\nwant %s", got, before)
	}

	rec = f.upload(pgLocal, "truong.csv", []byte(csv), map[string]string{"valid_only": "1"})
	body = wantPage(t, "valid rows only", rec, http.StatusOK, "Đã tạo 1 địa điểm từ 3 dòng dữ liệu.", "Cơ sở chính", "/api/v1/imports/", "posters.pdf?size=A4", "<td>3</td>")
	if !strings.Contains(body, `name="valid_only" value="1" checked`) {
		t.Errorf("the valid-only box is not kept ticked")
	}
}

func TestOutboxNeedsTheDevelopmentSender(t *testing.T) {
	f := newPagesFixture(t)
	if _, err := f.places.RequestCode(context.Background(), "0912000222", "register", "vi"); err != nil {
		t.Fatal(err)
	}
	body := wantPage(t, "outbox", f.get("", "/dev/outbox"), http.StatusOK, "091****222")
	if strings.Contains(body, "0912000222") {
		t.Errorf("the outbox shows a phone in full")
	}
	srv, err := New(Config{BaseURL: "http://ravao.test"}, Deps{Store: f.store, Auth: f.auth, Places: f.places, Vault: f.vault})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/dev/outbox", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("outbox without the development sender: got %d, want 404", rec.Code)
	}
}
