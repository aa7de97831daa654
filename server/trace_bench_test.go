package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/postgres"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/sqlstore"
	"github.com/ravao/ravao/tracing"
	"github.com/ravao/ravao/vault"
)

// BenchmarkTraceExposures is the tracing query of the tracing issue on the
// dataset of testenv.TraceData (RAVAO_BENCH_VISITS visits, 200,000 by
// default; the database is kept between runs), on each engine: for the
// index cases in turn (30 visits each, window = all), the store's
// ExposurePairs in a read transaction (raw), tracing.Service.Exposures
// (svc: the same query, ranking, the case's scope check and its audit
// event in one durable write transaction), and GET
// /api/v1/cases/{id}/exposures over HTTP through the server's handler
// (api); and two baselines: one durable write of one audit event, the
// floor under any audited action (commit), and GET /api/v1/me, the floor
// under any API call (floor). Each is reported as p50 and p99, with the
// API's ratio to the raw query of the same run: the goal is at most 2
// when warm. The paths take turns on the same case, so that the
// machine's moods fall on all of them alike.
func BenchmarkTraceExposures(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		d := testenv.TraceDataFromEnv(b)
		st, err := sqlite.Open(context.Background(), d.SQLitePath(), ravao.SystemClock{}, sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		benchTrace(b, d, st, st.DB)
	})
	b.Run("postgres", func(b *testing.B) {
		d := testenv.TraceDataFromEnv(b)
		st, err := postgres.Open(context.Background(), d.PostgresURL(b), ravao.SystemClock{}, postgres.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		benchTrace(b, d, st, st.DB)
	})
}

// traceBench is the server and the cases the benchmark traces.
type traceBench struct {
	tracing *tracing.Service
	actor   *ravao.Principal
	token   string
	url     string
	cases   []ravao.Case
}

func benchTrace(b *testing.B, d testenv.TraceData, st ravao.Store, db *sqlstore.DB) {
	start := time.Now()
	seeded, err := d.Seed(context.Background(), db.Writer, db.Dialect.Name)
	if err != nil {
		b.Fatal(err)
	}
	if seeded {
		b.Logf("%s: seeded %d visits, %d venues, %d people in %v", db.Dialect.Name, d.Visits, d.Venues, d.People, time.Since(start).Round(time.Second))
	}
	tb := newTraceBench(b, d, st)
	paths := tb.paths(st)
	pairs, contacts := tb.warm(b, paths)
	times := make([][]time.Duration, len(paths))
	i := 0
	for b.Loop() {
		c := tb.cases[i%len(tb.cases)]
		i++
		for j, p := range paths {
			t0 := time.Now()
			if _, err := p.run(c); err != nil {
				b.Fatal(err)
			}
			times[j] = append(times[j], time.Since(t0))
		}
	}
	b.StopTimer()
	p50, p99 := make([]float64, len(paths)), make([]float64, len(paths))
	for j, p := range paths {
		p50[j], p99[j] = percentiles(times[j])
		b.ReportMetric(p50[j], p.name+"-p50-ms")
		b.ReportMetric(p99[j], p.name+"-p99-ms")
	}
	b.ReportMetric(pairs, "pairs/case")
	b.ReportMetric(contacts, "contacts/case")
	b.ReportMetric(p50[2]/p50[0], "api/raw-p50")
	b.ReportMetric(p99[2]/p99[0], "api/raw-p99")
}

// benchPath is one way to a case's contacts, named as it is reported; it
// returns how many pairs or contacts it found.
type benchPath struct {
	name string
	run  func(ravao.Case) (int, error)
}

// paths are raw, svc, api, commit and floor, in that order.
func (tb *traceBench) paths(st ravao.Store) []benchPath {
	ctx := context.Background()
	raw := func(c ravao.Case) (int, error) {
		var n int
		err := st.View(ctx, func(tx ravao.Tx) error {
			pairs, err := tx.ExposurePairs(ravao.ExposureQuery{PersonID: c.PersonID, From: c.WindowFrom, To: c.WindowTo, Settings: c.Settings})
			n = len(pairs)
			return err
		})
		return n, err
	}
	svc := func(c ravao.Case) (int, error) {
		cs, err := tb.tracing.Exposures(ctx, tb.actor, c.ID)
		return len(cs), err
	}
	client := &http.Client{}
	get := func(path string) ([]byte, error) {
		req, _ := http.NewRequest("GET", tb.url+path, nil)
		req.Header.Set("Authorization", "Bearer "+tb.token)
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return nil, fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		return body, err
	}
	api := func(c ravao.Case) (int, error) {
		body, err := get(fmt.Sprintf("/api/v1/cases/%d/exposures", c.ID))
		return bytes.Count(body, []byte(`"person_id"`)), err
	}
	// The floor under every API call: GET /api/v1/me, which checks the
	// token and answers who the caller is.
	floor := func(ravao.Case) (int, error) {
		_, err := get("/api/v1/me")
		return 0, err
	}
	// The floor under every audited action: one durable write of one
	// audit event, as svc and api make.
	commit := func(c ravao.Case) (int, error) {
		return 0, st.Update(ctx, func(tx ravao.Tx) error {
			return tx.AppendAudit(&ravao.AuditEvent{At: tx.Now(), UserID: tb.actor.User.ID, Role: ravao.RoleHealth,
				Action: "bench.commit", ObjectType: "case", ObjectID: strconv.FormatInt(c.ID, 10), Reason: c.Reason})
		})
	}
	return []benchPath{{"raw", raw}, {"svc", svc}, {"api", api}, {"commit", commit}, {"floor", floor}}
}

// warm runs every case through every path twice, checks that the API
// lists as many contacts as the service, and returns the pairs and the
// contacts a case has on average.
func (tb *traceBench) warm(b *testing.B, paths []benchPath) (pairs, contacts float64) {
	for range 2 {
		for _, c := range tb.cases {
			n := make([]int, len(paths))
			for i, p := range paths {
				var err error
				if n[i], err = p.run(c); err != nil {
					b.Fatal(err)
				}
			}
			if n[2] != n[1] {
				b.Fatalf("case %d: the API lists %d contacts, the service %d", c.ID, n[2], n[1])
			}
			pairs, contacts = pairs+float64(n[0]), contacts+float64(n[1])
		}
	}
	return pairs / float64(2*len(tb.cases)), contacts / float64(2*len(tb.cases))
}

// percentiles returns the median and the 99th percentile, in
// milliseconds.
func percentiles(ds []time.Duration) (p50, p99 float64) {
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return ms(ds[len(ds)/2]), ms(ds[len(ds)*99/100])
}

// benchKey is the benchmark's vault key: fixed, so that what is sealed
// in the kept database opens again in the next run.
var benchKey = bytes.Repeat([]byte{0x5a}, 32)

// newTraceBench wires the services and the server over st as newEnv
// does, and finds or makes what the dataset lacks: the units, a health
// official of the province with an API token, and an open case for each
// index person with the default thresholds and a window over all the
// days.
func newTraceBench(b *testing.B, d testenv.TraceData, st ravao.Store) *traceBench {
	b.Helper()
	ctx := context.Background()
	v, err := vault.New(benchKey)
	if err != nil {
		b.Fatal(err)
	}
	e := wire(b, st, v, slog.New(slog.NewJSONHandler(io.Discard, nil)), "bench")
	a, tr, srv := e.auth, e.tracing, e.srv
	official := benchOfficial(b, st, a)
	token, err := a.IssueToken(ctx, nil, official.ID, "bench", time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	actor, err := a.Bearer(ctx, token)
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close)
	return &traceBench{tracing: tr, actor: actor, token: token, url: ts.URL, cases: benchCases(b, d, st, official.ID)}
}

// benchOfficial finds or makes the units and the health official.
func benchOfficial(b *testing.B, st ravao.Store, a *auth.Service) ravao.User {
	b.Helper()
	ctx := context.Background()
	var u ravao.User
	err := st.View(ctx, func(tx ravao.Tx) error {
		var err error
		u, err = tx.UserByLogin("bench-yte")
		return err
	})
	if err == nil {
		return u
	}
	if ravao.ErrorCode(err) != ravao.NotFound {
		b.Fatal(err)
	}
	if err := svctest.Units(ctx, st); err != nil {
		b.Fatal(err)
	}
	u, err = a.CreateUser(ctx, nil, auth.NewUser{Login: "bench-yte", DisplayName: "Cán bộ y tế", Password: "mật-khẩu-đo-hiệu-năng", Lang: "vi",
		Roles: []ravao.RoleAssignment{{Role: ravao.RoleHealth, UnitCode: "35"}}})
	if err != nil {
		b.Fatal(err)
	}
	return u
}

// benchCases finds or opens a case for each index person.
func benchCases(b *testing.B, d testenv.TraceData, st ravao.Store, official int64) []ravao.Case {
	b.Helper()
	var out []ravao.Case
	err := st.Update(context.Background(), func(tx ravao.Tx) error {
		out = out[:0]
		for _, person := range d.Index {
			cs, err := tx.Cases(ravao.CaseFilter{PersonID: person, Limit: 1})
			if err != nil {
				return err
			}
			if len(cs) == 1 {
				out = append(out, cs[0])
				continue
			}
			c := ravao.Case{PersonID: person, UnitCode: "13321", UnitPath: "35/347/13321/", Reason: "benchmark",
				Onset: d.From.AddDate(0, 0, d.Days), WindowFrom: d.From.AddDate(0, 0, -1), WindowTo: d.From.AddDate(0, 0, d.Days+1),
				Settings: ravao.DefaultTraceSettings(), Status: ravao.CaseOpen, CreatedBy: official}
			if err := c.Validate(); err != nil {
				return err
			}
			if err := tx.CreateCase(&c); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}
