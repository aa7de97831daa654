package server

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// buckets are the upper bounds, in seconds, of the request duration
// histogram.
var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type counterKey struct {
	route, method string
	code          int
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	n      uint64
}

// metrics counts requests by route pattern; it is written in the Prometheus
// text format by hand, which the standard library does well enough.
type metrics struct {
	mu       sync.Mutex
	requests map[counterKey]uint64
	duration map[string]*histogram
}

func newMetrics() *metrics {
	return &metrics{requests: map[counterKey]uint64{}, duration: map[string]*histogram{}}
}

// observe records one request.
func (m *metrics) observe(route, method string, code int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[counterKey{route, method, code}]++
	h := m.duration[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(buckets))}
		m.duration[route] = h
	}
	sec := d.Seconds()
	if i, _ := slices.BinarySearch(buckets, sec); i < len(buckets) {
		h.counts[i]++
	}
	h.sum += sec
	h.n++
}

// write prints every metric.
func (m *metrics) write(w io.Writer, version string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintf(w, "# HELP ravao_build_info Build information.\n# TYPE ravao_build_info gauge\n")
	fmt.Fprintf(w, "ravao_build_info{version=%s,goversion=%s} 1\n", quote(version), quote(runtime.Version()))
	m.writeRequests(w)
	m.writeDurations(w)
	writeRuntime(w)
}

func (m *metrics) writeRequests(w io.Writer) {
	fmt.Fprintf(w, "# HELP ravao_http_requests_total HTTP requests by route pattern, method and status.\n# TYPE ravao_http_requests_total counter\n")
	keys := slices.SortedFunc(maps.Keys(m.requests), func(a, b counterKey) int {
		return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
	})
	for _, k := range keys {
		fmt.Fprintf(w, "ravao_http_requests_total{route=%s,method=%s,code=\"%d\"} %d\n", quote(k.route), quote(k.method), k.code, m.requests[k])
	}
}

func (m *metrics) writeDurations(w io.Writer) {
	fmt.Fprintf(w, "# HELP ravao_http_request_duration_seconds HTTP request duration by route pattern.\n# TYPE ravao_http_request_duration_seconds histogram\n")
	for _, route := range slices.Sorted(maps.Keys(m.duration)) {
		h := m.duration[route]
		var cum uint64
		for i, le := range buckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "ravao_http_request_duration_seconds_bucket{route=%s,le=\"%s\"} %d\n", quote(route), strconv.FormatFloat(le, 'g', -1, 64), cum)
		}
		fmt.Fprintf(w, "ravao_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", quote(route), h.n)
		fmt.Fprintf(w, "ravao_http_request_duration_seconds_sum{route=%s} %g\n", quote(route), h.sum)
		fmt.Fprintf(w, "ravao_http_request_duration_seconds_count{route=%s} %d\n", quote(route), h.n)
	}
}

// writeRuntime prints the Go runtime basics.
func writeRuntime(w io.Writer) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gauges := []struct {
		name, help string
		v          float64
	}{
		{"go_goroutines", "Number of goroutines.", float64(runtime.NumGoroutine())},
		{"go_memstats_alloc_bytes", "Bytes of allocated heap objects.", float64(ms.HeapAlloc)},
		{"go_memstats_sys_bytes", "Bytes obtained from the operating system.", float64(ms.Sys)},
		{"go_memstats_heap_objects", "Number of allocated heap objects.", float64(ms.HeapObjects)},
		{"go_gc_cycles_total", "Completed GC cycles.", float64(ms.NumGC)},
	}
	for _, g := range gauges {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %g\n", g.name, g.help, g.name, g.name, g.v)
	}
}

// quote writes a label value with the escapes the text format requires.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// metricsServe answers GET /metrics.
func (s *Server) metricsServe(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.metrics.write(w, s.cfg.Version)
	return nil
}
