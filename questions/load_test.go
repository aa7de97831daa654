package questions

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
)

// good is a small valid set the table below breaks one way at a time.
const good = `{"version":"t1","questions":[` +
	`{"id":"s","kind":"multi","required":true,"text":{"vi":"Triệu chứng?","en":"Symptoms?"},"options":[` +
	`{"id":"fever","risk":true,"text":{"vi":"Sốt","en":"Fever"}},` +
	`{"id":"none","exclusive":true,"text":{"vi":"Không có","en":"None"}}]},` +
	`{"id":"c","kind":"yes_no","risk_if_yes":true,"text":{"vi":"Tiếp xúc?","en":"Contact?"}}]}`

func TestDefault(t *testing.T) {
	s := Default()
	if s.Version() != "default-1" || s.Validity() != 24*time.Hour || s.Len() != 3 {
		t.Fatalf("got version %q validity %v len %d", s.Version(), s.Validity(), s.Len())
	}
	sym := s.byID["symptoms"]
	if sym == nil || sym.Kind != Multi || !sym.Required {
		t.Fatalf("symptoms question: %+v", sym)
	}
	wantVi := []string{"Sốt", "Ho", "Khó thở", "Đau họng", "Mất vị giác hoặc khứu giác", "Mệt mỏi", "Không có triệu chứng nào"}
	for i, o := range sym.Options {
		if o.Text.Vi != wantVi[i] {
			t.Errorf("option %d: got %q, want %q", i, o.Text.Vi, wantVi[i])
		}
		if last := i == len(sym.Options)-1; o.Risk == last || o.Exclusive != last {
			t.Errorf("option %s: risk %v exclusive %v", o.ID, o.Risk, o.Exclusive)
		}
	}
	for _, id := range []string{"contact", "travel"} {
		if q := s.byID[id]; q == nil || q.Kind != YesNo || !q.RiskIfYes || !q.Required {
			t.Errorf("%s question: %+v", id, q)
		}
	}
	if Default() != s {
		t.Error("Default loads the embedded file more than once")
	}
}

func TestLoadGood(t *testing.T) {
	s, err := Load(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if s.Validity() != DefaultValidity {
		t.Errorf("validity: got %v, want %v", s.Validity(), DefaultValidity)
	}
	s, err = Load(strings.NewReader(strings.Replace(good, `"t1"`, `"t1","validity_hours":48`, 1)))
	if err != nil || s.Validity() != 48*time.Hour {
		t.Errorf("validity_hours 48: got %v, %v", s, err)
	}
}

func TestLoadNormalisesText(t *testing.T) {
	decomposed := "So\u0302\u0301t" // "Sốt" as NFD, as some editors save it
	file := strings.Replace(good, `"Sốt"`, `"  `+decomposed+` "`, 1)
	s, err := Load(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Localised("vi")[0].Options[0].Text; got != "Sốt" {
		t.Errorf("got %q, want NFC %q", got, "Sốt")
	}
}

func TestLoadRejects(t *testing.T) {
	many := `{"version":"t1","questions":[` + strings.Repeat(`{"id":"c","kind":"yes_no","text":{"vi":"a","en":"a"}},`, MaxQuestions) +
		`{"id":"c","kind":"yes_no","text":{"vi":"a","en":"a"}}]}`
	tests := []struct {
		name, file, field, key string
	}{
		{"not json", `{"version":`, "", "err.json"},
		{"unknown field", rep(`"t1"`, `"t1","extra":1`), "", "err.json"},
		{"unknown option field", rep(`"risk":true`, `"risk":true,"colour":"red"`), "", "err.json"},
		{"key in other case", rep(`"version"`, `"Version"`), "", "err.json"},
		{"repeated key", rep(`"t1"`, `"t1","version":"t2"`), "", "err.json"},
		{"trailing data", good + `{}`, "", "err.json"},
		{"wrong type", rep(`"required":true`, `"required":"yes"`), "", "err.json"},
		{"deep nesting", `{"version":` + strings.Repeat("[", 20) + strings.Repeat("]", 20) + `}`, "", "err.json"},
		{"invalid utf-8", rep(`"Sốt"`, "\"S\xffo\""), "", "err.utf8"},
		{"no version", rep(`"version":"t1",`, ""), "version", "err.questions_version"},
		{"bad version", rep(`"t1"`, `"t 1"`), "version", "err.questions_version"},
		{"validity zero", rep(`"t1"`, `"t1","validity_hours":0`), "validity_hours", "err.questions_validity"},
		{"validity negative", rep(`"t1"`, `"t1","validity_hours":-1`), "validity_hours", "err.questions_validity"},
		{"validity too long", rep(`"t1"`, `"t1","validity_hours":169`), "validity_hours", "err.questions_validity"},
		{"no questions", `{"version":"t1","questions":[]}`, "questions", "err.questions_count"},
		{"questions missing", `{"version":"t1"}`, "questions", "err.questions_count"},
		{"too many questions", many, "questions", "err.questions_count"},
		{"null question", `{"version":"t1","questions":[null]}`, "questions[0].id", "err.questions_id"},
		{"upper-case id", rep(`"id":"s"`, `"id":"S"`), "questions[0].id", "err.questions_id"},
		{"empty id", rep(`"id":"s"`, `"id":""`), "questions[0].id", "err.questions_id"},
		{"long id", rep(`"id":"s"`, `"id":"`+strings.Repeat("a", 33)+`"`), "questions[0].id", "err.questions_id"},
		{"duplicate question id", rep(`"id":"c"`, `"id":"s"`), "questions[1].id", "err.questions_duplicate"},
		{"unknown kind", rep(`"kind":"yes_no"`, `"kind":"text"`), "questions[1].kind", "err.questions_kind"},
		{"missing kind", rep(`"kind":"yes_no",`, ``), "questions[1].kind", "err.questions_kind"},
		{"no english", rep(`"en":"Contact?"`, `"en":""`), "questions[1].text", "err.questions_text"},
		{"blank vietnamese", rep(`"vi":"Tiếp xúc?"`, `"vi":"   "`), "questions[1].text", "err.questions_text"},
		{"no text", rep(`"text":{"vi":"Tiếp xúc?","en":"Contact?"}`, `"required":false`), "questions[1].text", "err.questions_text"},
		{"control character", rep(`"Contact?"`, `"Con\u0007tact?"`), "questions[1].text", "err.questions_text"},
		{"bidi override", rep(`"Contact?"`, `"Con\u202etact?"`), "questions[1].text", "err.questions_text"},
		{"text too long", rep(`"Contact?"`, `"`+strings.Repeat("x", maxQuestionText+1)+`"`), "questions[1].text", "err.questions_text"},
		{"help in one language", rep(`"risk_if_yes":true`, `"risk_if_yes":true,"help":{"vi":"Gợi ý"}`), "questions[1].help", "err.questions_text"},
		{"yes_no with options", rep(`"risk_if_yes":true`, `"options":[{"id":"a","text":{"vi":"a","en":"a"}},{"id":"b","text":{"vi":"b","en":"b"}}]`), "questions[1].options", "err.questions_options"},
		{"multi with one option", rep(`{"id":"fever","risk":true,"text":{"vi":"Sốt","en":"Fever"}},`, ``), "questions[0].options", "err.questions_options"},
		{"single without options", rep(`"kind":"yes_no"`, `"kind":"single"`), "questions[1].options", "err.questions_options"},
		{"bad option id", rep(`"id":"fever"`, `"id":"sốt"`), "questions[0].options[0].id", "err.questions_id"},
		{"duplicate option id", rep(`"id":"none"`, `"id":"fever"`), "questions[0].options[1].id", "err.questions_duplicate"},
		{"option without english", rep(`"en":"Fever"`, `"en":""`), "questions[0].options[0].text", "err.questions_text"},
		{"risk_if_yes on multi", rep(`"required":true`, `"required":true,"risk_if_yes":true`), "questions[0].risk_if_yes", "err.questions_risk_if_yes"},
		{"exclusive on single", rep(`"kind":"multi"`, `"kind":"single"`), "questions[0].options[1].exclusive", "err.questions_exclusive"},
		{"every option exclusive", rep(`"risk":true`, `"exclusive":true`), "questions[0].options", "err.questions_exclusive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Load(strings.NewReader(tt.file))
			if s != nil {
				t.Fatalf("loaded a bad file: %+v", s)
			}
			wantErr(t, err, tt.field, tt.key)
		})
	}
}

func TestLoadTooLarge(t *testing.T) {
	file := rep(`"t1"`, `"t1"`+strings.Repeat(" ", MaxFileBytes))
	_, err := Load(strings.NewReader(file))
	if ravao.ErrorCode(err) != ravao.TooLarge {
		t.Errorf("got %v, want a too_large error", err)
	}
}

func TestLoadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "questions.json")
	if err := os.WriteFile(path, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := LoadFile(path); err != nil || s.Len() != 2 {
		t.Fatalf("got %v, %v", s, err)
	}
	_, err := LoadFile(filepath.Join(t.TempDir(), "missing.json"))
	wantErr(t, err, "", "err.questions_file")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cause is lost: %v", err)
	}
}

func TestLoadDefaultFile(t *testing.T) {
	if _, err := Load(bytes.NewReader(defaultFile)); err != nil {
		t.Fatal(err)
	}
}

// rep returns good with one replacement, failing loudly if old is absent so
// a table row cannot silently test the good file.
func rep(old, new string) string {
	if !strings.Contains(good, old) {
		panic("rep: " + old + " not in good")
	}
	return strings.Replace(good, old, new, 1)
}

// wantErr checks that err is an Invalid *ravao.Error with key on field, or
// with key as its own key when field is empty.
func wantErr(t *testing.T, err error, field, key string) {
	t.Helper()
	var e *ravao.Error
	if !errors.As(err, &e) || e.Code != ravao.Invalid {
		t.Fatalf("got %v, want an invalid error", err)
	}
	if field == "" {
		if e.Key != key {
			t.Errorf("got key %q, want %q (%v)", e.Key, key, err)
		}
		return
	}
	if got := e.Fields[field]; got != key {
		t.Errorf("field %s: got %q, want %q (%v)", field, got, key, err)
	}
}
