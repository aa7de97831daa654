package sms

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/ravao/ravao"
)

// DefaultOutboxSize is how many messages an Outbox keeps when not told.
const DefaultOutboxSize = 200

// Entry is a message the Outbox received.
type Entry struct {
	At      time.Time
	To      ravao.PII
	Text    string
	Purpose string
}

// Outbox is the development and demo sender: it sends nothing, keeps the
// last messages in memory and logs each one with its text, because staff
// trying Ravao out read the codes from the log. The text of a one-time code
// is a credential, so a real deployment must use a gateway instead. The
// phone is logged masked only.
type Outbox struct {
	// Clock stamps entries; set it before the first Send. Nil means
	// ravao.SystemClock.
	Clock ravao.Clock

	log  *slog.Logger
	mu   sync.Mutex
	ring []Entry
	next int // where the next entry goes
	full bool
}

// NewOutbox returns an Outbox that keeps the last n messages (DefaultOutboxSize
// when n <= 0) and logs to log (nowhere when nil).
func NewOutbox(log *slog.Logger, n int) *Outbox {
	if n <= 0 {
		n = DefaultOutboxSize
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Outbox{log: log, ring: make([]Entry, n)}
}

// Send keeps the message and logs it; it never fails.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	e := Entry{At: o.now(), To: m.To, Text: m.Text, Purpose: m.Purpose}
	o.mu.Lock()
	o.ring[o.next] = e
	o.next = (o.next + 1) % len(o.ring)
	o.full = o.full || o.next == 0
	o.mu.Unlock()
	o.log.InfoContext(ctx, "sms outbox", "to", ravao.MaskPhone(m.To), "purpose", m.Purpose, "text", m.Text)
	return nil
}

// Messages returns the messages kept, newest first.
func (o *Outbox) Messages() []Entry {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := o.next
	if o.full {
		n = len(o.ring)
	}
	out := make([]Entry, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, o.ring[(o.next-i+len(o.ring))%len(o.ring)])
	}
	return out
}

func (o *Outbox) now() time.Time {
	if o.Clock == nil {
		return ravao.SystemClock{}.Now()
	}
	return o.Clock.Now()
}
