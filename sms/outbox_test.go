package sms

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ravao/ravao"
)

func TestOutboxRingNewestFirst(t *testing.T) {
	clock := &ravao.FixedClock{T: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
	o := NewOutbox(nil, 3)
	o.Clock = clock
	if got := o.Messages(); len(got) != 0 {
		t.Fatalf("empty outbox: got %d messages, want 0", len(got))
	}
	for i := 1; i <= 5; i++ {
		send(t, o, Message{To: "0912345678", Text: fmt.Sprint("code ", i), Purpose: "register"})
		clock.Advance(time.Minute)
	}
	got := o.Messages()
	want := []string{"code 5", "code 4", "code 3"}
	if len(got) != len(want) {
		t.Fatalf("got %d messages, want %d", len(got), len(want))
	}
	for i, e := range got {
		if e.Text != want[i] {
			t.Errorf("message %d: got %q, want %q", i, e.Text, want[i])
		}
		wantAt := time.Date(2026, 3, 1, 8, 4-i, 0, 0, time.UTC)
		if !e.At.Equal(wantAt) {
			t.Errorf("message %d: got At %v, want %v", i, e.At, wantAt)
		}
		if e.To.Reveal() != "0912345678" || e.Purpose != "register" {
			t.Errorf("message %d: got To %q purpose %q", i, e.To.Reveal(), e.Purpose)
		}
	}
}

func TestOutboxPartlyFilled(t *testing.T) {
	o := NewOutbox(nil, 0)
	send(t, o, Message{To: "0912345678", Text: "a"})
	send(t, o, Message{To: "0912345678", Text: "b"})
	got := o.Messages()
	if len(got) != 2 || got[0].Text != "b" || got[1].Text != "a" {
		t.Fatalf("got %+v, want b then a", got)
	}
	if len(o.ring) != DefaultOutboxSize {
		t.Errorf("got capacity %d, want %d", len(o.ring), DefaultOutboxSize)
	}
}

func TestOutboxConcurrent(t *testing.T) {
	o := NewOutbox(nil, 50)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for i := 0; i < 25; i++ {
				send(t, o, Message{To: "0912345678", Text: "x"})
				_ = o.Messages()
			}
		})
	}
	wg.Wait()
	if got := len(o.Messages()); got != 50 {
		t.Fatalf("got %d messages, want 50", got)
	}
}

func TestOutboxLogMasksPhone(t *testing.T) {
	var buf bytes.Buffer
	o := NewOutbox(slog.New(slog.NewTextHandler(&buf, nil)), 10)
	send(t, o, Message{To: "0912345678", Text: "Ma xac nhan 482913", Purpose: "gate"})
	log := buf.String()
	for _, want := range []string{"sms outbox", "091****678", "purpose=gate", "482913"} {
		if !strings.Contains(log, want) {
			t.Errorf("log %q lacks %q", log, want)
		}
	}
	if strings.Contains(log, "0912345678") {
		t.Errorf("log %q holds the full phone", log)
	}
}

func send(t *testing.T, s Sender, m Message) {
	t.Helper()
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
}
