package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auditlog"
	"github.com/ravao/ravao/vault"
)

// sealEvery is how often serve seals the audit log's new events.
const sealEvery = 2 * time.Second

// cmdAudit runs `ravao audit verify`, which checks the audit chain and
// names its first broken entry (exit 1), and `ravao audit seal`, which
// seals every event not yet in the chain (before a backup, say).
func cmdAudit(ctx context.Context, args []string, env *environment) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "seal") {
		return errUsage
	}
	var c config
	f := newFlags("audit "+args[0], env)
	f.db(&c)
	f.str(&c.KeyFile, "key-file", "", "file holding the base64 master key (or RAVAO_KEY)")
	if _, err := f.parse(args[1:], 0); err != nil {
		return err
	}
	key, err := c.masterKey(env)
	if err != nil {
		return err
	}
	v, err := vault.New(key)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, &c, ravao.SystemClock{})
	if err != nil {
		return err
	}
	defer store.Close()
	svc, err := auditlog.New(store, v, auditlog.Config{})
	if err != nil {
		return err
	}
	if args[0] == "seal" {
		return auditSeal(ctx, svc, env)
	}
	return auditVerify(ctx, svc, env)
}

// auditSeal seals every event not yet in the chain.
func auditSeal(ctx context.Context, svc *auditlog.Service, env *environment) error {
	n, err := svc.SealAll(ctx)
	if err != nil {
		return fmt.Errorf("sealed %d events, then: %w", n, describe(err))
	}
	_, err = fmt.Fprintf(env.stdout, "audit: %d events sealed\n", n)
	return err
}

// errBroken is returned, after the report, when the chain is broken.
var errBroken = errors.New("the audit chain is broken: see above")

// auditVerify checks the chain and prints its head, or its first broken
// entry.
func auditVerify(ctx context.Context, svc *auditlog.Service, env *environment) error {
	v, err := svc.Verify(ctx)
	if err != nil {
		return describe(err)
	}
	if b := v.Broken; b != nil {
		fmt.Fprintf(env.stdout, "audit: broken at event %d (seq %d): %s\n", b.ID, b.Seq, b.Describe())
		fmt.Fprintf(env.stdout, "audit: %d events verified before it\n", v.Checked)
		return errBroken
	}
	_, err = fmt.Fprintf(env.stdout, "audit: %d events verified, chain head seq %d hash %s; %d not yet sealed\n",
		v.Checked, v.HeadSeq, headHash(v.HeadHash), v.Unsealed)
	return err
}

// headHash is the head's hash in hex, "-" when the chain is empty.
func headHash(h []byte) string {
	if len(h) == 0 {
		return "-"
	}
	return hex.EncodeToString(h)
}

// runAuditSealer seals the audit log's new events into the chain every
// sealEvery until ctx ends, a batch after another while there are more.
// Another server sealing at the same moment makes one of them fail the
// round (Conflict): it tries again next time.
func (a *app) runAuditSealer(ctx context.Context, logger *slog.Logger) {
	t := time.NewTicker(sealEvery)
	defer t.Stop()
	for {
		_, err := a.audit.SealAll(ctx)
		switch {
		case err == nil, ctx.Err() != nil:
		case ravao.ErrorCode(err) == ravao.Conflict:
			logger.Debug("audit seal: another sealer won the round", "err", err)
		default:
			logger.Error("audit seal", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
