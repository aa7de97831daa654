// Package demo fills an empty database with what `ravao demo` shows: the
// demo administrative units, a place, a visitor, and one staff account of
// every role, so that a new user can sign in as anyone and look around.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/units"
	"github.com/ravao/ravao/vault"
)

// Password is the password of every demo account. The demo runs on a
// throw-away database on this machine only.
const Password = "ravao-demo-2026"

// Login is one demo account, printed for the user.
type Login struct {
	Login string
	Role  ravao.Role
	Scope string
}

// Data is what Seed created.
type Data struct {
	Logins       []Login
	Organisation ravao.Organisation
	Venue        ravao.Venue
	Checkpoint   ravao.Checkpoint
	Province     ravao.Unit
	District     ravao.Unit
	Commune      ravao.Unit
}

// Seed fills an empty store. It is not idempotent: run it once on a new
// database.
func Seed(ctx context.Context, store ravao.Store, a *auth.Service, v *vault.Vault) (*Data, error) {
	sample := units.Demo()
	if _, err := units.Import(ctx, store, sample, nil); err != nil {
		return nil, fmt.Errorf("demo units: %w", err)
	}
	d := &Data{}
	if err := pickUnits(sample, d); err != nil {
		return nil, err
	}
	if err := seedPlaces(ctx, store, v, d); err != nil {
		return nil, err
	}
	for _, acc := range accounts(d) {
		_, err := a.CreateUser(ctx, nil, auth.NewUser{
			Login: acc.login, DisplayName: acc.name, Password: Password, Lang: "vi",
			Roles: []ravao.RoleAssignment{acc.role},
		})
		if err != nil {
			return nil, fmt.Errorf("demo account %s: %w", acc.login, err)
		}
		d.Logins = append(d.Logins, Login{Login: acc.login, Role: acc.role.Role, Scope: acc.scope})
	}
	return d, nil
}

// pickUnits chooses the province, its first district and that district's
// first commune from the sample, whatever its depth.
func pickUnits(sample []ravao.Unit, d *Data) error {
	for _, u := range sample {
		switch {
		case u.Level == 1 && d.Province.Code == "":
			d.Province = u
		case u.Level == 2 && d.District.Code == "" && u.ParentCode == d.Province.Code:
			d.District = u
		case u.Level == 3 && d.Commune.Code == "" && u.ParentCode == d.District.Code:
			d.Commune = u
		}
	}
	if d.Province.Code == "" || d.District.Code == "" {
		return fmt.Errorf("demo units: the sample has no province with a district")
	}
	if d.Commune.Code == "" {
		d.Commune = d.District
	}
	return nil
}

func seedPlaces(ctx context.Context, store ravao.Store, v *vault.Vault, d *Data) error {
	return store.Update(ctx, func(tx ravao.Tx) error {
		d.Organisation = ravao.Organisation{Name: "Bệnh viện Đa khoa tỉnh Hà Nam", UnitCode: d.Commune.Code, Sector: ravao.SectorHealth}
		if err := tx.CreateOrganisation(&d.Organisation); err != nil {
			return err
		}
		d.Venue = ravao.Venue{
			OrganisationID: d.Organisation.ID, Name: "Bệnh viện Đa khoa tỉnh Hà Nam — khu khám bệnh",
			Type: ravao.VenueHospital, Sector: ravao.SectorHealth, UnitCode: d.Commune.Code,
			Address: "Đường Lê Hoàn", Status: ravao.VenueApproved, DefaultStay: 2 * time.Hour,
		}
		if err := tx.CreateVenue(&d.Venue); err != nil {
			return err
		}
		d.Checkpoint = ravao.Checkpoint{VenueID: d.Venue.ID, Name: "Cổng chính", Kind: ravao.CheckpointGate}
		if err := tx.CreateCheckpoint(&d.Checkpoint); err != nil {
			return err
		}
		return seedVisitor(tx, v, d)
	})
}

// seedVisitor stores one declared visitor, whom a health official can find
// by phone 0912345678 in the demo.
func seedVisitor(tx ravao.Tx, v *vault.Vault, d *Data) error {
	now := tx.Now()
	p := ravao.Person{
		ID: vault.NewID(), FullName: "Nguyễn Văn An", Phone: "0912345678", IDNumber: "035090001234",
		BirthYear: 1990, Sex: ravao.SexMale, UnitCode: d.Commune.Code,
		ConsentVersion: "2026-1", ConsentChannel: ravao.ConsentSelf, ConsentAt: now,
	}
	if err := p.Validate(now); err != nil {
		return err
	}
	rec, err := v.SealPerson(p)
	if err != nil {
		return err
	}
	if err := tx.CreatePerson(&rec); err != nil {
		return err
	}
	return tx.AddDeclaration(&ravao.Declaration{PersonID: p.ID, Sealed: v.Seal([]byte(`{}`), "declaration")})
}

type account struct {
	login, name, scope string
	role               ravao.RoleAssignment
}

func accounts(d *Data) []account {
	return []account{
		{"admin", "Quản trị hệ thống", "", ravao.RoleAssignment{Role: ravao.RoleAdmin}},
		{"yte", "Cán bộ Sở Y tế", d.Province.FullName, ravao.RoleAssignment{Role: ravao.RoleHealth, UnitCode: d.Province.Code}},
		{"tinh", "Cán bộ UBND tỉnh", d.Province.FullName, ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: d.Province.Code}},
		{"huyen", "Cán bộ UBND huyện", d.District.FullName, ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: d.District.Code}},
		{"canboxa", "Cán bộ UBND xã", d.Commune.FullName, ravao.RoleAssignment{Role: ravao.RoleLocal, UnitCode: d.Commune.Code}},
		{"giaoduc", "Sở Giáo dục và Đào tạo", d.Province.FullName + ", giáo dục", ravao.RoleAssignment{Role: ravao.RoleSector, UnitCode: d.Province.Code, Sector: ravao.SectorEducation}},
		{"quanly", "Quản lý bệnh viện", d.Organisation.Name, ravao.RoleAssignment{Role: ravao.RoleVenueManager, OrganisationID: d.Organisation.ID}},
		{"baove", "Bảo vệ cổng chính", d.Checkpoint.Name, ravao.RoleAssignment{Role: ravao.RoleGateStaff, CheckpointID: d.Checkpoint.ID}},
		{"dpo", "Cán bộ bảo vệ dữ liệu", "", ravao.RoleAssignment{Role: ravao.RoleDPO}},
	}
}
