package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/sqlite"
)

// TestStatsReports runs `ravao stats reports` as an operator would after
// the morning job missed a day: it makes and keeps the day's reports
// (yesterday by default) and refuses a day that has not ended.
func TestStatsReports(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ravao.db")
	db := "sqlite:" + path
	seedVisit(t, path, time.Now().Add(-time.Minute))
	today := ravao.DayOf(time.Now(), svctest.ICT)
	env := map[string]string{"RAVAO_TZ": "Asia/Ho_Chi_Minh"}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"stats", "reports", "--db", db, "--day", "2026-02-30"}, 1, `--day: "2026-02-30" is not a date`},
		{[]string{"stats", "reports", "--db", db, "--day", today.String()}, 1, "has not"},
		{[]string{"stats", "reports", "--db", db}, 0, "made and kept 1 reports of " + today.Add(-1).String()},
		{[]string{"stats", "reports", "--db", db, "--day", today.Add(-3).String()}, 0, "made and kept 1 reports of " + today.Add(-3).String()},
	} {
		code, out, stderr := runRavao(t, env, "", tt.args...)
		if code != tt.code || !strings.Contains(out+stderr, tt.want) {
			t.Errorf("ravao %s: exit %d, %q %q; want %d and %q", strings.Join(tt.args, " "), code, out, stderr, tt.code, tt.want)
		}
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path, ravao.SystemClock{}, sqlite.Options{TZ: svctest.ICT})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.View(ctx, func(tx ravao.Tx) error {
		list, err := tx.ProgressReports("", "", 10)
		if err != nil {
			return err
		}
		if len(list) != 2 || list[0].Day != today.Add(-1) || list[1].Day != today.Add(-3) {
			t.Errorf("kept reports of the deployment: got %+v, want yesterday's and three days before's", list)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
