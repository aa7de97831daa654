package places_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
)

// staff is the form a gate guard fills in to accept an invitation.
func staff(login string) auth.NewUser {
	return auth.NewUser{Login: login, DisplayName: "Phạm Văn Bảo", Password: password, Lang: "vi"}
}

func TestInviteAccept(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v := e.place(t, "Công ty May Hà Nam", "Xưởng may số 1", ravao.VenueBusiness, "13321", "Cổng 1", "Cổng 2", "Cổng 3")
		m := e.manager(t, "quanly", v.OrganisationID)
		cp1, cp2, cp3 := v.Checkpoints[0].ID, v.Checkpoints[1].ID, v.Checkpoints[2].ID

		code, inv, err := e.svc.Invite(e.ctx, m, []int64{cp2, cp1})
		if err != nil {
			t.Fatalf("Invite: %v", err)
		}
		if len(code) != 12 || inv.OrganisationID != v.OrganisationID || inv.CreatedBy != m.User.ID ||
			!inv.ExpiresAt.Equal(e.clock.T.Add(7*24*time.Hour)) {
			t.Errorf("invitation %q: %+v", code, inv)
		}
		if evs := e.audit(t, "invitation.create"); len(evs) != 1 || evs[0].UserID != m.User.ID {
			t.Errorf("invitation audited as %+v", evs)
		}
		if got, err := e.svc.Invitation(e.ctx, strings.ToLower(code)); err != nil || got.ID != inv.ID {
			t.Errorf("Invitation(lower case): %+v, %v", got, err)
		}

		_, _, err = e.svc.Invite(e.ctx, m, nil)
		e.wantField(t, err, "checkpoints", "err.required")

		session, p, err := e.svc.Accept(e.ctx, code, staff("baove1"))
		if err != nil || session == "" {
			t.Fatalf("Accept: %v", err)
		}
		var got []int64
		for _, a := range p.Roles {
			if a.Role != ravao.RoleGateStaff {
				t.Errorf("accepted account has role %+v", a)
			}
			got = append(got, a.CheckpointID)
		}
		if !slices.Equal(sortedIDs(got...), sortedIDs(cp1, cp2)) {
			t.Errorf("gate staff on checkpoints %v, want %v", got, sortedIDs(cp1, cp2))
		}
		if p.Can(ravao.PermOperateGate, ravao.Target{CheckpointID: cp3}) || !p.Can(ravao.PermOperateGate, ravao.Target{CheckpointID: cp2}) {
			t.Errorf("gate staff scope wrong: %+v", p.Roles)
		}
		if evs := e.audit(t, "invitation.accept"); len(evs) != 1 || evs[0].UserID != p.User.ID || evs[0].ObjectID != itoa(inv.ID) {
			t.Errorf("acceptance audited as %+v, want by user %d", evs, p.User.ID)
		}
		if _, p2, err := e.auth.Login(e.ctx, auth.Credentials{Login: "baove1", Password: password, ClientIP: "192.0.2.2"}); err != nil || p2.User.ID != p.User.ID {
			t.Errorf("gate staff signs in: %v", err)
		}

		before := e.counts(t)
		_, _, err = e.svc.Accept(e.ctx, code, staff("baove2"))
		e.wantErr(t, err, ravao.NotFound, "err.invite_invalid")
		_, err = e.svc.Invitation(e.ctx, code)
		e.wantErr(t, err, ravao.NotFound, "err.invite_invalid")
		if after := e.counts(t); after != before {
			t.Errorf("second accept: counts went from %+v to %+v", before, after)
		}
	})
}

func TestInviteExpiredAndRefused(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v := e.place(t, "Công ty May Hà Nam", "Xưởng may số 1", ravao.VenueBusiness, "13321")
		other := e.place(t, "Chợ Phủ Lý", "Chợ Phủ Lý", ravao.VenueMarket, "13321")
		m := e.manager(t, "quanly", v.OrganisationID)
		cp, otherCP := v.Checkpoints[0].ID, other.Checkpoints[0].ID

		code, _, err := e.svc.Invite(e.ctx, m, []int64{cp})
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(7 * 24 * time.Hour)
		_, _, err = e.svc.Accept(e.ctx, code, staff("baove1"))
		e.wantErr(t, err, ravao.NotFound, "err.invite_invalid")

		_, _, err = e.svc.Invite(e.ctx, m, []int64{cp, otherCP})
		e.wantErr(t, err, ravao.NotFound, "err.checkpoint_not_found")
		_, _, err = e.svc.Invite(e.ctx, m, []int64{1_000_000})
		e.wantErr(t, err, ravao.NotFound, "err.checkpoint_not_found")
		_, _, err = e.svc.Invite(e.ctx, e.local, []int64{cp})
		e.wantErr(t, err, ravao.Forbidden, "err.forbidden")
		_, _, err = e.svc.Invite(e.ctx, e.admin, []int64{cp, otherCP})
		e.wantField(t, err, "checkpoints", "err.invite_one_organisation")
		if n := len(e.audit(t, "invitation.create")); n != 1 {
			t.Errorf("%d invitations audited, want 1", n)
		}

		for _, bad := range []string{"", "0000000000000", "ILLEGAL-CODE", "ABCDEFGHJKMN"} {
			_, _, err = e.svc.Accept(e.ctx, bad, staff("baove1"))
			e.wantErr(t, err, ravao.NotFound, "err.invite_invalid")
		}
	})
}

func TestAcceptKeepsInvitationOnBadForm(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v := e.place(t, "Công ty May Hà Nam", "Xưởng may số 1", ravao.VenueBusiness, "13321")
		m := e.manager(t, "quanly", v.OrganisationID)
		cp := v.Checkpoints[0].ID
		code, _, err := e.svc.Invite(e.ctx, e.admin, []int64{cp, cp})
		if err != nil {
			t.Fatal(err)
		}
		weak := staff("baove1")
		weak.Password = "ngắn"
		_, _, err = e.svc.Accept(e.ctx, code, weak)
		e.wantField(t, err, "password", "err.password_short")
		_, _, err = e.svc.Accept(e.ctx, code, staff(m.User.Login))
		e.wantErr(t, err, ravao.Conflict, "err.login_taken")
		_, p, err := e.svc.Accept(e.ctx, code, staff("baove1"))
		if err != nil {
			t.Fatalf("Accept after refused forms: %v", err)
		}
		if len(p.Roles) != 1 || p.Roles[0].CheckpointID != cp {
			t.Errorf("roles %+v, want gate staff on %d once", p.Roles, cp)
		}
	})
}
