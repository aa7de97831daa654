package breaches_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/breaches"
	"github.com/ravao/ravao/internal/svctest"
	"github.com/ravao/ravao/internal/testenv"
	"github.com/ravao/ravao/vault"
)

// t0 is when every test starts: 10 July 2026, 15:00 in Vietnam.
var t0 = time.Date(2026, 7, 10, 15, 0, 0, 0, svctest.ICT)

// env is the register over a fresh store on one engine, with a
// data-protection officer and an administrator, and a clock the test moves.
type env struct {
	t     *testing.T
	ctx   context.Context
	store ravao.Store
	vault *vault.Vault
	clock *ravao.FixedClock
	svc   *breaches.Service
	dpo   *ravao.Principal
	admin *ravao.Principal
}

func engines(t *testing.T, fn func(t *testing.T, e *env)) {
	svctest.Engines(t, func(t *testing.T, open svctest.Opener) {
		clock := &ravao.FixedClock{T: t0}
		st, err := open(clock)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		v, err := vault.New(bytes.Repeat([]byte{8}, vault.KeySize))
		if err != nil {
			t.Fatal(err)
		}
		svc, err := breaches.New(st, v, breaches.Config{TZ: svctest.ICT, Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		e := &env{t: t, ctx: context.Background(), store: st, vault: v, clock: clock, svc: svc,
			dpo:   svctest.Staff(t, st, "dpo", ravao.RoleAssignment{Role: ravao.RoleDPO}),
			admin: svctest.Staff(t, st, "admin", ravao.RoleAssignment{Role: ravao.RoleAdmin})}
		fn(t, e)
	})
}

// record records a breach found ago before now.
func (e *env) record(title string, ago time.Duration) ravao.Breach {
	e.t.Helper()
	b, err := e.svc.Record(e.ctx, e.dpo, breaches.Input{
		Title: title, What: "Tệp xuất danh sách F1 của ông Trần Văn Bảo bị gửi nhầm qua Zalo", Place: "Trạm y tế phường Quang Trung",
		Measures: "Thu hồi tệp, đổi mật khẩu", Consequences: "Lộ số điện thoại và lịch sử ra vào",
		OccurredAt: e.clock.T.Add(-ago - time.Hour), FoundAt: e.clock.T.Add(-ago),
		DataKinds: []string{"name", "phone", "visit_history"}, PeopleAffected: 37,
	})
	if err != nil {
		e.t.Fatalf("Record: %v", err)
	}
	return b
}

// actions lists the audited actions on breaches, oldest first.
func (e *env) actions() []string {
	var out []string
	err := e.store.View(e.ctx, func(tx ravao.Tx) error {
		evs, err := tx.AuditEvents(ravao.AuditFilter{ObjectType: "breach"})
		for i := len(evs) - 1; i >= 0; i-- {
			if evs[i].Role != ravao.RoleDPO || strings.Contains(evs[i].Reason, "Bảo") {
				e.t.Errorf("audit event %+v", evs[i])
			}
			out = append(out, evs[i].Action)
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func TestRegister(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.record("Gửi nhầm tệp xuất", 2*time.Hour)
		if want := b.FoundAt.Add(72 * time.Hour); !b.Deadline().Equal(want) || !b.FoundAt.Equal(t0.Add(-2*time.Hour).UTC()) {
			t.Fatalf("deadline %v, found %v; want 72 h after discovery", b.Deadline(), b.FoundAt)
		}
		// The free text is sealed in the database.
		e.store.View(e.ctx, func(tx ravao.Tx) error {
			raw, err := tx.Breach(b.ID)
			if err != nil || bytes.Contains(raw.Sealed, []byte("Trần")) || raw.What != "" {
				t.Fatalf("stored breach: %v %q", err, raw.What)
			}
			return nil
		})
		old := e.record("Mất máy tính xách tay", 80*time.Hour)
		recent := e.record("Truy cập trái phép", time.Hour)
		// Notify the recent one; then the list is open ones by deadline, then notified.
		st := ravao.BreachNotified
		ref := "A05-2026-0042"
		got, err := e.svc.Update(e.ctx, e.dpo, recent.ID, breaches.Change{Status: &st, AuthorityRef: &ref})
		if err != nil || !got.NotifiedAt.Equal(t0.UTC()) || got.AuthorityRef != ref {
			t.Fatalf("notify: %v %+v", err, got)
		}
		list, err := e.svc.List(e.ctx, e.dpo)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, x := range list {
			ids = append(ids, x.ID)
		}
		if want := []int64{old.ID, b.ID, recent.ID}; !slices.Equal(ids, want) {
			t.Fatalf("List = %v, want %v", ids, want)
		}
		// No going back; closed is final.
		back := ravao.BreachOpen
		_, err = e.svc.Update(e.ctx, e.dpo, recent.ID, breaches.Change{Status: &back})
		svctest.WantKey(t, "notified → open", err, "err.breach_status_back")
		closed := ravao.BreachClosed
		if _, err := e.svc.Update(e.ctx, e.dpo, recent.ID, breaches.Change{Status: &closed}); err != nil {
			t.Fatal(err)
		}
		m := "Khác"
		_, err = e.svc.Update(e.ctx, e.dpo, recent.ID, breaches.Change{Measures: &m})
		svctest.WantKey(t, "closed", err, "err.breach_closed")
		v, err := e.svc.Get(e.ctx, e.dpo, recent.ID)
		if err != nil || v.Breach.Measures != "Thu hồi tệp, đổi mật khẩu" {
			t.Fatalf("Get: %v %+v", err, v.Breach)
		}
		var steps []string
		for _, ev := range v.Events {
			steps = append(steps, ev.Action+"/"+string(ev.Status))
		}
		if want := []string{"recorded/open", "notified/notified", "closed/closed"}; !slices.Equal(steps, want) {
			t.Fatalf("history %v, want %v", steps, want)
		}
		// Bad input is field errors.
		_, err = e.svc.Record(e.ctx, e.dpo, breaches.Input{Title: "x", What: "y", DataKinds: []string{"dna"}, FoundAt: t0.Add(time.Hour)})
		svctest.WantKey(t, "bad kind", err, "err.breach_data_kind")
		svctest.WantKey(t, "future", err, "err.date_future")
		// Only the officer.
		if _, err := e.svc.List(e.ctx, e.admin); ravao.ErrorCode(err) != ravao.Forbidden {
			t.Fatalf("admin List: %v, want forbidden", err)
		}
		want := []string{"breach.record", "breach.record", "breach.record", "breach.update", "breach.list", "breach.update", "breach.read"}
		if got := e.actions(); !slices.Equal(got, want) {
			t.Fatalf("audit %v, want %v", got, want)
		}
	})
}

func TestReport(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		if err := e.svc.SetController(e.ctx, e.dpo, breaches.Controller{Name: "Sở Y tế tỉnh Hà Nam", Contact: "Phòng Nghiệp vụ, 0226 385 2345"}); err != nil {
			t.Fatal(err)
		}
		b := e.record("Gửi nhầm tệp xuất", 80*time.Hour)
		r, err := e.svc.Report(e.ctx, e.dpo, b.ID, "vi")
		if err != nil {
			t.Fatal(err)
		}
		text := r.Text()
		for _, want := range []string{
			"THÔNG BÁO VI PHẠM QUY ĐỊNH VỀ BẢO VỆ DỮ LIỆU CÁ NHÂN", "Bộ Công an", "Sở Y tế tỉnh Hà Nam", "0226 385 2345",
			"Mô tả vi phạm", "gửi nhầm qua Zalo", "Thời gian, địa điểm", "Trạm y tế phường Quang Trung",
			"họ và tên, số điện thoại, lịch sử ra vào địa điểm", "Số lượng chủ thể dữ liệu (ước tính): 37",
			"Hậu quả", "Lộ số điện thoại", "Biện pháp đã thực hiện và dự kiến", "Thu hồi tệp",
			"Thời điểm phát hiện: 07:00 07/07/2026", "Thời điểm thông báo: 15:00 10/07/2026",
			"72 giờ kể từ khi phát hiện vi phạm: Không (chậm 8 giờ)", "Lý do thông báo chậm",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("report lacks %q:\n%s", want, text)
			}
		}
		onTime := e.record("Truy cập trái phép", time.Hour)
		r2, err := e.svc.Report(e.ctx, e.dpo, onTime.ID, "en")
		if err != nil || !r2.Within || !strings.Contains(r2.Text(), "within 72 hours of discovering the breach: yes") {
			t.Fatalf("English report: %v\n%s", err, r2.Text())
		}
		var pdf bytes.Buffer
		if err := breaches.WritePDF(&pdf, r); err != nil {
			t.Fatal(err)
		}
		out := pdfText(t, pdf.Bytes())
		for _, want := range []string{"THÔNG BÁO VI PHẠM", "Sở Y tế tỉnh Hà Nam", "Trạm y tế phường Quang Trung", "chậm 8 giờ"} {
			if !strings.Contains(out, want) {
				t.Errorf("PDF text lacks %q:\n%s", want, out)
			}
		}
		if _, err := e.svc.Report(e.ctx, e.admin, b.ID, "vi"); ravao.ErrorCode(err) != ravao.Forbidden {
			t.Fatalf("admin report: %v", err)
		}
	})
}

// pdfText is what pdftotext reads in a PDF.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool := testenv.Tool(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestAffected seeds people and random visits at three places and checks
// the people a venue-and-period criterion selects against a brute-force
// overlap of the visits, then the CSV of their phones.
func TestAffected(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		rng := rand.New(rand.NewPCG(91, 356))
		var venues []ravao.Venue
		var cps []ravao.Checkpoint
		people := map[int64]ravao.Person{}
		var ids []int64
		err := e.store.Update(e.ctx, func(tx ravao.Tx) error {
			for i := range 3 {
				o := ravao.Organisation{Name: "Tổ chức " + string(rune('A'+i)), UnitCode: "13321", Sector: ravao.SectorCommerce}
				if err := tx.CreateOrganisation(&o); err != nil {
					return err
				}
				v := ravao.Venue{OrganisationID: o.ID, Name: "Chợ " + string(rune('A'+i)), Type: ravao.VenueMarket, Sector: ravao.SectorCommerce,
					UnitCode: "13321", Address: "1 Lê Lợi", Status: ravao.VenueApproved, DefaultStay: time.Hour}
				if err := tx.CreateVenue(&v); err != nil {
					return err
				}
				c := ravao.Checkpoint{VenueID: v.ID, Name: "Cổng", Kind: ravao.CheckpointGate}
				if err := tx.CreateCheckpoint(&c); err != nil {
					return err
				}
				venues, cps = append(venues, v), append(cps, c)
			}
			for i := range 30 {
				p := ravao.Person{ID: vault.NewID(), FullName: "Nguyễn Văn Người", Phone: ravao.PII("0912" + strings.Repeat("0", 2) + string(rune('0'+i/10)) + string(rune('0'+i%10)) + "00"),
					BirthYear: 1980, Sex: ravao.SexMale, UnitCode: "13321", ConsentVersion: "v1", ConsentChannel: ravao.ConsentSelf, ConsentAt: t0}
				if i%5 == 0 {
					p.Phone = ""
				}
				rec, err := e.vault.SealPerson(p)
				if err != nil {
					return err
				}
				if err := tx.CreatePerson(&rec); err != nil {
					return err
				}
				people[p.ID] = p
				ids = append(ids, p.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var vs []*ravao.Visit
		for range 200 {
			k := rng.IntN(3)
			in := t0.Add(-time.Duration(rng.IntN(7*24*60)) * time.Minute).UTC().Truncate(time.Millisecond)
			v := &ravao.Visit{PersonID: ids[rng.IntN(len(ids))], VenueID: venues[k].ID, CheckpointID: cps[k].ID, InAt: in,
				Decision: ravao.Green, Source: ravao.SourceSelf}
			if rng.IntN(3) > 0 {
				v.OutAt = in.Add(time.Duration(rng.IntN(240)) * time.Minute)
			}
			vs = append(vs, v)
		}
		if err := e.store.Update(e.ctx, func(tx ravao.Tx) error { return tx.InsertVisits(vs) }); err != nil {
			t.Fatal(err)
		}
		b := e.record("Lộ lịch sử ra vào chợ", time.Hour)
		c := breaches.Criteria{VenueIDs: []int64{venues[0].ID, venues[2].ID}, From: t0.Add(-96 * time.Hour), To: t0.Add(-24 * time.Hour)}
		want := map[int64]bool{}
		for _, v := range vs {
			end := v.OutAt
			if end.IsZero() {
				end = v.InAt
			}
			if (v.VenueID == c.VenueIDs[0] || v.VenueID == c.VenueIDs[1]) && v.InAt.Before(c.To) && !end.Before(c.From) {
				want[v.PersonID] = true
			}
		}
		got, err := e.svc.Affected(e.ctx, e.dpo, b.ID, c)
		if err != nil {
			t.Fatal(err)
		}
		withPhone := 0
		for id := range want {
			if people[id].Phone != "" {
				withPhone++
			}
		}
		if got.Count != len(want) || got.WithPhone != withPhone || len(got.People) != len(want) || len(want) == 0 || len(want) == len(ids) {
			t.Fatalf("Affected: %d people (%d with phone), want %d (%d)", got.Count, got.WithPhone, len(want), withPhone)
		}
		for _, p := range got.People {
			if !want[p.PersonID] || p.MaskedName != "Nguyễn V*** N" || p.MaskedPhone != ravao.MaskPhone(people[p.PersonID].Phone) {
				t.Fatalf("affected person %+v", p)
			}
		}
		csv, n, err := e.svc.PhonesCSV(e.ctx, e.dpo, b.ID, c)
		if err != nil || n != withPhone {
			t.Fatalf("PhonesCSV: %v, %d rows, want %d", err, n, withPhone)
		}
		for id := range want {
			if ph := people[id].Phone.Reveal(); ph != "" && !bytes.Contains(csv, []byte(ph)) {
				t.Fatalf("CSV lacks a phone")
			}
		}
		v, err := e.svc.Get(e.ctx, e.dpo, b.ID)
		if err != nil || v.Breach.PeopleListedAt.IsZero() || v.Events[len(v.Events)-1].Action != "people_listed" {
			t.Fatalf("after the export: %v %+v", err, v)
		}
		_, err = e.svc.Affected(e.ctx, e.dpo, b.ID, breaches.Criteria{VenueIDs: []int64{1}, UnitCode: "13321"})
		svctest.WantKey(t, "two criteria", err, "err.breach_criteria")
		u, err := e.svc.Affected(e.ctx, e.dpo, b.ID, breaches.Criteria{UnitCode: "13321"})
		if err != nil || u.Count != len(ids) {
			t.Fatalf("by unit: %v %d, want %d", err, u.Count, len(ids))
		}
		if a := e.actions(); !slices.Contains(a, "breach.affected") || !slices.Contains(a, "breach.export") {
			t.Fatalf("audit %v", a)
		}
	})
}
