package server

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// driveHTTP sends b.N POSTs from 16 clients over keep-alive connections
// and reports each request's latency as p50 and p99.
func driveHTTP(b *testing.B, url string, header http.Header, body func(i int64) string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var n atomic.Int64
	var mu sync.Mutex
	var waits []time.Duration
	b.SetParallelism(8) // 16 clients on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			i := n.Add(1)
			req, _ := http.NewRequest("POST", url, strings.NewReader(body(i)))
			req.Header = header.Clone()
			start := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 300 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		waits = append(waits, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	slices.Sort(waits)
	if len(waits) > 0 {
		b.ReportMetric(float64(waits[len(waits)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(waits[len(waits)*99/100].Microseconds())/1000, "p99-ms")
	}
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
