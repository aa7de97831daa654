package i18n

import (
	"slices"
	"strconv"
	"strings"
)

// Supported reports whether lang is a language of the catalogue.
func Supported(lang string) bool { return slices.Contains(Langs, lang) }

// Choose picks the language for a request: the lang cookie when it names a
// supported language, then the best supported entry of an Accept-Language
// header, then the catalogue's default.
func (c *Catalogue) Choose(cookie, acceptLanguage string) string {
	if Supported(cookie) {
		return cookie
	}
	if lang := matchAccept(acceptLanguage); lang != "" {
		return lang
	}
	return c.def
}

// matchAccept returns the supported language with the highest q-value in an
// Accept-Language header ("en-GB,en;q=0.9,vi;q=0.8"), or "".
func matchAccept(header string) string {
	best, bestQ := "", 0.0
	for part := range strings.SplitSeq(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if !Supported(base) {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if q > bestQ {
			best, bestQ = base, q
		}
	}
	return best
}
