package sms

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ravao/ravao"
)

// gateway is a fake SMS gateway on 127.0.0.1 that records every request and
// answers with the statuses it is given, then 200.
type gateway struct {
	t        *testing.T
	mu       sync.Mutex
	statuses []int
	reqs     []recorded
	srv      *httptest.Server
}

type recorded struct {
	header http.Header
	body   []byte
}

func newGateway(t *testing.T, statuses ...int) *gateway {
	t.Helper()
	g := &gateway{t: t, statuses: statuses}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *gateway) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		g.t.Errorf("gateway reading body: %v", err)
	}
	g.mu.Lock()
	g.reqs = append(g.reqs, recorded{r.Header.Clone(), body})
	status := http.StatusOK
	if len(g.statuses) > 0 {
		status, g.statuses = g.statuses[0], g.statuses[1:]
	}
	g.mu.Unlock()
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `{"id":"abc"}`)
}

func (g *gateway) requests() []recorded {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]recorded(nil), g.reqs...)
}

func newTestWebhook(t *testing.T, cfg WebhookConfig) *Webhook {
	t.Helper()
	w, err := NewWebhook(cfg)
	if err != nil {
		t.Fatalf("NewWebhook: %v", err)
	}
	w.backoff = time.Millisecond
	return w
}

var code = Message{To: "0912345678", Text: "Mã xác nhận Ravao: 482913", Purpose: "register"}

func TestWebhookBodyAndHeaders(t *testing.T) {
	g := newGateway(t)
	w := newTestWebhook(t, WebhookConfig{URL: g.srv.URL + "/send", Token: "s3cret"})
	send(t, w, code)
	reqs := g.requests()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1", len(reqs))
	}
	h := reqs[0].header
	for name, want := range map[string]string{
		"Content-Type":  "application/json",
		"Authorization": "Bearer s3cret",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("header %s: got %q, want %q", name, got, want)
		}
	}
	if got := h.Get("Idempotency-Key"); len(got) != 32 {
		t.Errorf("Idempotency-Key: got %q, want 32 hex digits", got)
	}
	var body map[string]string
	if err := json.Unmarshal(reqs[0].body, &body); err != nil {
		t.Fatalf("body %q: %v", reqs[0].body, err)
	}
	want := map[string]string{"to": "+84912345678", "text": code.Text, "purpose": "register"}
	if len(body) != len(want) {
		t.Errorf("body: got %v, want %v", body, want)
	}
	for k, v := range want {
		if body[k] != v {
			t.Errorf("body %s: got %q, want %q", k, body[k], v)
		}
	}
}

func TestWebhookNoTokenNoAuthorization(t *testing.T) {
	g := newGateway(t)
	send(t, newTestWebhook(t, WebhookConfig{URL: g.srv.URL}), code)
	if got := g.requests()[0].header.Get("Authorization"); got != "" {
		t.Errorf("Authorization: got %q, want none", got)
	}
}

func TestWebhookKeyPerMessage(t *testing.T) {
	g := newGateway(t)
	w := newTestWebhook(t, WebhookConfig{URL: g.srv.URL})
	send(t, w, code)
	send(t, w, code)
	reqs := g.requests()
	if a, b := reqs[0].header.Get("Idempotency-Key"), reqs[1].header.Get("Idempotency-Key"); a == b {
		t.Errorf("two messages share Idempotency-Key %q", a)
	}
}

func TestWebhookRetriesThenSucceeds(t *testing.T) {
	g := newGateway(t, http.StatusServiceUnavailable, http.StatusTooManyRequests)
	send(t, newTestWebhook(t, WebhookConfig{URL: g.srv.URL}), code)
	reqs := g.requests()
	if len(reqs) != 3 {
		t.Fatalf("got %d requests, want 3", len(reqs))
	}
	key := reqs[0].header.Get("Idempotency-Key")
	for i, r := range reqs[1:] {
		if got := r.header.Get("Idempotency-Key"); got != key {
			t.Errorf("retry %d: Idempotency-Key %q, want the first one %q", i+1, got, key)
		}
	}
}

func TestWebhookFailures(t *testing.T) {
	for _, tc := range []struct {
		status   int
		attempts int
	}{
		{http.StatusServiceUnavailable, 3},
		{http.StatusInternalServerError, 3},
		{http.StatusTooManyRequests, 3},
		{http.StatusBadRequest, 1},
		{http.StatusUnauthorized, 1},
		{http.StatusFound, 1}, // redirects are not followed
	} {
		g := newGateway(t, tc.status, tc.status, tc.status, tc.status)
		err := newTestWebhook(t, WebhookConfig{URL: g.srv.URL}).Send(context.Background(), code)
		checkUnavailable(t, err)
		if got := len(g.requests()); got != tc.attempts {
			t.Errorf("status %d: got %d attempts, want %d", tc.status, got, tc.attempts)
		}
	}
}

func TestWebhookRetriesNetworkError(t *testing.T) {
	var mu sync.Mutex
	var calls int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		first := calls == 1
		mu.Unlock()
		if first {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Errorf("hijack: %v", err)
				return
			}
			conn.Close() // the gateway dies mid-request
		}
	}))
	t.Cleanup(srv.Close)
	send(t, newTestWebhook(t, WebhookConfig{URL: srv.URL}), code)
	mu.Lock()
	defer mu.Unlock()
	if calls != 2 {
		t.Errorf("got %d requests, want 2", calls)
	}
}

// hanging is a gateway that never answers until the client gives up.
func hanging(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The server notices the client hanging up only once the body is read.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestWebhookHonoursContextDeadline(t *testing.T) {
	w := newTestWebhook(t, WebhookConfig{URL: hanging(t).URL})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := w.Send(ctx, code)
	checkUnavailable(t, err)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want it to wrap context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Send took %v with a 100ms deadline", d)
	}
}

func TestWebhookHonoursTimeout(t *testing.T) {
	w := newTestWebhook(t, WebhookConfig{URL: hanging(t).URL, Timeout: 50 * time.Millisecond})
	start := time.Now()
	err := w.Send(context.Background(), code)
	checkUnavailable(t, err)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Send took %v with three 50ms attempts", d)
	}
}

func TestWebhookInvalidPhone(t *testing.T) {
	g := newGateway(t)
	err := newTestWebhook(t, WebhookConfig{URL: g.srv.URL}).Send(context.Background(), Message{To: "12345", Text: "x"})
	if ravao.ErrorCode(err) != ravao.Invalid {
		t.Errorf("got %v, want an Invalid error", err)
	}
	if len(g.requests()) != 0 {
		t.Errorf("an invalid phone reached the gateway")
	}
}

func TestWebhookConfig(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want string // part of the error; "" for accepted
	}{
		{"https://sms.example.vn/send", ""},
		{"http://127.0.0.1:9000/send", ""},
		{"http://localhost/send", ""},
		{"http://[::1]:9000/", ""},
		{"http://sms.example.vn/send", "https is required unless the host is loopback"},
		{"http://10.0.0.5/send", "https is required unless the host is loopback"},
		{"ftp://sms.example.vn/", "https://host"},
		{"https:///send", "https://host"},
		{"sms.example.vn/send", "https://host"},
		{"", "https://host"},
	} {
		_, err := NewWebhook(WebhookConfig{URL: tc.url})
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: got %v, want it accepted", tc.url, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: got error %v, want one saying %q", tc.url, err, tc.want)
		}
	}
}

// checkUnavailable asserts the error the caller gets: Unavailable with the
// catalogue key, and no phone number in its text.
func checkUnavailable(t *testing.T, err error) {
	t.Helper()
	var e *ravao.Error
	if !errors.As(err, &e) || e.Code != ravao.Unavailable || e.Key != "err.sms_unavailable" {
		t.Fatalf("got %v, want Unavailable err.sms_unavailable", err)
	}
	if e.Err == nil {
		t.Errorf("error %v does not wrap its cause", err)
	}
	for _, phone := range []string{"0912345678", "912345678"} {
		if strings.Contains(err.Error(), phone) {
			t.Errorf("error %q holds the phone", err)
		}
	}
}
