package server

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// vpFixture is the seeded place with its code, for the visitor pages.
type vpFixture struct {
	*pagesFixture
	code string
}

func newVPFixture(t *testing.T) *vpFixture {
	t.Helper()
	f := newPagesFixture(t)
	return &vpFixture{pagesFixture: f, code: f.view(f.venue).Checkpoints[0].Code}
}

// visit is a request with a device cookie ("" for none).
func (f *vpFixture) visit(method, path, device string, form url.Values) *httptest.ResponseRecorder {
	f.t.Helper()
	r := request{method: method, path: path}
	if form != nil {
		r.body, r.form = form.Encode(), true
	}
	if device != "" {
		r.cookies = []*http.Cookie{{Name: deviceCookie, Value: device}}
	}
	return f.do(r)
}

// declaration is a valid declaration form; changes overwrite its fields.
func vpDeclaration(changes url.Values) url.Values {
	v := url.Values{
		"consent": {"yes"}, "full_name": {"Trần Thị Bình"}, "phone": {"0987 654 321"}, "birth_year": {"1985"},
		"sex": {"f"}, "province": {"35"}, "unit": {"13321"}, "id_number": {""},
		"q.symptoms": {"none"}, "q.contact": {"no"}, "q.travel": {"no"},
	}
	for k, vals := range changes {
		v[k] = vals
	}
	return v
}

// wantRedirect checks a 303 and returns where it goes.
func wantRedirect(t testing.TB, what string, rec *httptest.ResponseRecorder, prefix string) string {
	t.Helper()
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%s: got %d to %q, want 303 to %s…", what, rec.Code, loc, prefix)
	}
	return loc
}

// declare submits a declaration and returns the device token and the pass path.
func (f *vpFixture) declareForm(form url.Values) (device, pass string) {
	f.t.Helper()
	rec := f.visit("POST", "/q/"+f.code+"/declare", "", form)
	pass = wantRedirect(f.t, "declare", rec, "/pass/")
	for _, c := range rec.Result().Cookies() {
		if c.Name == deviceCookie && c.HttpOnly && c.SameSite == http.SameSiteLaxMode && c.MaxAge > 300*24*3600 {
			device = c.Value
		}
	}
	if device == "" {
		f.t.Fatalf("declare: no HttpOnly, SameSite=Lax, long-lived device cookie in %v", rec.Result().Cookies())
	}
	return device, pass
}

// TestVisitorFlow goes from the poster's URL through consent, the
// declaration, the pass and check-out, then checks in again with one tap.
func TestVisitorPagesFlow(t *testing.T) {
	f := newVPFixture(t)
	q := "/q/" + f.code
	wantPage(t, "landing, new device", f.visit("GET", q, "", nil), 200, `href="`+q+`/consent"`, "Bắt đầu khai báo")
	wantPage(t, "consent page", f.visit("GET", q+"/consent", "", nil), 200, "truy vết", "30 ngày", `type="checkbox"`)
	if body := f.visit("GET", q+"/consent", "", nil).Body.String(); strings.Contains(body, "checked") {
		t.Errorf("consent page: a box is ticked in advance")
	}
	wantPage(t, "consent unticked", f.visit("POST", q+"/consent", "", url.Values{}), 400, "Cần có sự đồng ý")
	wantRedirect(t, "consent ticked", f.visit("POST", q+"/consent", "", url.Values{"consent": {"yes"}}), q+"/declare?consent=yes")
	wantRedirect(t, "declare without consent", f.visit("GET", q+"/declare", "", nil), q+"/consent")
	wantPage(t, "declaration form", f.visit("GET", q+"/declare?consent=yes", "", nil), 200,
		"Họ và tên", "Phường Quang Trung", `name="q.symptoms"`, "Sốt")

	device, pass := f.declareForm(vpDeclaration(nil))
	body := wantPage(t, "pass", f.visit("GET", pass, device, nil), 200, "pass-green", "Được vào", "Xưởng may số 1", "Cổng chính", `id="checkout"`)
	if strings.Contains(body, "Bình") || strings.Contains(body, "0987") {
		t.Errorf("the pass shows personal data")
	}
	wantRedirect(t, "check-out", f.visit("POST", pass+"/checkout", device, url.Values{}), pass)
	wantPage(t, "pass after check-out", f.visit("GET", pass, device, nil), 200, "Bạn đã check-out", "Giờ ra")

	wantPage(t, "landing, known device", f.visit("GET", q, device, nil), 200, `action="`+q+`/checkin"`, `id="checkin"`)
	again := wantRedirect(t, "one-tap check-in", f.visit("POST", q+"/checkin", device, url.Values{}), "/pass/")
	if again == pass {
		t.Errorf("one-tap check-in after check-out: got the old visit %s", again)
	}
	wantPage(t, "new pass", f.visit("GET", again, device, nil), 200, "pass-green", `id="checkout"`)
	wantPage(t, "my visits", f.visit("GET", "/me", device, nil), 200, "Xưởng may số 1", `href="`+again+`"`, `href="`+pass+`"`)
}

func TestVisitorPagesDeclarationErrors(t *testing.T) {
	f := newVPFixture(t)
	before := f.counts()
	for _, tt := range []struct {
		field, value, want string
	}{
		{"full_name", "", "Họ và tên không hợp lệ"},
		{"full_name", strings.Repeat("Nguyễn ", 40), "Họ và tên không hợp lệ"},
		{"full_name", "An\xff", "Họ và tên không hợp lệ"},
		{"phone", "+1 912 345 678", "Số điện thoại không hợp lệ"},
		{"phone", "12345", "Số điện thoại không hợp lệ"},
		{"id_number", "12345", "Số CCCD không hợp lệ"},
		{"birth_year", "2999", "Năm sinh không hợp lệ"},
		{"sex", "q", "Giới tính không hợp lệ"},
		{"unit", "99999", "Mã đơn vị hành chính không có trong danh mục"},
		{"q.symptoms", "", "Vui lòng"},
		{"consent", "", "Cần có sự đồng ý"},
	} {
		rec := f.visit("POST", "/q/"+f.code+"/declare", "", vpDeclaration(url.Values{tt.field: {tt.value}}))
		wantPage(t, tt.field+"="+tt.value, rec, 400, tt.want)
		if c := rec.Result().Cookies(); len(c) > 0 {
			t.Errorf("%s=%q: cookies set on an error: %v", tt.field, tt.value, c)
		}
	}
	if after := f.counts(); after != before {
		t.Errorf("bad declarations stored something: audit %d → %d", before.audit, after.audit)
	}
}

func TestVisitorPagesRedPassAndOwnership(t *testing.T) {
	f := newVPFixture(t)
	red, pass := f.declareForm(vpDeclaration(url.Values{"q.symptoms": {"fever", "cough"}}))
	wantPage(t, "red pass", f.visit("GET", pass, red, nil), 200, "pass-red", "Cần kiểm tra y tế", "bàn y tế")
	other, _ := f.declareForm(vpDeclaration(url.Values{"phone": {"0977000111"}, "full_name": {"Lê Văn Cường"}}))
	for _, tt := range []struct{ what, device string }{{"another device", other}, {"no device", ""}, {"a made-up device", "x" + red}} {
		wantPage(t, tt.what+" opens the pass", f.visit("GET", pass, tt.device, nil), 404)
		wantPage(t, tt.what+" checks out", f.visit("POST", pass+"/checkout", tt.device, url.Values{}), 404)
	}
	wantPage(t, "pass still open", f.visit("GET", pass, red, nil), 200, `id="checkout"`)
	wantRedirect(t, "unknown device checks in", f.visit("POST", "/q/"+f.code+"/checkin", "x"+red, url.Values{}), "/q/"+f.code+"/consent")
}

func TestVisitorPagesDependants(t *testing.T) {
	f := newVPFixture(t)
	device, first := f.declareForm(vpDeclaration(nil))
	wantRedirect(t, "check-out", f.visit("POST", first+"/checkout", device, url.Values{}), first)
	child := url.Values{"full_name": {"Trần Văn Bé"}, "birth_year": {"2018"}, "sex": {"m"}, "province": {"35"}, "unit": {"13321"}}
	wantPage(t, "dependant with a bad year", f.visit("POST", "/me/dependants", device, url.Values{"full_name": {"Bé"}, "birth_year": {"1800"}, "sex": {"m"}, "unit": {"13321"}}), 400, "Năm sinh không hợp lệ")
	wantRedirect(t, "add a dependant", f.visit("POST", "/me/dependants", device, child), "/me?added=1")
	body := wantPage(t, "landing with a dependant", f.visit("GET", "/q/"+f.code, device, nil), 200, `name="dependant"`)
	id := regexp.MustCompile(`name="dependant" value="(\d+)"`).FindStringSubmatch(body)
	if id == nil {
		t.Fatal("no dependant checkbox")
	}
	pass := wantRedirect(t, "check in with the child", f.visit("POST", "/q/"+f.code+"/checkin", device, url.Values{"dependant": {id[1]}}), "/pass/")
	wantPage(t, "pass with the child", f.visit("GET", pass, device, nil), 200, "Người đi cùng")
	wantPage(t, "personal QR", f.visit("GET", "/me/qr", device, nil), 200, "data:image/png;base64,", "Hết hạn lúc")
	wantRedirect(t, "personal QR without a device", f.visit("GET", "/me/qr", "", nil), "/me")
}

// TestVisitorPageWeights keeps every visitor page, with the stylesheet,
// under 50 KB compressed.
func TestVisitorPagesPageWeights(t *testing.T) {
	f := newVPFixture(t)
	device, pass := f.declareForm(vpDeclaration(nil))
	css := f.visit("GET", f.srv.assets.mustURL(t, "app.css"), "", nil)
	js := f.visit("GET", f.srv.assets.mustURL(t, "device.js"), "", nil)
	assets := gzipSize(t, css.Body.Bytes()) + gzipSize(t, js.Body.Bytes())
	raw := css.Body.Len() + js.Body.Len()
	for _, tt := range []struct{ what, path, device string }{
		{"landing", "/q/" + f.code, ""}, {"landing, known", "/q/" + f.code, device}, {"consent", "/q/" + f.code + "/consent", ""},
		{"declaration", "/q/" + f.code + "/declare?consent=yes", ""}, {"pass", pass, device}, {"me", "/me", device}, {"personal QR", "/me/qr", device},
		{"my data", "/me/data", device}, {"printed cards", "/me/cards", device},
	} {
		rec := f.visit("GET", tt.path, tt.device, nil)
		if rec.Code != 200 {
			t.Errorf("%s: status %d", tt.what, rec.Code)
		}
		size := gzipSize(t, rec.Body.Bytes()) + assets
		t.Logf("%s: %d bytes compressed with the stylesheet and the script (%d uncompressed)", tt.what, size, raw+rec.Body.Len())
		if size > 50<<10 {
			t.Errorf("%s: %d bytes compressed, want under 50 KB", tt.what, size)
		}
	}
}

func gzipSize(t *testing.T, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	z := gzip.NewWriter(&buf)
	if _, err := z.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// mustURL is the hashed URL of a static file.
func (a *assets) mustURL(t *testing.T, name string) string {
	t.Helper()
	u, err := a.url(name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestVisitorPagesStaleDeclaration: a returning visitor whose declaration
// is older than its validity answers the questions again on the way in.
func TestVisitorPagesStaleDeclaration(t *testing.T) {
	f := newVPFixture(t)
	device, first := f.declareForm(vpDeclaration(nil))
	wantRedirect(t, "check-out", f.visit("POST", first+"/checkout", device, url.Values{}), first)
	if _, err := f.visitorSQL().Exec(`UPDATE declarations SET created_at = created_at - ?`, (48 * time.Hour).Milliseconds()); err != nil {
		t.Fatal(err)
	}
	checkin := "/q/" + f.code + "/checkin"
	wantPage(t, "stale declaration", f.visit("POST", checkin, device, url.Values{}), 200,
		"Tờ khai y tế đã hết hạn", `action="`+checkin+`"`, `name="answering"`, `name="q.symptoms"`)
	wantPage(t, "unanswered", f.visit("POST", checkin, device, url.Values{"answering": {"yes"}, "q.contact": {"no"}}), 400, `class="field-error"`)
	pass := wantRedirect(t, "answered", f.visit("POST", checkin, device, url.Values{"answering": {"yes"},
		"q.symptoms": {"cough"}, "q.contact": {"no"}, "q.travel": {"no"}}), "/pass/")
	wantPage(t, "pass after a cough", f.visit("GET", pass, device, nil), 200, "pass-red")
}
