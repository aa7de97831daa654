package ravao

import (
	"os"
	"slices"
	"testing"
)

// TestMigrationsInStep checks that both engines have the same numbered
// migrations: each engine's TestMigrate applies whatever files it embeds,
// so a migration written for one engine only, or numbered differently,
// would go unnoticed there.
func TestMigrationsInStep(t *testing.T) {
	names := func(dir string) []string {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	lite, pg := names("sqlite/migrations"), names("postgres/migrations")
	if !slices.Equal(lite, pg) {
		t.Errorf("migrations differ between engines:\nsqlite:   %v\npostgres: %v", lite, pg)
	}
	if len(lite) < 15 {
		t.Errorf("only %d migrations: %v", len(lite), lite)
	}
}
