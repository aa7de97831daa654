package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
)

// benchReport is everything one `ravao bench` run measured.
type benchReport struct {
	Engine      string        `json:"engine"`
	Load        string        `json:"load_average"`
	Venues      int           `json:"venues"`
	People      int           `json:"people"`
	Days        int           `json:"days"`
	Visits      int           `json:"visits_seeded"`
	SeedSeconds float64       `json:"seed_seconds"`
	Concurrency int           `json:"concurrency"`
	Duration    string        `json:"duration"`
	Phases      []phaseResult `json:"phases"`
	Stored      *storedCheck  `json:"stored,omitempty"`
	Purge       *purgeResult  `json:"purge,omitempty"`
	Queries     []queryResult `json:"queries,omitempty"`
	PeakRSSMB   float64       `json:"peak_rss_mb"`
	// Warnings say what makes this run unlike a deployment.
	Warnings []string `json:"warnings,omitempty"`
}

// storedCheck compares the maximum-rate phase's answers with the visits
// stored under its idempotency keys.
type storedCheck struct {
	Acknowledged int `json:"acknowledged"`
	Created      int `json:"created"`
	Stored       int `json:"stored"`
	Missing      int `json:"missing"`
}

// purgeResult is the purge of one old day and the check-ins' p99 beside
// it.
type purgeResult struct {
	Visits   int     `json:"visits_purged"`
	Seconds  float64 `json:"seconds"`
	QuietP99 float64 `json:"p99_ms_without"`
	PurgeP99 float64 `json:"p99_ms_during"`
	Ratio    float64 `json:"p99_ratio"`
	Error    string  `json:"error,omitempty"` // the purge failed
}

func (r *benchReport) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeTable prints the results as tables.
func (r *benchReport) writeTable(w io.Writer) error {
	fmt.Fprintf(w, "ravao bench — %s, %d venues, %d people, %d visits over %d days (seeded in %.1fs), %d workers, load average %s\n\n",
		r.Engine, r.Venues, r.People, r.Visits, r.Days, r.SeedSeconds, r.Concurrency, r.Load)
	for _, warning := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n\n", warning)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "PHASE\tREQUESTS\tOK\tOK/S\tP50 MS\tP99 MS\tP999 MS\tCPU µS/OK\t× BASELINE\tERRORS\t")
	for _, p := range r.Phases {
		ratio := ""
		if p.Ratio > 0 {
			ratio = fmt.Sprintf("%.2f", p.Ratio)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.0f\t%s\t%s\t\n",
			p.Name, p.Requests, p.OK, p.Rate, p.P50, p.P99, p.P999, p.CPUPerOK, ratio, errorList(p.Errors))
	}
	tw.Flush()
	if s := r.Stored; s != nil {
		verdict := "ok: every acknowledged new visit is stored"
		if s.Missing > 0 {
			verdict = fmt.Sprintf("FAIL: %d missing", s.Missing)
		}
		fmt.Fprintf(w, "\nstored: %d visits for %d acknowledged check-ins (%d new) — %s\n", s.Stored, s.Acknowledged, s.Created, verdict)
	}
	if p := r.Purge; p != nil && p.Error != "" {
		fmt.Fprintf(w, "purge: FAILED after %.2fs (%s); check-in p99 %.2f ms without, %.2f ms during: × %.2f\n", p.Seconds, p.Error, p.QuietP99, p.PurgeP99, p.Ratio)
	} else if p != nil {
		fmt.Fprintf(w, "purge: %d visits in %.2fs; check-in p99 %.2f ms without, %.2f ms during: × %.2f\n", p.Visits, p.Seconds, p.QuietP99, p.PurgeP99, p.Ratio)
	}
	if len(r.Queries) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "QUERY\tAPI\tP50 MS\tP99 MS\tRAW SQL\tP50 MS\tP99 MS\tAPI/RAW\t")
		for _, q := range r.Queries {
			fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.2f\t%s\t%.2f\t%.2f\t%.3g\t%s\n", q.Name, q.API, q.APIP50, q.APIP99, q.Raw, q.RawP50, q.RawP99, q.Ratio, q.Details)
		}
		tw.Flush()
	}
	_, err := fmt.Fprintf(w, "\npeak RSS: %.0f MB (the whole process: server, seeding and client)\n", r.PeakRSSMB)
	return err
}

// errorList is "409:3 500:1", by status.
func errorList(m map[string]int) string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, fmt.Sprintf("%s:%d", k, m[k]))
	}
	return strings.Join(out, " ")
}
