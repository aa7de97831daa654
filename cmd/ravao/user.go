package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/vault"
)

// withAuth opens the store and the account service for a user command.
func withAuth(ctx context.Context, c *config, env *environment, fn func(*auth.Service) error) error {
	key, err := c.masterKey(env)
	if err != nil {
		return err
	}
	v, err := vault.New(key)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, c, ravao.SystemClock{})
	if err != nil {
		return err
	}
	defer store.Close()
	return fn(auth.New(store, v, auth.Config{}))
}

func cmdUser(ctx context.Context, args []string, env *environment) error {
	if len(args) == 0 {
		return errUsage
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, args[1:], env)
	case "list":
		return userList(ctx, args[1:], env)
	case "disable", "enable":
		return userSetDisabled(ctx, args[0], args[1:], env)
	case "token":
		return userToken(ctx, args[1:], env)
	case "totp":
		return userTOTP(ctx, args[1:], env)
	}
	return errUsage
}

func userFlags(name string, env *environment, c *config) flags {
	f := newFlags(name, env)
	f.db(c)
	f.str(&c.KeyFile, "key-file", "", "file holding the base64 master key (or RAVAO_KEY)")
	return f
}

func userAdd(ctx context.Context, args []string, env *environment) error {
	var c config
	var nu auth.NewUser
	var role, unit, sector string
	var org, checkpoint int64
	f := userFlags("user add", env, &c)
	f.StringVar(&nu.Login, "login", "", "login name")
	f.StringVar(&nu.DisplayName, "name", "", "display name")
	f.StringVar(&nu.Lang, "lang", "vi", "language of the account: vi or en")
	f.StringVar(&role, "role", "", "role: "+roleList())
	f.StringVar(&unit, "unit", "", "unit code (health_official, local_official, sector_supervisor)")
	f.StringVar(&sector, "sector", "", "sector (sector_supervisor)")
	f.Int64Var(&org, "org", 0, "organisation id (venue_manager)")
	f.Int64Var(&checkpoint, "checkpoint", 0, "checkpoint id (gate_staff)")
	if _, err := f.parse(args, 0); err != nil {
		return err
	}
	if role == "" {
		return fmt.Errorf("--role is required: %s", roleList())
	}
	nu.Roles = []ravao.RoleAssignment{{Role: ravao.Role(role), UnitCode: unit, Sector: ravao.Sector(sector), OrganisationID: org, CheckpointID: checkpoint}}
	pw, err := password(env)
	if err != nil {
		return err
	}
	nu.Password = pw
	return withAuth(ctx, &c, env, func(a *auth.Service) error {
		u, err := a.CreateUser(ctx, nil, nu)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(env.stdout, "created user %s (id %d) as %s\n", u.Login, u.ID, role)
		return nil
	})
}

// password reads the new account's password from RAVAO_PASSWORD(_FILE) or
// the first line of standard input, never from a flag (flags show in ps).
func password(env *environment) (string, error) {
	pw, err := readSecret(env, "RAVAO_PASSWORD")
	if err != nil || pw != "" {
		return pw, err
	}
	fmt.Fprint(env.stderr, "password: ")
	line, err := bufio.NewReader(env.stdin).ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		if err == nil {
			err = errors.New("empty")
		}
		return "", fmt.Errorf("no password given on standard input or in RAVAO_PASSWORD: %v", err)
	}
	return line, nil
}

func roleList() string {
	var names []string
	for _, r := range ravao.Roles {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}

func userList(ctx context.Context, args []string, env *environment) error {
	var c config
	f := userFlags("user list", env, &c)
	if _, err := f.parse(args, 0); err != nil {
		return err
	}
	return withAuth(ctx, &c, env, func(a *auth.Service) error {
		users, err := a.Users(ctx, nil, ravao.UserFilter{})
		if err != nil {
			return describe(err)
		}
		tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tLOGIN\tNAME\tROLES\tSTATUS")
		for _, u := range users {
			status := "active"
			if u.Disabled {
				status = "disabled"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Login, u.DisplayName, describeRoles(u.Roles), status)
		}
		return tw.Flush()
	})
}

func describeRoles(roles []ravao.RoleAssignment) string {
	var out []string
	for _, r := range roles {
		s := string(r.Role)
		switch {
		case r.UnitCode != "" && r.Sector != "":
			s += fmt.Sprintf("(%s, unit %s)", r.Sector, r.UnitCode)
		case r.UnitCode != "":
			s += fmt.Sprintf("(unit %s)", r.UnitCode)
		case r.OrganisationID != 0:
			s += fmt.Sprintf("(organisation %d)", r.OrganisationID)
		case r.CheckpointID != 0:
			s += fmt.Sprintf("(checkpoint %d)", r.CheckpointID)
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

func userSetDisabled(ctx context.Context, verb string, args []string, env *environment) error {
	var c config
	f := userFlags("user "+verb, env, &c)
	rest, err := f.parse(reorder(args), 1)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("user %s needs a LOGIN", verb)
	}
	return withAuth(ctx, &c, env, func(a *auth.Service) error {
		u, err := a.UserByLogin(ctx, nil, rest[0])
		if err != nil {
			return describe(err)
		}
		if verb == "disable" {
			err = a.DisableUser(ctx, nil, u.ID)
		} else {
			err = a.EnableUser(ctx, nil, u.ID)
		}
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(env.stdout, "%sd user %s\n", verb, u.Login)
		return nil
	})
}

func userToken(ctx context.Context, args []string, env *environment) error {
	var c config
	var name string
	var ttl time.Duration
	f := userFlags("user token", env, &c)
	f.StringVar(&name, "name", "cli", "what the token is for")
	f.DurationVar(&ttl, "ttl", 30*24*time.Hour, "lifetime (0: no expiry)")
	rest, err := f.parse(reorder(args), 1)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("user token needs a LOGIN")
	}
	return withAuth(ctx, &c, env, func(a *auth.Service) error {
		u, err := a.UserByLogin(ctx, nil, rest[0])
		if err != nil {
			return describe(err)
		}
		tok, err := a.IssueToken(ctx, nil, u.ID, name, ttl)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintln(env.stdout, tok)
		return nil
	})
}

// userTOTP turns on two-factor sign-in for an account and prints the
// otpauth:// URL to load into an authenticator app, once.
func userTOTP(ctx context.Context, args []string, env *environment) error {
	var c config
	f := userFlags("user totp", env, &c)
	rest, err := f.parse(reorder(args), 1)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("user totp needs a LOGIN")
	}
	return withAuth(ctx, &c, env, func(a *auth.Service) error {
		u, err := a.UserByLogin(ctx, nil, rest[0])
		if err != nil {
			return describe(err)
		}
		url, err := a.EnableTOTP(ctx, nil, u.ID)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintln(env.stdout, url)
		return nil
	})
}
