package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/visitors"
)

// residentRoutes lists the pages and API with which a commune official
// declares residents without a smartphone on their behalf and prints their
// personal QR cards in batches.
func (s *Server) residentRoutes() []Route {
	perm := ravao.PermResidents
	return []Route{
		page("GET", "/residents", perm, s.residentsList),
		page("POST", "/residents/cards", perm, s.residentCardsSubmit),
		page("GET", "/residents/new", perm, s.residentNewShow),
		page("POST", "/residents/new", perm, s.residentNewSubmit),
		api("POST", "/api/v1/residents", perm, s.apiResidentCreate, residentCreateDoc),
		api("GET", "/api/v1/residents", perm, s.apiResidentsList, residentsListDoc),
		api("POST", "/api/v1/residents/cards", perm, s.apiResidentCards, residentCardsDoc),
		api("POST", "/api/v1/residents/cards/revoke", perm, s.apiResidentCardsRevoke, residentCardsRevokeDoc),
	}
}

// residentsPageSize is how many residents one page of the list shows: the
// most the service gives at once.
const residentsPageSize = 100

// residentsData is the data of the official's list of residents.
type residentsData struct {
	Rows    []residentRow
	After   int64  // the page shown, carried by the cards form
	NextURL string // empty on the last page
	Done    string // message key of what was just done
	Failure formFailure
}

// residentRow is one resident in the list: the masked name, never the
// phone or ID number.
type residentRow struct {
	ID        int64
	Name      string
	BirthYear int
	Unit      string // the commune, named in the reader's language
	Card      uint32 // the current card serial, 0 before the first print
}

// residentsDone are the results the list announces after a redirect
// (?added=1, ?revoked=1), with their message keys.
var residentsDone = []struct{ param, key string }{{"added", "residents.added"}, {"revoked", "residents.revoked"}}

// residentsList shows the residents the official declared, 100 a page
// (?after=ID), with the form that prints or revokes their cards.
func (s *Server) residentsList(w http.ResponseWriter, r *http.Request) error {
	q, fe := r.URL.Query(), ravao.FieldErrors{}
	d := &residentsData{After: queryID(q.Get("after"), "after", fe)}
	if err := fe.Err(); err != nil {
		return err
	}
	for _, done := range residentsDone {
		if q.Get(done.param) == "1" {
			d.Done = done.key
		}
	}
	return s.renderResidents(w, r, http.StatusOK, d)
}

// renderResidents loads the page of residents after d.After and shows it.
func (s *Server) renderResidents(w http.ResponseWriter, r *http.Request, status int, d *residentsData) error {
	list, err := s.visits.Residents(r.Context(), principal(r), d.After, residentsPageSize)
	if err != nil {
		return err
	}
	if d.Rows, err = s.residentRows(r.Context(), s.lang(r), list); err != nil {
		return err
	}
	if len(list) == residentsPageSize {
		d.NextURL = "/residents?after=" + strconv.FormatInt(list[len(list)-1].ID, 10)
	}
	return s.views.render(w, status, "residents.html", s.page(r, "residents.title", d))
}

// residentRows names the commune of each resident in lang.
func (s *Server) residentRows(ctx context.Context, lang string, list []visitors.Resident) ([]residentRow, error) {
	rows := make([]residentRow, 0, len(list))
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		version, names := ravao.ActiveUnitVersion(tx), map[string]string{}
		for _, res := range list {
			name, ok := names[res.UnitCode]
			if !ok {
				var err error
				if name, err = unitName(tx, lang, version, res.UnitCode); err != nil {
					return err
				}
				names[res.UnitCode] = name
			}
			rows = append(rows, residentRow{ID: res.ID, Name: res.Name, BirthYear: res.BirthYear, Unit: name, Card: res.CardSerial})
		}
		return nil
	})
	return rows, err
}

// residentCardsSubmit prints new cards for the residents ticked in the
// list (answering the PDF) or revokes their cards and goes back to the
// list. A tick of nobody, or a value that is not an id, shows the list
// again with the reason; a resident who is not the official's is not found.
func (s *Server) residentCardsSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	after, ids, print, err := readCardsForm(r.PostForm)
	if err == nil {
		if err = s.residentCards(w, r, ids, print); err == nil {
			return nil
		}
	}
	f, ok := s.formFailed(w, r, err)
	if !ok {
		return err
	}
	return s.renderResidents(w, r, f.Status, &residentsData{After: after, Failure: f})
}

// readCardsForm reads the list's form: the page it was on, the ticked
// residents and which button was pressed.
func readCardsForm(form url.Values) (after int64, ids []int64, print bool, err error) {
	fe := ravao.FieldErrors{}
	after = queryID(form.Get("after"), "after", fe)
	action := form.Get("action")
	if action != "print" && action != "revoke" {
		fe.Add("action", "err.invalid")
	}
	if err := fe.Err(); err != nil {
		return after, nil, false, err
	}
	ids, err = formIDs(form["id"], "id")
	return after, ids, action == "print", err
}

// residentCards answers the new cards' PDF, or after a revocation sends
// the official back to the list.
func (s *Server) residentCards(w http.ResponseWriter, r *http.Request, ids []int64, print bool) error {
	cs, err := s.visits.ResidentCards(r.Context(), principal(r), ids, print)
	if err != nil {
		return err
	}
	if !print {
		http.Redirect(w, r, "/residents?revoked=1", http.StatusSeeOther)
		return nil
	}
	return s.writeCards(w, r, cs)
}
