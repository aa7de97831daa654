package storetest

import (
	"reflect"
	"slices"
	"time"

	"github.com/ravao/ravao"
)

var userTests = []test{
	{"Users/CreateAndGet", testUsers},
	{"Users/Update", testUpdateUser},
	{"Users/Filter", testUserFilter},
	{"Users/Roles", testRoles},
}

func testUsers(e *env) {
	u := e.mustUser("an.nguyen")
	if u.ID == 0 || !u.CreatedAt.Equal(e.now()) || !u.UpdatedAt.Equal(e.now()) {
		e.t.Fatalf("CreateUser: got ID %d, CreatedAt %v, UpdatedAt %v; want an ID and %v", u.ID, u.CreatedAt, u.UpdatedAt, e.now())
	}
	other := e.mustUser("binh.tran")
	if other.ID == u.ID {
		e.t.Errorf("two users got the same ID %d", u.ID)
	}
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.User(u.ID); err != nil || !reflect.DeepEqual(got, u) {
			e.t.Errorf("User: got %+v, %v; want %+v", got, err, u)
		}
		if got, err := tx.UserByLogin("an.nguyen"); err != nil || got.ID != u.ID {
			e.t.Errorf("UserByLogin: got ID %d, %v; want %d", got.ID, err, u.ID)
		}
		_, err := tx.User(u.ID + 1000)
		wantCode(e.t, "User of a missing ID", err, ravao.NotFound)
		_, err = tx.UserByLogin("nobody")
		wantCode(e.t, "UserByLogin of a missing login", err, ravao.NotFound)
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		dup := ravao.User{Login: "an.nguyen", DisplayName: "Again", PasswordHash: "x"}
		return tx.CreateUser(&dup)
	})
	wantCode(e.t, "CreateUser with a taken login", err, ravao.Conflict)
	wantKey(e.t, "CreateUser with a taken login", err, "err.conflict")
}

func testUpdateUser(e *env) {
	u := e.mustUser("chi.le")
	e.clock.Advance(time.Minute)
	u.DisplayName = "Lê Thị Chi"
	u.PasswordHash = "hash:new"
	u.TOTPSecret = []byte{1, 2, 3, 4}
	u.Lang = "en"
	u.Disabled = true
	u.FailedLogins = 3
	u.LockedUntil = e.now().Add(15 * time.Minute)
	created := u.CreatedAt
	e.update(func(tx ravao.Tx) error { return tx.UpdateUser(&u) })
	if !u.UpdatedAt.Equal(e.now()) || !u.CreatedAt.Equal(created) {
		e.t.Errorf("UpdateUser: got UpdatedAt %v, CreatedAt %v; want %v, %v", u.UpdatedAt, u.CreatedAt, e.now(), created)
	}
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.User(u.ID); err != nil || !reflect.DeepEqual(got, u) {
			e.t.Errorf("User after UpdateUser: got %+v, %v; want %+v", got, err, u)
		}
		return nil
	})
	// Enabling again and clearing the lock and TOTP round-trips too.
	u.Disabled, u.LockedUntil, u.TOTPSecret, u.FailedLogins = false, time.Time{}, nil, 0
	e.update(func(tx ravao.Tx) error { return tx.UpdateUser(&u) })
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.User(u.ID); err != nil || !reflect.DeepEqual(got, u) {
			e.t.Errorf("User after enabling: got %+v, %v; want %+v", got, err, u)
		}
		return nil
	})
	other := e.mustUser("dung.pham")
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		other.Login = "chi.le"
		return tx.UpdateUser(&other)
	})
	wantCode(e.t, "UpdateUser to a taken login", err, ravao.Conflict)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		ghost := u
		ghost.ID += 1000
		return tx.UpdateUser(&ghost)
	})
	wantCode(e.t, "UpdateUser of a missing user", err, ravao.NotFound)
}

func userIDs(users []ravao.User) []int64 {
	out := make([]int64, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}

func testUserFilter(e *env) {
	a, b, c := e.mustUser("admin1"), e.mustUser("health1"), e.mustUser("health2")
	c.Disabled = true
	e.update(func(tx ravao.Tx) error {
		if err := tx.UpdateUser(&c); err != nil {
			return err
		}
		for _, r := range []ravao.RoleAssignment{
			{UserID: a.ID, Role: ravao.RoleAdmin},
			{UserID: b.ID, Role: ravao.RoleHealth, UnitCode: "35"},
			{UserID: b.ID, Role: ravao.RoleHealth, UnitCode: "01"},
			{UserID: c.ID, Role: ravao.RoleHealth, UnitCode: "35"},
		} {
			if err := tx.AddRole(&r); err != nil {
				return err
			}
		}
		return nil
	})
	yes, no := true, false
	cases := []struct {
		name string
		f    ravao.UserFilter
		want []int64
	}{
		{"all", ravao.UserFilter{}, []int64{a.ID, b.ID, c.ID}},
		{"role", ravao.UserFilter{Role: ravao.RoleHealth}, []int64{b.ID, c.ID}},
		{"disabled", ravao.UserFilter{Disabled: &yes}, []int64{c.ID}},
		{"enabled health", ravao.UserFilter{Role: ravao.RoleHealth, Disabled: &no}, []int64{b.ID}},
		{"limit", ravao.UserFilter{Limit: 2}, []int64{a.ID, b.ID}},
		{"no match", ravao.UserFilter{Role: ravao.RoleDPO}, []int64{}},
	}
	e.view(func(tx ravao.Tx) error {
		for _, c := range cases {
			got, err := tx.Users(c.f)
			if err != nil || !slices.Equal(userIDs(got), c.want) {
				e.t.Errorf("Users(%s): got %v, %v; want %v", c.name, userIDs(got), err, c.want)
			}
		}
		return nil
	})
}

func testRoles(e *env) {
	u := e.mustUser("manager")
	p := e.mustPlace("Chợ Bầu")
	roles := []ravao.RoleAssignment{
		{UserID: u.ID, Role: ravao.RoleSector, UnitCode: "35", Sector: ravao.SectorEducation},
		{UserID: u.ID, Role: ravao.RoleVenueManager, OrganisationID: p.org.ID},
		{UserID: u.ID, Role: ravao.RoleGateStaff, CheckpointID: p.cp.ID},
	}
	e.update(func(tx ravao.Tx) error {
		for i := range roles {
			if err := tx.AddRole(&roles[i]); err != nil {
				return err
			}
		}
		return nil
	})
	for _, r := range roles {
		if r.ID == 0 || !r.CreatedAt.Equal(e.now()) {
			e.t.Fatalf("AddRole: got ID %d, CreatedAt %v; want an ID and %v", r.ID, r.CreatedAt, e.now())
		}
	}
	e.view(func(tx ravao.Tx) error {
		got, err := tx.Roles(u.ID)
		if err != nil || !reflect.DeepEqual(got, roles) {
			e.t.Errorf("Roles: got %+v, %v; want %+v", got, err, roles)
		}
		if got, err := tx.Roles(u.ID + 1000); err != nil || len(got) != 0 {
			e.t.Errorf("Roles of a user without any: got %v, %v; want none", got, err)
		}
		return nil
	})
	e.update(func(tx ravao.Tx) error { return tx.DeleteRole(roles[1].ID) })
	e.view(func(tx ravao.Tx) error {
		got, err := tx.Roles(u.ID)
		if want := []ravao.RoleAssignment{roles[0], roles[2]}; err != nil || !reflect.DeepEqual(got, want) {
			e.t.Errorf("Roles after DeleteRole: got %+v, %v; want %+v", got, err, want)
		}
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.DeleteRole(roles[1].ID) })
	wantCode(e.t, "DeleteRole of a deleted role", err, ravao.NotFound)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error {
		return tx.AddRole(&ravao.RoleAssignment{UserID: u.ID + 1000, Role: ravao.RoleAdmin})
	})
	wantCode(e.t, "AddRole for a missing user", err, ravao.Invalid)
	wantKey(e.t, "AddRole for a missing user", err, "err.reference")
}
