package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ravao/ravao/internal/testenv"
)

// placement is where a table goes on Citus, as docs/scale.md says.
type placement struct {
	kind   string // distributed, reference or local
	column string // the distribution column of a distributed table
	group  string // the co-location group of a distributed table
}

const (
	distributed = "distributed"
	reference   = "reference"
	local       = "local" // stays on the coordinator
)

// citusTables mirrors docs/scale.md: every table of the schema and its
// place on Citus. A new table needs a line here and one in the document.
var citusTables = map[string]placement{
	"visits":     {distributed, "venue_id", "venue"},
	"venue_days": {distributed, "venue_id", "venue"},
	"visit_keys": {distributed, "idempotency_key", "visit_key"},

	"settings":      {kind: reference},
	"units":         {kind: reference},
	"users":         {kind: reference},
	"organisations": {kind: reference},
	"venues":        {kind: reference},
	"checkpoints":   {kind: reference},
	"people":        {kind: reference},

	"declarations":     {kind: local},
	"devices":          {kind: local},
	"cases":            {kind: local},
	"contacts":         {kind: local},
	"contact_events":   {kind: local},
	"exports":          {kind: local},
	"exposure_windows": {kind: local},
	"notifications":    {kind: local},
	"dsr_requests":     {kind: local},
	"dsr_events":       {kind: local},
	"breaches":         {kind: local},
	"breach_events":    {kind: local},
	"audit_events":     {kind: local},
	"role_assignments": {kind: local},
	"sessions":         {kind: local},
	"api_tokens":       {kind: local},
	"invitations":      {kind: local},
	"phone_challenges": {kind: local},
	"unit_days":        {kind: local},
	"progress_reports": {kind: local},
	"rosters":          {kind: local},
	"roster_entries":   {kind: local},
	"staff":            {kind: local},
	"staff_venues":     {kind: local},
	"leases":           {kind: local},
	"rate_counters":    {kind: local},
	"goose_db_version": {kind: local},
}

// TestCitusRules reads the catalog of a migrated database and checks the
// rules Citus enforces when the tables are distributed as citusTables
// says: every table is placed; a distribution column is NOT NULL; every
// primary key and unique index of a distributed table includes its
// distribution column; a distributed table refers only to reference
// tables or to a co-located distributed table through the distribution
// column; a reference table refers only to reference tables; and no
// local table refers to a distributed one.
func TestCitusRules(t *testing.T) {
	ctx := context.Background()
	dsn := testenv.PostgresDB(t)
	if _, err := Migrate(ctx, dsn); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkPlaced(t, db)
	checkNotNull(t, db)
	checkUnique(t, db)
	checkForeignKeys(t, db)
}

// catalogRows runs a catalog query whose rows are text columns.
func catalogRows(t *testing.T, db *sql.DB, q string) [][]string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		row := make([]string, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// parentOf names a relation's partitioned parent, or the relation itself:
// a partition's constraints are its parent's.
const parentOf = `COALESCE((SELECT i.inhparent::regclass::text FROM pg_inherits i
	WHERE i.inhrelid = %[1]s), %[1]s::regclass::text)`

func checkPlaced(t *testing.T, db *sql.DB) {
	t.Helper()
	rows := catalogRows(t, db, `SELECT c.relname FROM pg_class c
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
			AND NOT c.relispartition ORDER BY 1`)
	found := map[string]bool{}
	for _, r := range rows {
		found[r[0]] = true
		if _, ok := citusTables[r[0]]; !ok {
			t.Errorf("table %s has no place on Citus: add it to citusTables and to docs/scale.md", r[0])
		}
	}
	for name := range citusTables {
		if !found[name] {
			t.Errorf("citusTables places %s, which the schema does not have", name)
		}
	}
}

func checkNotNull(t *testing.T, db *sql.DB) {
	t.Helper()
	for name, p := range citusTables {
		if p.kind != distributed {
			continue
		}
		var notNull bool
		err := db.QueryRow(`SELECT attnotnull FROM pg_attribute WHERE attrelid = $1::regclass
			AND attname = $2 AND NOT attisdropped`, name, p.column).Scan(&notNull)
		if err != nil || !notNull {
			t.Errorf("distributed table %s: distribution column %s must exist and be NOT NULL (%v)", name, p.column, err)
		}
	}
}

// checkUnique checks the unique indexes (primary keys and unique
// constraints among them) of distributed tables and of their partitions.
func checkUnique(t *testing.T, db *sql.DB) {
	t.Helper()
	rows := catalogRows(t, db, fmt.Sprintf(`SELECT `+parentOf+`, x.indexrelid::regclass::text,
		COALESCE((SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
			JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum), '')
		FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid
		WHERE x.indisunique AND c.relnamespace = current_schema()::regnamespace`, "x.indrelid"))
	checked := 0
	for _, r := range rows {
		p := citusTables[r[0]]
		if p.kind != distributed {
			continue
		}
		checked++
		if !slices.Contains(strings.Split(r[2], ","), p.column) {
			t.Errorf("distributed table %s: unique index %s (%s) leaves out the distribution column %s",
				r[0], r[1], r[2], p.column)
		}
	}
	if checked == 0 {
		t.Errorf("no unique index found on a distributed table: the catalog query is wrong")
	}
}

// foreignKey is a foreign key of the catalog, on parent tables.
type foreignKey struct {
	name, from, to string
	fromCols       []string
	toCols         []string
}

func foreignKeys(t *testing.T, db *sql.DB) []foreignKey {
	t.Helper()
	cols := `(SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(%s) WITH ORDINALITY k(attnum, n)
		JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.attnum)`
	rows := catalogRows(t, db, `SELECT f.conname, f.conrelid::regclass::text, f.confrelid::regclass::text, `+
		fmt.Sprintf(cols, "f.conkey", "f.conrelid")+`, `+fmt.Sprintf(cols, "f.confkey", "f.confrelid")+`
		FROM pg_constraint f JOIN pg_class c ON c.oid = f.conrelid
		WHERE f.contype = 'f' AND f.conparentid = 0 AND NOT c.relispartition
			AND c.relnamespace = current_schema()::regnamespace
		ORDER BY 2, 1`)
	var fks []foreignKey
	for _, r := range rows {
		fks = append(fks, foreignKey{r[0], r[1], r[2], strings.Split(r[3], ","), strings.Split(r[4], ",")})
	}
	if len(fks) == 0 {
		t.Fatalf("no foreign key found: the catalog query is wrong")
	}
	return fks
}

func checkForeignKeys(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, fk := range foreignKeys(t, db) {
		if msg := foreignKeyProblem(fk); msg != "" {
			t.Errorf("foreign key %s of %s (%s) → %s (%s): %s", fk.name, fk.from,
				strings.Join(fk.fromCols, ", "), fk.to, strings.Join(fk.toCols, ", "), msg)
		}
	}
}

// foreignKeyProblem says why Citus would refuse fk, or "".
func foreignKeyProblem(fk foreignKey) string {
	from, to := citusTables[fk.from], citusTables[fk.to]
	switch {
	case from.kind == distributed && to.kind == reference:
		return ""
	case from.kind == distributed && to.kind == distributed:
		if from.group != to.group {
			return "distributed tables that are not co-located"
		}
		i := slices.Index(fk.fromCols, from.column)
		if i < 0 || fk.toCols[i] != to.column {
			return "between co-located tables, the key must pair the distribution columns"
		}
		return ""
	case from.kind == distributed:
		return "a distributed table may refer only to reference tables and co-located distributed tables"
	case from.kind == reference && to.kind != reference:
		return "a reference table may refer only to reference tables"
	case to.kind == distributed:
		return "a local table cannot refer to a distributed table"
	}
	return ""
}

// fanOut lists the SQL of package sqlstore that reads or changes a
// distributed table without filtering or joining it on its distribution
// column: on Citus each runs on every shard. A key is the function (or
// constant) holding the statement, the table, and its alias if any; the
// value says why. docs/scale.md names each of them.
var fanOut = map[string]string{
	"Visit visits":                   "a visit by id (gate and API reads, SetVisitDecision)",
	"VisitByIdempotencyKey visits":   "a retried check-in: visit_keys routes by key, visits is read by id",
	"CheckOutVisit visits":           "a check-out by visit id",
	"checkOut visits":                "check-outs by visit id, one or a batch's",
	"VisitsByIdempotencyKeys visits": "a batch's retried check-ins: keys route to visit_keys shards, each visit found is read by id",
	"SetVisitDecision visits":        "a decision changed by visit id",
	"PersonVisits visits":            "a person's visits (tracing, the person's own history)",
	"OpenVisits visits":              "a person's open visits (check-out by tap)",
	"DueVisits visits":               "the automatic check-out's queue, by due time",
	"CheckpointVisits visits":        "a checkpoint's latest scans, by checkpoint",
	"exposurePairsSQL visits v":      "the case person's own visits; the pairs then join by venue, shard by shard",
	"daysVisited visits":             "whether a person was already counted at a venue today, at each check-in",
	"RepairVenueDays visits":         "a day's counts rebuilt from every venue's visits",
	"RepairVenueDays venue_days":     "a day's counts replaced for every venue",
	"rollupVenues venue_days":        "the roll-up reads one day of every venue",
	"CountPurge visits":              "the purge preview counts the visits past the period",
	"purgeablePerson visits v":       "the purge checks that a person has no visit left",
	"purgeVisitBatch visit_keys":     "the purge deletes the keys of the visits it deletes",
	"setVisitDayAside visit_keys":    "the purge deletes the keys of a day it drops",
	"VisitTable visits":              "the partition holding a visit (operators, tests)",
}

// sqlTable finds a distributed table after FROM, JOIN, UPDATE or INTO,
// with its alias.
var sqlTable = regexp.MustCompile(`(?i)\b(FROM|JOIN|UPDATE|INTO)\s+(visits|venue_days|visit_keys)\b(\s+(?:AS\s+)?([a-z]\w*))?`)

// sqlKeywords follow a table name without being its alias.
var sqlKeywords = map[string]bool{"where": true, "set": true, "join": true, "on": true, "group": true,
	"order": true, "limit": true, "values": true, "overriding": true, "select": true, "returning": true,
	"left": true, "inner": true, "union": true, "and": true, "or": true}

// TestCitusFanOut reads the SQL of package sqlstore (every string
// constant and concatenation of them, a non-constant part read as "?")
// and checks that each statement touching a distributed table filters or
// joins it on its distribution column (an INSERT always does: each row
// carries it), or is one of the documented fan-out queries in fanOut.
func TestCitusFanOut(t *testing.T) {
	found := map[string]bool{}
	for _, st := range sqlStatements(t, "../sqlstore") {
		for _, m := range sqlTable.FindAllStringSubmatch(st.text, -1) {
			verb, table, alias := strings.ToUpper(m[1]), m[2], strings.ToLower(m[4])
			if sqlKeywords[alias] {
				alias = ""
			}
			key := strings.TrimSpace(st.owner + " " + table + " " + alias)
			if verb == "INTO" || filtersOn(st.text, table, alias, citusTables[table].column) {
				continue
			}
			found[key] = true
			if _, ok := fanOut[key]; !ok {
				t.Errorf("%s: %s on %s does not filter or join on %s, so on Citus it runs on every shard: "+
					"filter it, or add %q to fanOut and explain it in docs/scale.md", st.pos, st.owner, table,
					citusTables[table].column, key)
			}
		}
	}
	for key := range fanOut {
		if !found[key] {
			t.Errorf("fanOut lists %q, which no longer fans out (or is gone): remove it here and in docs/scale.md", key)
		}
	}
}

// filtersOn says whether text compares col of table (of alias, when
// given) with = or IN, on either side, or follows it with a value built
// in Go (flattened to "?"): sqlstore's oneOf, "= ANY($n)" or "IN (…)".
func filtersOn(text, table, alias, col string) bool {
	ref := `(?:\b` + regexp.QuoteMeta(table) + `\.|[^.\w]|^)` + regexp.QuoteMeta(col)
	if alias != "" {
		ref = `\b` + regexp.QuoteMeta(alias) + `\.` + regexp.QuoteMeta(col)
	}
	re := regexp.MustCompile(`(?i)` + ref + `\s*(?:=|IN\s*\(|\?)|=\s*` + ref + `\b`)
	return re.MatchString(text)
}

// sqlStatement is a piece of SQL text found in Go source.
type sqlStatement struct {
	owner string // the function or constant holding it
	pos   string
	text  string
}

// sqlStatements returns the SQL strings of the non-test Go files in dir:
// each maximal concatenation of string literals and other expressions
// that holds at least one literal.
func sqlStatements(t *testing.T, dir string) []sqlStatement {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	fset := token.NewFileSet()
	var out []sqlStatement
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			owner := declName(d)
			ast.Inspect(d, func(n ast.Node) bool {
				e, ok := n.(ast.Expr)
				if !ok || !isStringExpr(e) {
					return true
				}
				out = append(out, sqlStatement{owner, fset.Position(e.Pos()).String(), flatten(e)})
				return false
			})
		}
	}
	return out
}

// declName names a top-level declaration: a function, or the first name
// of a constant or variable block.
func declName(d ast.Decl) string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		return d.Name.Name
	case *ast.GenDecl:
		for _, s := range d.Specs {
			if v, ok := s.(*ast.ValueSpec); ok && len(v.Names) > 0 {
				return v.Names[0].Name
			}
		}
	}
	return "?"
}

// isStringExpr says whether e is a string literal or a + chain holding one.
func isStringExpr(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		return e.Kind == token.STRING
	case *ast.BinaryExpr:
		return e.Op == token.ADD && (isStringExpr(e.X) || isStringExpr(e.Y))
	case *ast.ParenExpr:
		return isStringExpr(e.X)
	}
	return false
}

// flatten writes a + chain as text, each non-literal operand as " ? ".
func flatten(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.BasicLit:
		if s, err := strconv.Unquote(e.Value); err == nil {
			return s
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return flatten(e.X) + flatten(e.Y)
		}
	case *ast.ParenExpr:
		return flatten(e.X)
	}
	return " ? "
}

// TestScaleDoc checks that docs/scale.md carries citusTables and fanOut:
// the Citus call placing each distributed and reference table, and the
// name of every function holding a fan-out query.
func TestScaleDoc(t *testing.T) {
	b, err := os.ReadFile("../docs/scale.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for name, p := range citusTables {
		var want string
		switch p.kind {
		case distributed:
			want = fmt.Sprintf("create_distributed_table('%s', '%s'", name, p.column)
		case reference:
			want = fmt.Sprintf("create_reference_table('%s')", name)
		default:
			want = "`" + name + "`"
		}
		if !strings.Contains(doc, want) {
			t.Errorf("docs/scale.md does not place %s (%s): want %q in it", name, p.kind, want)
		}
	}
	for key := range fanOut {
		if owner := strings.Fields(key)[0]; !strings.Contains(doc, owner) {
			t.Errorf("docs/scale.md does not name the fan-out query %s", owner)
		}
	}
}
