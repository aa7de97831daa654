package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/ravao/ravao/demo"
	"github.com/ravao/ravao/vault"
)

func cmdDemo(ctx context.Context, args []string, env *environment) error {
	var c config
	f := newFlags("demo", env)
	f.server(&c, "127.0.0.1:8080")
	if _, err := f.parse(args, 0); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "ravao-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	c.DB = "sqlite:" + filepath.Join(dir, "demo.db")
	key, err := vault.ParseKey(vault.GenerateKey()) // throw-away: the demo data dies with the process
	if err != nil {
		return err
	}
	seed := func(ctx context.Context, a *app) error {
		d, err := demo.Seed(ctx, a.store, a.auth, a.places, a.vault)
		if err != nil {
			return err
		}
		if err := demo.SeedRoster(ctx, a.progress, d); err != nil {
			return err
		}
		if err := demo.SeedStaff(ctx, a.store, a.workplaces, a.vault, d); err != nil {
			return err
		}
		printDemo(env, a.baseURL, d)
		return nil
	}
	return serve(ctx, &c, key, env, seed)
}

func printDemo(env *environment, baseURL string, d *demo.Data) {
	fmt.Fprintf(env.stdout, "\nRavao demo — dữ liệu thử, xoá khi dừng / throw-away data, deleted on exit\n\n")
	fmt.Fprintf(env.stdout, "  Sign in:   %s/login\n", baseURL)
	fmt.Fprintf(env.stdout, "  API docs:  %s/api/v1/openapi.json\n", baseURL)
	fmt.Fprintf(env.stdout, "  Guides:    %s/guides (every role, pages and PDFs)\n", baseURL)
	fmt.Fprintf(env.stdout, "  Password for every account: %s\n\n", demo.Password)
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  LOGIN\tROLE\tSCOPE")
	for _, l := range d.Logins {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", l.Login, l.Role, l.Scope)
	}
	tw.Flush()
	fmt.Fprintf(env.stdout, "\n  Register a place: %s/register   (SMS codes appear at %s/dev/outbox)\n", baseURL, baseURL)
	fmt.Fprintf(env.stdout, "  Places and posters: %s/places\n\n", baseURL)
	tw = tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  PLACE\tCHECKPOINT\tQR CODE URL")
	for _, v := range d.Venues {
		for _, c := range v.Checkpoints {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.Name, c.Name, c.URL)
		}
	}
	tw.Flush()
	if len(d.Venues) > 0 && len(d.Venues[0].Checkpoints) > 0 {
		fmt.Fprintf(env.stdout, "\n  Try the visitor flow (open it on a phone, or here): %s\n", d.Venues[0].Checkpoints[0].URL)
		fmt.Fprintf(env.stdout, "  Then: %s/me (your visits, data, printed QR cards)\n", baseURL)
		fmt.Fprintf(env.stdout, "  Residents without a phone, their QR cards: sign in as canboxa, %s/residents\n", baseURL)
		fmt.Fprintf(env.stdout, "  Deployment progress: sign in as tinh, %s/stats (coverage of the province's list: %s/stats/units/%s/coverage)\n", baseURL, baseURL, d.Province.Code)
		fmt.Fprintf(env.stdout, "  Staff compliance of a factory: sign in as nhamay, %s/workplaces\n", baseURL)
	}
	if o := d.Outbreak; len(o.IndexPhone) == 10 {
		// The phone in groups, as people read one out: 0987 000 111.
		phone := o.IndexPhone[:4] + " " + o.IndexPhone[4:7] + " " + o.IndexPhone[7:]
		fmt.Fprintf(env.stdout, "\n  Truy vết: đăng nhập %s, mở ca bệnh với số %s\n", o.Official, phone)
		fmt.Fprintf(env.stdout, "  Contact tracing: sign in as %s, open a case at %s/cases with phone %s (a staged outbreak, yesterday)\n", o.Official, baseURL, phone)
	}
	fmt.Fprintln(env.stdout)
}
