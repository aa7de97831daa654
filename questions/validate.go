package questions

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ravao/ravao"
	"golang.org/x/text/unicode/norm"
)

// Lengths of texts, in runes: a question fits on a phone screen, a help
// line is a short paragraph, an option is a few words.
const (
	maxIDLen        = 32
	maxVersionLen   = 64
	maxQuestionText = 300
	maxHelpText     = 1000
	maxOptionText   = 200
)

// validate checks the decoded file and builds the Set, normalising texts to
// NFC on the way. It reports every problem it finds, not just the first.
func (f *file) validate() (*Set, error) {
	fe := ravao.FieldErrors{}
	if !validVersion(f.Version) {
		fe.Add("version", "err.questions_version")
	}
	s := &Set{version: f.Version, validity: DefaultValidity, byID: map[string]*Question{}}
	if h := f.ValidityHours; h != nil {
		if *h < 1 || *h > MaxValidityHours {
			fe.Add("validity_hours", "err.questions_validity")
		}
		s.validity = time.Duration(*h) * time.Hour
	}
	if len(f.Questions) == 0 || len(f.Questions) > MaxQuestions {
		fe.Add("questions", "err.questions_count")
		return nil, fe.Err()
	}
	for i, q := range f.Questions {
		if q == nil {
			q = &Question{}
		}
		path := fmt.Sprintf("questions[%d]", i)
		validateQuestion(q, path, fe)
		if _, dup := s.byID[q.ID]; dup {
			fe.Add(path+".id", "err.questions_duplicate")
		}
		s.byID[q.ID] = q
		s.questions = append(s.questions, q)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	for _, q := range s.questions {
		q.index()
	}
	return s, nil
}

func validateQuestion(q *Question, path string, fe ravao.FieldErrors) {
	if !validID(q.ID) {
		fe.Add(path+".id", "err.questions_id")
	}
	switch q.Kind {
	case YesNo, Single, Multi:
	default:
		fe.Add(path+".kind", "err.questions_kind")
	}
	if !normText(&q.Text, maxQuestionText) {
		fe.Add(path+".text", "err.questions_text")
	}
	if q.Help != nil && !normText(q.Help, maxHelpText) {
		fe.Add(path+".help", "err.questions_text")
	}
	if q.RiskIfYes && q.Kind != YesNo {
		fe.Add(path+".risk_if_yes", "err.questions_risk_if_yes")
	}
	validateOptions(q, path, fe)
}

// validateOptions checks the choices of a question: none for yes_no, two to
// MaxOptions for the others, and for multi at least one option that is not
// exclusive (otherwise it is a single question).
func validateOptions(q *Question, path string, fe ravao.FieldErrors) {
	if q.Kind != YesNo && q.Kind != Single && q.Kind != Multi {
		return // the kind is what is wrong
	}
	n := len(q.Options)
	if q.Kind == YesNo && n > 0 || q.Kind != YesNo && (n < 2 || n > MaxOptions) {
		fe.Add(path+".options", "err.questions_options")
		return
	}
	seen := map[string]bool{}
	inclusive := 0
	for j := range q.Options {
		o := &q.Options[j]
		p := fmt.Sprintf("%s.options[%d]", path, j)
		switch {
		case !validID(o.ID):
			fe.Add(p+".id", "err.questions_id")
		case seen[o.ID]:
			fe.Add(p+".id", "err.questions_duplicate")
		}
		seen[o.ID] = true
		if !normText(&o.Text, maxOptionText) {
			fe.Add(p+".text", "err.questions_text")
		}
		if o.Exclusive && q.Kind != Multi {
			fe.Add(p+".exclusive", "err.questions_exclusive")
		}
		if !o.Exclusive {
			inclusive++
		}
	}
	if q.Kind == Multi && n > 0 && inclusive == 0 {
		fe.Add(path+".options", "err.questions_exclusive")
	}
}

// index maps each accepted answer to its place, for Check and Risk.
func (q *Question) index() {
	q.pos = map[string]int{}
	for i, v := range q.values() {
		q.pos[v] = i
	}
}

// normText trims and NFC-normalises both languages of t, and reports
// whether both are present, at most max runes, and free of control and
// format characters (which could hide text or reorder it on screen).
func normText(t *Text, max int) bool {
	for _, p := range []*string{&t.Vi, &t.En} {
		s := norm.NFC.String(strings.TrimSpace(*p))
		if s == "" || utf8.RuneCountInString(s) > max || strings.IndexFunc(s, badRune) >= 0 {
			return false
		}
		*p = s
	}
	return true
}

func badRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError
}

// validID reports whether s is 1 to maxIDLen characters of a-z, 0-9 and _:
// ids become form field names and are stored with declarations.
func validID(s string) bool {
	if s == "" || len(s) > maxIDLen {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// validVersion allows what reads well in a file name or a log line.
func validVersion(s string) bool {
	if s == "" || len(s) > maxVersionLen {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._-", c) >= 0) {
			return false
		}
	}
	return true
}
