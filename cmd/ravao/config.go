package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the deployment's time zone must load on machines without zoneinfo

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/retention"
	"github.com/ravao/ravao/vault"
)

// config is everything the commands read from flags and the environment.
type config struct {
	DB          string
	Addr        string
	BaseURL     string
	Lang        string
	TZ          string
	KeyFile     string
	Dev         bool
	LogFormat   string
	MaxConns    int
	Proxies     string
	SMS         string
	AutoApprove bool
	Questions   string
	// Trace holds the deployment's tracing thresholds; ApprovalRows the
	// export size above which a second official must approve.
	Trace        ravao.TraceSettings
	ApprovalRows int
	// PublicProgress publishes aggregate progress at /public/progress.
	PublicProgress bool
	// ReportHour is the hour (local) the daily reports of the day before
	// are made and kept.
	ReportHour int
	// Holidays are the public holidays (comma-separated 2006-01-02) that
	// are not working days for the data-subject requests' due dates.
	Holidays string
	// Retain holds the retention periods; PurgeHour is the hour (local)
	// of the daily purge.
	Retain    retention.Config
	PurgeHour int
	// SharedLimits is auto, on or off: whether the sign-in and SMS-request
	// limits per client are counted in the database, so that several
	// servers share them (auto: with PostgreSQL).
	SharedLimits string
	// LeaseTTL is how long a background job's lease outlives its holder's
	// last renewal: how soon another server takes over a job whose server
	// died. JobsInterval is the period of the frequent jobs (automatic
	// check-out, exposure messages; roll-ups every 5 of them), shortened
	// by tests.
	LeaseTTL     time.Duration
	JobsInterval time.Duration
}

// flags builds a flag set for one command whose defaults come from RAVAO_*
// variables, so that `--base-url` and RAVAO_BASE_URL are the same setting.
type flags struct {
	*flag.FlagSet
	env *environment
}

func newFlags(name string, env *environment) flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	return flags{fs, env}
}

// envName turns "base-url" into "RAVAO_BASE_URL".
func envName(flagName string) string {
	return "RAVAO_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func (f flags) str(p *string, name, def, help string) {
	if v := f.env.getenv(envName(name)); v != "" {
		def = v
	}
	f.StringVar(p, name, def, help+" ("+envName(name)+")")
}

func (f flags) boolean(p *bool, name string, help string) {
	def, _ := strconv.ParseBool(f.env.getenv(envName(name)))
	f.BoolVar(p, name, def, help+" ("+envName(name)+")")
}

func (f flags) integer(p *int, name string, def int, help string) {
	if v, err := strconv.Atoi(f.env.getenv(envName(name))); err == nil {
		def = v
	}
	f.IntVar(p, name, def, help+" ("+envName(name)+")")
}

func (f flags) duration(p *time.Duration, name string, def time.Duration, help string) {
	if v, err := time.ParseDuration(f.env.getenv(envName(name))); err == nil {
		def = v
	}
	f.DurationVar(p, name, def, help+" ("+envName(name)+")")
}

// db registers the database flag every command that touches data takes.
func (f flags) db(c *config) {
	f.str(&c.DB, "db", "sqlite:ravao.db", "database: sqlite:PATH or postgres://...")
	f.integer(&c.MaxConns, "db-max-conns", 10, "PostgreSQL connection pool size of this process; keep the sum over all servers under max_connections (docs/deploy.md)")
	f.Var(f.Lookup("db-max-conns").Value, "max-conns", "former name of --db-max-conns")
}

// server registers the flags of commands that serve HTTP.
func (f flags) server(c *config, addr string) {
	f.str(&c.Addr, "addr", addr, "address to listen on")
	f.str(&c.BaseURL, "base-url", "", "public URL of this server, printed in QR codes (default http://ADDR)")
	f.str(&c.Lang, "lang", "vi", "default language: vi or en")
	f.str(&c.TZ, "tz", "Asia/Ho_Chi_Minh", "time zone for days and reports")
	f.str(&c.KeyFile, "key-file", "", "file holding the base64 master key for personal data (or RAVAO_KEY)")
	f.boolean(&c.Dev, "dev", "read templates and static files from disk")
	f.str(&c.LogFormat, "log-format", "json", "log format: json or text")
	f.str(&c.Proxies, "trusted-proxies", "", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed")
	f.str(&c.SMS, "sms", "outbox", "SMS sender for one-time codes: outbox (development: messages shown at /dev/outbox and in the log) or webhook:https://gateway/path (token in RAVAO_SMS_TOKEN)")
	f.boolean(&c.AutoApprove, "auto-approve", "approve new place registrations without a local official")
	f.str(&c.Questions, "questions", "", "JSON file with the health declaration's questions (default: the built-in set; format in docs/visitors.md)")
	d := ravao.DefaultTraceSettings()
	f.duration(&c.Trace.Buffer, "trace-buffer", d.Buffer, "tracing: how long after a case leaves others are still exposed")
	f.duration(&c.Trace.OpenWindow, "trace-open-window", d.OpenWindow, "tracing: when a visit has no check-out, check-ins this close to the case's are exposures")
	f.duration(&c.Trace.MinOverlap, "trace-min-overlap", d.MinOverlap, "tracing: shorter overlaps are not exposures")
	f.duration(&c.Trace.CloseAfter, "trace-close-after", d.CloseAfter, "tracing: total overlap that makes a close contact (F1)")
	f.duration(&c.Trace.WindowBefore, "trace-window-before", d.WindowBefore, "tracing: the infectious window starts this long before onset or the positive test")
	f.boolean(&c.PublicProgress, "public-progress", "publish aggregate progress per unit, small counts hidden, at /public/progress")
	f.integer(&c.ApprovalRows, "export-approval", 50, "tracing: exports of more contacts than this need a second official's approval")
	f.integer(&c.ReportHour, "report-hour", 6, "hour (0-23, local time) every morning when the daily progress reports of the day before are made and kept")
	f.str(&c.Holidays, "holidays", "", "comma-separated public holidays (2027-01-01,2027-02-16,...) that do not count as working days for data-subject requests' due dates")
	f.retention(c)
	f.integer(&c.PurgeHour, "purge-hour", retention.DefaultHour, "hour (0-23, local time) of the daily purge of data past its retention period")
	f.several(c)
}

// several registers the flags of several servers sharing one database.
func (f flags) several(c *config) {
	f.str(&c.SharedLimits, "shared-limits", "auto", "count the sign-in and SMS-request limits per client in the database, shared by all servers: auto (with PostgreSQL), on or off")
	f.duration(&c.LeaseTTL, "lease-ttl", 30*time.Second, "how soon another server takes over a background job whose server stopped answering")
	f.duration(&c.JobsInterval, "jobs-interval", time.Minute, "period of the automatic check-out and exposure messages (roll-ups: 5 times it); shorter only for tests")
}

// retention registers the retention periods, which serve and purge share.
func (f flags) retention(c *config) {
	d := retention.DefaultPeriod
	f.duration(&c.Retain.Visits, "retain-visits", d, "retention: visits are deleted this long after the day they happened")
	f.duration(&c.Retain.Declarations, "retain-declarations", d, "retention: health declarations are deleted this long after they were made")
	f.duration(&c.Retain.People, "retain-people", d, "retention: people with no visit or declaration left are deleted this long after their record last changed")
	f.duration(&c.Retain.Cases, "retain-cases", d, "retention: closed cases, their contacts and exports are deleted this long after closing")
}

// holidays parses --holidays.
func (c *config) holidays() ([]ravao.Day, error) {
	var out []ravao.Day
	for _, s := range strings.Split(c.Holidays, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		d, err := ravao.ParseDay(s)
		if err != nil {
			return nil, fmt.Errorf("--holidays: %q is not a date (2006-01-02)", s)
		}
		out = append(out, d)
	}
	return out, nil
}

// trustedProxies parses --trusted-proxies.
func (c *config) trustedProxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range strings.Split(c.Proxies, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return nil, fmt.Errorf("--trusted-proxies: %q is not an address or CIDR range", s)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies: %q is not an address or CIDR range", s)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// parse parses args, refusing stray positional arguments unless allowed.
func (f flags) parse(args []string, positional int) ([]string, error) {
	if err := f.Parse(args); err != nil {
		return nil, errUsage
	}
	if f.NArg() > positional {
		return nil, fmt.Errorf("unexpected argument %q", f.Arg(positional))
	}
	return f.Args(), nil
}

// check validates the settings shared by the serving commands.
func (c *config) check() (*time.Location, error) {
	if c.Lang != "vi" && c.Lang != "en" {
		return nil, fmt.Errorf("--lang must be vi or en, not %q", c.Lang)
	}
	loc, err := time.LoadLocation(c.TZ)
	if err != nil {
		return nil, fmt.Errorf("--tz: %v", err)
	}
	if err := c.Trace.Validate(); err != nil {
		return nil, fmt.Errorf("--trace-*: each threshold must be between 0 and 24h (30 days for --trace-window-before), in whole milliseconds")
	}
	if c.ApprovalRows < 1 {
		return nil, fmt.Errorf("--export-approval must be at least 1")
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		return nil, fmt.Errorf("--log-format must be json or text")
	}
	return loc, nil
}

// masterKey reads the personal-data key: RAVAO_KEY, else the key file.
// The key never lives in the database, so a stolen database is not enough
// to read personal data.
func (c *config) masterKey(env *environment) ([]byte, error) {
	if k := env.getenv("RAVAO_KEY"); k != "" {
		return vault.ParseKey(k)
	}
	if c.KeyFile == "" {
		return nil, errors.New("no key for personal data: run `ravao keygen > ravao.key` (keep it safe, back it up apart from the database) and pass --key-file ravao.key or set RAVAO_KEY")
	}
	return vault.LoadKeyFile(c.KeyFile)
}

func (c *config) logger(w io.Writer) *slog.Logger {
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}

// readSecret returns the value of NAME, or the contents of the file named by
// NAME_FILE.
func readSecret(env *environment, name string) (string, error) {
	if v := env.getenv(name); v != "" {
		return v, nil
	}
	if p := env.getenv(name + "_FILE"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return "", nil
}
