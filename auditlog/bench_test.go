package auditlog_test

import (
	"context"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auditlog"
	"github.com/ravao/ravao/internal/svctest"
)

// BenchmarkSealVerify appends 20,000 events (1,000 a transaction), then
// times sealing them all and verifying the chain, on SQLite: events per
// second for each, and the cost of appending the same events as the
// baseline (what the services pay, before sealing existed).
//
//	go test -run '^$' -bench SealVerify -benchtime 1x ./auditlog
func BenchmarkSealVerify(b *testing.B) {
	const n = 20000
	for b.Loop() {
		b.StopTimer()
		ctx := context.Background()
		st, err := svctest.SQLite(b)(ravao.SystemClock{})
		if err != nil {
			b.Fatal(err)
		}
		svc, err := auditlog.New(st, testVault(b, 7), auditlog.Config{})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for i := 0; i < n; i += 1000 {
			err := st.Update(ctx, func(tx ravao.Tx) error {
				for range 1000 {
					if err := tx.AppendAudit(&ravao.AuditEvent{UserID: 1, Role: ravao.RoleHealth, Action: "case.view", ObjectType: "case", ObjectID: "42", Reason: "điều tra ổ dịch"}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		appendTook := time.Since(start)
		b.StartTimer()
		start = time.Now()
		if sealed, err := svc.SealAll(ctx); err != nil || sealed != n {
			b.Fatalf("SealAll: %d, %v", sealed, err)
		}
		sealTook := time.Since(start)
		start = time.Now()
		v, err := svc.Verify(ctx)
		if err != nil || !v.OK() || v.Checked != n {
			b.Fatalf("Verify: %+v, %v", v, err)
		}
		verifyTook := time.Since(start)
		b.ReportMetric(float64(n)/appendTook.Seconds(), "append-events/s")
		b.ReportMetric(float64(n)/sealTook.Seconds(), "seal-events/s")
		b.ReportMetric(float64(n)/verifyTook.Seconds(), "verify-events/s")
		b.ReportMetric(sealTook.Seconds()/appendTook.Seconds(), "seal/append")
		st.Close()
	}
}
