package server

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/retention"
	"github.com/ravao/ravao/sqlite"
)

// canary is one seeded person's personal values, distinctive enough that
// any hit in a file is theirs.
type canary struct{ name, phone, idNumber string }

// variants are the forms a value could be written in: as given and, for
// phones, in international form without the leading 0.
func (c canary) variants() []string {
	out := []string{c.name}
	for _, v := range []string{c.phone, c.idNumber} {
		if v == "" {
			continue
		}
		out = append(out, v)
		if strings.HasPrefix(v, "0") && c.phone == v {
			out = append(out, "84"+v[1:], "+84"+v[1:])
		}
	}
	return out
}

// TestCanaryNoPlaintextAfterPurge seeds people with known names, phones
// and ID numbers, checks them in through the visitor and gate APIs, opens
// and traces a case, exports its contacts as CSV and XLSX, closes it, runs
// the purge past every period and takes a backup; then no name, phone or
// ID number appears in the database file, its WAL, the backup, the logs or
// /metrics. Sealed values swapped between two rows no longer open.
func TestCanaryNoPlaintextAfterPurge(t *testing.T) {
	f := newCaseFixture(t)
	ctx := context.Background()
	canaries := []canary{
		{"Nguyễn Văn An", personPhone, personCCCD}, {"Trần Thị Bình", binhPhone, ""}, {"Lê Văn Cường", cuongPhone, ""},
		{"Phạm Văn Dũng", dungPhone, ""}, {"Vũ Thị Em", emPhone, ""},
		{"Hoàng Thị Chim Hoạ Mi", "0977314159", ""}, {"Quách Văn Sẻ Đồng", "", "035188026535"},
	}
	f.canaryCheckIns(canaries[5], canaries[6])
	exports := f.canaryTrace(t)
	if hits := plaintextHits(exports, canaries); len(hits) == 0 {
		t.Fatal("the exports hold none of the canaries: the search would find nothing anywhere")
	}

	svc, err := retention.New(f.store, retention.Config{TZ: time.Local, Clock: &ravao.FixedClock{T: time.Now().AddDate(0, 0, 62)}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := svc.Purge(ctx, false)
	if err != nil || r.People < len(canaries) || r.Visits == 0 || r.Cases != 1 {
		t.Fatalf("purge: %+v, %v; want every canary, their visits and the case gone", r, err)
	}
	st := f.store.(*sqlite.Store)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	metrics := f.do(request{method: "GET", path: "/metrics"})
	if metrics.Code != http.StatusOK {
		t.Fatalf("metrics: %d", metrics.Code)
	}
	sources := map[string][]byte{"logs": []byte(f.logs.String()), "metrics": metrics.Body.Bytes()}
	for name, path := range map[string]string{"database": st.Path(), "WAL": st.Path() + "-wal", "backup": backup} {
		b, err := os.ReadFile(path)
		if err != nil && !(name == "WAL" && os.IsNotExist(err)) {
			t.Fatal(err)
		}
		sources[name] = b
	}
	for name, b := range sources {
		if hits := plaintextHits(b, canaries); len(hits) > 0 {
			t.Errorf("%s (%d bytes) holds %q", name, len(b), hits)
		}
	}
	f.canarySwap()
}

// plaintextHits lists the canary values found in b.
func plaintextHits(b []byte, canaries []canary) []string {
	var hits []string
	for _, c := range canaries {
		for _, v := range c.variants() {
			if bytes.Contains(b, []byte(v)) {
				hits = append(hits, v)
			}
		}
	}
	return hits
}

// canaryCheckIns declares a visitor (who checks in by the poster's code)
// and scans an ID card at the gate.
func (f *caseFixture) canaryCheckIns(visitor, card canary) {
	f.t.Helper()
	rec := f.visitor(visitorCall{method: "POST", path: "/api/v1/declarations", body: `{"consent":true,"profile":{"full_name":"` +
		visitor.name + `","phone":"` + visitor.phone + `","birth_year":1985,"sex":"f","unit_code":"13321"},"answers":` + healthyAnswers + `}`})
	if rec.Code != http.StatusCreated {
		f.t.Fatalf("declare: %d %s", rec.Code, rec.Body)
	}
	var d declaredJSON
	decode(f.t, rec.Body, &d)
	var v venueDetailJSON
	decode(f.t, f.do(request{method: "GET", path: fmt.Sprintf("/api/v1/venues/%d", f.venue), token: f.tokens["admin"]}).Body, &v)
	code := ""
	for _, c := range v.Checkpoints {
		if c.ID == f.cp {
			code = c.Code
		}
	}
	rec = f.visitor(visitorCall{method: "POST", path: "/api/v1/checkins", device: d.Device, body: `{"code":"` + code + `"}`})
	if rec.Code != http.StatusCreated {
		f.t.Fatalf("visitor check-in: %d %s", rec.Code, rec.Body)
	}
	rec = f.do(request{method: "POST", path: "/api/v1/gate/scans", token: f.tokens["gate"], body: fmt.Sprintf(
		`{"checkpoint_id":%d,"payload":"%s|168123457|%s|15031990|Nam|Phủ Lý|01072021","idempotency_key":"canary-card"}`,
		f.cp, card.idNumber, card.name)})
	if rec.Code != http.StatusCreated {
		f.t.Fatalf("gate scan: %d %s", rec.Code, rec.Body)
	}
}

// canaryTrace opens An's case, which traces Bình and Cường, exports the
// list as CSV and XLSX, downloads both, and closes the case; it returns
// the files.
func (f *caseFixture) canaryTrace(t *testing.T) []byte {
	f.t.Helper()
	var opened caseAnswer
	wantStatus(t, "open", f.apiCall("health", "POST", "/api/v1/cases",
		`{"phone":"`+personPhone+`","reason":"F0: RT-PCR dương tính","unit_code":"13321"}`), 201, &opened)
	var files []byte
	for _, format := range []string{"csv", "xlsx"} {
		var x struct{ ID int64 }
		wantStatus(t, "export", f.apiCall("health", "POST", fmt.Sprintf("/api/v1/cases/%d/exports", opened.Case.ID),
			`{"format":"`+format+`","reason":"Gửi trạm y tế phường"}`), 201, &x)
		rec := f.apiCall("health", "GET", fmt.Sprintf("/api/v1/exports/%d/file", x.ID), "")
		if rec.Code != http.StatusOK {
			f.t.Fatalf("download %s: %d", format, rec.Code)
		}
		files = append(files, rec.Body.Bytes()...)
	}
	err := f.store.Update(context.Background(), func(tx ravao.Tx) error {
		c, err := tx.Case(opened.Case.ID)
		if err != nil {
			return err
		}
		c.Status, c.ClosedAt = ravao.CaseClosed, tx.Now()
		return tx.UpdateCase(&c)
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return files
}

// canarySwap stores two people, swaps their sealed values in the
// database file, and checks that neither opens: the sealing binds each
// value to its row's ID.
func (f *caseFixture) canarySwap() {
	f.t.Helper()
	ids := []int64{
		f.addSomeone("Đinh Thị Hoán Đổi", "0966271828", "13321"),
		f.addSomeone("Lương Văn Tráo", "0966161803", "13321"),
	}
	for _, id := range ids {
		if _, err := f.canaryOpen(id); err != nil {
			f.t.Fatalf("person %d does not open before the swap: %v", id, err)
		}
	}
	db, err := sql.Open("sqlite", f.store.(*sqlite.Store).Path())
	if err != nil {
		f.t.Fatal(err)
	}
	defer db.Close()
	sealed := make([][]byte, 2)
	for i, id := range ids {
		if err := db.QueryRow(`SELECT sealed FROM people WHERE id = $1`, id).Scan(&sealed[i]); err != nil {
			f.t.Fatal(err)
		}
	}
	for i, id := range ids {
		if _, err := db.Exec(`UPDATE people SET sealed = $1 WHERE id = $2`, sealed[1-i], id); err != nil {
			f.t.Fatal(err)
		}
	}
	for _, id := range ids {
		if _, err := f.canaryOpen(id); err == nil {
			f.t.Errorf("person %d opened with the other's sealed value", id)
		}
	}
}

// canaryOpen reads a person and opens their sealed record.
func (f *caseFixture) canaryOpen(id int64) (ravao.Person, error) {
	var rec ravao.PersonRecord
	err := f.store.View(context.Background(), func(tx ravao.Tx) error {
		var err error
		rec, err = tx.Person(id)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return f.vault.OpenPerson(rec)
}
