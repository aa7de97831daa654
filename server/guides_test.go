package server

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/guides"
	"github.com/ravao/ravao/tracing"
	"github.com/ravao/ravao/workplaces"
)

// The sample data of the guide pages, for the test that renders every
// template in both languages.
func init() {
	samples["guides.html"] = func() *pageData {
		return &pageData{Title: "guide.index_title", Path: "/guides", Data: guidesData{Groups: []guideGroup{
			{Key: "guide.role.gate", Guides: []guideEntry{{Slug: "gate", Title: "Kiểm soát ra vào tại cổng", Summary: "Quét mã.", Page: "/guides/gate",
				PDFs: []guideLink{{Lang: "vi", Key: "guide.pdf_vi", URL: "/guides/gate.pdf?lang=vi"}}}}},
		}}}
	}
	samples["guides_show.html"] = func() *pageData {
		sec := guides.Section{Kind: guides.Steps, Title: "Quét mã", Intro: []guides.Text{{{Text: "Chuẩn bị."}}},
			Items: []guides.Item{{Text: guides.Text{{Text: "Bấm "}, {Key: "gate.camera_start", Text: "Bật camera để quét"}}}}}
		tips := guides.Section{Kind: guides.Tips, Title: "Mẹo", Items: []guides.Item{{Text: guides.Text{{Text: "Sạc pin."}}}}}
		probs := guides.Section{Kind: guides.Problems, Title: "Sự cố", Items: []guides.Item{{Text: guides.Text{{Text: "Không mở camera."}}, Answer: guides.Text{{Text: "Dùng máy quét."}}}}}
		return &pageData{Title: "guide.index_title", Path: "/guides/gate", Data: guideData{
			guideEntry: guideEntry{Slug: "gate", Title: "Kiểm soát ra vào tại cổng", Summary: "Quét mã.", For: "Bảo vệ."},
			Sections:   []guideSection{{Section: sec, ID: "s1", Figure: "<svg></svg>"}, {Section: tips, ID: "s2"}, {Section: probs, ID: "s3"}},
		}}
	}
}

func guideLibrary(t *testing.T) *guides.Library {
	t.Helper()
	lib, err := guides.Default()
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// Every guide's page renders in both languages, chosen by the site's
// language switch (the cookie) or by ?lang=, with its title, every step,
// tip and problem, the pages' own words for the buttons, its figure, and
// links to both PDFs; no sign-in needed, no script of its own.
func TestGuidePagesInBothLanguages(t *testing.T) {
	e := newEnv(t)
	lib := guideLibrary(t)
	for _, lang := range guides.Langs {
		index := e.do(request{method: "GET", path: "/guides", cookies: []*http.Cookie{{Name: "lang", Value: lang}}})
		wantPage(t, "index in "+lang, index, http.StatusOK, e.srv.cat.T(lang, "guide.role.gate"), e.srv.cat.T(lang, "guide.role.dpo"))
		for _, slug := range guides.Slugs {
			g, _ := lib.Get(slug, lang)
			if !strings.Contains(index.Body.String(), `href="/guides/`+slug+`">`+html.EscapeString(g.Title)+"<") {
				t.Errorf("index in %s: no link to %s", lang, slug)
			}
			for _, r := range []request{
				{method: "GET", path: "/guides/" + slug, cookies: []*http.Cookie{{Name: "lang", Value: lang}}},
				{method: "GET", path: "/guides/" + slug + "?lang=" + lang, lang: "fr"},
			} {
				rec := e.do(r)
				body := wantPage(t, r.path, rec, http.StatusOK, `<html lang="`+lang+`">`, "/guides/"+slug+".pdf?lang=vi", "/guides/"+slug+".pdf?lang=en")
				checkGuideBody(t, e, g, body)
			}
		}
	}
}

// checkGuideBody looks for everything a guide says on its page.
func checkGuideBody(t *testing.T, e *env, g guides.Guide, body string) {
	t.Helper()
	r := g.Resolve(func(k string) string { return e.srv.cat.T(g.Lang, k) })
	want := []string{html.EscapeString(g.Title), html.EscapeString(g.For), html.EscapeString(g.Summary)}
	for _, s := range r.Sections {
		want = append(want, html.EscapeString(s.Title))
		if s.Figure != "" {
			want = append(want, `<svg class="figure"`, html.EscapeString(s.Caption))
		}
		for _, it := range s.Items {
			for _, sp := range append(slices.Clone(it.Text), it.Answer...) {
				if sp.IsLabel() {
					want = append(want, `<strong class="ui">`+html.EscapeString(sp.Text)+"</strong>")
				} else {
					want = append(want, html.EscapeString(sp.Text))
				}
			}
		}
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s/%s page lacks %q", g.Slug, g.Lang, w)
		}
	}
	if strings.Count(body, "<script") > 1 || len(body) > 60_000 {
		t.Errorf("%s/%s page: %d bytes, %d scripts; want a light page with only the site's script", g.Slug, g.Lang, len(body), strings.Count(body, "<script"))
	}
}

// The PDFs read back with pdftotext, Vietnamese diacritics intact, and
// carry the guide's online address.
func TestGuidePDFs(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		path string
		want []string
	}{
		{"/guides/checkin.pdf?lang=vi", []string{"Quét mã khi ra vào", "Quét mã", "Khai báo", "Check-in tại đây", "Trang 1/", "http://ravao.test/guides/checkin?lang=vi"}},
		{"/guides/gate.pdf?lang=vi", []string{"Kiểm soát ra vào tại cổng", "Bật camera để quét", "Khai báo tại chỗ", "Thẻ CCCD gắn chip"}},
		{"/guides/posters.pdf?lang=vi", []string{"In và dán áp phích mã QR", "ngang tầm mắt", "Tất cả áp phích (A4)"}},
		{"/guides/tracing.pdf?lang=en", []string{"Trace a case", "Open the case and trace", "Page 1 of"}},
	} {
		rec := e.do(request{method: "GET", path: tt.path})
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/pdf" {
			t.Fatalf("%s: got %d %q, want a PDF", tt.path, rec.Code, rec.Header().Get("Content-Type"))
		}
		if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "ravao-") {
			t.Errorf("%s: Content-Disposition %q, want a file name", tt.path, cd)
		}
		text := strings.Join(strings.Fields(pdfText(t, rec)), " ")
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the text lacks %q", tt.path, w)
			}
		}
	}
	a, b := e.do(request{method: "GET", path: "/guides/privacy.pdf?lang=en"}), e.do(request{method: "GET", path: "/guides/privacy.pdf?lang=en"})
	if a.Body.String() != b.Body.String() {
		t.Error("the same guide's PDF differs between two requests")
	}
}

// Bad addresses get a clear page in the reader's language, never a 500.
func TestGuideBadRequests(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		path   string
		status int
		want   string
	}{
		{"/guides/nope", http.StatusNotFound, "Không tìm thấy trang này."},
		{"/guides/nope.pdf", http.StatusNotFound, "Không tìm thấy trang này."},
		{"/guides/gate.pdf?lang=fr", http.StatusBadRequest, "Ngôn ngữ không được hỗ trợ."},
		{"/guides?lang=xx", http.StatusBadRequest, "Ngôn ngữ không được hỗ trợ."},
		{"/guides/Gate", http.StatusNotFound, "Không tìm thấy trang này."},
	} {
		wantPage(t, tt.path, e.do(request{method: "GET", path: tt.path}), tt.status, tt.want)
	}
}

// The API lists every guide with working page and PDF addresses per
// language, without signing in.
func TestGuidesAPI(t *testing.T) {
	e := newEnv(t)
	rec := e.do(request{method: "GET", path: "/api/v1/guides"})
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/guides: %d %s", rec.Code, rec.Body)
	}
	var got struct{ Guides []guideJSON }
	decode(t, rec.Body, &got)
	var slugs []string
	for _, g := range got.Guides {
		slugs = append(slugs, g.Slug)
		if g.Role == "" || len(g.Languages) != 2 || g.Languages[0].Lang != "vi" || g.Languages[1].Lang != "en" {
			t.Errorf("%s: role %q, languages %v; want a role and vi then en", g.Slug, g.Role, g.Languages)
		}
		for _, l := range g.Languages {
			if l.Title == "" || l.Summary == "" {
				t.Errorf("%s/%s: no title or summary", g.Slug, l.Lang)
			}
			for _, u := range []string{l.Page, l.PDF} {
				path := strings.TrimPrefix(u, "http://ravao.test")
				if path == u {
					t.Errorf("%s: %q is not on the base URL", g.Slug, u)
				}
				if rec := e.do(request{method: "GET", path: path}); rec.Code != http.StatusOK {
					t.Errorf("%s: %s answers %d", g.Slug, path, rec.Code)
				}
			}
		}
	}
	if !slices.Equal(slugs, guides.Slugs) {
		t.Errorf("slugs %v, want %v", slugs, guides.Slugs)
	}
}

// guideLinks says, for every page that starts a task, which guide its "?"
// must open. A page route must be here or in noTask: a new page cannot be
// added without deciding.
var guideLinks = map[string]string{
	"GET /register":                            "register",
	"GET /places":                              "register",
	"GET /places/import":                       "register",
	"GET /places/{id}":                         "posters",
	"GET /places/{id}/poster":                  "posters",
	"GET /invite/{code}":                       "gate",
	"GET /gate/{id}":                           "gate",
	"GET /q/{code}":                            "checkin",
	"GET /me":                                  "checkin",
	"GET /me/qr":                               "checkin",
	"GET /me/cards":                            "checkin",
	"GET /residents":                           "checkin",
	"GET /residents/new":                       "checkin",
	"GET /me/data":                             "privacy",
	"GET /cases":                               "tracing",
	"GET /cases/{id}":                          "tracing",
	"GET /exposures":                           "tracing",
	"GET /stats/units/{code}":                  "progress",
	"GET /stats/venues/{id}":                   "progress",
	"GET /stats/units/{code}/report":           "progress",
	"GET /stats/units/{code}/reports":          "progress",
	"GET /stats/units/{code}/coverage":         "progress",
	"GET /stats/units/{code}/coverage/missing": "progress",
	"GET /stats/units/{code}/zones":            "progress",
	"GET /stats/units/{code}/zones/view":       "progress",
	"GET /dpo/audit":                           "privacy",
	"GET /dpo/requests":                        "privacy",
	"GET /dpo/breaches":                        "privacy",
	// Only with Deps.Workplaces.
	"GET /organisations/{id}/staff":                 "workplace",
	"GET /organisations/{id}/staff/new":             "workplace",
	"GET /organisations/{id}/compliance":            "workplace",
	"GET /stats/units/{code}/compliance":            "workplace",
	"GET /stats/units/{code}/zones/view/compliance": "workplace",
}

// noTask are the page routes where no task starts, with the reason.
var noTask = map[string]string{
	"GET /{$}":                            "redirects to the sign-in or home page",
	"GET /login":                          "signing in is not a task",
	"GET /home":                           "the hub linking every task page",
	"GET /admin/users":                    "administration, not in the guides",
	"GET /lang/{lang}":                    "the language switch",
	"GET /static/{hash}/{file}":           "assets",
	"/":                                   "not found",
	"GET /guides":                         "the guides themselves",
	"GET /guides/{slug}":                  "a guide, or its PDF",
	"GET /dev/outbox":                     "development only",
	"GET /gate/sw.js":                     "the gate's service worker",
	"GET /q/{code}/consent":               "continues the check-in started at /q/{code}",
	"GET /q/{code}/declare":               "continues the check-in started at /q/{code}",
	"GET /pass/{id}":                      "the pass, the end of a check-in",
	"GET /contacts/{id}":                  "continues a case's worked list",
	"GET /exports/{id}":                   "continues a case's export",
	"GET /exports/{id}/file":              "a download",
	"GET /stats":                          "redirects to the reader's unit",
	"GET /stats/units/{code}/report.xlsx": "a download",
	"GET /stats/units/{code}/report.pdf":  "a download",
	"GET /stats/units/{code}/coverage/missing.csv":  "a download",
	"GET /stats/units/{code}/coverage/missing.xlsx": "a download",
	"GET /public/progress":                          "public figures, no task",
	"GET /public/progress/{code}":                   "public figures, no task",
	"GET /dpo/audit/export.csv":                     "a download",
	"GET /dpo/audit/export.xlsx":                    "a download",
	"GET /dpo/requests/{id}":                        "continues the requests list",
	"GET /dpo/breaches/{id}":                        "continues the breach register",
	"GET /dpo/breaches/{id}/report":                 "a breach's notification text",
	"GET /dpo/breaches/{id}/report.pdf":             "a download",
	"GET /dpo/breaches/{id}/report.txt":             "a download",
	"GET /workplaces":                               "redirects to the manager's staff list",
	"GET /organisations/{id}/staff/{member}":        "continues the staff list: one staff member",
}

// TestEveryTaskPageLinksToItsGuide walks the server's page routes: every
// page where a task starts shows a "?" to its guide, as the role that uses
// it sees the page. The workplace pages exist only with Deps.Workplaces:
// a second server over the same data has them.
func TestEveryTaskPageLinksToItsGuide(t *testing.T) {
	f := newVPFixture(t)
	w := newGuideWalk(t, f)
	seen := map[string]bool{}
	w.walk(t, seen)
	wp, err := workplaces.New(f.store, f.vault, workplaces.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{BaseURL: "http://ravao.test"}, Deps{Store: f.store, Auth: f.auth, Places: f.places, Visitors: f.visits,
		Progress: f.srv.progress, Vault: f.vault, Workplaces: wp})
	if err != nil {
		t.Fatal(err)
	}
	srv.cat.OnMissing = f.srv.cat.OnMissing
	f.srv = srv
	w.walk(t, seen)
	for label := range guideLinks {
		if !seen[label] {
			t.Errorf("guideLinks names %s, which is not a page route any more", label)
		}
	}
}

// walk checks the GET page routes of the fixture's server not seen yet.
func (w *guideWalk) walk(t *testing.T, seen map[string]bool) {
	t.Helper()
	f := w.f
	for _, rt := range f.srv.Routes() {
		label := rt.Label()
		if rt.Kind != KindPage || (rt.Method != "GET" && rt.Method != "") || seen[label] {
			continue
		}
		seen[label] = true
		slug, task := guideLinks[label]
		if _, ok := noTask[label]; !ok && !task {
			t.Errorf("%s: a page route neither in guideLinks nor in noTask: decide which guide it links to", label)
			continue
		}
		if !task {
			continue
		}
		login, path := w.where(rt.Pattern)
		r := request{method: "GET", path: path, token: f.tokens[login]}
		if login == "device" {
			r = request{method: "GET", path: path, cookies: []*http.Cookie{{Name: deviceCookie, Value: w.device}}}
		}
		body := wantPage(t, label+" as "+login, f.do(r), http.StatusOK)
		if !strings.Contains(body, `<a class="help" href="/guides/`+slug+`"`) {
			t.Errorf("%s (%s as %q): no \"?\" link to /guides/%s", label, path, login, slug)
		}
	}
}

// guideWalk holds what the walk needs to open each task page: a case, an
// invitation and a visitor's device.
type guideWalk struct {
	f              *vpFixture
	caseID         int64
	invite, device string
}

func newGuideWalk(t *testing.T, f *vpFixture) *guideWalk {
	t.Helper()
	ctx := context.Background()
	f.addUser(ctx, "dpo", "Đỗ Thị Bảo Vệ Dữ Liệu", staffPassword, ravao.RoleAssignment{Role: ravao.RoleDPO})
	c, _, err := f.tracing.Open(ctx, f.principalOf("health"), tracing.OpenCase{Phone: personPhone, Reason: "F0: xét nghiệm dương tính"})
	if err != nil {
		t.Fatalf("open a case: %v", err)
	}
	w := &guideWalk{f: f, caseID: c.ID}
	body := f.post(pgManager, placeURL(f.venue)+"/invitations", url.Values{"checkpoint": {fmt.Sprint(f.cp)}}).Body.String()
	m := inviteLinkIn.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no invitation link on the place's page")
	}
	w.invite = m[1]
	w.device, _ = f.declareForm(vpDeclaration(nil))
	return w
}

// where is the account ("" for nobody, "device" for the visitor's phone)
// that starts a task at a route, and a path of it.
func (w *guideWalk) where(pattern string) (login, path string) {
	f := w.f
	venue, cp, cs := fmt.Sprint(f.venue), fmt.Sprint(f.cp), fmt.Sprint(w.caseID)
	switch {
	case strings.HasPrefix(pattern, "/organisations/"):
		return pgManager, strings.ReplaceAll(pattern, "{id}", fmt.Sprint(f.org))
	case strings.HasSuffix(pattern, "/zones/view/compliance"):
		return pgLocal, "/stats/units/13321/zones/view/compliance?zone=KCN%20%C4%90%E1%BB%93ng%20V%C4%83n"
	case strings.HasPrefix(pattern, "/places"):
		return pgManager, strings.ReplaceAll(pattern, "{id}", venue)
	case pattern == "/invite/{code}":
		return "", "/invite/" + w.invite
	case pattern == "/gate/{id}":
		return "gate", "/gate/" + cp
	case pattern == "/q/{code}":
		return "", "/q/" + f.code
	case strings.HasPrefix(pattern, "/me"):
		return "device", pattern
	case strings.HasPrefix(pattern, "/residents"):
		return pgLocal, pattern
	case strings.HasPrefix(pattern, "/cases"), pattern == "/exposures":
		return "health", strings.ReplaceAll(pattern, "{id}", cs)
	case pattern == "/stats/venues/{id}":
		return pgManager, "/stats/venues/" + venue
	case strings.HasSuffix(pattern, "/zones/view"):
		return pgLocal, "/stats/units/13321/zones/view?zone=KCN%20%C4%90%E1%BB%93ng%20V%C4%83n"
	case strings.HasPrefix(pattern, "/stats"):
		return pgLocal, strings.ReplaceAll(pattern, "{code}", "13321")
	case strings.HasPrefix(pattern, "/dpo"):
		return "dpo", pattern
	}
	return "", pattern
}
