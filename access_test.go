package ravao

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestPrincipalCan(t *testing.T) {
	haNam := Target{UnitPath: []string{"35", "347", "13321"}, Sector: SectorEducation, OrganisationID: 7, CheckpointID: 70}
	ninhBinh := Target{UnitPath: []string{"37", "369"}, Sector: SectorEducation, OrganisationID: 8, CheckpointID: 80}
	p := func(a RoleAssignment) *Principal { return &Principal{User: User{ID: 1}, Roles: []RoleAssignment{a}} }
	tests := []struct {
		name string
		who  *Principal
		perm Permission
		t    Target
		want bool
	}{
		{"province health official traces in a commune of the province", p(RoleAssignment{Role: RoleHealth, UnitCode: "35"}), PermTrace, haNam, true},
		{"province health official cannot trace in another province", p(RoleAssignment{Role: RoleHealth, UnitCode: "35"}), PermTrace, ninhBinh, false},
		{"commune official approves in the commune", p(RoleAssignment{Role: RoleLocal, UnitCode: "13321"}), PermApprovePlaces, haNam, true},
		{"commune official cannot trace", p(RoleAssignment{Role: RoleLocal, UnitCode: "13321"}), PermTrace, haNam, false},
		{"sector supervisor sees own sector", p(RoleAssignment{Role: RoleSector, UnitCode: "35", Sector: SectorEducation}), PermMonitor, haNam, true},
		{"sector supervisor not another sector", p(RoleAssignment{Role: RoleSector, UnitCode: "35", Sector: SectorHealth}), PermMonitor, haNam, false},
		{"manager runs own organisation", p(RoleAssignment{Role: RoleVenueManager, OrganisationID: 7}), PermManagePlaces, haNam, true},
		{"manager not another organisation", p(RoleAssignment{Role: RoleVenueManager, OrganisationID: 7}), PermManagePlaces, ninhBinh, false},
		{"gate staff operate own checkpoint", p(RoleAssignment{Role: RoleGateStaff, CheckpointID: 70}), PermOperateGate, haNam, true},
		{"gate staff not another checkpoint", p(RoleAssignment{Role: RoleGateStaff, CheckpointID: 70}), PermOperateGate, ninhBinh, false},
		{"gate staff cannot administer", p(RoleAssignment{Role: RoleGateStaff, CheckpointID: 70}), PermAdminister, haNam, false},
		{"admin cannot trace", p(RoleAssignment{Role: RoleAdmin}), PermTrace, haNam, false},
		{"dpo protects data anywhere", p(RoleAssignment{Role: RoleDPO}), PermProtectData, ninhBinh, true},
		{"nobody", nil, PermSignedIn, haNam, false},
		{"disabled admin", &Principal{User: User{Disabled: true}, Roles: []RoleAssignment{{Role: RoleAdmin}}}, PermAdminister, haNam, false},
	}
	for _, tt := range tests {
		if got := tt.who.Can(tt.perm, tt.t); got != tt.want {
			t.Errorf("%s: Can = %v, want %v", tt.name, got, tt.want)
		}
	}
	// Every role holds at least one permission, and every permission is
	// granted to someone.
	for _, perm := range Permissions {
		if len(grants[perm]) == 0 {
			t.Errorf("permission %s is granted to no role", perm)
		}
	}
}

func TestRoleAssignmentValidate(t *testing.T) {
	ok := []RoleAssignment{
		{Role: RoleAdmin}, {Role: RoleDPO},
		{Role: RoleHealth, UnitCode: "35"}, {Role: RoleLocal, UnitCode: "13321"},
		{Role: RoleSector, UnitCode: "35", Sector: SectorTransport},
		{Role: RoleVenueManager, OrganisationID: 1}, {Role: RoleGateStaff, CheckpointID: 1},
	}
	for _, a := range ok {
		if err := a.Validate(); err != nil {
			t.Errorf("%+v: %v", a, err)
		}
	}
	bad := []RoleAssignment{
		{Role: "king"}, {Role: RoleHealth}, {Role: RoleAdmin, UnitCode: "35"},
		{Role: RoleSector, UnitCode: "35"}, {Role: RoleVenueManager}, {Role: RoleGateStaff, OrganisationID: 3},
		{Role: RoleLocal, UnitCode: "35; DROP"},
	}
	for _, a := range bad {
		if err := a.Validate(); ErrorCode(err) != Invalid {
			t.Errorf("%+v: got %v, want invalid", a, err)
		}
	}
}

func TestPIINeverPrints(t *testing.T) {
	p := Person{FullName: "Nguyễn Văn Canary", Phone: "0912345678", IDNumber: "035099001234"}
	var logs strings.Builder
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	log.Info("person", "name", p.FullName, "phone", p.Phone, "person", p)
	j, _ := json.Marshal(p)
	out := strings.Join([]string{
		logs.String(), string(j), fmt.Sprint(p), fmt.Sprintf("%v %+v %#v %s %q %x", p, p, p, p.Phone, p.Phone, p.IDNumber),
		(&Error{Code: Invalid, Err: fmt.Errorf("bad %v", p.Phone)}).Error(),
	}, "\n")
	for _, secret := range []string{"Canary", "0912345678", "035099001234", "912345678"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q printed in clear:\n%s", secret, out)
		}
	}
	if p.Phone.Reveal() != "0912345678" {
		t.Error("Reveal lost the value")
	}
}

func TestDecide(t *testing.T) {
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	fresh := &Declaration{CreatedAt: now.Add(-time.Hour)}
	risky := &Declaration{CreatedAt: now.Add(-time.Hour), Risk: true}
	stale := &Declaration{CreatedAt: now.Add(-day)}
	tests := []struct {
		d        *Declaration
		isolated bool
		want     Decision
	}{
		{fresh, false, Green}, {risky, false, Red}, {stale, false, Yellow}, {nil, false, Yellow},
		{fresh, true, Red}, {nil, true, Red},
		{&Declaration{CreatedAt: now.Add(time.Hour)}, false, Yellow}, // from the future: not trusted
	}
	for i, tt := range tests {
		if got := Decide(tt.d, tt.isolated, now, day); got != tt.want {
			t.Errorf("case %d: Decide = %s, want %s", i, got, tt.want)
		}
	}
}

func TestPersonValidate(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	good := Person{ID: 5, FullName: "Nguyễn Văn An", Phone: "0912345678", IDNumber: "035099001234",
		BirthYear: 1990, Sex: SexMale, UnitCode: "13321", ConsentVersion: "v1", ConsentChannel: ConsentSelf, ConsentAt: now}
	if err := good.Validate(now); err != nil {
		t.Fatal(err)
	}
	mutations := map[string]func(p *Person){
		"full_name":  func(p *Person) { p.FullName = "  not normalised " },
		"phone":      func(p *Person) { p.Phone = "+84912345678" },
		"id_number":  func(p *Person) { p.IDNumber = "12345" },
		"birth_year": func(p *Person) { p.BirthYear = 2027 },
		"sex":        func(p *Person) { p.Sex = "q" },
		"consent":    func(p *Person) { p.ConsentAt = time.Time{} },
	}
	for field, mut := range mutations {
		p := good
		mut(&p)
		err := p.Validate(now)
		e, ok := err.(*Error)
		if !ok || e.Fields[field] == "" {
			t.Errorf("%s: got %v, want a field error on %s", field, err, field)
		}
	}
}
