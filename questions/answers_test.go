package questions

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/ravao/ravao"
)

// optionalSet has a single-choice question and an optional one, which the
// default set lacks.
const optionalSet = `{"version":"t2","questions":[` +
	`{"id":"where","kind":"single","required":true,"text":{"vi":"Bạn đến từ đâu?","en":"Where from?"},"options":[` +
	`{"id":"here","text":{"vi":"Trong tỉnh","en":"This province"}},` +
	`{"id":"away","risk":true,"text":{"vi":"Tỉnh khác","en":"Another province"}}]},` +
	`{"id":"vaccinated","kind":"yes_no","text":{"vi":"Đã tiêm vắc-xin?","en":"Vaccinated?"}}]}`

func TestCheckAccepts(t *testing.T) {
	tests := []struct {
		name    string
		in, out Answers
	}{
		{"healthy",
			Answers{"symptoms": {"none"}, "contact": {"no"}, "travel": {"no"}},
			Answers{"symptoms": {"none"}, "contact": {"no"}, "travel": {"no"}}},
		{"symptoms in the set's order, repeats dropped",
			Answers{"symptoms": {"fatigue", "fever", "fatigue"}, "contact": {"yes"}, "travel": {"no"}},
			Answers{"symptoms": {"fever", "fatigue"}, "contact": {"yes"}, "travel": {"no"}}},
		{"spaces and case",
			Answers{"symptoms": {" Cough ", "FEVER"}, "contact": {"No"}, "travel": {" YES"}},
			Answers{"symptoms": {"fever", "cough"}, "contact": {"no"}, "travel": {"yes"}}},
		{"empty values ignored",
			Answers{"symptoms": {"", "none", " "}, "contact": {"", "no"}, "travel": {"no"}},
			Answers{"symptoms": {"none"}, "contact": {"no"}, "travel": {"no"}}},
		{"none twice is still alone",
			Answers{"symptoms": {"none", "none"}, "contact": {"no"}, "travel": {"no"}},
			Answers{"symptoms": {"none"}, "contact": {"no"}, "travel": {"no"}}},
		{"every symptom",
			Answers{"symptoms": {"fever", "cough", "shortness_of_breath", "sore_throat", "loss_of_taste_smell", "fatigue"}, "contact": {"yes"}, "travel": {"yes"}},
			Answers{"symptoms": {"fever", "cough", "shortness_of_breath", "sore_throat", "loss_of_taste_smell", "fatigue"}, "contact": {"yes"}, "travel": {"yes"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Default().Check(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.out) {
				t.Errorf("got %v, want %v", got, tt.out)
			}
			again, err := Default().Check(got)
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("checking the result again: got %v, %v", again, err)
			}
		})
	}
}

func TestCheckOptional(t *testing.T) {
	s := mustLoad(t, optionalSet)
	got, err := s.Check(Answers{"where": {"here"}, "vaccinated": {""}})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Answers{"where": {"here"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestCheckRejects(t *testing.T) {
	healthy := func(edit func(Answers)) Answers {
		a := Answers{"symptoms": {"none"}, "contact": {"no"}, "travel": {"no"}}
		edit(a)
		return a
	}
	tests := []struct {
		name       string
		set        string // "" for the default set
		in         Answers
		field, key string
	}{
		{"nothing at all", "", Answers{}, "q.symptoms", "err.answer_required"},
		{"symptoms missing", "", healthy(func(a Answers) { delete(a, "symptoms") }), "q.symptoms", "err.answer_required"},
		{"symptoms empty", "", healthy(func(a Answers) { a["symptoms"] = nil }), "q.symptoms", "err.answer_required"},
		{"symptoms blank", "", healthy(func(a Answers) { a["symptoms"] = []string{"", " "} }), "q.symptoms", "err.answer_required"},
		{"contact missing", "", healthy(func(a Answers) { delete(a, "contact") }), "q.contact", "err.answer_required"},
		{"unknown symptom", "", healthy(func(a Answers) { a["symptoms"] = []string{"fever", "headache"} }), "q.symptoms", "err.answer_unknown"},
		{"yes_no answered maybe", "", healthy(func(a Answers) { a["travel"] = []string{"maybe"} }), "q.travel", "err.answer_unknown"},
		{"yes_no answered with an option", "", healthy(func(a Answers) { a["travel"] = []string{"fever"} }), "q.travel", "err.answer_unknown"},
		{"yes and no", "", healthy(func(a Answers) { a["contact"] = []string{"yes", "no"} }), "q.contact", "err.answer_one"},
		{"none with a symptom", "", healthy(func(a Answers) { a["symptoms"] = []string{"none", "cough"} }), "q.symptoms", "err.answer_exclusive"},
		{"unknown question", "", healthy(func(a Answers) { a["pets"] = []string{"yes"} }), "q.pets", "err.question_unknown"},
		{"unknown question with a strange id", "", healthy(func(a Answers) { a["<b>x</b>"] = []string{"yes"} }), "answers", "err.question_unknown"},
		{"two single choices", optionalSet, Answers{"where": {"here", "away"}}, "q.where", "err.answer_one"},
		{"single not answered", optionalSet, Answers{"vaccinated": {"yes"}}, "q.where", "err.answer_required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Default()
			if tt.set != "" {
				s = mustLoad(t, tt.set)
			}
			got, err := s.Check(tt.in)
			if got != nil {
				t.Errorf("partial result %v with the error", got)
			}
			wantErr(t, err, tt.field, tt.key)
		})
	}
}

func TestCheckTooLarge(t *testing.T) {
	for name, a := range map[string]Answers{
		"long value":   {"symptoms": {strings.Repeat("x", MaxAnswerBytes)}},
		"empty values": {"symptoms": make([]string, MaxAnswerBytes)},
		"many questions": func() Answers {
			a := Answers{}
			for i := range MaxAnswerBytes / 4 {
				a[fmt.Sprintf("q%d", i)] = nil
			}
			return a
		}(),
	} {
		got, err := Default().Check(a)
		if got != nil || ravao.ErrorCode(err) != ravao.TooLarge {
			t.Errorf("%s: got %v, %v; want a too_large error", name, got, err)
		}
	}
}

func TestRisk(t *testing.T) {
	tests := []struct {
		a    Answers
		want bool
	}{
		{Answers{"symptoms": {"none"}, "contact": {"no"}, "travel": {"no"}}, false},
		{Answers{"symptoms": {"fever"}, "contact": {"no"}, "travel": {"no"}}, true},
		{Answers{"symptoms": {"loss_of_taste_smell"}, "contact": {"no"}, "travel": {"no"}}, true},
		{Answers{"symptoms": {"none"}, "contact": {"yes"}, "travel": {"no"}}, true},
		{Answers{"symptoms": {"none"}, "contact": {"no"}, "travel": {"yes"}}, true},
		{Answers{}, false},
		{Answers{"symptoms": {"headache"}, "pets": {"yes"}}, false},
	}
	for _, tt := range tests {
		if got := Default().Risk(tt.a); got != tt.want {
			t.Errorf("Risk(%v): got %v, want %v", tt.a, got, tt.want)
		}
	}
	s := mustLoad(t, optionalSet)
	for a, want := range map[string]bool{"here": false, "away": true} {
		if got := s.Risk(Answers{"where": {a}, "vaccinated": {"yes"}}); got != want {
			t.Errorf("where=%s: got %v, want %v (yes to a question without risk_if_yes counts for nothing)", a, got, want)
		}
	}
}

func TestFromFormRoundTrip(t *testing.T) {
	// What a browser sends for two ticked boxes and two radios, with the
	// form's other fields around them.
	body := "full_name=Nguy%E1%BB%85n+V%C4%83n+A&q.symptoms=fever&q.symptoms=cough&q.contact=no&q.travel=yes&csrf=abc"
	v, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	a := FromForm(v)
	want := Answers{"symptoms": {"fever", "cough"}, "contact": {"no"}, "travel": {"yes"}}
	if !reflect.DeepEqual(a, want) {
		t.Fatalf("FromForm: got %v, want %v", a, want)
	}
	got, err := Default().Check(a)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Check: got %v, %v", got, err)
	}
	back, err := url.ParseQuery(got.Form().Encode())
	if err != nil {
		t.Fatal(err)
	}
	if again := FromForm(back); !reflect.DeepEqual(again, got) {
		t.Errorf("round trip: got %v, want %v", again, got)
	}
	if !got.Chosen("symptoms", "cough") || got.Chosen("symptoms", "none") {
		t.Error("Chosen does not match the answers")
	}
	v["q.symptoms"][0] = "changed"
	if a["symptoms"][0] != "fever" {
		t.Error("FromForm shares its slices with the form")
	}
}

func mustLoad(t *testing.T, file string) *Set {
	t.Helper()
	s, err := Load(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
