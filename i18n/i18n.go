// Package i18n holds Ravao's message catalogue: every sentence a person
// reads, in Vietnamese (the default) and English, looked up by key. Go code
// and templates name messages by key ("err.phone", "login.title") and never
// carry user-facing text themselves.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

//go:embed vi.json en.json
var files embed.FS

// Langs lists the languages of the catalogue, the default first.
var Langs = []string{"vi", "en"}

// missingKey is shown in place of a message that the catalogue lacks, so a
// person never reads a raw key. It must exist in every language.
const missingKey = "msg.missing"

// Catalogue maps keys to messages per language.
type Catalogue struct {
	def  string
	msgs map[string]map[string]string
	// OnMissing, when set, is called for every key the catalogue lacks in
	// the language asked for. Tests set it to fail; production leaves it nil
	// and people see a neutral sentence instead of the key.
	OnMissing func(lang, key string)
}

// New loads the embedded catalogue with def as the default language ("vi"
// when empty).
func New(def string) (*Catalogue, error) {
	if def == "" {
		def = "vi"
	}
	if !slices.Contains(Langs, def) {
		return nil, fmt.Errorf("i18n: unknown default language %q", def)
	}
	c := &Catalogue{def: def, msgs: map[string]map[string]string{}}
	for _, lang := range Langs {
		b, err := files.ReadFile(lang + ".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s.json: %w", lang, err)
		}
		c.msgs[lang] = m
	}
	return c, nil
}

// Default returns the configured default language.
func (c *Catalogue) Default() string { return c.def }

// Has reports whether key has a message in lang.
func (c *Catalogue) Has(lang, key string) bool {
	_, ok := c.msgs[lang][key]
	return ok
}

// Keys returns the keys of lang, sorted.
func (c *Catalogue) Keys(lang string) []string {
	return slices.Sorted(maps.Keys(c.msgs[lang]))
}

// T returns the message for key in lang, formatted with args as by
// fmt.Sprintf. An unknown language falls back to the default; a key missing
// in lang falls back to the default language, then to a neutral sentence.
func (c *Catalogue) T(lang, key string, args ...any) string {
	if _, ok := c.msgs[lang]; !ok {
		lang = c.def
	}
	msg, ok := c.msgs[lang][key]
	if !ok {
		if c.OnMissing != nil {
			c.OnMissing(lang, key)
		}
		if msg, ok = c.msgs[c.def][key]; !ok {
			return c.msgs[lang][missingKey]
		}
	}
	return format(msg, args)
}

// format applies args to msg. A caller may pass more arguments than a
// message uses (an error can carry values meant for the program) or fewer
// (a message gained a detail its callers do not give yet): extra ones are
// dropped and missing ones shown as "?", never as fmt's "%!" noise.
func format(msg string, args []any) string {
	n := strings.Count(msg, "%") - 2*strings.Count(msg, "%%")
	if n <= 0 {
		return msg
	}
	for len(args) < n {
		args = append(args, "?")
	}
	return fmt.Sprintf(msg, args[:n]...)
}
