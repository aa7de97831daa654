package server

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientIP(t *testing.T) {
	proxy := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32")}
	tests := []struct {
		name, remote, xff string
		trusted           []netip.Prefix
		want              string
	}{
		{"direct client", "203.0.113.7:5555", "", nil, "203.0.113.7"},
		{"header from an untrusted peer is ignored", "203.0.113.7:5555", "198.51.100.1", nil, "203.0.113.7"},
		{"behind a trusted proxy", "10.0.0.2:80", "198.51.100.1", proxy, "198.51.100.1"},
		{"a spoofed left-most hop is not believed", "10.0.0.2:80", "1.2.3.4, 198.51.100.1", proxy, "198.51.100.1"},
		{"two trusted proxies", "127.0.0.1:80", "198.51.100.1, 10.0.0.9", proxy, "198.51.100.1"},
		{"garbage header", "10.0.0.2:80", "not-an-ip", proxy, "10.0.0.2"},
		{"ipv6 peer", "[2001:db8::1]:443", "", proxy, "2001:db8::1"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := ClientIP(r, tt.trusted); got != tt.want {
			t.Errorf("%s: ClientIP = %q, want %q", tt.name, got, tt.want)
		}
	}
}
