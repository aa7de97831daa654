package server

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/ravao/ravao"
)

func TestRoutesHaveAccessRulesAndOpenAPI(t *testing.T) {
	e := newEnv(t)
	rec := e.do(request{method: "GET", path: "/api/v1/openapi.json"})
	if rec.Code != http.StatusOK {
		t.Fatalf("openapi.json: got status %d, want 200", rec.Code)
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi: got %q, want 3.1.0", doc.OpenAPI)
	}
	known := append([]ravao.Permission{Public}, ravao.Permissions...)
	wildcard := regexp.MustCompile(`\{([a-z_]+)(\.\.\.)?\}`)
	for _, rt := range e.srv.Routes() {
		if !containsPerm(known, rt.Access) {
			t.Errorf("%s: access %q is not a known rule", rt.Label(), rt.Access)
		}
		if rt.handle == nil {
			t.Errorf("%s: no handler", rt.Label())
		}
		if !strings.HasPrefix(rt.Pattern, "/api/v1/") {
			continue
		}
		if rt.Kind != KindAPI {
			t.Errorf("%s: kind %q, want api", rt.Label(), rt.Kind)
		}
		op := doc.Paths[wildcard.ReplaceAllString(rt.Pattern, "{$1}")][strings.ToLower(rt.Method)]
		if op == nil {
			t.Errorf("%s is not in the OpenAPI document", rt.Label())
			continue
		}
		if s, _ := op["summary"].(string); s == "" {
			t.Errorf("%s has no summary in the OpenAPI document", rt.Label())
		}
		if rt.Access != Public && op["security"] == nil {
			t.Errorf("%s: no security requirement", rt.Label())
		}
	}
}

func containsPerm(list []ravao.Permission, p ravao.Permission) bool {
	for _, x := range list {
		if x == p {
			return true
		}
	}
	return false
}

// samplePath turns a pattern into a path that matches it.
func samplePath(pattern string) string {
	r := strings.NewReplacer("{$}", "", "{id}", "1", "{code}", "35", "{lang}", "en", "{hash}", "0", "{file}", "app.css")
	return r.Replace(pattern)
}

// publicCache are the routes whose answer is the same for everyone and
// may be cached, with their Cache-Control; every other is no-store.
var publicCache = map[string]string{"GET /api/v1/exposures": "public, max-age=60"}

func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	e := newEnv(t)
	want := map[string]string{
		"Content-Security-Policy": csp,
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
	}
	for _, rt := range e.srv.Routes() {
		method := rt.Method
		if method == "" {
			method = "GET"
		}
		for _, token := range []string{"", e.tokens["admin"]} {
			rec := e.do(request{method: method, path: samplePath(rt.Pattern), body: "{}", token: token})
			if rec.Code >= 500 && rt.Pattern != "/healthz" {
				t.Errorf("%s: got status %d, want no 5xx", rt.Label(), rec.Code)
			}
			for h, v := range want {
				if h == "Cache-Control" && publicCache[rt.Label()] != "" {
					v = publicCache[rt.Label()]
				}
				if got := rec.Header().Get(h); got != v {
					t.Errorf("%s (status %d): %s = %q, want %q", rt.Label(), rec.Code, h, got, v)
				}
			}
			if rec.Header().Get("X-Request-Id") == "" {
				t.Errorf("%s: no X-Request-Id", rt.Label())
			}
		}
	}
}
