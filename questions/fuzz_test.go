package questions

import (
	"bytes"
	"errors"
	"net/url"
	"reflect"
	"slices"
	"testing"

	"github.com/ravao/ravao"
)

// FuzzLoad feeds arbitrary files and forms: Load must not panic and must
// fail with a Ravao error, and a set it accepts must never accept answers
// outside itself.
func FuzzLoad(f *testing.F) {
	f.Add(defaultFile, "q.symptoms=fever&q.contact=no&q.travel=no")
	f.Add([]byte(good), "q.s=none&q.s=fever&q.c=yes")
	f.Add([]byte(optionalSet), "q.where=away&q.vaccinated=")
	f.Add([]byte(`{"version":"x","questions":[null]}`), "")
	f.Fuzz(func(t *testing.T, file []byte, form string) {
		s, err := Load(bytes.NewReader(file))
		if err != nil {
			var e *ravao.Error
			if !errors.As(err, &e) || e.Key == "" {
				t.Fatalf("not a Ravao error with a key: %v", err)
			}
			return
		}
		for _, lang := range []string{"vi", "en"} {
			if len(s.Localised(lang)) != s.Len() {
				t.Fatal("Localised lost questions")
			}
		}
		checkForm(t, s, form)
	})
}

// FuzzCheck feeds arbitrary form bodies to the default set.
func FuzzCheck(f *testing.F) {
	for _, seed := range []string{
		"q.symptoms=fever&q.symptoms=cough&q.contact=no&q.travel=yes",
		"q.symptoms=none&q.symptoms=fever&q.contact=no&q.travel=no",
		"q.symptoms=+NONE+&q.contact=YES&q.travel=no&q.x=1",
		"q.=&q.symptoms=%FF",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, form string) { checkForm(t, Default(), form) })
}

// checkForm checks a form against s and, when it is accepted, that the
// answers stay inside the set and checking them again changes nothing.
func checkForm(t *testing.T, s *Set, form string) {
	v, _ := url.ParseQuery(form) // a half-parsed form is as good a test
	got, err := s.Check(FromForm(v))
	if err != nil {
		if got != nil {
			t.Fatalf("partial result %v with %v", got, err)
		}
		return
	}
	assertWithin(t, s, got)
	again, err := s.Check(got)
	if err != nil || !reflect.DeepEqual(again, got) {
		t.Fatalf("Check is not stable: %v then %v, %v", got, again, err)
	}
}

// assertWithin fails unless a holds only what s allows.
func assertWithin(t *testing.T, s *Set, a Answers) {
	t.Helper()
	for id, vals := range a {
		q, ok := s.byID[id]
		if !ok || len(vals) == 0 {
			t.Fatalf("accepted answer to %q: %v", id, vals)
		}
		if q.Kind != Multi && len(vals) != 1 {
			t.Fatalf("%s: %d answers to a %s question", id, len(vals), q.Kind)
		}
		for i, v := range vals {
			p, ok := q.pos[v]
			if !ok || slices.Contains(vals[:i], v) {
				t.Fatalf("%s: accepted %q in %v", id, v, vals)
			}
			if q.Kind == Multi && q.Options[p].Exclusive && len(vals) > 1 {
				t.Fatalf("%s: exclusive %q with others %v", id, v, vals)
			}
		}
	}
	for _, q := range s.questions {
		if _, ok := a[q.ID]; q.Required && !ok {
			t.Fatalf("required %s missing from %v", q.ID, a)
		}
	}
}
