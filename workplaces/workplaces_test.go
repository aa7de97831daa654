package workplaces_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/personalqr"
	"github.com/ravao/ravao/vault"
	"github.com/ravao/ravao/workplaces"
)

// now is Wednesday 11 March 2026, 10:00 in Vietnam; yesterday was a
// workday.
var now = time.Date(2026, 3, 11, 3, 0, 0, 0, time.UTC)

const yesterday ravao.Day = 20260310

// env is a factory with two workshops, its manager, another company and
// its manager, and monitors, on one engine.
type env struct {
	t               *testing.T
	ctx             context.Context
	store           ravao.Store
	vault           *vault.Vault
	svc             *workplaces.Service
	org, other      ravao.Organisation
	ws1, ws2, shop  ravao.Venue
	cps             map[int64]int64 // checkpoint by venue
	manager, theirs *ravao.Principal
}

func newEnv(t *testing.T, open svctest.Opener) *env {
	ctx := context.Background()
	st, err := open(&ravao.FixedClock{T: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := svctest.Units(ctx, st); err != nil {
		t.Fatal(err)
	}
	key, _ := vault.ParseKey(vault.GenerateKey())
	v, err := vault.New(key)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := workplaces.New(st, v, workplaces.Config{TZ: svctest.ICT, Clock: &ravao.FixedClock{T: now}})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: ctx, store: st, vault: v, svc: svc, cps: map[int64]int64{}}
	err = st.Update(ctx, func(tx ravao.Tx) error {
		e.org = ravao.Organisation{Name: "Công ty May Hà Nam", UnitCode: "13321", Sector: ravao.SectorIndustry}
		e.other = ravao.Organisation{Name: "Cửa hàng Minh Phát", UnitCode: "13321", Sector: ravao.SectorCommerce}
		for _, o := range []*ravao.Organisation{&e.org, &e.other} {
			if err := tx.CreateOrganisation(o); err != nil {
				return err
			}
		}
		e.ws1 = venue(e.org.ID, "Xưởng may 1", ravao.SectorIndustry, "KCN Đồng Văn")
		e.ws2 = venue(e.org.ID, "Xưởng cắt", ravao.SectorIndustry, "KCN Đồng Văn")
		e.shop = venue(e.other.ID, "Cửa hàng", ravao.SectorCommerce, "")
		for _, ve := range []*ravao.Venue{&e.ws1, &e.ws2, &e.shop} {
			if err := tx.CreateVenue(ve); err != nil {
				return err
			}
			cp := ravao.Checkpoint{VenueID: ve.ID, Name: "Cổng", Kind: ravao.CheckpointGate}
			if err := tx.CreateCheckpoint(&cp); err != nil {
				return err
			}
			e.cps[ve.ID] = cp.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.manager = svctest.Staff(t, st, "quanly", ravao.RoleAssignment{Role: ravao.RoleVenueManager, OrganisationID: e.org.ID})
	e.theirs = svctest.Staff(t, st, "cuahang", ravao.RoleAssignment{Role: ravao.RoleVenueManager, OrganisationID: e.other.ID})
	return e
}

func venue(orgID int64, name string, sector ravao.Sector, zone string) ravao.Venue {
	return ravao.Venue{OrganisationID: orgID, Name: name, Type: ravao.VenueZoneBusiness, Sector: sector, UnitCode: "13321",
		UnitPath: "35/347/13321/", Zone: zone, Status: ravao.VenueApproved, DefaultStay: 8 * time.Hour}
}

// person registers someone with a phone, as a visitor would.
func (e *env) person(phone string, year int) int64 {
	e.t.Helper()
	p := ravao.Person{ID: vault.NewID(), FullName: "Người Thử", Phone: ravao.PII(phone), BirthYear: year,
		ConsentVersion: "1", ConsentChannel: ravao.ConsentSelf, ConsentAt: now}
	rec, err := e.vault.SealPerson(p)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.Update(e.ctx, func(tx ravao.Tx) error { return tx.CreatePerson(&rec) }); err != nil {
		e.t.Fatal(err)
	}
	return rec.ID
}

// upload sends a CSV file as the manager.
func (e *env) upload(actor *ravao.Principal, orgID int64, csv string) (workplaces.UploadResult, error) {
	return e.svc.Upload(e.ctx, actor, orgID, "nhan-vien.csv", strings.NewReader(csv))
}

const goodList = "STT,Họ và tên,Số điện thoại,Mã NV,Bộ phận,Năm sinh,Nơi làm việc,Số CCCD\n" +
	"1,Nguyễn Văn An,0912000001,NV01,Tổ may,1990,Xưởng may 1,\n" +
	"2,Trần Thị Bình,912000002,NV02,Tổ may,1992,xuong may 1; Xưởng cắt,\n" +
	"3,Lê Văn Cường,0912000003,NV03,Tổ cắt,1985,Xưởng cắt,\n" +
	"4,Phạm Thị Dung,0912000004,NV04,Tổ cắt,1999,,035099000004\n" +
	"5,Hoàng Văn Em,0912000005,NV05,Kho,,Xưởng cắt,\n"

func TestUpload(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newEnv(t, open)
		known := e.person("0912000001", 1990)
		res, err := e.upload(e.manager, e.org.ID, goodList)
		if err != nil || len(res.Errors) > 0 || res.Members != 5 || res.Linked != 1 {
			t.Fatalf("upload: got %+v, %v; want 5 members, 1 linked", res, err)
		}
		l, err := e.svc.Staff(e.ctx, e.manager, e.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range l.Members {
			names = append(names, m.Name)
			if strings.Contains(m.Phone, "000") && !strings.Contains(m.Phone, "*") {
				t.Errorf("member %s: phone %q not masked", m.Name, m.Phone)
			}
		}
		if want := []string{"Hoàng Văn Em", "Lê Văn Cường", "Nguyễn Văn An", "Phạm Thị Dung", "Trần Thị Bình"}; !slices.Equal(names, want) {
			t.Errorf("list: got %v, want %v", names, want)
		}
		binh := l.Members[4]
		if !slices.Equal(binh.VenueIDs, []int64{e.ws1.ID, e.ws2.ID}) {
			t.Errorf("Bình's venues: got %v, want both workshops", binh.VenueIDs)
		}
		if dung := l.Members[3]; !slices.Equal(dung.VenueIDs, []int64{e.ws1.ID, e.ws2.ID}) {
			t.Errorf("no venues given: got %v, want every venue", dung.VenueIDs)
		}

		// A bad file writes nothing and says what is wrong, line by line.
		for _, tc := range []struct {
			name, file string
			line       int
			field, key string
		}{
			{"bad phone", "Họ tên,SĐT\nNguyễn Văn A,12345\n", 2, "phone", "err.phone"},
			{"duplicate phone", "Họ tên,SĐT\nNguyễn Văn A,0912000009\nNguyễn Văn B,0912 000 009\n", 3, "phone", "err.duplicate"},
			{"duplicate staff number", "Họ tên,SĐT,Mã nhân viên\nA Văn,0912000011,X1\nB Văn,0912000012,x1\n", 3, "staff_number", "err.duplicate"},
			{"unknown venue", "Họ tên,SĐT,Địa điểm\nA Văn,0912000011,Nhà kho 9\n", 2, "venues", "err.staff_venue_unknown"},
			{"another company's venue", fmt.Sprintf("Họ tên,SĐT,Địa điểm\nA Văn,0912000011,%d\n", e.shop.ID), 2, "venues", "err.staff_venue_unknown"},
			{"bad ID number", "Họ tên,SĐT,CCCD\nA Văn,0912000011,123\n", 2, "id_number", "err.cccd"},
		} {
			res, err := e.upload(e.manager, e.org.ID, tc.file)
			if err != nil || len(res.Errors) != 1 || res.Errors[0].Line != tc.line || res.Errors[0].Fields[tc.field] != tc.key {
				t.Errorf("%s: got %+v, %v; want line %d %s %s", tc.name, res, err, tc.line, tc.field, tc.key)
			}
		}
		_, err = e.upload(e.manager, e.org.ID, "Họ tên,Ghi chú\nA,B\n")
		svctest.WantKey(t, "no phone column", err, "err.staff_header")
		_, err = e.upload(e.manager, e.org.ID, "Tên cơ sở,Địa chỉ\nA,B\n")
		svctest.WantKey(t, "a column of another list", err, "err.import_column")
		_, err = e.upload(e.manager, e.org.ID, "Họ tên,SĐT\n")
		svctest.WantKey(t, "no rows", err, "err.staff_empty")
		_, err = e.upload(e.manager, e.org.ID, "Họ tên,SĐT\n"+strings.Repeat("A Văn,0912000011\n", workplaces.MaxRows+1))
		svctest.WantKey(t, "too many rows", err, "err.import_too_many")
		if l2, _ := e.svc.Staff(e.ctx, e.manager, e.org.ID); len(l2.Members) != 5 {
			t.Errorf("after bad uploads: %d members, want the 5 of the good file", len(l2.Members))
		}

		// Uploading again keeps the links of the same phones.
		res, err = e.upload(e.manager, e.org.ID, "Họ tên,SĐT\nNguyễn Văn An,0912000001\nNgười Mới,0912000099\n")
		if err != nil || res.Linked != 1 || res.Members != 2 {
			t.Errorf("second upload: got %+v, %v", res, err)
		}
		_ = known

		// Another company's manager sees nothing of this list.
		if _, err := e.svc.Staff(e.ctx, e.theirs, e.org.ID); ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("another manager reads the list: got %v, want not found", err)
		}
		if _, err := e.upload(e.theirs, e.org.ID, goodList); ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("another manager uploads: got %v, want not found", err)
		}
	})
}

func TestTypedMembers(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newEnv(t, open)
		in := workplaces.MemberInput{Cells: map[string]string{"name": "Đỗ Minh Châu", "phone": "0912 000 021", "department": "Kho"}, VenueIDs: []int64{e.ws2.ID}}
		id, err := e.svc.Add(e.ctx, e.manager, e.org.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Add(e.ctx, e.manager, e.org.ID, in)
		svctest.WantKey(t, "same phone again", err, "err.staff_duplicate")
		_, err = e.svc.Add(e.ctx, e.manager, e.org.ID, workplaces.MemberInput{Cells: map[string]string{"name": "X", "phone": "0912000022"}, VenueIDs: []int64{e.shop.ID}})
		svctest.WantKey(t, "another company's venue", err, "err.staff_venue_unknown")
		// The person declares later: the next read links them.
		p := e.person("0912000021", 1991)
		m, form, err := e.svc.Member(e.ctx, e.manager, e.org.ID, id)
		if err != nil || m.Linked {
			t.Fatalf("member before any read: %+v, %v", m, err)
		}
		if form.Cells["phone"] != "0912000021" {
			t.Errorf("edit form phone: got %q", form.Cells["phone"])
		}
		l, err := e.svc.Staff(e.ctx, e.manager, e.org.ID)
		if err != nil || l.Linked != 1 {
			t.Errorf("after the person declared: %d linked, %v", l.Linked, err)
		}
		_ = p
		form.Cells["phone"] = "0912000023"
		if err := e.svc.Update(e.ctx, e.manager, e.org.ID, id, form); err != nil {
			t.Fatal(err)
		}
		if l, _ := e.svc.Staff(e.ctx, e.manager, e.org.ID); l.Linked != 0 {
			t.Errorf("a new phone keeps the old link")
		}
		if err := e.svc.Update(e.ctx, e.theirs, e.other.ID, id, form); ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("another manager edits the member through their own organisation: %v", err)
		}
		if err := e.svc.Delete(e.ctx, e.manager, e.org.ID, id); err != nil {
			t.Fatal(err)
		}
	})
}

// dayEvent is a declaration (venue 0) or a visit of a person.
type dayEvent struct {
	person int64
	venue  int64
	at     time.Time
}

func TestComplianceMatchesBruteForce(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newEnv(t, open)
		people := map[string]int64{}
		for i := 1; i <= 5; i++ {
			phone := fmt.Sprintf("091200000%d", i)
			people[phone] = e.person(phone, 1990)
		}
		if _, err := e.upload(e.manager, e.org.ID, goodList); err != nil {
			t.Fatal(err)
		}
		ict := svctest.ICT
		start := yesterday.Start(ict)
		p := func(i int) int64 { return people[fmt.Sprintf("091200000%d", i)] }
		events := []dayEvent{
			{p(1), 0, start.Add(-30 * time.Minute)}, // declared the evening before: valid into the day
			{p(1), e.ws1.ID, start.Add(7 * time.Hour)},
			{p(2), 0, start.Add(-25 * time.Hour)},                   // too old
			{p(2), e.ws2.ID, start.Add(-time.Millisecond)},          // the day before, by a millisecond
			{p(3), 0, start.Add(8 * time.Hour)},                     // declared, did not enter
			{p(4), 0, start.Add(23*time.Hour + 59*time.Minute)},     // declared just before midnight
			{p(4), e.ws2.ID, start.Add(24*time.Hour - time.Second)}, // entered just before midnight
			{p(5), 0, start.Add(6 * time.Hour)},
			{p(5), e.shop.ID, start.Add(7 * time.Hour)}, // entered, but not at their workshop
		}
		err := e.store.Update(e.ctx, func(tx ravao.Tx) error {
			for _, ev := range events {
				if ev.venue == 0 {
					if err := tx.AddDeclaration(&ravao.Declaration{PersonID: ev.person, Sealed: []byte("x"), CreatedAt: ev.at}); err != nil {
						return err
					}
					continue
				}
				err := tx.InsertVisits([]*ravao.Visit{{PersonID: ev.person, VenueID: ev.venue, CheckpointID: e.cps[ev.venue],
					InAt: ev.at, Decision: ravao.Green, Source: ravao.SourceGate}})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		v, err := e.svc.Day(e.ctx, e.manager, e.org.ID, yesterday)
		if err != nil {
			t.Fatal(err)
		}
		want := brute(e, events, yesterday)
		if v.Totals != want {
			t.Errorf("totals: got %+v, want %+v", v.Totals, want)
		}
		if v.Totals.Compliant != 2 || v.Totals.Percent() != 40 {
			t.Errorf("the scenario: got %+v, want An and Dung compliant (40%%)", v.Totals)
		}
		var missing []string
		for _, f := range v.NotCompliant {
			missing = append(missing, f.Name)
		}
		if want := []string{"Hoàng Văn Em", "Lê Văn Cường", "Trần Thị Bình"}; !slices.Equal(missing, want) {
			t.Errorf("not compliant: got %v, want %v", missing, want)
		}
		if v.Prev != 20260309 || v.Next != 20260311 || len(v.Series) != 7 || v.Series[6].Day != yesterday || v.Series[6].Rates != v.Totals {
			t.Errorf("days: prev %v next %v series %+v", v.Prev, v.Next, v.Series)
		}
		for _, r := range v.Venues {
			if r.VenueID == e.ws1.ID && (r.Staff != 3 || r.Compliant != 2) {
				t.Errorf("workshop 1: got %+v, want 3 staff (An, Bình, Dung), 2 compliant", r)
			}
		}
		if _, err := e.svc.Day(e.ctx, e.theirs, e.org.ID, yesterday); ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("another manager reads the compliance: %v", err)
		}
		_, err = e.svc.Day(e.ctx, e.manager, e.org.ID, 20260312)
		svctest.WantKey(t, "a day to come", err, "err.staff_day_future")

		// Boards see the same figures per business, without names.
		board := svctest.Staff(t, e.store, "kcn", ravao.RoleAssignment{Role: ravao.RoleSector, UnitCode: "35", Sector: ravao.SectorIndustry})
		sv, err := e.svc.Stats(e.ctx, board, workplaces.StatsQuery{Zone: "KCN Đồng Văn", Day: yesterday})
		if err != nil {
			t.Fatal(err)
		}
		if sv.Sector != ravao.SectorIndustry || len(sv.Businesses) != 1 || sv.Businesses[0].Rates != want {
			t.Errorf("zone board: got %+v, want the factory with %+v", sv, want)
		}
		_, err = e.svc.Stats(e.ctx, board, workplaces.StatsQuery{Sector: ravao.SectorCommerce, Day: yesterday})
		if ravao.ErrorCode(err) != ravao.Forbidden {
			t.Errorf("another sector: got %v, want forbidden", err)
		}
		if _, err := e.svc.Stats(e.ctx, e.manager, workplaces.StatsQuery{Day: yesterday}); ravao.ErrorCode(err) != ravao.Forbidden {
			t.Errorf("a manager reads the boards' figures: %v", err)
		}
	})
}

// brute counts the factory's members from the events, with the
// declaration rule of the gates (ValidFor) tried at every minute of the
// day and the day's bounds in Vietnam.
func brute(e *env, events []dayEvent, day ravao.Day) workplaces.Rates {
	from, to := day.Start(svctest.ICT), day.Add(1).Start(svctest.ICT)
	var r workplaces.Rates
	err := e.store.View(e.ctx, func(tx ravao.Tx) error {
		list, err := tx.Staff(ravao.StaffFilter{OrganisationID: e.org.ID})
		for _, m := range list {
			r.Staff++
			if m.PersonID == 0 {
				continue
			}
			r.Linked++
			declared, entered := false, false
			for _, ev := range events {
				if ev.person != m.PersonID {
					continue
				}
				if ev.venue == 0 {
					d := ravao.Declaration{CreatedAt: ev.at}
					for t := from; t.Before(to); t = t.Add(time.Minute) {
						declared = declared || d.ValidFor(t, 24*time.Hour) || d.ValidFor(t.Add(time.Minute-time.Millisecond), 24*time.Hour)
					}
				} else if !ev.at.Before(from) && ev.at.Before(to) && slices.Contains(m.VenueIDs, ev.venue) {
					entered = true
				}
			}
			if declared {
				r.Declared++
			}
			if entered {
				r.Entered++
			}
			if declared && entered {
				r.Compliant++
			}
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func TestStaffCards(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newEnv(t, open)
		known := e.person("0912000001", 1990)
		if _, err := e.upload(e.manager, e.org.ID, goodList); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.Cards(e.ctx, e.manager, e.org.ID, workplaces.CardsRequest{})
		svctest.WantKey(t, "unlinked members without consent", err, "err.staff_card_consent")
		_, err = e.svc.Cards(e.ctx, e.manager, e.org.ID, workplaces.CardsRequest{Consent: true})
		svctest.WantKey(t, "a member without a birth year", err, "err.staff_card_birth_year")
		l, _ := e.svc.Staff(e.ctx, e.manager, e.org.ID)
		var ids []int64
		for _, m := range l.Members {
			if m.BirthYear != 0 {
				ids = append(ids, m.ID)
			}
		}
		cs, err := e.svc.Cards(e.ctx, e.manager, e.org.ID, workplaces.CardsRequest{IDs: ids, Consent: true})
		if err != nil || len(cs) != 4 {
			t.Fatalf("cards: got %d, %v; want 4", len(cs), err)
		}
		verifier := personalqr.NewVerifier(e.vault.PersonalQRKey().Public().(ed25519.PublicKey))
		l, _ = e.svc.Staff(e.ctx, e.manager, e.org.ID)
		if l.Linked != 4 {
			t.Errorf("after printing: %d linked, want 4 (the new people linked)", l.Linked)
		}
		found := false
		for _, c := range cs {
			claims, err := verifier.Parse(c.Payload, now)
			if err != nil || claims.Kind != personalqr.KindCard || claims.Serial != c.Serial {
				t.Errorf("card of %s: %+v, %v", c.Name, claims, err)
			}
			found = found || claims.PersonID == known
			if strings.Contains(c.Name, "Nguyễn Văn An") {
				t.Errorf("card shows the full name %q", c.Name)
			}
		}
		if !found {
			t.Errorf("the member linked to a known person did not get that person's card")
		}
		if _, err := e.svc.Cards(e.ctx, e.theirs, e.org.ID, workplaces.CardsRequest{IDs: ids}); ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("another manager prints the cards: %v", err)
		}
		if _, err := e.svc.Cards(e.ctx, e.theirs, e.other.ID, workplaces.CardsRequest{IDs: ids}); ravao.ErrorCode(err) != ravao.NotFound {
			t.Errorf("another manager prints this list's cards through their own: %v", err)
		}
	})
}

// TestNamesSealed checks that members' names are stored sealed for their
// organisation, and that the list still reads in Vietnamese order ("Âu"
// before "Bùi", "Dương" before "Đỗ"), which byte order would not give.
func TestNamesSealed(t *testing.T) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		e := newEnv(t, open)
		names := []string{"Đỗ Văn Đức", "Bùi Văn Bảo", "Dương Văn Dũng", "Âu Thị Ánh"}
		for i, n := range names {
			in := workplaces.MemberInput{Cells: map[string]string{workplaces.ColName: n, workplaces.ColPhone: fmt.Sprintf("091200010%d", i)}}
			if _, err := e.svc.Add(e.ctx, e.manager, e.org.ID, in); err != nil {
				t.Fatalf("add %s: %v", n, err)
			}
		}
		l, err := e.svc.Staff(e.ctx, e.manager, e.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range l.Members {
			got = append(got, m.Name)
		}
		if want := []string{"Âu Thị Ánh", "Bùi Văn Bảo", "Dương Văn Dũng", "Đỗ Văn Đức"}; !slices.Equal(got, want) {
			t.Errorf("list: got %v, want %v", got, want)
		}
		err = e.store.View(e.ctx, func(tx ravao.Tx) error {
			stored, err := tx.Staff(ravao.StaffFilter{OrganisationID: e.org.ID})
			if err != nil {
				return err
			}
			for i, m := range stored {
				if strings.Contains(string(m.Name), names[i]) || strings.Contains(string(m.Name), "Văn") {
					t.Errorf("member %d: name stored in clear", m.ID)
				}
				if b, err := e.vault.Open(m.Name, ravao.StaffAAD(e.org.ID, "name")); err != nil || string(b) != names[i] {
					t.Errorf("member %d: name opens to %q, %v; want %q", m.ID, b, err, names[i])
				}
				if _, err := e.vault.Open(m.Name, ravao.StaffAAD(e.other.ID, "name")); err == nil {
					t.Errorf("member %d: name opens for another organisation", m.ID)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
