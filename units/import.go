package units

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ravao/ravao"
)

// batchSize is how many units one transaction writes: small enough that a
// transaction never holds the write lock for long, large enough that the
// national list takes a handful.
const batchSize = 2000

// ActiveVersionSetting names the setting that holds the unit version the
// installation uses.
const ActiveVersionSetting = ravao.ActiveUnitVersionSetting

// Result is what an import did.
type Result struct {
	Version  string
	Total    int // units in the import
	Inserted int // units that were not in the store before
}

// Import validates units as one version of the tree and writes them. It
// checks everything first (each unit, unique codes, a parent for every
// unit in the set or already in the store, each level one below its
// parent's) and writes nothing if anything is wrong; then it writes in
// batches of batchSize, calling progress (which may be nil) after each. It
// is idempotent: importing the same units again inserts none. The first
// version imported becomes the active one. A failure while writing can
// leave earlier batches written; importing again completes them.
func Import(ctx context.Context, store ravao.Store, units []ravao.Unit, progress func(done, total int)) (Result, error) {
	if len(units) == 0 {
		return Result{}, ravao.Errorf(ravao.Invalid, "err.units_empty")
	}
	res := Result{Version: units[0].Version, Total: len(units)}
	if err := validate(ctx, store, units); err != nil {
		return res, err
	}
	sorted := slices.Clone(units)
	// Parents first, so that a reader never sees a unit without its parent.
	slices.SortStableFunc(sorted, func(a, b ravao.Unit) int { return cmp.Compare(a.Level, b.Level) })
	for start := 0; start < len(sorted); start += batchSize {
		batch := sorted[start:min(start+batchSize, len(sorted))]
		last := start+len(batch) == len(sorted)
		n, err := writeBatch(ctx, store, batch, last, &res)
		if err != nil {
			return res, err
		}
		res.Inserted += n
		if progress != nil {
			progress(start+len(batch), len(sorted))
		}
	}
	return res, nil
}

// writeBatch writes one batch. The last batch also sets the active version
// if there is none and audits the import, so the event commits with the
// import's end.
func writeBatch(ctx context.Context, store ravao.Store, batch []ravao.Unit, last bool, res *Result) (int, error) {
	var inserted int
	err := store.Update(ctx, func(tx ravao.Tx) error {
		n, err := tx.PutUnits(batch)
		if err != nil {
			return err
		}
		inserted = n
		if !last {
			return nil
		}
		if err := activate(tx, res.Version); err != nil {
			return err
		}
		return tx.AppendAudit(&ravao.AuditEvent{
			Action: "units.import", ObjectType: "units", ObjectID: res.Version,
			Reason:    fmt.Sprintf("%d units, %d new", res.Total, res.Inserted+n),
			RequestID: ravao.RequestID(ctx),
		})
	})
	return inserted, err
}

// activate makes version the active one when none is.
func activate(tx ravao.Tx, version string) error {
	_, err := tx.Setting(ActiveVersionSetting)
	if !ravao.IsNotFound(err) {
		return err
	}
	return tx.PutSetting(ActiveVersionSetting, version)
}

// validate checks the units as a whole before anything is written.
func validate(ctx context.Context, store ravao.Store, units []ravao.Unit) error {
	version := units[0].Version
	level := make(map[string]int, len(units))
	for _, u := range units {
		if err := u.Validate(); err != nil {
			return unitError(u.Code, err)
		}
		if u.Version != version {
			return fieldError(u.Code, "version", "err.unit_version")
		}
		if _, dup := level[u.Code]; dup {
			return fieldError(u.Code, "code", "err.unit_duplicate")
		}
		level[u.Code] = u.Level
	}
	if err := storedParents(ctx, store, version, units, level); err != nil {
		return err
	}
	for _, u := range units {
		if pl, ok := level[u.ParentCode]; u.ParentCode != "" && (!ok || u.Level != pl+1) {
			return fieldError(u.Code, "level", "err.unit_level")
		}
	}
	return nil
}

// storedParents adds to level the parents that are not in the set but
// already in the store for the version, and refuses a parent found in
// neither.
func storedParents(ctx context.Context, store ravao.Store, version string, units []ravao.Unit, level map[string]int) error {
	var missing []ravao.Unit
	for _, u := range units {
		if _, ok := level[u.ParentCode]; u.ParentCode != "" && !ok {
			missing = append(missing, u)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return store.View(ctx, func(tx ravao.Tx) error {
		for _, u := range missing {
			if _, ok := level[u.ParentCode]; ok {
				continue
			}
			p, err := tx.Unit(version, u.ParentCode)
			if ravao.IsNotFound(err) {
				return fieldError(u.Code, "parent_code", "err.unit_parent")
			}
			if err != nil {
				return err
			}
			level[p.Code] = p.Level
		}
		return nil
	})
}

// unitError names the unit a validation error is about.
func unitError(code string, err error) error {
	e := &ravao.Error{Code: ravao.Invalid, Key: "err.units_unit", Args: []any{code}, Fields: map[string]string{}, Err: unitCause(code)}
	var ve *ravao.Error
	if errors.As(err, &ve) {
		for f, k := range ve.Fields {
			e.Fields[f] = k
		}
	}
	return e
}

func fieldError(code, field, key string) error {
	return &ravao.Error{Code: ravao.Invalid, Key: "err.units_unit", Args: []any{code}, Fields: map[string]string{field: key}, Err: unitCause(code)}
}

// unitCause names the unit in the error's text too, for logs and terminals
// that print the error without the catalogue. Unit codes are public.
func unitCause(code string) error { return fmt.Errorf("unit %q", code) }
