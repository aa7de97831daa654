package main

// Hooks for issue 8; each helper replaces its part with a real file and
// deletes it from here.

import (
	"context"
	"log/slog"
)

// cmdAudit runs `ravao audit verify` (audit.go).
func cmdAudit(ctx context.Context, args []string, env *environment) error { return errUsage }

// runAuditSealer seals the audit log's new events into the chain until ctx
// ends (audit.go).
func (a *app) runAuditSealer(ctx context.Context, logger *slog.Logger) {}

// cmdPurge runs `ravao purge [--dry-run]` (purge.go).
func cmdPurge(ctx context.Context, args []string, env *environment) error { return errUsage }

// runPurge runs the daily purge until ctx ends (purge.go).
func (a *app) runPurge(ctx context.Context, logger *slog.Logger) {}
