package ratelimit

import (
	"testing"
	"time"
)

func TestBurstThenRefill(t *testing.T) {
	l := New(3, time.Second)
	now := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	for i := range 3 {
		if !l.Allow("203.0.113.7", now) {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	if l.Allow("203.0.113.7", now) {
		t.Fatal("a fourth request in the same instant was allowed")
	}
	if !l.Allow("203.0.113.8", now) {
		t.Fatal("another client was refused because of the first")
	}
	if !l.Allow("203.0.113.7", now.Add(time.Second)) {
		t.Fatal("no token after one refill period")
	}
}

// TestClientKeys: a port does not make a new client, and an IPv6 client
// cannot escape by rotating addresses inside its /64.
func TestClientKeys(t *testing.T) {
	l := New(1, time.Hour)
	now := time.Now()
	for _, pair := range [][2]string{
		{"198.51.100.1:5000", "198.51.100.1:6000"},
		{"2001:db8:1:2::1", "2001:db8:1:2:ffff::9"},
		{"::ffff:192.0.2.1", "192.0.2.1"},
	} {
		if !l.Allow(pair[0], now) {
			t.Fatalf("%s refused at first", pair[0])
		}
		if l.Allow(pair[1], now) {
			t.Errorf("%s counted apart from %s", pair[1], pair[0])
		}
	}
	if !l.Allow("2001:db8:1:3::1", now) {
		t.Error("a different /64 shares a bucket")
	}
}
