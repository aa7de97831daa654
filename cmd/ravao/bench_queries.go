package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
)

// queryRuns is how many times each query of the queries phase runs.
const queryRuns = 20

// queryResult is an API call next to the raw SQL it replaces.
type queryResult struct {
	Name    string  `json:"name"`
	API     string  `json:"api"`
	Raw     string  `json:"raw"`
	APIP50  float64 `json:"api_p50_ms"`
	APIP99  float64 `json:"api_p99_ms"`
	RawP50  float64 `json:"raw_p50_ms"`
	RawP99  float64 `json:"raw_p99_ms"`
	Ratio   float64 `json:"api_over_raw_p50"`
	Details string  `json:"details,omitempty"`
}

// queries measures tracing and the province dashboard through the API,
// each beside its raw SQL on the same database.
func (b *bencher) queries(ctx context.Context, rep *benchReport) error {
	b.progress("queries: tracing and the province dashboard, %d runs each", queryRuns)
	tr, err := b.tracing(ctx)
	if err != nil {
		return fmt.Errorf("tracing: %w", err)
	}
	dash, err := b.dashboard(ctx)
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	rep.Queries = append(rep.Queries, tr...)
	rep.Queries = append(rep.Queries, dash)
	return nil
}

// call makes one API call with a staff token and decodes the answer into
// out (when not nil).
func (b *bencher) call(ctx context.Context, method, path, token string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		j, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, bytes.TrimSpace(data[:min(len(data), 300)]))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

// timed runs f and returns how long it took.
func timed(f func() error) (time.Duration, error) {
	t0 := time.Now()
	err := f()
	return time.Since(t0), err
}

// tracing opens a case for queryRuns seeded people in turn (POST
// /api/v1/cases traces at once), then reads each case's exposures (GET
// /api/v1/cases/{id}/exposures), each beside the store's ExposurePairs
// over the same window.
func (b *bencher) tracing(ctx context.Context) ([]queryResult, error) {
	from := b.d.from.Start(b.loc)
	to := time.Now()
	var open, get, raw []time.Duration
	pairs := 0
	for i := range queryRuns {
		person := b.d.people[(i*7919)%len(b.d.people)]
		var out struct {
			Case struct {
				ID int64 `json:"id"`
			} `json:"case"`
		}
		body := map[string]any{"person_id": person, "reason": "ravao bench", "unit_code": b.d.province,
			"window_from": from.Format(time.RFC3339), "window_to": to.Format(time.RFC3339)}
		t, err := timed(func() error { return b.call(ctx, "POST", "/api/v1/cases", b.d.health, body, http.StatusCreated, &out) })
		if err != nil {
			return nil, err
		}
		open = append(open, t)
		t, err = timed(func() error {
			return b.call(ctx, "GET", fmt.Sprintf("/api/v1/cases/%d/exposures", out.Case.ID), b.d.health, nil, http.StatusOK, nil)
		})
		if err != nil {
			return nil, err
		}
		get = append(get, t)
		t, err = timed(func() error {
			return b.a.store.View(ctx, func(tx ravao.Tx) error {
				ps, err := tx.ExposurePairs(ravao.ExposureQuery{PersonID: person, From: from, To: to, Settings: ravao.DefaultTraceSettings()})
				pairs += len(ps)
				return err
			})
		})
		if err != nil {
			return nil, err
		}
		raw = append(raw, t)
	}
	details := fmt.Sprintf("%.1f exposure pairs a case", float64(pairs)/queryRuns)
	return []queryResult{
		pairQuery("tracing: open a case", "POST /api/v1/cases", "Tx.ExposurePairs", open, raw, details),
		pairQuery("tracing: a case's exposures", "GET /api/v1/cases/{id}/exposures", "Tx.ExposurePairs", get, raw, details),
	}, nil
}

// pairQuery reports an API's latencies beside the raw query's.
func pairQuery(name, api, rawName string, apiT, rawT []time.Duration, details string) queryResult {
	q := queryResult{Name: name, API: api, Raw: rawName, Details: details,
		APIP50: quantileMS(apiT, 0.5), APIP99: quantileMS(apiT, 0.99), RawP50: quantileMS(rawT, 0.5), RawP99: quantileMS(rawT, 0.99)}
	if q.RawP50 > 0 {
		q.Ratio = q.APIP50 / q.RawP50
	}
	return q
}

// dashboard reads the province's progress over the seeded days (GET
// /api/v1/stats/units/{code}) beside the naive scan of the visits that
// the roll-ups replace.
func (b *bencher) dashboard(ctx context.Context) (queryResult, error) {
	db, err := b.sqlDB()
	if err != nil {
		return queryResult{}, err
	}
	path := fmt.Sprintf("/api/v1/stats/units/%s?from=%s&to=%s", b.d.province, b.d.from, b.d.to)
	lo, hi := b.d.from.Start(b.loc).UnixMilli(), b.d.to.Add(1).Start(b.loc).UnixMilli()
	var apiT, rawT []time.Duration
	var checkins int
	for range queryRuns {
		t, err := timed(func() error { return b.call(ctx, "GET", path, b.d.local, nil, http.StatusOK, nil) })
		if err != nil {
			return queryResult{}, err
		}
		apiT = append(apiT, t)
		t, err = timed(func() error {
			var active, people, out, red int
			return db.Reader.QueryRowContext(ctx, scanQuery, lo, hi, b.d.province+"/%").Scan(&active, &checkins, &out, &people, &red)
		})
		if err != nil {
			return queryResult{}, err
		}
		rawT = append(rawT, t)
	}
	return pairQuery("province dashboard", "GET /api/v1/stats/units/"+b.d.province, "scan of visits (progress/bench_test.go)", apiT, rawT,
		fmt.Sprintf("%d check-ins over %d days", checkins, b.bc.days)), nil
}

// scanQuery is the naive query the progress roll-ups replace.
const scanQuery = progress.ScanSQL
