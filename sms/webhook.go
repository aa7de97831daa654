package sms

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/ravao/ravao"
)

const (
	// defaultTimeout bounds one attempt when WebhookConfig.Timeout is zero.
	defaultTimeout = 10 * time.Second
	// maxRetries is how many times a failed attempt is repeated: enough to
	// ride out a gateway restart, short enough for a person waiting at a gate.
	maxRetries = 2
	// firstBackoff is the wait before the first retry; it doubles after.
	firstBackoff = 300 * time.Millisecond
	// maxResponse is how much of a gateway's answer is read: only the status
	// matters, and a broken gateway must not make us read forever.
	maxResponse = 64 << 10
)

// WebhookConfig configures a Webhook.
type WebhookConfig struct {
	// URL receives the POST. It must be https, or http on a loopback host
	// (a gateway relay on the same machine).
	URL string
	// Token, when set, is sent as "Authorization: Bearer <Token>".
	Token string
	// Timeout bounds each attempt; the caller's context bounds the whole
	// Send, retries included. Zero means 10s.
	Timeout time.Duration
	// Client sends the requests. Nil means a client that does not follow
	// redirects, so a message is never re-posted somewhere unexpected.
	Client *http.Client
}

// Webhook sends messages to an HTTP gateway as JSON:
//
//	{"to": "+84912345678", "text": "...", "purpose": "register"}
//
// with an Idempotency-Key header that stays the same across retries, so a
// gateway that honours it sends a message once even when an answer is lost.
// Network errors, 429 and 5xx are retried up to twice; other statuses are not.
type Webhook struct {
	cfg     WebhookConfig
	host    string // for error text: the URL may carry a secret in its query
	backoff time.Duration
}

// NewWebhook checks cfg and returns a Webhook.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	u, err := checkURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
	}
	return &Webhook{cfg: cfg, host: u.Host, backoff: firstBackoff}, nil
}

// checkURL refuses anything but https, except on loopback, because the body
// carries a phone number and a one-time code.
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, errors.New("sms webhook: the URL must be https://host/... (or http:// on a loopback host)")
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("sms webhook: https is required unless the host is loopback (localhost, 127.0.0.1, ::1); %s is not", u.Hostname())
	}
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// Send posts m, retrying as described on Webhook. A phone that is not a
// Vietnamese number is an Invalid error; every other failure is Unavailable
// with key err.sms_unavailable, wrapping a cause that never holds the phone.
func (w *Webhook) Send(ctx context.Context, m Message) error {
	body, err := payload(m)
	if err != nil {
		return err
	}
	key, err := idempotencyKey()
	if err != nil {
		return unavailable(err)
	}
	for attempt := 0; ; attempt++ {
		retry, err := w.post(ctx, body, key)
		if err == nil {
			return nil
		}
		if !retry || attempt == maxRetries {
			return unavailable(err)
		}
		if werr := wait(ctx, w.backoff<<attempt); werr != nil {
			return unavailable(fmt.Errorf("%w (after: %w)", werr, err))
		}
	}
}

// payload encodes m with the phone in E.164, the form gateways expect.
func payload(m Message) ([]byte, error) {
	national, err := ravao.NormalizePhone(m.To.Reveal())
	if err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		To      string `json:"to"`
		Text    string `json:"text"`
		Purpose string `json:"purpose"`
	}{"+84" + national[1:], m.Text, m.Purpose})
}

func idempotencyKey() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return fmt.Sprintf("%x", b), nil
}

// post makes one attempt and says whether a failure is worth retrying.
func (w *Webhook) post(ctx context.Context, body []byte, key string) (retry bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return false, fmt.Errorf("sms webhook %s: %w", w.host, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	if w.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+w.cfg.Token)
	}
	resp, err := w.cfg.Client.Do(req)
	if err != nil {
		return true, fmt.Errorf("sms webhook %s: %w", w.host, stripURL(err))
	}
	defer resp.Body.Close()
	// The answer carries nothing we use, and the status is already known:
	// a failed read changes nothing.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return false, nil
	}
	retry = resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests
	return retry, fmt.Errorf("sms webhook %s: status %s", w.host, resp.Status)
}

// stripURL drops the URL that net/http puts in its errors, since the query
// string may hold a gateway's secret.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// wait sleeps for d unless ctx ends first.
func wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func unavailable(cause error) error {
	return &ravao.Error{Code: ravao.Unavailable, Key: "err.sms_unavailable", Err: cause}
}
