// Package testenv gives tests the outside things a fresh clone may lack
// (PostgreSQL, Chromium, zbarimg, pdftotext, ../shared), skipping with a
// clear message when one is missing, or failing instead when RAVAO_TEST_STRICT
// is set, as .ci/run sets it.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Strict reports whether missing test dependencies are failures (in CI).
func Strict() bool { return os.Getenv("RAVAO_TEST_STRICT") != "" }

// Missing skips t, or fails it when Strict, saying what is missing and how
// to provide it.
func Missing(t testing.TB, what, how string) {
	t.Helper()
	if Strict() {
		t.Fatalf("%s is required with RAVAO_TEST_STRICT set: %s", what, how)
	}
	t.Skipf("skipping: %s not available (%s)", what, how)
}

// PostgresURL returns the server URL from RAVAO_TEST_POSTGRES, or skips.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("RAVAO_TEST_POSTGRES")
	if u == "" {
		Missing(t, "PostgreSQL", "set RAVAO_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test")
	}
	return u
}

// PostgresDB creates a fresh, empty database on the test server and returns
// its URL; the database is dropped when the test ends.
func PostgresDB(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		Missing(t, "PostgreSQL", "cannot connect to RAVAO_TEST_POSTGRES: "+err.Error())
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	name := "ravao_t_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			return
		}
		defer c.Close(ctx)
		c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("RAVAO_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// Tool returns the path of an outside program (chromium, zbarimg,
// pdftotext...), or skips.
func Tool(t testing.TB, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	Missing(t, names[0], "install it, e.g. apt-get install "+names[0])
	return ""
}

// Chromium returns the path of a Chromium or Chrome binary, or skips.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("RAVAO_TEST_CHROMIUM"); p != "" {
		return p
	}
	return Tool(t, "chromium", "chromium-browser", "google-chrome")
}

// Shared returns the path of a file under ../shared (the project's shared
// folder beside the checkout), or skips.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared")
	if d := os.Getenv("RAVAO_SHARED"); d != "" {
		root = d
	}
	p := filepath.Join(root, rel)
	if _, err := os.Stat(p); err != nil {
		Missing(t, "../shared/"+rel, "run tests from a checkout with the shared folder beside it, or set RAVAO_SHARED")
	}
	return p
}
