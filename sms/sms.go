// Package sms sends text messages, which Ravao uses for one-time codes: venue
// registration proves the contact phone with one, and gates send one to
// people who have no smartphone. Deployments plug in their gateway through a
// Webhook; the Outbox keeps messages in memory for development and demos.
package sms

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/ravao/ravao"
)

// Message is one SMS. To is the phone in national form 0xxxxxxxxx.
type Message struct {
	To   ravao.PII
	Text string
	// Purpose says what the message is for ("register", "gate"...) in logs
	// and metrics; it never carries personal data.
	Purpose string
}

// Sender sends one message. Implementations are safe for concurrent use.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Parse builds the Sender named on the command line: "" or "outbox" for the
// in-memory development outbox, "webhook:https://..." for a gateway. The
// gateway's bearer token is read by the caller (from RAVAO_SMS_TOKEN) so
// that configuration stays in main; it may be empty.
func Parse(spec, token string, log *slog.Logger, clock ravao.Clock) (Sender, error) {
	switch {
	case spec == "" || spec == "outbox":
		o := NewOutbox(log, 0)
		if clock != nil {
			o.Clock = clock
		}
		return o, nil
	case strings.HasPrefix(spec, "webhook:"):
		return NewWebhook(WebhookConfig{URL: strings.TrimPrefix(spec, "webhook:"), Token: token})
	}
	return nil, fmt.Errorf("sms: the sender must be outbox or webhook:https://..., not %q", spec)
}
