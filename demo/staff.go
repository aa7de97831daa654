package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/vault"
	"github.com/ravao/ravao/workplaces"
)

// The demo's factory, its manager's login and the size of its staff list.
const (
	staffFactory = "Công ty TNHH May mặc Đồng Văn"
	staffLogin   = "nhamay"
	staffCount   = 12
)

// staffPeople are the demo factory's workers: the first eight are in
// Ravao already (they declared and scanned before), the others not yet.
var staffPeople = []string{"Nguyễn Thị Hằng", "Trần Văn Hùng", "Lê Thị Mai", "Phạm Văn Nam", "Hoàng Thị Oanh",
	"Vũ Văn Phúc", "Đặng Thị Quỳnh", "Bùi Văn Sơn", "Đỗ Thị Thảo", "Hồ Văn Tuấn", "Ngô Thị Uyên", "Dương Văn Vinh"}

// SeedStaff gives the garment factory of KCN Đồng Văn a manager (login
// nhamay) and a staff list of twelve, uploaded as the manager would, and
// stages the last workday before today so that its compliance is not
// trivial: five workers declared and scanned in, two declared but did
// not scan, one scanned without a valid declaration, and four are not in
// Ravao yet (their cards can be printed from the list).
func SeedStaff(ctx context.Context, store ravao.Store, wp *workplaces.Service, v *vault.Vault, d *Data) error {
	org, venue, cp, err := staffPlace(ctx, store)
	if err != nil {
		return err
	}
	manager, err := staffManager(ctx, store, org)
	if err != nil {
		return err
	}
	d.Logins = append(d.Logins, Login{Login: staffLogin, Role: ravao.RoleVenueManager, Scope: org.Name})
	day := StaffDay(wp)
	if err := staffDay(ctx, store, v, venue, cp, day.Start(ict)); err != nil {
		return err
	}
	rows := []string{"STT,Họ và tên,Số điện thoại,Mã nhân viên,Bộ phận,Năm sinh"}
	for i, name := range staffPeople[:staffCount] {
		dept := []string{"Tổ may 1", "Tổ may 2", "Tổ cắt"}[i%3]
		rows = append(rows, fmt.Sprintf("%d,%s,%s,NV%03d,%s,%d", i+1, name, staffPhone(i), i+1, dept, 1980+i))
	}
	res, err := wp.Upload(ctx, manager, org.ID, "danh-sach-nhan-vien.csv", strings.NewReader(strings.Join(rows, "\n")+"\n"))
	if err != nil {
		return fmt.Errorf("demo staff: %w", err)
	}
	if len(res.Errors) > 0 {
		return fmt.Errorf("demo staff: line %d: %v", res.Errors[0].Line, res.Errors[0].Fields)
	}
	return nil
}

// StaffDay is the day SeedStaff stages: the last workday before the
// service's today.
func StaffDay(wp *workplaces.Service) ravao.Day {
	day := wp.Today().Add(-1)
	for !ravao.IsWorkingDay(day, nil) {
		day = day.Add(-1)
	}
	return day
}

// staffPhone is the phone of the i-th worker.
func staffPhone(i int) string { return fmt.Sprintf("0936%06d", 100+i) }

// staffPlace finds the factory, its venue and its checkpoint.
func staffPlace(ctx context.Context, store ravao.Store) (org ravao.Organisation, venue ravao.Venue, cp ravao.Checkpoint, err error) {
	err = store.View(ctx, func(tx ravao.Tx) error {
		vs, err := tx.Venues(ravao.VenueFilter{Zone: "KCN Đồng Văn I"})
		if err != nil {
			return err
		}
		for _, v := range vs {
			o, err := tx.Organisation(v.OrganisationID)
			if err != nil {
				return err
			}
			if o.Name != staffFactory {
				continue
			}
			cps, err := tx.Checkpoints(ravao.CheckpointFilter{VenueID: v.ID})
			if err != nil || len(cps) == 0 {
				return fmt.Errorf("demo staff: the factory has no checkpoint (%v)", err)
			}
			org, venue, cp = o, v, cps[0]
			return nil
		}
		return fmt.Errorf("demo staff: no %s", staffFactory)
	})
	return org, venue, cp, err
}

// staffManager creates the factory's manager, with the password of every
// demo account, and returns them signed in.
func staffManager(ctx context.Context, store ravao.Store, org ravao.Organisation) (*ravao.Principal, error) {
	p := &ravao.Principal{}
	err := store.Update(ctx, func(tx ravao.Tx) error {
		same, err := tx.UserByLogin("quanly")
		if err != nil {
			return err
		}
		p.User = ravao.User{Login: staffLogin, DisplayName: "Quản lý nhà máy may", PasswordHash: same.PasswordHash, Lang: "vi"}
		if err := tx.CreateUser(&p.User); err != nil {
			return err
		}
		p.Roles = []ravao.RoleAssignment{{UserID: p.User.ID, Role: ravao.RoleVenueManager, OrganisationID: org.ID}}
		return tx.AddRole(&p.Roles[0])
	})
	return p, err
}

// staffDay registers the first eight workers as people and stages their
// day on the evening shift: declarations at 17:30, entries from 18:30 to
// 22:00 at the factory's gate, well after the staged outbreak's day shift
// there (outbreakMargin), so that the case's contact list stays as staged.
func staffDay(ctx context.Context, store ravao.Store, v *vault.Vault, venue ravao.Venue, cp ravao.Checkpoint, start time.Time) error {
	return store.Update(ctx, func(tx ravao.Tx) error {
		var visits []*ravao.Visit
		for i := range 8 {
			p := ravao.Person{ID: vault.NewID(), FullName: ravao.PII(staffPeople[i]), Phone: ravao.PII(staffPhone(i)),
				BirthYear: 1980 + i, ConsentVersion: "1", ConsentChannel: ravao.ConsentSelf, ConsentAt: start.Add(-30 * 24 * time.Hour)}
			rec, err := v.SealPerson(p)
			if err != nil {
				return err
			}
			if err := tx.CreatePerson(&rec); err != nil {
				return err
			}
			if i < 7 { // the eighth has no valid declaration
				d := &ravao.Declaration{PersonID: rec.ID, CreatedAt: start.Add(hm(17, 30)),
					Sealed: v.Seal([]byte(`{}`), fmt.Sprintf("declaration/%d", rec.ID))}
				if err := tx.AddDeclaration(d); err != nil {
					return err
				}
			}
			if i < 5 || i == 7 { // the sixth and seventh did not scan in
				visits = append(visits, &ravao.Visit{PersonID: rec.ID, VenueID: venue.ID, CheckpointID: cp.ID,
					InAt: start.Add(hm(18, 30+i)), OutAt: start.Add(hm(22, 0)), OutReason: ravao.OutGate,
					Decision: ravao.Green, Source: ravao.SourceGate})
			}
		}
		return tx.InsertVisits(visits)
	})
}
