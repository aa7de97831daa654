package questions

import (
	"net/url"
	"slices"
	"strings"

	"github.com/ravao/ravao"
)

// MaxAnswerBytes bounds the answers Check reads: the default set's longest
// honest answer is well under 200 bytes.
const MaxAnswerBytes = 4 << 10

// Answers maps a question id to the chosen option ids, or to ["yes"] or
// ["no"] for a yes_no question. A question left unanswered is absent.
type Answers map[string][]string

// FromForm collects the answers of a submitted form, whose fields are named
// by Field ("q.symptoms"): ticked checkboxes send one value each, a radio
// group one value, so the declaration works without JavaScript. Other
// fields are ignored; Check decides what the answers are worth.
func FromForm(v url.Values) Answers {
	a := Answers{}
	for name, vals := range v {
		if id, ok := strings.CutPrefix(name, "q."); ok {
			a[id] = slices.Clone(vals)
		}
	}
	return a
}

// Form returns the answers as form values, the inverse of FromForm, for
// filling a form again after an error.
func (a Answers) Form() url.Values {
	v := url.Values{}
	for id, vals := range a {
		v[Field(id)] = slices.Clone(vals)
	}
	return v
}

// Chosen reports whether value is among the answers to question id; pages
// use it to keep boxes ticked.
func (a Answers) Chosen(id, value string) bool {
	return slices.Contains(a[id], value)
}

// Check validates answers against the set and returns them normalised:
// values trimmed and lower-cased, repeats dropped, in the set's order,
// unanswered optional questions left out. Any problem fails the whole
// answer with field errors keyed by Field(id); there is no partial result.
func (s *Set) Check(a Answers) (Answers, error) {
	if answerSize(a) > MaxAnswerBytes {
		return nil, ravao.Errorf(ravao.TooLarge, "err.too_large")
	}
	fe := ravao.FieldErrors{}
	for id := range a {
		if _, ok := s.byID[id]; !ok {
			fe.Add(unknownField(id), "err.question_unknown")
		}
	}
	out := Answers{}
	for _, q := range s.questions {
		vals, key := q.check(a[q.ID])
		if key != "" {
			fe.Add(Field(q.ID), key)
		} else if len(vals) > 0 {
			out[q.ID] = vals
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// answerSize counts every value as at least one byte, so a flood of empty
// values is refused too.
func answerSize(a Answers) int {
	n := 0
	for id, vals := range a {
		n += len(id) + 1
		for _, v := range vals {
			n += len(v) + 1
		}
	}
	return n
}

// unknownField names the field of an answer to a question the set lacks;
// an id that could not be a question id is not echoed back as a field name.
func unknownField(id string) string {
	if validID(id) {
		return Field(id)
	}
	return "answers"
}

// check normalises the values given for q and returns them, or the message
// key of what is wrong with them.
func (q *Question) check(raw []string) ([]string, string) {
	chosen := make([]bool, len(q.pos))
	n := 0
	for _, v := range raw {
		v = strings.ToLower(strings.TrimSpace(v))
		if v == "" {
			continue
		}
		i, ok := q.pos[v]
		if !ok {
			return nil, "err.answer_unknown"
		}
		if !chosen[i] {
			chosen[i] = true
			n++
		}
	}
	switch {
	case n == 0 && q.Required:
		return nil, "err.answer_required"
	case n > 1 && q.Kind != Multi:
		return nil, "err.answer_one"
	case n > 1 && q.exclusiveChosen(chosen):
		return nil, "err.answer_exclusive"
	}
	return q.pick(chosen), ""
}

func (q *Question) exclusiveChosen(chosen []bool) bool {
	for i, o := range q.Options {
		if chosen[i] && o.Exclusive {
			return true
		}
	}
	return false
}

// pick returns the chosen values in display order, nil when none.
func (q *Question) pick(chosen []bool) []string {
	var vals []string
	for i, v := range q.values() {
		if chosen[i] {
			vals = append(vals, v)
		}
	}
	return vals
}

// Risk reports whether the answers declare a symptom or an exposure: a
// "yes" to a risk_if_yes question, or a chosen option marked risk. It
// reads answers as Check returns them; values it does not know count for
// nothing.
func (s *Set) Risk(a Answers) bool {
	for _, q := range s.questions {
		for _, v := range a[q.ID] {
			if q.risky(v) {
				return true
			}
		}
	}
	return false
}

func (q *Question) risky(v string) bool {
	i, ok := q.pos[v]
	switch {
	case !ok:
		return false
	case q.Kind == YesNo:
		return v == Yes && q.RiskIfYes
	default:
		return q.Options[i].Risk
	}
}
