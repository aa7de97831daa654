// Package questions holds the health declaration's question set: the
// questions a visitor answers (symptoms, contact with a case, travel), their
// texts in Vietnamese and English, and which answers count as a risk. A
// deployment changes the set by editing a JSON file, never the code, so the
// texts live in the file and not in the message catalogue.
//
// The file format:
//
//	{
//	  "version": "2021-07",           // stored with every declaration
//	  "validity_hours": 24,           // optional, 1 to 168, default 24
//	  "questions": [                  // 1 to 30
//	    {"id": "symptoms", "kind": "multi", "required": true,
//	     "text": {"vi": "...", "en": "..."}, "help": {"vi": "...", "en": "..."},
//	     "options": [{"id": "fever", "text": {...}, "risk": true},
//	                 {"id": "none", "text": {...}, "exclusive": true}]},
//	    {"id": "contact", "kind": "yes_no", "required": true,
//	     "text": {...}, "risk_if_yes": true}
//	  ]
//	}
//
// Kinds are "yes_no" (answered "yes" or "no"), "single" (one option) and
// "multi" (any options; an exclusive option, such as "none of these", cannot
// be chosen with others). Ids are 1 to 32 characters of a-z, 0-9 and _.
package questions

import (
	_ "embed"
	"sync"
	"time"
)

// Kind is how a question is answered.
type Kind string

// The kinds of question.
const (
	YesNo  Kind = "yes_no" // answered ["yes"] or ["no"]
	Single Kind = "single" // one option
	Multi  Kind = "multi"  // any options, exclusive ones alone
)

// The answers of a yes_no question.
const (
	Yes = "yes"
	No  = "no"
)

// Limits of a question set. They keep a declaration short enough to answer
// on a phone, and a broken or hostile file from costing much.
const (
	MaxQuestions     = 30
	MaxOptions       = 20
	MaxFileBytes     = 256 << 10
	MaxValidityHours = 168
	DefaultValidity  = 24 * time.Hour
)

// Text is a sentence in both languages of the deployment.
type Text struct {
	Vi string `json:"vi"`
	En string `json:"en"`
}

// In returns the text in lang, falling back to Vietnamese.
func (t Text) In(lang string) string {
	if lang == "en" && t.En != "" {
		return t.En
	}
	return t.Vi
}

// Option is one choice of a single or multi question.
type Option struct {
	ID        string `json:"id"`
	Text      Text   `json:"text"`
	Risk      bool   `json:"risk"`
	Exclusive bool   `json:"exclusive"`
}

// Question is one question of the set, as written in the file.
type Question struct {
	ID        string   `json:"id"`
	Kind      Kind     `json:"kind"`
	Text      Text     `json:"text"`
	Help      *Text    `json:"help"`
	Options   []Option `json:"options"`
	RiskIfYes bool     `json:"risk_if_yes"`
	Required  bool     `json:"required"`

	pos map[string]int // answer value → index in values()
}

// values lists the answers the question accepts, in display order.
func (q *Question) values() []string {
	if q.Kind == YesNo {
		return []string{Yes, No}
	}
	ids := make([]string, len(q.Options))
	for i, o := range q.Options {
		ids[i] = o.ID
	}
	return ids
}

// Set is a validated question set. It is immutable once loaded, so one Set
// can serve every request.
type Set struct {
	version   string
	validity  time.Duration
	questions []*Question
	byID      map[string]*Question
}

// Version names the set; a declaration stores it beside its answers so
// they can be read against the questions that were asked.
func (s *Set) Version() string { return s.version }

// Validity is how long a declaration made with this set counts before the
// questions are asked again.
func (s *Set) Validity() time.Duration { return s.validity }

// Len returns the number of questions.
func (s *Set) Len() int { return len(s.questions) }

//go:embed default.json
var defaultFile []byte

var defaultSet = sync.OnceValue(func() *Set {
	s, err := loadBytes(defaultFile)
	if err != nil {
		panic("questions: embedded default.json: " + err.Error())
	}
	return s
})

// Default returns the set that ships with Ravao: symptoms in the last 14
// days, contact with a case, travel to an outbreak area.
func Default() *Set { return defaultSet() }

// Field returns the form field of a question, which is also the key of its
// field errors.
func Field(id string) string { return "q." + id }
