package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func load(t *testing.T) *Catalogue {
	t.Helper()
	c, err := New("vi")
	if err != nil {
		t.Fatal(err)
	}
	c.OnMissing = func(lang, key string) { t.Errorf("message %q missing in %s", key, lang) }
	return c
}

func TestEveryKeyInEveryLanguage(t *testing.T) {
	c := load(t)
	for _, lang := range Langs {
		for _, other := range Langs {
			for _, k := range c.Keys(other) {
				if !c.Has(lang, k) {
					t.Errorf("key %q is in %s but not in %s", k, other, lang)
				}
			}
		}
		for _, k := range c.Keys(lang) {
			if strings.TrimSpace(c.T(lang, k)) == "" {
				t.Errorf("%s: %q is empty", lang, k)
			}
		}
	}
}

func TestArgsCountMatches(t *testing.T) {
	c := load(t)
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	for _, k := range c.Keys("vi") {
		vi, en := len(verbs.FindAllString(c.msgs["vi"][k], -1)), len(verbs.FindAllString(c.msgs["en"][k], -1))
		if vi != en {
			t.Errorf("%q: got %d verbs in vi, %d in en; want the same", k, vi, en)
		}
	}
}

func TestT(t *testing.T) {
	c := load(t)
	tests := []struct{ lang, key, want string }{
		{"vi", "err.phone", "Số điện thoại không hợp lệ."},
		{"en", "err.phone", "The phone number is not valid."},
		{"fr", "err.phone", "Số điện thoại không hợp lệ."},
	}
	for _, tt := range tests {
		if got := c.T(tt.lang, tt.key); got != tt.want {
			t.Errorf("T(%q, %q) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
	if got, want := c.T("en", "home.greeting", "An"), "Hello, An!"; got != want {
		t.Errorf("with an argument: got %q, want %q", got, want)
	}
	if got, want := c.T("en", "err.phone", 42), "The phone number is not valid."; got != want {
		t.Errorf("with an unused argument: got %q, want %q", got, want)
	}
}

func TestMissingKeyNeverShowsTheKey(t *testing.T) {
	c, err := New("vi")
	if err != nil {
		t.Fatal(err)
	}
	var missed []string
	c.OnMissing = func(lang, key string) { missed = append(missed, lang+":"+key) }
	got := c.T("en", "err.no_such_thing")
	if strings.Contains(got, "err.") || got == "" {
		t.Errorf("missing key shown as %q, want a neutral sentence", got)
	}
	if len(missed) != 1 || missed[0] != "en:err.no_such_thing" {
		t.Errorf("OnMissing calls: got %v, want [en:err.no_such_thing]", missed)
	}
}

func TestChoose(t *testing.T) {
	c := load(t)
	tests := []struct{ cookie, accept, want string }{
		{"", "", "vi"},
		{"en", "vi", "en"},
		{"xx", "en-GB,en;q=0.9", "en"},
		{"", "fr-FR, en;q=0.5, vi;q=0.8", "vi"},
		{"", "fr", "vi"},
		{"", "EN-us", "en"},
		{"", "en;q=bogus", "vi"},
	}
	for _, tt := range tests {
		if got := c.Choose(tt.cookie, tt.accept); got != tt.want {
			t.Errorf("Choose(%q, %q) = %q, want %q", tt.cookie, tt.accept, got, tt.want)
		}
	}
}

// keyPatterns find message keys in the repository: error keys in Go code and
// keys passed to the template function t (or T) in templates.
var keyPatterns = []*regexp.Regexp{
	regexp.MustCompile(`"(err\.[a-z0-9_.]+)"`),
	regexp.MustCompile(`\{\{-?\s*\(?\s*[tT] "([a-z0-9_.]+)"`),
	regexp.MustCompile(`\(\s*[tT] "([a-z0-9_.]+)"`),
	regexp.MustCompile(`\bmsg\("([a-z0-9_.]+)"`),
}

// TestEveryKeyUsedExists greps the Go sources (tests excluded: they may
// name keys on purpose that do not exist) and templates of the whole
// repository for message keys and checks each is in the catalogue.
func TestEveryKeyUsedExists(t *testing.T) {
	c := load(t)
	c.OnMissing = nil
	seen := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != ".." || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasSuffix(path, "_test.go") || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".html") || strings.HasSuffix(path, ".tmpl")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range keyPatterns {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				seen++
				for _, lang := range Langs {
					if !c.Has(lang, m[1]) {
						t.Errorf("%s uses %q, missing in %s.json", path, m[1], lang)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 50 {
		t.Errorf("found %d key uses in the repository, want many more: is the walk broken?", seen)
	}
}

func TestFormatToleratesArgumentCounts(t *testing.T) {
	tests := []struct {
		msg  string
		args []any
		want string
	}{
		{"Dòng %v không hợp lệ.", []any{7}, "Dòng 7 không hợp lệ."},
		{"Dòng %v không hợp lệ.", nil, "Dòng ? không hợp lệ."},
		{"Không hợp lệ.", []any{7}, "Không hợp lệ."},
		{"%v%% xong", []any{50, "x"}, "50% xong"},
	}
	for _, tt := range tests {
		if got := format(tt.msg, tt.args); got != tt.want {
			t.Errorf("format(%q, %v) = %q, want %q", tt.msg, tt.args, got, tt.want)
		}
	}
}
