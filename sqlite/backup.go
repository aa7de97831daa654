package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
)

// Backup writes a consistent copy of the live database to dest with
// SQLite's online backup API. It reads through a reader connection, so in
// WAL mode check-ins go on while it runs. The copy is written beside dest
// and renamed into place once complete, so dest is never half a database;
// an existing dest is refused.
func (s *Store) Backup(ctx context.Context, dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("sqlite: backup: %s already exists", dest)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".ravao-backup-*")
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	conn, err := s.DB.Reader.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		b, ok := dc.(interface {
			NewBackup(string) (*sqlite.Backup, error)
		})
		if !ok {
			return errors.New("sqlite: backup: the driver has no online backup")
		}
		bk, err := b.NewBackup(tmp.Name())
		if err != nil {
			return err
		}
		for more := true; more; {
			if more, err = bk.Step(-1); err != nil {
				bk.Finish()
				return err
			}
		}
		return bk.Finish()
	})
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if err := syncFile(tmp.Name()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dest)
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
