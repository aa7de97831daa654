package places_test

import (
	"testing"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/poster"
)

func TestPosters(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		created := e.clock.T
		v := e.place(t, "Công ty May Hà Nam", "Xưởng may số 1", ravao.VenueBusiness, "13321", "Cổng 1", "Cổng 2", "Cổng 3")
		other := e.place(t, "Chợ Phủ Lý", "Chợ Phủ Lý", ravao.VenueMarket, "13321")
		m := e.manager(t, "quanly", v.OrganisationID)
		cp1, cp2, cp3 := v.Checkpoints[0], v.Checkpoints[1], v.Checkpoints[2]

		for _, set := range []places.PosterSet{{VenueID: other.ID}, {CheckpointID: other.Checkpoints[0].ID}, {OrganisationID: other.OrganisationID}} {
			_, err := e.svc.Posters(e.ctx, m, set)
			if !ravao.IsNotFound(err) {
				t.Errorf("manager's posters of %+v: %v, want not found", set, err)
			}
		}
		_, err := e.svc.Posters(e.ctx, e.local37, places.PosterSet{VenueID: v.ID})
		e.wantErr(t, err, ravao.NotFound, "err.venue_not_found")
		_, err = e.svc.Posters(e.ctx, m, places.PosterSet{})
		e.wantField(t, err, "venues", "err.required")

		if _, err := e.svc.Revoke(e.ctx, m, cp2.ID); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(36 * time.Hour)
		reissued := e.clock.T
		again, err := e.svc.Reissue(e.ctx, m, cp3.ID)
		if err != nil {
			t.Fatal(err)
		}
		ps, err := e.svc.Posters(e.ctx, m, places.PosterSet{VenueID: v.ID})
		if err != nil || len(ps) != 2 {
			t.Fatalf("Posters of the venue: %d, %v; want 2 (one revoked)", len(ps), err)
		}
		e.wantPoster(t, ps[0], v, cp1.Name, cp1.Code, created)
		e.wantPoster(t, ps[1], v, cp3.Name, again.Code, reissued)

		for _, set := range []places.PosterSet{{OrganisationID: v.OrganisationID}, {VenueID: v.ID}} {
			for _, actor := range []*ravao.Principal{m, e.local, e.health, e.admin} {
				if got, err := e.svc.Posters(e.ctx, actor, set); err != nil || len(got) != 2 {
					t.Errorf("posters of %+v for %s: %d, %v; want 2", set, actor.User.Login, len(got), err)
				}
			}
		}
		one, err := e.svc.Posters(e.ctx, m, places.PosterSet{CheckpointID: cp3.ID})
		if err != nil || len(one) != 1 || one[0].Code != again.Code {
			t.Errorf("poster of one checkpoint: %+v, %v", one, err)
		}
		_, err = e.svc.Posters(e.ctx, m, places.PosterSet{CheckpointID: cp2.ID})
		e.wantErr(t, err, ravao.NotFound, "err.poster_none")
	})
}

// wantPoster checks one poster of venue v.
func (e *env) wantPoster(t *testing.T, p poster.Poster, v places.VenueView, checkpoint, code string, issued time.Time) {
	t.Helper()
	if p.VenueName != v.Name || p.CheckpointName != checkpoint || p.Address != v.Place || p.Code != code || p.URL != baseURL+"/q/"+code {
		t.Errorf("poster %+v, want %s / %s with code %s", p, v.Name, checkpoint, code)
	}
	if !p.Issued.Equal(issued) {
		t.Errorf("poster %s issued %v, want %v", checkpoint, p.Issued, issued)
	}
	if _, off := p.Issued.Zone(); off != 7*3600 {
		t.Errorf("poster %s issued in a zone %d s from UTC, want Vietnam's", checkpoint, off)
	}
}
