package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/i18n"
	"github.com/ravao/ravao/units"
)

func cmdUnits(ctx context.Context, args []string, env *environment) error {
	if len(args) == 0 || args[0] != "import" {
		return errUsage
	}
	var c config
	var version string
	f := newFlags("units import", env)
	f.db(&c)
	f.StringVar(&version, "version", "", "dataset version (default: from the file name, e.g. 2025-03)")
	rest, err := f.parse(reorder(args[1:]), 1)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("units import needs one FILE (.json as in the national list, or .csv with code,parent_code,level,name,full_name)")
	}
	path := rest[0]
	if version == "" {
		version = units.VersionFromFilename(path)
	}
	list, err := parseUnitsFile(path, version)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, &c, ravao.SystemClock{})
	if err != nil {
		return err
	}
	defer store.Close()
	start := time.Now()
	last := time.Time{}
	res, err := units.Import(ctx, store, list, func(done, total int) {
		if time.Since(last) > 200*time.Millisecond || done == total {
			fmt.Fprintf(env.stderr, "\rimporting %s: %d/%d units", version, done, total)
			last = time.Now()
		}
	})
	fmt.Fprintln(env.stderr)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(env.stdout, "imported %d units of version %s (%d new) in %s\n",
		res.Total, res.Version, res.Inserted, time.Since(start).Round(time.Millisecond))
	return nil
}

func parseUnitsFile(path, version string) ([]ravao.Unit, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		list, err := units.ParseCSV(fh, version)
		return list, describe(err)
	}
	list, err := units.ParseJSON(fh, version)
	return list, describe(err)
}

// reorder moves flags before positional arguments, so that both
// `units import FILE --version V` and `units import --version V FILE` work.
func reorder(args []string) []string {
	var flagArgs, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case strings.HasPrefix(a, "-") && strings.Contains(a, "="):
			flagArgs = append(flagArgs, a)
		case strings.HasPrefix(a, "-") && i+1 < len(args) && !isBoolFlag(a):
			flagArgs = append(flagArgs, a, args[i+1])
			i++
		case strings.HasPrefix(a, "-"):
			flagArgs = append(flagArgs, a)
		default:
			pos = append(pos, a)
		}
	}
	return append(flagArgs, pos...)
}

func isBoolFlag(a string) bool {
	a = strings.TrimLeft(a, "-")
	return a == "dev" || a == "h" || a == "help"
}

// describe turns a domain error into a sentence for the terminal.
func describe(err error) error {
	e, ok := err.(*ravao.Error)
	if !ok {
		return err
	}
	catalogue, cerr := i18n.New("en")
	if cerr != nil {
		return err
	}
	msg := catalogue.T("en", e.Key, e.Args...)
	for field, key := range e.Fields {
		msg += fmt.Sprintf("\n  %s: %s", field, catalogue.T("en", key))
	}
	return fmt.Errorf("%s", msg)
}
