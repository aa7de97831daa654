package server

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/i18n"
)

// samples give every page template data to render.
var samples = map[string]func() *pageData{
	"login.html": func() *pageData {
		return &pageData{Title: "login.title", Path: "/login", Data: loginData{Login: "admin", Next: "/home", Error: "Sai rồi"}}
	},
	"home.html": func() *pageData {
		return &pageData{Title: "home.title", Path: "/home", User: &ravao.Principal{User: ravao.User{DisplayName: "Trần Thị B"}}, Data: homeData{
			Name:     "Trần Thị B",
			Roles:    []roleView{{Role: "role.admin", Scope: "Toàn hệ thống"}, {Role: "role.health_official", Scope: "Tỉnh Hà Nam"}},
			Sections: roleSections([]ravao.RoleAssignment{{Role: ravao.RoleAdmin}, {Role: ravao.RoleHealth}, {Role: ravao.RoleGateStaff}}),
		}}
	},
	"users.html": func() *pageData {
		return &pageData{Title: "users.title", Path: "/admin/users", User: &ravao.Principal{}, Data: []userRow{
			{Login: "admin", Name: "Trần Thị B", Roles: []roleView{{Role: "role.admin", Scope: "x"}}},
			{Login: "gate", Name: "Lê Văn C", Disabled: true},
		}}
	},
	"error.html": func() *pageData {
		return &pageData{Title: "error.title", Path: "/x", Data: errorData{Status: 404, Message: "Không tìm thấy."}}
	},
}

func TestEveryTemplateRendersInBothLanguages(t *testing.T) {
	e := newEnv(t)
	names := e.srv.templateNames()
	if len(names) < len(samples) {
		t.Errorf("got templates %v, want at least %d", names, len(samples))
	}
	for _, name := range names {
		sample, ok := samples[name]
		if !ok {
			t.Errorf("template %s has no sample data in this test", name)
			continue
		}
		for _, lang := range i18n.Langs {
			d := sample()
			d.Lang = lang
			rec := httptest.NewRecorder()
			if err := e.srv.views.render(rec, 200, name, d); err != nil {
				t.Errorf("%s in %s: %v", name, lang, err)
				continue
			}
			body := rec.Body.String()
			for _, want := range []string{`<html lang="` + lang + `">`, e.srv.cat.T(lang, d.Title), "/static/"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s in %s: missing %q", name, lang, want)
				}
			}
			scripts := strings.Count(body, "<script")
			if strings.Count(body, `<script src="/static/`) != scripts || strings.Count(body, "></script>") != scripts ||
				strings.Contains(body, "style=") || strings.Contains(body, "<style") {
				t.Errorf("%s in %s: inline script or style (the CSP forbids them)", name, lang)
			}
		}
	}
}

func TestHomeNamesRolesAndScopes(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct{ login, lang, want string }{
		{"admin", "vi", "Quản trị hệ thống"},
		{"health", "vi", "Tỉnh Hà Nam"},
		{"health", "en", "Ha Nam Province"},
		{"gate", "vi", "Cổng chính"},
	} {
		rec := e.do(request{method: "GET", path: "/home", token: e.tokens[tt.login], lang: tt.lang})
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), tt.want) {
			t.Errorf("home of %s in %s: got status %d, want 200 with %q", tt.login, tt.lang, rec.Code, tt.want)
		}
	}
}
