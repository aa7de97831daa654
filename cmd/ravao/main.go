// Command ravao is the whole of Ravao in one binary: the server, the demo,
// database migrations, administrative-unit imports and staff accounts.
//
// Configuration comes from flags and RAVAO_* environment variables (a flag
// --base-url reads RAVAO_BASE_URL; secrets also from RAVAO_*_FILE), read
// here only and passed down as plain structs.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/ravao/ravao/vault"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &environment{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(run(ctx, os.Args[1:], env))
}

// environment is what the program takes from the process, so that tests
// can run the whole program in process.
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// ready, when set, receives the server's address once it listens.
	ready func(addr string)
}

// errUsage marks an error whose message is the usage text.
var errUsage = errors.New("usage")

const usage = `ravao — quản lý ra vào bằng mã QR / QR entry management

Usage:
  ravao serve   [--addr :8080] [--db sqlite:ravao.db] [--base-url URL] [--key-file FILE] [--lang vi] [--tz Asia/Ho_Chi_Minh] [--trusted-proxies CIDRS] [--report-hour 6]
  ravao demo    [--addr 127.0.0.1:8080]
  ravao migrate [--db URL]
  ravao backup FILE [--db sqlite:PATH]
  ravao purge   [--dry-run] [--db URL] [--retain-visits 720h] [--retain-declarations 720h] [--retain-people 720h] [--retain-cases 720h]
  ravao units import FILE [--version V] [--db URL]
  ravao user add --login L --name NAME --role ROLE [--unit CODE] [--sector S] [--org ID] [--checkpoint ID]
  ravao user list | disable LOGIN | enable LOGIN | token LOGIN [--name N] [--ttl 720h] | totp LOGIN
  ravao stats   rollup [--day D] | repair --from D [--to D] | reports [--day D]   [--db URL] [--tz Asia/Ho_Chi_Minh]
  ravao audit   verify | seal   [--db URL] [--key-file FILE]
  ravao bench   [--db sqlite:PATH|postgres://...] [--duration 20s] [--max-requests 200000] [--concurrency 64] [--rates 500,1000,2000] [--venues 2000] [--people 100000] [--days 7] [--purge-visits 100000] [--keep] [--json] [--only checkins,purge] [--cpuprofile FILE]
  ravao keygen
  ravao version

Every flag can also be set as an environment variable: --base-url is RAVAO_BASE_URL.
Secrets can be read from files: RAVAO_KEY_FILE, RAVAO_PASSWORD_FILE.
`

func run(ctx context.Context, args []string, env *environment) int {
	err := dispatch(ctx, args, env)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprint(env.stderr, usage)
		return 2
	default:
		fmt.Fprintf(env.stderr, "ravao: %v\n", err)
		return 1
	}
}

func dispatch(ctx context.Context, args []string, env *environment) error {
	if len(args) == 0 {
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, env)
	case "demo":
		return cmdDemo(ctx, rest, env)
	case "migrate":
		return cmdMigrate(ctx, rest, env)
	case "backup":
		return cmdBackup(ctx, rest, env)
	case "units":
		return cmdUnits(ctx, rest, env)
	case "user":
		return cmdUser(ctx, rest, env)
	case "stats":
		return cmdStats(ctx, rest, env)
	case "audit":
		return cmdAudit(ctx, rest, env)
	case "purge":
		return cmdPurge(ctx, rest, env)
	case "bench":
		return cmdBench(ctx, rest, env)
	case "keygen":
		_, err := fmt.Fprintln(env.stdout, vault.GenerateKey())
		return err
	case "version":
		_, err := fmt.Fprintln(env.stdout, "ravao", version)
		return err
	case "help", "-h", "--help":
		fmt.Fprint(env.stdout, usage)
		return nil
	}
	return errUsage
}
