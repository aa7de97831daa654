package sqlite

import (
	"context"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ravao/ravao"
)

// TestBackupWhileWriting backs up while another goroutine keeps writing:
// the backup opens, passes integrity_check, and holds every row that was
// committed before the backup started.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "live.db"), ravao.SystemClock{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	put := func(i int) error {
		return s.Update(ctx, func(tx ravao.Tx) error { return tx.PutSetting("k"+strconv.Itoa(i), "v") })
	}
	for i := range 200 {
		if err := put(i); err != nil {
			t.Fatal(err)
		}
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 200; !stop.Load(); i++ {
			if err := put(i); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	dest := filepath.Join(dir, "backup.db")
	err = s.Backup(ctx, dest)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, dest); err == nil {
		t.Error("a second backup overwrote the first")
	}
	b, err := Open(ctx, dest, ravao.SystemClock{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var ok string
	if err := b.DB.Reader.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check = %q, %v", ok, err)
	}
	err = b.View(ctx, func(tx ravao.Tx) error {
		for i := range 200 {
			if _, err := tx.Setting("k" + strconv.Itoa(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Errorf("a row committed before the backup is missing: %v", err)
	}
}
