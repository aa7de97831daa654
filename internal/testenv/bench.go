package testenv

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Concurrent runs op b.N times from 16 goroutines (8 per core on this
// 2-core machine: many gates or clients at once), passing each call a
// distinct number from 1, and reports the time each call took as p50-ms
// and p99-ms beside the throughput.
func Concurrent(b *testing.B, op func(i int64) error) {
	var n atomic.Int64
	var mu sync.Mutex
	var waits []time.Duration
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			start := time.Now()
			if err := op(n.Add(1)); err != nil {
				b.Error(err)
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
