package gate_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/gate"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/internal/testenv"
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
	testenv.Concurrent(b, func(i int64) error {
		dir := gate.In
		if (i/int64(len(codes)))%2 == 1 {
			dir = gate.Out
		}
		_, err := e.gate.Scan(e.ctx, e.staff, gate.Scan{CheckpointID: e.a, Payload: codes[i%int64(len(codes))], Direction: dir,
			IdempotencyKey: fmt.Sprint("p", i)})
		return err
	})
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
