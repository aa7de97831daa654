package gate_test

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/gate"
	"github.com/ravao/ravao/internal/svctest"
)

func benchEnv(b *testing.B) *env { return newEnv(b, svctest.SQLite(b)) }

// BenchmarkCommitBaseline is one durable write transaction that changes
// one row: the floor under every scan, measured in the same run.
func BenchmarkCommitBaseline(b *testing.B) {
	e := benchEnv(b)
	i := 0
	for b.Loop() {
		i++
		if err := e.store.Update(e.ctx, func(tx ravao.Tx) error { return tx.PutSetting("bench", fmt.Sprint(i)) }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScan is one gate scan of a personal QR code, alternately in and
// out, on SQLite: signature, person, declaration, decision, the visit.
func BenchmarkScan(b *testing.B) {
	e := benchEnv(b)
	codes := make([]string, 50)
	for i := range codes {
		_, codes[i] = e.visitor(fmt.Sprintf("09120%05d", i), healthy)
	}
	i := 0
	for b.Loop() {
		dir := gate.In
		if (i/len(codes))%2 == 1 {
			dir = gate.Out
		}
		if _, err := e.gate.Scan(e.ctx, e.staff, gate.Scan{CheckpointID: e.a, Payload: codes[i%len(codes)], Direction: dir,
			IdempotencyKey: fmt.Sprint("b", i)}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkScanParallel is scans from 16 gates at once: throughput, and
// the latency each scan waits, as p50 and p99.
func BenchmarkScanParallel(b *testing.B) {
	e := benchEnv(b)
	codes := make([]string, 200)
	for i := range codes {
		_, codes[i] = e.visitor(fmt.Sprintf("09130%05d", i), healthy)
	}
	var n atomic.Int64
	var mu sync.Mutex
	var waits []time.Duration
	b.SetParallelism(8) // 16 goroutines on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			i := n.Add(1)
			dir := gate.In
			if (i/int64(len(codes)))%2 == 1 {
				dir = gate.Out
			}
			start := time.Now()
			_, err := e.gate.Scan(e.ctx, e.staff, gate.Scan{CheckpointID: e.a, Payload: codes[i%int64(len(codes))], Direction: dir,
				IdempotencyKey: fmt.Sprint("p", i)})
			if err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		waits = append(waits, mine...)
		mu.Unlock()
	})
	slices.Sort(waits)
	if len(waits) > 0 {
		b.ReportMetric(float64(waits[len(waits)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(waits[len(waits)*99/100].Microseconds())/1000, "p99-ms")
	}
}

// BenchmarkSync1000 is a gate's offline queue of 1,000 ID-card scans
// synced at once.
func BenchmarkSync1000(b *testing.B) {
	e := benchEnv(b)
	round := 0
	for b.Loop() {
		b.StopTimer()
		round++
		queue := make([]gate.Scan, 1000)
		for i := range queue {
			queue[i] = gate.Scan{Payload: fmt.Sprintf("0350%02d%06d||Người Số %d|01011980|Nam|Hà Nam|01012021", round%100, i, i),
				IdempotencyKey: fmt.Sprintf("s%d-%d", round, i), DeviceTime: e.clock.T.Add(-time.Hour)}
		}
		b.StartTimer()
		got, err := e.gate.Sync(e.ctx, e.staff, e.a, queue)
		if err != nil || got.Accepted+got.Duplicates != 1000 {
			b.Fatalf("sync: %+v, %v", got.Accepted, err)
		}
	}
}
