package questions

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ravao/ravao/i18n"
)

func TestLocalised(t *testing.T) {
	s := Default()
	vi, en, other := s.Localised("vi"), s.Localised("en"), s.Localised("fr")
	if len(vi) != 3 || len(en) != 3 {
		t.Fatalf("got %d and %d questions, want 3", len(vi), len(en))
	}
	sym := vi[0]
	if sym.ID != "symptoms" || sym.Field != "q.symptoms" || sym.Input != "checkbox" || !sym.Required || sym.Help == "" {
		t.Errorf("symptoms: %+v", sym)
	}
	if sym.Options[0].Text != "Sốt" || en[0].Options[0].Text != "Fever" || other[0].Options[0].Text != "Sốt" {
		t.Errorf("fever: vi %q, en %q, fr %q", sym.Options[0].Text, en[0].Options[0].Text, other[0].Options[0].Text)
	}
	if last := sym.Options[len(sym.Options)-1]; last.ID != "none" || !last.Exclusive {
		t.Errorf("last option: %+v", last)
	}
	contact := en[1]
	if contact.Input != "radio" || contact.Kind != YesNo || contact.Text == vi[1].Text {
		t.Errorf("contact: %+v", contact)
	}
	want := []LocalOption{{ID: "yes", Key: "form.yes"}, {ID: "no", Key: "form.no"}}
	for i, o := range contact.Options {
		if o != want[i] {
			t.Errorf("yes_no option %d: got %+v, want %+v", i, o, want[i])
		}
	}
	vi[0].Options[0].Text = "changed"
	if s.Localised("vi")[0].Options[0].Text != "Sốt" {
		t.Error("Localised shares its slices with the set")
	}
}

// TestCatalogueKeys finds every message key this package's code names and
// checks the catalogue has it in every language, so no visitor reads a
// neutral "missing" sentence instead of why an answer was refused.
func TestCatalogueKeys(t *testing.T) {
	cat, err := i18n.New("")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`"((?:err|form)\.[a-z_0-9]+)"`)
	found := 0
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range key.FindAllStringSubmatch(string(b), -1) {
				found++
				for _, lang := range i18n.Langs {
					if !cat.Has(lang, m[1]) {
						t.Errorf("%s: %s has no %s message", f, m[1], lang)
					}
				}
			}
		}
	}
	if found < 15 {
		t.Errorf("found only %d keys: is the pattern still right?", found)
	}
}
