package sms

import (
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
)

func TestParse(t *testing.T) {
	clock := &ravao.FixedClock{T: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	for _, spec := range []string{"", "outbox"} {
		s, err := Parse(spec, "", nil, clock)
		if err != nil {
			t.Fatalf("Parse(%q): %v", spec, err)
		}
		o, ok := s.(*Outbox)
		if !ok {
			t.Fatalf("Parse(%q): got %T, want *Outbox", spec, s)
		}
		send(t, o, Message{To: "0912345678", Text: "x"})
		if got := o.Messages()[0].At; !got.Equal(clock.T) {
			t.Errorf("Parse(%q): entry at %v, want the given clock's %v", spec, got, clock.T)
		}
	}
	s, err := Parse("webhook:https://sms.example.vn/send", "tok", nil, clock)
	if err != nil {
		t.Fatalf("Parse(webhook): %v", err)
	}
	w, ok := s.(*Webhook)
	if !ok {
		t.Fatalf("Parse(webhook): got %T, want *Webhook", s)
	}
	if w.cfg.URL != "https://sms.example.vn/send" || w.cfg.Token != "tok" || w.cfg.Timeout != defaultTimeout {
		t.Errorf("Parse(webhook): got config %+v", w.cfg)
	}
}

func TestParseRefuses(t *testing.T) {
	for spec, want := range map[string]string{
		"pigeon":                         "outbox or webhook",
		"webhook:http://sms.example.vn/": "https is required unless the host is loopback",
		"webhook:":                       "https://host",
	} {
		_, err := Parse(spec, "", nil, nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q): got error %v, want one saying %q", spec, err, want)
		}
	}
}
