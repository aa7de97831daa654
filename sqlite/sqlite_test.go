package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/storetest"
	"github.com/ravao/ravao/vault"
)

// openTemp opens a store in a fresh temporary directory.
func openTemp(t *testing.T, clock ravao.Clock) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "ravao.db"), clock, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, clock ravao.Clock) ravao.Store { return openTemp(t, clock) })
}

// pragma reads one pragma on a connection.
func pragma(t *testing.T, c *sql.Conn, name string) string {
	t.Helper()
	var v string
	if err := c.QueryRowContext(context.Background(), "PRAGMA "+name).Scan(&v); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return v
}

// TestPragmas checks the settings on the writer and on several reader
// connections open at once, since each pooled connection is configured
// separately.
func TestPragmas(t *testing.T) {
	s := openTemp(t, ravao.SystemClock{})
	defer s.Close()
	ctx := context.Background()
	common := map[string]string{
		"journal_mode": "wal", "foreign_keys": "1", "secure_delete": "1", "busy_timeout": "10000",
		"synchronous": "2", // FULL
	}
	check := func(name string, c *sql.Conn, want map[string]string) {
		for p, v := range want {
			if got := pragma(t, c, p); got != v {
				t.Errorf("%s: PRAGMA %s: got %s, want %s", name, p, got, v)
			}
		}
	}
	w, err := s.Writer.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	check("writer", w, common)
	check("writer", w, map[string]string{"query_only": "0"})
	for i := range 3 {
		r, err := s.Reader.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		check("reader "+string(rune('0'+i)), r, common)
		check("reader "+string(rune('0'+i)), r, map[string]string{"query_only": "1"})
	}
}

// TestAcknowledgedUpdateSurvives copies the database file and its WAL as
// they are on disk right after Update returns, without closing the store
// (as a power cut would leave them), and finds the row in the copy.
func TestAcknowledgedUpdateSurvives(t *testing.T) {
	s := openTemp(t, ravao.SystemClock{})
	defer s.Close()
	ctx := context.Background()
	if err := s.Update(ctx, func(tx ravao.Tx) error { return tx.PutSetting("durable", "yes") }); err != nil {
		t.Fatalf("Update: %v", err)
	}
	dir := t.TempDir()
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(s.Path() + suffix)
		if err != nil {
			t.Fatalf("read %s: %v", suffix, err)
		}
		if err := os.WriteFile(filepath.Join(dir, "copy.db"+suffix), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err := Open(ctx, filepath.Join(dir, "copy.db"), ravao.SystemClock{}, Options{})
	if err != nil {
		t.Fatalf("Open copy: %v", err)
	}
	defer c.Close()
	err = c.View(ctx, func(tx ravao.Tx) error {
		v, err := tx.Setting("durable")
		if err != nil || v != "yes" {
			t.Errorf("Setting in the copy: got %q, %v; want \"yes\"", v, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// canary is a person whose clear values must never reach the disk.
func canary() ravao.Person {
	return ravao.Person{
		ID: vault.NewID(), FullName: "Nguyễn Văn Canary", Phone: "0912345678", IDNumber: "035099001234",
		Address: "12 Ngõ Canary, Phủ Lý", BirthYear: 1985, Sex: ravao.SexMale, UnitCode: "13321",
		ConsentVersion: "v1", ConsentChannel: ravao.ConsentSelf, ConsentAt: time.Now().UTC().Truncate(time.Millisecond),
	}
}

// TestCanary stores a sealed person and a visit, then reads the raw bytes
// of the database and its WAL: no clear personal value may appear.
func TestCanary(t *testing.T) {
	v, err := vault.New(bytes.Repeat([]byte{7}, vault.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	s := openTemp(t, ravao.SystemClock{})
	defer s.Close()
	ctx := context.Background()
	p := canary()
	rec, err := v.SealPerson(p)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx ravao.Tx) error {
		if err := tx.CreatePerson(&rec); err != nil {
			return err
		}
		org := ravao.Organisation{Name: "Org", UnitCode: "13321", Sector: ravao.SectorOther}
		if err := tx.CreateOrganisation(&org); err != nil {
			return err
		}
		ven := ravao.Venue{OrganisationID: org.ID, Name: "Venue", Type: ravao.VenueOther, Sector: ravao.SectorOther, UnitCode: "13321", Status: ravao.VenueApproved}
		if err := tx.CreateVenue(&ven); err != nil {
			return err
		}
		cp := ravao.Checkpoint{VenueID: ven.ID, Name: "Gate", Kind: ravao.CheckpointGate}
		if err := tx.CreateCheckpoint(&cp); err != nil {
			return err
		}
		return tx.InsertVisits([]*ravao.Visit{{PersonID: rec.ID, VenueID: ven.ID, CheckpointID: cp.ID,
			InAt: time.Now(), Decision: ravao.Green, Source: ravao.SourceSelf}})
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	var disk []byte
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(s.Path() + suffix)
		if err != nil {
			t.Fatalf("read %s: %v", suffix, err)
		}
		disk = append(disk, b...)
	}
	if !bytes.Contains(disk, rec.Sealed) {
		t.Fatalf("the sealed record is not in the files read: the test reads the wrong files")
	}
	for _, clear := range []string{"0912345678", "+84912345678", "84912345678", "035099001234", "Nguyễn Văn Canary", "Canary", "Ngõ Canary"} {
		if bytes.Contains(disk, []byte(clear)) {
			t.Errorf("%q appears in clear in the database files", clear)
		}
	}
	testSwappedBlobs(t, s, v, rec)
}

// testSwappedBlobs stores a second person, swaps the two sealed blobs in
// the database, and checks that neither opens: a ciphertext is bound to
// its row.
func testSwappedBlobs(t *testing.T, s *Store, v *vault.Vault, first ravao.PersonRecord) {
	ctx := context.Background()
	other := canary()
	other.ID, other.FullName, other.Phone, other.IDNumber = vault.NewID(), "Trần Thị Khác", "0987654321", "001199004321"
	rec, err := v.SealPerson(other)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx ravao.Tx) error { return tx.CreatePerson(&rec) }); err != nil {
		t.Fatal(err)
	}
	err = s.View(ctx, func(tx ravao.Tx) error {
		r, err := tx.Person(first.ID)
		if err != nil {
			return err
		}
		got, err := v.OpenPerson(r)
		if err != nil || got.FullName != "Nguyễn Văn Canary" || got.Phone != "0912345678" {
			t.Errorf("OpenPerson of the stored record: got %v, want the canary's name and phone", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	swap := `UPDATE people SET sealed = $1 WHERE id = $2`
	if _, err := s.Writer.ExecContext(ctx, swap, rec.Sealed, first.ID); err != nil {
		t.Fatalf("swap: %v", err)
	}
	if _, err := s.Writer.ExecContext(ctx, swap, first.Sealed, rec.ID); err != nil {
		t.Fatalf("swap: %v", err)
	}
	err = s.View(ctx, func(tx ravao.Tx) error {
		for _, id := range []int64{first.ID, rec.ID} {
			r, err := tx.Person(id)
			if err != nil {
				return err
			}
			if _, err := v.OpenPerson(r); err == nil {
				t.Errorf("OpenPerson of person %d with the other's blob: got nil error, want a failure", id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	applied, err := Migrate(ctx, "sqlite:"+path)
	if want := migrationNames(t); err != nil || !slices.Equal(applied, want) || len(want) < 8 {
		t.Fatalf("Migrate of a new database: got %v, %v; want %v", applied, err, want)
	}
	applied, err = Migrate(ctx, path)
	if err != nil || len(applied) != 0 {
		t.Fatalf("Migrate again: got %v, %v; want nothing applied", applied, err)
	}
	if _, err := Open(ctx, ":memory:", ravao.SystemClock{}, Options{}); err == nil {
		t.Errorf("Open(:memory:): got nil error, want a refusal")
	}
}

// BenchmarkPutUnits imports a country's worth of units (10,000) into a
// fresh database per iteration.
func BenchmarkPutUnits(b *testing.B) {
	storetest.BenchmarkPutUnits(b, func(b *testing.B) ravao.Store {
		s, err := Open(context.Background(), filepath.Join(b.TempDir(), "b.db"), ravao.SystemClock{}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		return s
	})
}

// migrationNames are the embedded migrations' file names, in order: a new
// database gets every one of them.
func migrationNames(t *testing.T) []string {
	t.Helper()
	entries, err := fs.ReadDir(migrations(), ".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
