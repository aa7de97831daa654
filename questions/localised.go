package questions

// LocalQuestion is a question in one language, ready for a template.
type LocalQuestion struct {
	ID       string
	Field    string // the form field name, "q.<id>"
	Kind     Kind
	Input    string // "checkbox" for multi, "radio" otherwise
	Text     string
	Help     string // empty when the set has none
	Required bool
	Options  []LocalOption
}

// LocalOption is one choice of a LocalQuestion. The answers of a yes_no
// question have no text in the set file: their Key names the catalogue
// message ("form.yes", "form.no") and Text is empty.
type LocalOption struct {
	ID        string
	Text      string
	Key       string
	Exclusive bool
}

// Localised returns the questions with their texts in lang, Vietnamese
// when lang is not English. The result is the caller's to keep.
func (s *Set) Localised(lang string) []LocalQuestion {
	out := make([]LocalQuestion, len(s.questions))
	for i, q := range s.questions {
		out[i] = q.localised(lang)
	}
	return out
}

func (q *Question) localised(lang string) LocalQuestion {
	lq := LocalQuestion{
		ID: q.ID, Field: Field(q.ID), Kind: q.Kind, Input: "radio",
		Text: q.Text.In(lang), Required: q.Required,
	}
	if q.Help != nil {
		lq.Help = q.Help.In(lang)
	}
	if q.Kind == Multi {
		lq.Input = "checkbox"
	}
	if q.Kind == YesNo {
		lq.Options = []LocalOption{{ID: Yes, Key: "form.yes"}, {ID: No, Key: "form.no"}}
		return lq
	}
	for _, o := range q.Options {
		lq.Options = append(lq.Options, LocalOption{ID: o.ID, Text: o.Text.In(lang), Exclusive: o.Exclusive})
	}
	return lq
}
