package places_test

import (
	"strings"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/codes"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/vault"
)

func TestResolve(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v := e.place(t, "Công ty May Hà Nam", "Xưởng may số 1", ravao.VenueBusiness, "13321", "Cổng chính", "Cổng phụ")
		cp := v.Checkpoints[1]
		l, err := e.svc.Resolve(e.ctx, cp.Code)
		if err != nil {
			t.Fatalf("Resolve: %v", err)
		}
		if l.Venue.ID != v.ID || l.Checkpoint.ID != cp.ID || l.Checkpoint.Name != "Cổng phụ" || l.Code != cp.Code {
			t.Errorf("landing %+v, want venue %d checkpoint %d", l, v.ID, cp.ID)
		}
		if want := "12 Lê Lợi, Phường Quang Trung, Thành phố Phủ Lý, Tỉnh Hà Nam"; l.Place != want || l.Organisation.Name != "Công ty May Hà Nam" {
			t.Errorf("landing place %q, organisation %q; want %q, Công ty May Hà Nam", l.Place, l.Organisation.Name, want)
		}
		if l, err := e.svc.Resolve(e.ctx, strings.ToLower(cp.Code)); err != nil || l.Code != cp.Code {
			t.Errorf("lower-case code: %+v, %v; want the canonical code", l.Code, err)
		}
		for _, bad := range []string{"", "0", mutate(cp.Code, 0), mutate(cp.Code, len(cp.Code)-1), cp.Code + "0", strings.Repeat("Z", 200), forged(t, cp.ID)} {
			_, err := e.svc.Resolve(e.ctx, bad)
			e.wantErr(t, err, ravao.NotFound, "err.code_unknown")
		}
	})
}

// mutate changes the character at i of a code to another of the alphabet.
func mutate(code string, i int) string {
	c := byte('A')
	if code[i] == 'A' {
		c = 'B'
	}
	return code[:i] + string(c) + code[i+1:]
}

// forged is a well-formed code for checkpoint id, signed with another
// deployment's key of the same version.
func forged(t *testing.T, id int64) string {
	t.Helper()
	key, err := vault.ParseKey(vault.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	other, err := vault.New(key)
	if err != nil {
		t.Fatal(err)
	}
	s, err := codes.NewSigner(other.CodeKeys())
	if err != nil {
		t.Fatal(err)
	}
	return s.Issue(id, 0)
}

func TestRevokeReissue(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v := e.place(t, "Công ty May Hà Nam", "Xưởng may số 1", ravao.VenueBusiness, "13321", "Cổng chính", "Cổng phụ")
		other := e.place(t, "Chợ Phủ Lý", "Chợ Phủ Lý", ravao.VenueMarket, "13321")
		m := e.manager(t, "quanly", v.OrganisationID)
		cp, keep := v.Checkpoints[0], v.Checkpoints[1]

		_, err := e.svc.Revoke(e.ctx, e.manager(t, "quanlycho", other.OrganisationID), cp.ID)
		e.wantErr(t, err, ravao.NotFound, "err.checkpoint_not_found")
		_, err = e.svc.Revoke(e.ctx, e.local, cp.ID)
		e.wantErr(t, err, ravao.Forbidden, "err.forbidden")
		_, err = e.svc.Revoke(e.ctx, m, other.Checkpoints[0].ID)
		e.wantErr(t, err, ravao.NotFound, "err.checkpoint_not_found")
		e.resolves(t, cp.Code, cp.ID)

		revoked, err := e.svc.Revoke(e.ctx, m, cp.ID)
		if err != nil || !revoked.Revoked || revoked.Code != "" || revoked.URL != "" {
			t.Fatalf("Revoke: %+v, %v; want revoked without a code", revoked, err)
		}
		e.unknown(t, cp.Code)
		e.resolves(t, keep.Code, keep.ID)
		if evs := e.audit(t, "checkpoint.revoke"); len(evs) != 1 || evs[0].ObjectID != itoa(cp.ID) || evs[0].UserID != m.User.ID {
			t.Errorf("revoke audited as %+v", evs)
		}

		again, err := e.svc.Reissue(e.ctx, m, cp.ID)
		if err != nil || again.Revoked || again.Serial != 1 || again.Code == "" || again.Code == cp.Code {
			t.Fatalf("Reissue: %+v, %v; want serial 1 with a new code", again, err)
		}
		e.resolves(t, again.Code, cp.ID)
		e.unknown(t, cp.Code)

		third, err := e.svc.Reissue(e.ctx, e.admin, cp.ID)
		if err != nil || third.Serial != 2 {
			t.Fatalf("Reissue by the administrator: %+v, %v", third, err)
		}
		e.resolves(t, third.Code, cp.ID)
		e.unknown(t, again.Code)
		if n := len(e.audit(t, "checkpoint.reissue")); n != 2 {
			t.Errorf("%d re-issues audited, want 2", n)
		}
	})
}

// resolves checks that code leads to checkpoint id.
func (e *env) resolves(t *testing.T, code string, id int64) places.Landing {
	t.Helper()
	l, err := e.svc.Resolve(e.ctx, code)
	if err != nil || l.Checkpoint.ID != id {
		t.Fatalf("Resolve(%s): checkpoint %d, %v; want %d", code, l.Checkpoint.ID, err, id)
	}
	return l
}

// unknown checks that code leads nowhere.
func (e *env) unknown(t *testing.T, code string) {
	t.Helper()
	_, err := e.svc.Resolve(e.ctx, code)
	e.wantErr(t, err, ravao.NotFound, "err.code_unknown")
}

func TestResolveSuspendedAndPending(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		r := e.register(t, e.svc, registration("quanly", phone))
		cp := r.Venue.Checkpoints[0]
		if l := e.resolves(t, cp.Code, cp.ID); l.Venue.Status != ravao.VenuePending {
			t.Errorf("pending venue resolves with status %s", l.Venue.Status)
		}
		if _, err := e.svc.Suspend(e.ctx, e.local, r.Venue.ID, "Không quét mã"); err != nil {
			t.Fatal(err)
		}
		l := e.resolves(t, cp.Code, cp.ID)
		if l.Venue.Status != ravao.VenueSuspended || l.Venue.StatusReason != "Không quét mã" {
			t.Errorf("suspended venue resolves with status %s %q", l.Venue.Status, l.Venue.StatusReason)
		}
	})
}

// BenchmarkResolve is a visitor's scan: a valid code to its place, on
// SQLite.
func BenchmarkResolve(b *testing.B) {
	e := newEnv(b, "sqlite", sqliteOpener(b))
	var all []string
	for i := range 20 {
		v := e.place(b, "Công ty May Hà Nam", "Xưởng may số "+itoa(int64(i+1)), ravao.VenueBusiness, "13321", "Cổng chính", "Cổng phụ")
		for _, c := range v.Checkpoints {
			all = append(all, c.Code)
		}
	}
	i := 0
	for b.Loop() {
		if _, err := e.svc.Resolve(e.ctx, all[i%len(all)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkViewBaseline is one read transaction with one indexed read on the
// same store: Resolve is reported as a multiple of it.
func BenchmarkViewBaseline(b *testing.B) {
	e := newEnv(b, "sqlite", sqliteOpener(b))
	for b.Loop() {
		err := e.store.View(e.ctx, func(tx ravao.Tx) error {
			_, err := tx.Setting(ravao.ActiveUnitVersionSetting)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
