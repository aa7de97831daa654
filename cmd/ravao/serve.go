package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auditlog"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/breaches"
	"github.com/ravao/ravao/gate"
	"github.com/ravao/ravao/i18n"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/progress"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/retention"
	"github.com/ravao/ravao/rights"
	"github.com/ravao/ravao/server"
	"github.com/ravao/ravao/sms"
	"github.com/ravao/ravao/tracing"
	"github.com/ravao/ravao/vault"
	"github.com/ravao/ravao/visitors"
	"github.com/ravao/ravao/workplaces"
)

func cmdServe(ctx context.Context, args []string, env *environment) error {
	var c config
	f := newFlags("serve", env)
	f.db(&c)
	f.server(&c, ":8080")
	if _, err := f.parse(args, 0); err != nil {
		return err
	}
	key, err := c.masterKey(env)
	if err != nil {
		return err
	}
	return serve(ctx, &c, key, env, nil)
}

// app is what a running server is made of, handed to a seed function (the
// demo) before the server starts listening.
type app struct {
	store    ravao.Store
	vault    *vault.Vault
	auth     *auth.Service
	places   *places.Service
	visitors *visitors.Service
	tracing  *tracing.Service
	progress *progress.Service
	audit    *auditlog.Service
	purge    *retention.Service
	rights   *rights.Service
	breaches *breaches.Service
	baseURL  string
	// workplaces keeps staff lists and their daily compliance.
	workplaces *workplaces.Service
}

// serve runs the HTTP server until ctx is cancelled (SIGINT or SIGTERM),
// then stops accepting connections and lets requests in flight finish.
func serve(ctx context.Context, c *config, key []byte, env *environment, seed func(context.Context, *app) error) error {
	loc, err := c.check()
	if err != nil {
		return err
	}
	proxies, err := c.trustedProxies()
	if err != nil {
		return err
	}
	if c.ReportHour < 0 || c.ReportHour > 23 {
		return fmt.Errorf("--report-hour must be between 0 and 23")
	}
	if err := c.checkJobs(); err != nil {
		return err
	}
	logger := c.logger(env.stderr)
	v, err := vault.New(key)
	if err != nil {
		return err
	}
	clock := ravao.SystemClock{}
	store, err := openStore(ctx, c, clock)
	if err != nil {
		return err
	}
	defer store.Close()
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	lim := sharedLimits(c, store, v)
	a := &app{store: store, vault: v, auth: auth.New(store, v, auth.Config{IPLimiter: lim.login}), baseURL: c.BaseURL}
	if a.baseURL == "" {
		a.baseURL = "http://" + displayAddr(ln.Addr())
	}
	sender, err := sms.Parse(c.SMS, env.getenv("RAVAO_SMS_TOKEN"), logger, clock)
	if err != nil {
		return fmt.Errorf("--sms: %w", err)
	}
	outbox, _ := sender.(*sms.Outbox)
	if outbox != nil {
		logger.Warn("development SMS outbox: one-time codes are shown at /dev/outbox and in this log; use --sms webhook:URL in production")
	}
	cat, err := i18n.New(c.Lang)
	if err != nil {
		return err
	}
	a.places, err = places.New(store, v, a.auth, sender, cat, places.Config{
		BaseURL: a.baseURL, AutoApprove: c.AutoApprove, TZ: loc, Clock: clock,
	})
	if err != nil {
		return err
	}
	qs := questions.Default()
	if c.Questions != "" {
		if qs, err = questions.LoadFile(c.Questions); err != nil {
			return fmt.Errorf("--questions: %w", err)
		}
	}
	a.visitors, err = visitors.New(store, v, a.places, qs, visitors.Config{TZ: loc, Clock: clock})
	if err != nil {
		return err
	}
	gates, err := gate.New(store, v, a.places, a.visitors, gate.Config{TZ: loc, Clock: clock})
	if err != nil {
		return err
	}
	a.tracing, err = tracing.New(store, v, sender, tracing.Config{
		Settings: c.Trace, ApprovalRows: c.ApprovalRows, TZ: loc, Clock: clock, Verifier: a.visitors.Verifier(),
	})
	if err != nil {
		return err
	}
	a.progress, err = progress.New(store, progress.Config{TZ: loc, Clock: clock, Vault: v})
	if err != nil {
		return err
	}
	if err := a.protection(c, loc, clock); err != nil {
		return err
	}
	if a.workplaces, err = newWorkplaces(a, c, qs, loc, clock); err != nil {
		return err
	}
	if seed != nil {
		if err := seed(ctx, a); err != nil {
			return err
		}
	}
	srv, err := server.New(server.Config{
		Addr: c.Addr, BaseURL: a.baseURL, Lang: c.Lang, TZ: loc, Dev: c.Dev, Version: version,
		TrustedProxies: proxies, PublicProgress: c.PublicProgress,
	}, server.Deps{Store: store, Auth: a.auth, Places: a.places, Visitors: a.visitors, Gate: gates, Tracing: a.tracing, Progress: a.progress, Audit: a.audit, Rights: a.rights, Breaches: a.breaches, Workplaces: a.workplaces, Outbox: outbox, Vault: v, Logger: logger, Clock: clock, SMSLimit: lim.sms})
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	// The background jobs (jobs.go) run until shutdown, each only while
	// this server holds its lease, and are waited for before the store
	// closes.
	defer a.startJobs(ctx, c, logger).Wait()
	logger.Info("listening", "addr", ln.Addr().String(), "base_url", a.baseURL, "version", version)
	fmt.Fprintf(env.stdout, "Ravao is listening on %s\n", a.baseURL)
	if env.ready != nil {
		env.ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

// displayAddr turns a listening address such as [::]:8080 into one a
// browser on this machine can open.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// fillContactKeys keys the contact phones of places registered before
// venues kept that key, so that rosters match them by phone. It does
// nothing once every place has its key.
func fillContactKeys(ctx context.Context, pl *places.Service, logger *slog.Logger) {
	n, err := pl.FillContactKeys(ctx)
	switch {
	case err != nil && ctx.Err() == nil:
		logger.Error("contact keys", "err", err)
	case n > 0:
		logger.Info("contact keys", "venues", n)
	}
}
