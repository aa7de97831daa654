package places_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"testing"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/placeimport"
	"github.com/ravao/ravao/places"
)

// organisation reads an organisation straight from the store.
func (e *env) organisation(tb testing.TB, id int64) ravao.Organisation {
	tb.Helper()
	var o ravao.Organisation
	e.view(tb, func(tx ravao.Tx) (err error) { o, err = tx.Organisation(id); return err })
	return o
}

// wantContactKey fails unless the stored venue's ContactKey is the keyed
// lookup of phone.
func (e *env) wantContactKey(tb testing.TB, venueID int64, phone string) {
	tb.Helper()
	got, want := e.stored(tb, venueID).ContactKey, e.vault.Lookup("phone", phone)
	if len(got) == 0 || !bytes.Equal(got, want) {
		tb.Errorf("venue %d: contact key %x, want the lookup of %s (%x)", venueID, got, phone, want)
	}
}

func TestRegisterTaxCodeAndContactKey(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		in := registration("hieutruong", phone)
		in.TaxCode = " 0101 234 567 "
		r := e.register(t, e.svc, in)
		if got := e.organisation(t, r.Venue.OrganisationID).TaxCode; got != "0101234567" {
			t.Errorf("stored tax code %q, want 0101234567", got)
		}
		if got := r.Venue.Organisation.TaxCode; got != "0101234567" {
			t.Errorf("registered view's tax code %q, want 0101234567", got)
		}
		e.wantContactKey(t, r.Venue.ID, phone)

		in = registration("chinhanh", "0987654321")
		in.Organisation, in.TaxCode = "Chi nhánh Công ty Minh Phát", "0101234567.001"
		r = e.register(t, e.svc, in)
		if got := e.organisation(t, r.Venue.OrganisationID).TaxCode; got != "0101234567-001" {
			t.Errorf("branch tax code %q, want 0101234567-001", got)
		}
	})
}

func TestRegisterWithoutTaxCode(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		r := e.register(t, e.svc, registration("hieutruong", phone))
		if got := e.organisation(t, r.Venue.OrganisationID).TaxCode; got != "" {
			t.Errorf("stored tax code %q, want none", got)
		}
	})
}

func TestRegisterBadTaxCode(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		for _, bad := range []string{"12345", "0101234567-01", "01012345678", "MST0101234567", "0101-234567"} {
			in := registration("hieutruong", phone)
			in.TaxCode = bad
			secret, err := e.svc.RequestCode(e.ctx, phone, "register", "vi")
			if err != nil {
				t.Fatal(err)
			}
			in.Challenge, in.Code = secret, e.smsCode(t, phone)
			before := e.counts(t)
			_, err = e.svc.Register(e.ctx, in)
			e.wantField(t, err, "tax_code", "err.tax_code")
			if after := e.counts(t); after != before {
				t.Errorf("tax code %q: counts went from %+v to %+v", bad, before, after)
			}
			// The code is still good: a corrected form goes through.
			if bad == "MST0101234567" {
				in.TaxCode = "0101234567"
				if _, err := e.svc.Register(e.ctx, in); err != nil {
					t.Fatalf("corrected registration: %v", err)
				}
			}
		}
	})
}

func TestCreatePlaceTaxCode(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		in := places.NewPlace{Organisation: "Công ty TNHH Minh Phát", TaxCode: "0101234567001", Venue: venueInput("Kho Minh Phát", ravao.VenueBusiness, "13321")}
		v, err := e.svc.CreatePlace(e.ctx, e.local, in, "vi")
		if err != nil {
			t.Fatalf("CreatePlace: %v", err)
		}
		if got := e.organisation(t, v.OrganisationID).TaxCode; got != "0101234567-001" {
			t.Errorf("stored tax code %q, want 0101234567-001", got)
		}
		e.wantContactKey(t, v.ID, phone)
		in.TaxCode = "010123"
		before := e.counts(t)
		_, err = e.svc.CreatePlace(e.ctx, e.local, in, "vi")
		e.wantField(t, err, "tax_code", "err.tax_code")
		if after := e.counts(t); after != before {
			t.Errorf("bad tax code: counts went from %+v to %+v", before, after)
		}
	})
}

func TestUpdateRekeysContact(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v := e.place(t, "Công ty May Hà Nam", "Xưởng may số 1", ravao.VenueBusiness, "13321")
		e.wantContactKey(t, v.ID, phone)
		m := e.manager(t, "quanly", v.OrganisationID)
		in := venueInput("Xưởng may số 1", ravao.VenueBusiness, "13321")
		in.ContactPhone = "+84 987 654 321"
		if _, err := e.svc.Update(e.ctx, m, v.ID, in); err != nil {
			t.Fatalf("Update: %v", err)
		}
		e.wantContactKey(t, v.ID, "0987654321")
	})
}

func TestFillContactKeys(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		var vs []places.VenueView
		for _, name := range []string{"Cửa hàng 1", "Cửa hàng 2", "Cửa hàng 3"} {
			vs = append(vs, e.place(t, "Hộ kinh doanh "+name, name, ravao.VenueBusiness, "13321"))
		}
		// As places registered before venues carried a key: the first two
		// have none, the third has no contact at all.
		err := e.store.Update(e.ctx, func(tx ravao.Tx) error {
			for i, v := range vs {
				sv, err := tx.Venue(v.ID)
				if err != nil {
					return err
				}
				sv.ContactKey = nil
				if i == 2 {
					sv.Contact = nil
				}
				if err := tx.UpdateVenue(&sv); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if k := e.stored(t, vs[0].ID).ContactKey; len(k) != 0 {
			t.Fatalf("venue 1 still has a contact key %x after clearing it", k)
		}
		for run, want := range []int{2, 0} {
			n, err := e.svc.FillContactKeys(e.ctx)
			if err != nil || n != want {
				t.Errorf("run %d: FillContactKeys filled %d, %v; want %d", run+1, n, err, want)
			}
		}
		e.wantContactKey(t, vs[0].ID, phone)
		e.wantContactKey(t, vs[1].ID, phone)
		if k := e.stored(t, vs[2].ID).ContactKey; len(k) != 0 {
			t.Errorf("a venue without a contact got key %x", k)
		}
	})
}

func TestFillContactKeysPages(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		res, err := e.svc.Import(e.ctx, e.local, parse(t, shops(1203)), false, "vi")
		if err != nil || !res.Written {
			t.Fatalf("Import: %v, errors %v", err, res.Errors)
		}
		e.wantContactKey(t, res.Created[0].VenueID, "0900000000")
		err = e.store.Update(e.ctx, func(tx ravao.Tx) error {
			all, err := tx.Venues(ravao.VenueFilter{})
			if err != nil {
				return err
			}
			for i := range all {
				all[i].ContactKey = nil
				if err := tx.UpdateVenue(&all[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := e.svc.FillContactKeys(e.ctx); err != nil || n != 1203 {
			t.Errorf("FillContactKeys filled %d, %v; want 1203", n, err)
		}
		e.wantContactKey(t, res.Created[1202].VenueID, "0900001202")
	})
}

// parseTaxed parses records under importHeader and a tax_code column.
func parseTaxed(t *testing.T, records [][]string) placeimport.Result {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(append([][]string{append(slices.Clone(importHeader), "Mã số thuế")}, records...)); err != nil {
		t.Fatal(err)
	}
	res, err := placeimport.ParseCSV(&b)
	if err != nil {
		t.Fatalf("ParseCSV: %v", err)
	}
	return res
}

// taxedShop is an import record of a shop in 13321 with a tax code.
func taxedShop(org, name, phone, tax string) []string {
	return []string{org, name, "business", "commerce", "13321", "1 Lê Lợi", "Nguyễn Văn An", phone, "", "", tax}
}

func TestImportTaxCodesAndContactKeys(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		file := parseTaxed(t, [][]string{
			taxedShop("Công ty Minh Phát", "Kho 1", "0911000001", "0101 234 567"),
			taxedShop("Công ty Minh Phát", "Kho 2", "0911000002", ""),
			taxedShop("Hộ kinh doanh Lan", "Tạp hoá Lan", "0911000003", ""),
			taxedShop("Công ty An Bình", "Cửa hàng 1", "0911000004", "0202020202"),
			taxedShop("Công ty An Bình", "Cửa hàng 2", "0911000005", "0303030303"),
		})
		if len(file.Errors) != 0 {
			t.Fatalf("parse errors: %v", file.Errors)
		}
		before := e.counts(t)
		res, err := e.svc.Import(e.ctx, e.local, file, false, "vi")
		want := []placeimport.RowError{{Line: 6, Fields: map[string]string{"tax_code": "err.import_tax_code_differs"}}}
		if err != nil || res.Written || fmt.Sprint(res.Errors) != fmt.Sprint(want) {
			t.Fatalf("Import: written %v, errors %v, %v; want nothing written and %v", res.Written, res.Errors, err, want)
		}
		e.wantMessage(t, "err.import_tax_code_differs")
		if after := e.counts(t); after != before {
			t.Errorf("counts went from %+v to %+v", before, after)
		}
		res, err = e.svc.Import(e.ctx, e.local, file, true, "vi")
		if err != nil || !res.Written || len(res.Created) != 4 {
			t.Fatalf("Import valid only: written %v, %d created, %v", res.Written, len(res.Created), err)
		}
		wantTax := []string{"0101234567", "0101234567", "", "0202020202"}
		for i, c := range res.Created {
			v := e.stored(t, c.VenueID)
			if got := e.organisation(t, v.OrganisationID).TaxCode; got != wantTax[i] {
				t.Errorf("line %d: organisation's tax code %q, want %q", c.Line, got, wantTax[i])
			}
			e.wantContactKey(t, c.VenueID, fmt.Sprintf("091100000%d", i+1))
		}
		if a, b := e.stored(t, res.Created[0].VenueID), e.stored(t, res.Created[1].VenueID); a.OrganisationID != b.OrganisationID {
			t.Errorf("one organisation's two rows made organisations %d and %d", a.OrganisationID, b.OrganisationID)
		}
	})
}

func TestImportGivesManagersOrganisationItsTaxCode(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		v := e.place(t, "Công ty Minh Phát", "Văn phòng", ravao.VenueBusiness, "13321")
		m := e.manager(t, "quanly", v.OrganisationID)
		rows := [][]string{taxedShop("Công ty Minh Phát", "Kho 1", "0911000001", "0101234567-001")}
		res, err := e.svc.Import(e.ctx, m, parseTaxed(t, rows), false, "vi")
		if err != nil || !res.Written {
			t.Fatalf("Import: written %v, errors %v, %v", res.Written, res.Errors, err)
		}
		if got := e.organisation(t, v.OrganisationID).TaxCode; got != "0101234567-001" {
			t.Errorf("manager's organisation tax code %q, want 0101234567-001", got)
		}
		rows = [][]string{taxedShop("Công ty Minh Phát", "Kho 2", "0911000002", "0999999999")}
		res, err = e.svc.Import(e.ctx, m, parseTaxed(t, rows), false, "vi")
		want := []placeimport.RowError{{Line: 2, Fields: map[string]string{"tax_code": "err.import_tax_code_differs"}}}
		if err != nil || res.Written || fmt.Sprint(res.Errors) != fmt.Sprint(want) {
			t.Errorf("Import of another tax code: written %v, errors %v, %v; want %v", res.Written, res.Errors, err, want)
		}
	})
}
