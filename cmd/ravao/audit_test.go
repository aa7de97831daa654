package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/sqlite"
	"github.com/ravao/ravao/vault"
)

// TestAuditVerify runs `ravao audit seal` and `ravao audit verify` on a
// SQLite file as an operator would: the chain verifies and its head is
// printed; after someone with the file changes an entry, verify names it
// and exits 1.
func TestAuditVerify(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ravao.db")
	db := "sqlite:" + path
	key := map[string]string{"RAVAO_KEY": vault.GenerateKey()}
	st, err := sqlite.Open(ctx, path, ravao.SystemClock{}, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(tx ravao.Tx) error {
		for range 12 {
			if err := tx.AppendAudit(&ravao.AuditEvent{Action: "case.view", ObjectType: "case", ObjectID: "42"}); err != nil {
				return err
			}
		}
		return nil
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		args []string
		vars map[string]string
		code int
		want string
	}{
		{[]string{"audit"}, key, 2, "Usage:"},
		{[]string{"audit", "check"}, key, 2, "Usage:"},
		{[]string{"audit", "verify", "--db", db}, nil, 1, "no key"},
		{[]string{"audit", "verify", "--db", db}, key, 0, "audit: 0 events verified, chain head seq 0 hash -; 12 not yet sealed"},
		{[]string{"audit", "seal", "--db", db}, key, 0, "audit: 12 events sealed"},
		{[]string{"audit", "verify", "--db", db}, key, 0, "audit: 12 events verified, chain head seq 12 hash "},
	} {
		code, out, stderr := runRavao(t, tt.vars, "", tt.args...)
		if code != tt.code || !strings.Contains(out+stderr, tt.want) {
			t.Errorf("ravao %s: exit %d, %q %q; want %d and %q", strings.Join(tt.args, " "), code, out, stderr, tt.code, tt.want)
		}
	}
	_, out, _ := runRavao(t, key, "", "audit", "verify", "--db", db)
	if !regexp.MustCompile(`hash [0-9a-f]{64}; 0 not yet sealed\n$`).MatchString(out) {
		t.Errorf("audit verify: got %q, want the head hash in hex", out)
	}

	st, err = sqlite.Open(ctx, path, ravao.SystemClock{}, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, q := range []string{`DROP TRIGGER audit_events_seal_only`, `UPDATE audit_events SET reason = 'đã sửa' WHERE seq = 7`} {
		if _, err := st.Writer.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Writer.QueryRow(`SELECT id FROM audit_events WHERE seq = 7`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, out, stderr := runRavao(t, key, "", "audit", "verify", "--db", db)
	want := "audit: broken at event " + strconv.FormatInt(id, 10) + " (seq 7): hash does not match — the entry was changed\n"
	if code != 1 || !strings.HasPrefix(out, want) || !strings.Contains(stderr, "broken") {
		t.Errorf("audit verify of a changed entry: exit %d, %q %q; want 1 and %q", code, out, stderr, want)
	}
	other := map[string]string{"RAVAO_KEY": vault.GenerateKey()}
	if code, out, _ := runRavao(t, other, "", "audit", "verify", "--db", db); code != 1 || !strings.Contains(out, "(seq 1)") {
		t.Errorf("audit verify with another key: exit %d, %q; want 1, broken at seq 1", code, out)
	}
}
