package server

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ravao/ravao/internal/testenv"
)

// driveHTTP sends b.N POSTs from 16 clients over keep-alive connections
// and reports each request's latency as p50 and p99.
func driveHTTP(b *testing.B, url string, header http.Header, body func(i int64) string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	testenv.Concurrent(b, func(i int64) error {
		req, _ := http.NewRequest("POST", url, strings.NewReader(body(i)))
		req.Header = header.Clone()
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	})
}

// BenchmarkTrivialHandlerHTTP is the machine's baseline for the HTTP
// benchmarks: a handler that answers 204 at once, driven the same way.
func BenchmarkTrivialHandlerHTTP(b *testing.B) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer ts.Close()
	driveHTTP(b, ts.URL, http.Header{}, func(int64) string { return "{}" })
}

// BenchmarkGateScanHTTP is scan-to-decision at the API: 16 gates scanning
// personal QR codes (in, then out) through POST /api/v1/gate/scans, over
// real HTTP, into SQLite.
func BenchmarkGateScanHTTP(b *testing.B) {
	f := newVisitorFixture(b)
	codes := make([]string, 200)
	for i := range codes {
		codes[i] = f.personalCode(fmt.Sprintf("09870%05d", i))
	}
	ts := httptest.NewServer(f.srv.Handler())
	defer ts.Close()
	h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + f.tokens["gate"]}}
	driveHTTP(b, ts.URL+"/api/v1/gate/scans", h, func(i int64) string {
		dir := "in"
		if (i/int64(len(codes)))%2 == 1 {
			dir = "out"
		}
		return fmt.Sprintf(`{"checkpoint_id":%d,"payload":%q,"direction":%q,"idempotency_key":"h%d"}`, f.cpA, codes[i%int64(len(codes))], dir, i)
	})
}
