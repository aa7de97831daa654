// Package server is Ravao's web front: the staff pages (html/template,
// server-rendered, no front-end framework) and the JSON API under /api/v1/,
// in one package over one store. Every route is listed in routes(); every
// handler returns an error, and one function (fail) turns errors into
// responses in the caller's language.
package server

import (
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auditlog"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/breaches"
	"github.com/ravao/ravao/gate"
	"github.com/ravao/ravao/i18n"
	"github.com/ravao/ravao/internal/ratelimit"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/progress"
	"github.com/ravao/ravao/rights"
	"github.com/ravao/ravao/sms"
	"github.com/ravao/ravao/tracing"
	"github.com/ravao/ravao/vault"
	"github.com/ravao/ravao/visitors"
	"github.com/ravao/ravao/workplaces"
)

// Config is the server's configuration, read by main and passed down.
type Config struct {
	Addr    string
	BaseURL string         // e.g. https://ravao.example.vn; https makes cookies Secure
	Lang    string         // default language, "vi" when empty
	TZ      *time.Location // deployment time zone, Asia/Ho_Chi_Minh when nil
	Dev     bool           // read templates and static files from disk at each request
	MaxBody int64          // largest request body, 1 MiB when zero
	Version string         // build version, shown in /metrics
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed. Behind a proxy every request comes from the proxy's address,
	// so without this the login rate limit would count all users as one.
	TrustedProxies []netip.Prefix
	// PublicProgress publishes aggregate progress, small counts hidden, at
	// /public/progress (needs Deps.Progress); off, those pages do not exist.
	PublicProgress bool
}

// Deps are the services the server calls.
type Deps struct {
	Store  ravao.Store
	Auth   *auth.Service
	Places *places.Service
	// Visitors runs the visitor flows; nil leaves them out (older tests).
	Visitors *visitors.Service
	// Gate runs the gate console's scans; nil leaves it out.
	Gate *gate.Service
	// Tracing runs cases, contacts and exposure windows; nil leaves them out.
	Tracing *tracing.Service
	// Progress answers the deployment progress views; nil leaves them out.
	Progress *progress.Service
	// Audit seals, verifies and shows the audit log; Rights answers
	// data-subject requests; Breaches keeps the breach register. Nil
	// leaves their pages out.
	Audit    *auditlog.Service
	Rights   *rights.Service
	Breaches *breaches.Service
	Vault    *vault.Vault
	Logger   *slog.Logger
	Clock    ravao.Clock
	// Outbox is the development SMS sender, when it is the one in use: its
	// messages are then shown at /dev/outbox. Nil with a real gateway.
	Outbox *sms.Outbox
	// SMSLimit counts SMS code requests per client; nil counts them in
	// this process (5 a minute). Several servers share one through the
	// database (ravao.SharedLimit).
	SMSLimit auth.Limiter
	// Workplaces keeps organisations' staff lists and their compliance;
	// nil leaves its pages out.
	Workplaces *workplaces.Service
}

// Server serves Ravao's pages and API.
type Server struct {
	cfg      Config
	store    ravao.Store
	auth     *auth.Service
	places   *places.Service
	visits   *visitors.Service
	gate     *gate.Service
	tracing  *tracing.Service
	progress *progress.Service
	audit    *auditlog.Service
	rights   *rights.Service
	breaches *breaches.Service
	outbox   *sms.Outbox
	vault    *vault.Vault
	log      *slog.Logger
	clock    ravao.Clock
	cat      *i18n.Catalogue
	views    *views
	assets   *assets
	metrics  *metrics
	cop      *http.CrossOriginProtection
	secure   bool
	list     []Route
	handler  http.Handler
	// codeLimit bounds unknown checkpoint codes per client (/q/{code});
	// smsLimit bounds SMS code requests per client.
	codeLimit *ratelimit.Limiter
	smsLimit  auth.Limiter
	// workplaces: staff lists and compliance; nil leaves them out.
	workplaces *workplaces.Service
}

// New checks the configuration, parses the templates and builds the routes.
func New(cfg Config, d Deps) (*Server, error) {
	if d.Store == nil || d.Auth == nil || d.Places == nil || d.Vault == nil {
		return nil, errors.New("server: Store, Auth, Places and Vault are required")
	}
	cfg = withDefaults(cfg)
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Clock == nil {
		d.Clock = ravao.SystemClock{}
	}
	cat, err := i18n.New(cfg.Lang)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, store: d.Store, auth: d.Auth, places: d.Places, visits: d.Visitors, gate: d.Gate, tracing: d.Tracing, progress: d.Progress, audit: d.Audit, rights: d.Rights, breaches: d.Breaches, outbox: d.Outbox,
		vault: d.Vault, log: d.Logger, clock: d.Clock,
		codeLimit: ratelimit.New(30, 2*time.Second), smsLimit: ratelimit.New(5, time.Minute),
		cat: cat, metrics: newMetrics(), cop: http.NewCrossOriginProtection(),
		secure: len(cfg.BaseURL) > 8 && cfg.BaseURL[:8] == "https://",
	}
	if d.SMSLimit != nil {
		s.smsLimit = d.SMSLimit
	}
	s.workplaces = d.Workplaces
	if s.assets, err = newAssets(cfg.Dev); err != nil {
		return nil, err
	}
	if s.views, err = newViews(cfg.Dev, cat, s.assets); err != nil {
		return nil, err
	}
	s.list = s.routes()
	s.handler = s.mux()
	return s, nil
}

// withDefaults fills in the zero fields of cfg.
func withDefaults(cfg Config) Config {
	if cfg.Lang == "" {
		cfg.Lang = "vi"
	}
	if cfg.TZ == nil {
		tz, err := time.LoadLocation("Asia/Ho_Chi_Minh")
		if err != nil {
			tz = time.FixedZone("ICT", 7*3600)
		}
		cfg.TZ = tz
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 1 << 20
	}
	return cfg
}

// Handler returns the HTTP handler serving every route.
func (s *Server) Handler() http.Handler { return s.handler }

// Catalogue returns the message catalogue the server speaks with.
func (s *Server) Catalogue() *i18n.Catalogue { return s.cat }

// Routes lists the server's routes, for tests and the OpenAPI document.
func (s *Server) Routes() []Route { return append([]Route(nil), s.list...) }

// mux registers every route on a ServeMux, each wrapped in the middleware.
func (s *Server) mux() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.list {
		mux.Handle(rt.muxPattern(), s.wrap(rt))
	}
	return mux
}
