// Package demo fills an empty database with what `ravao demo` shows: the
// demo administrative units, a place, a visitor, and one staff account of
// every role, so that a new user can sign in as anyone and look around.
package demo

import (
	"context"
	"fmt"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
	"github.com/ravao/ravao/places"
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
	Venues       []places.VenueView // every approved demo venue, with codes
	Province     ravao.Unit
	District     ravao.Unit
	Commune      ravao.Unit
	Outbreak     Outbreak // the staged outbreak, for the health official to trace
}

// Seed fills an empty store. It is not idempotent: run it once on a new
// database.
func Seed(ctx context.Context, store ravao.Store, a *auth.Service, p *places.Service, v *vault.Vault) (*Data, error) {
	sample := units.Demo()
	if _, err := units.Import(ctx, store, sample, nil); err != nil {
		return nil, fmt.Errorf("demo units: %w", err)
	}
	d := &Data{}
	if err := pickUnits(sample, d); err != nil {
		return nil, err
	}
	if err := seedPlaces(ctx, store, p, v, d); err != nil {
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
	// A staged outbreak yesterday, and a week of visits around it, some of
	// them by residents the commune official (an account above) declared.
	keep, err := seedOutbreak(ctx, store, v, d)
	if err != nil {
		return nil, err
	}
	if err := seedWeek(ctx, store, v, d, keep); err != nil {
		return nil, err
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

// demoPlace is one demo venue with the unit it lies in.
type demoPlace struct {
	org         string
	unit        string
	venue       places.VenueInput
	checkpoints []places.CheckpointInput
}

// demoPlaces are venues of every kind the directive names: an agency, a
// factory in an industrial zone, a school, a hospital, a market, a bus
// station and a bus. The first one is the place of the demo manager and
// gate account; one more is left pending for the commune official.
func demoPlaces() []demoPlace {
	gate := func(names ...string) []places.CheckpointInput {
		out := make([]places.CheckpointInput, len(names))
		for i, n := range names {
			out[i] = places.CheckpointInput{Name: n}
		}
		return out
	}
	vp := func(name string, t ravao.VenueType, unit, address, zone, hours string) places.VenueInput {
		return places.VenueInput{Name: name, Type: string(t), UnitCode: unit, Address: address, Zone: zone,
			OpeningHours: hours, ContactName: "Nguyễn Thị Liên Hệ", ContactPhone: "0987654321"}
	}
	return []demoPlace{
		{"Bệnh viện Đa khoa tỉnh Hà Nam", "13285", vp("Bệnh viện Đa khoa tỉnh Hà Nam — khu khám bệnh", ravao.VenueHospital, "13285", "Đường Lê Hoàn", "", "24/7"),
			gate("Cổng chính", "Khoa Cấp cứu")},
		{"Văn phòng UBND tỉnh Hà Nam", "13291", vp("Trung tâm Phục vụ hành chính công tỉnh", ravao.VenueAgency, "13291", "Số 1 đường Trần Phú", "", "7:30–17:00, thứ Hai–thứ Sáu"),
			[]places.CheckpointInput{{Name: "Cổng chính"}, {Name: "Quầy tiếp nhận hồ sơ", Kind: "counter"}}},
		{"Công ty TNHH May mặc Đồng Văn", "13321", vp("Nhà máy may Đồng Văn", ravao.VenueZoneBusiness, "13321", "Lô B2, đường D1", "KCN Đồng Văn I", "Ca 1: 6:00–14:00, ca 2: 14:00–22:00"),
			gate("Cổng số 1", "Cổng số 2 (công nhân)")},
		{"Trường THPT Chuyên Biên Hòa", "13294", vp("Trường THPT Chuyên Biên Hòa", ravao.VenueSchool, "13294", "Đường Lý Thường Kiệt", "", "7:00–17:00"),
			gate("Cổng trường")},
		{"Ban quản lý Chợ Bầu", "13285", vp("Chợ Bầu", ravao.VenueMarket, "13285", "Phố Biên Hòa", "", "5:00–19:00"),
			gate("Cổng Bắc", "Cổng Nam", "Cổng Đông")},
		{"Công ty CP Xe khách Hà Nam", "13291", vp("Bến xe Phủ Lý", ravao.VenueStation, "13291", "Đường Lê Công Thanh", "", "4:30–21:00"),
			gate("Cửa bán vé", "Cổng ra bến")},
		{"Công ty CP Xe khách Hà Nam", "13291", vp("Xe buýt tuyến 01 Phủ Lý – Đồng Văn", ravao.VenueVehicle, "13291", "", "", "5:00–19:00"),
			[]places.CheckpointInput{{Plate: "90B-000.11", Route: "Phủ Lý – Đồng Văn"}, {Plate: "90B-000.12", Route: "Phủ Lý – Đồng Văn"}}},
	}
}

// seedPlaces registers the demo places as the system and one more as a
// pending registration, for the commune official to approve.
func seedPlaces(ctx context.Context, store ravao.Store, p *places.Service, v *vault.Vault, d *Data) error {
	orgs := map[string]int64{}
	for i, dp := range demoPlaces() {
		np := places.NewPlace{OrganisationID: orgs[dp.org], Organisation: dp.org, TaxCode: demoTaxCodes[dp.org], Venue: dp.venue, Checkpoints: dp.checkpoints}
		view, err := p.CreatePlace(ctx, nil, np, "vi")
		if err != nil {
			return fmt.Errorf("demo place %s: %w", dp.venue.Name, err)
		}
		orgs[dp.org] = view.OrganisationID
		if i == 0 {
			d.Organisation, d.Venue, d.Checkpoint = view.Organisation, view.Venue, view.Checkpoints[0].Checkpoint
		}
		d.Venues = append(d.Venues, view)
	}
	pending := places.NewPlace{Organisation: "Quán cà phê Góc Phố", Venue: places.VenueInput{
		Name: "Cà phê Góc Phố", Type: string(ravao.VenueRestaurant), UnitCode: d.Commune.Code,
		Address: "12 phố Biên Hòa", ContactPhone: "0977000111",
	}}
	view, err := p.CreatePlace(ctx, nil, pending, "vi")
	if err != nil {
		return fmt.Errorf("demo pending place: %w", err)
	}
	// The system approves what it creates; this one stays as a registrant
	// would leave it, for the demo official to approve.
	if err := store.Update(ctx, func(tx ravao.Tx) error {
		ven, err := tx.Venue(view.ID)
		if err != nil {
			return err
		}
		ven.Status = ravao.VenuePending
		return tx.UpdateVenue(&ven)
	}); err != nil {
		return err
	}
	return store.Update(ctx, func(tx ravao.Tx) error { return seedVisitor(tx, v, d) })
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
