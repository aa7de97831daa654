package server

import (
	"maps"
	"net/http"
	"slices"
	"strconv"

	"github.com/ravao/ravao"
)

// placePages lists the pages of places: registration, the manager's and
// officials' place pages, invitations, the /q/{code} landing page and the
// development SMS outbox.
func (s *Server) placePages() []Route {
	view, manage, approve := ravao.PermViewPlaces, ravao.PermManagePlaces, ravao.PermApprovePlaces
	return []Route{
		page("GET", "/register", Public, s.registerShow),
		page("POST", "/register", Public, s.registerSubmit),
		page("GET", "/dev/outbox", Public, s.outboxShow),
		page("GET", "/q/{code}", Public, s.landingShow),
		page("GET", "/invite/{code}", Public, s.inviteShow),
		page("POST", "/invite/{code}", Public, s.inviteSubmit),
		page("GET", "/places", view, s.placesList),
		page("GET", "/places/import", ravao.PermImportPlaces, s.importShow),
		withMaxBody(page("POST", "/places/import", ravao.PermImportPlaces, s.importSubmit), maxImportBody),
		page("GET", "/places/{id}", view, s.placeShow),
		page("GET", "/places/{id}/poster", view, s.posterShow),
		page("POST", "/places/{id}/approve", approve, s.placeStatusSubmit("approve")),
		page("POST", "/places/{id}/suspend", approve, s.placeStatusSubmit("suspend")),
		page("POST", "/places/{id}/reinstate", approve, s.placeStatusSubmit("reinstate")),
		page("POST", "/places/{id}/checkpoints", manage, s.checkpointAddSubmit),
		page("POST", "/places/{id}/invitations", manage, s.invitationSubmit),
		page("POST", "/places/checkpoints/{id}/revoke", manage, s.checkpointCodeSubmit("revoke")),
		page("POST", "/places/checkpoints/{id}/reissue", manage, s.checkpointCodeSubmit("reissue")),
	}
}

// pageID reads the {id} of a page path; anything but a positive number is
// a page that does not exist.
func pageID(r *http.Request) (int64, error) { return pagePathNumber(r, "id") }

// pagePathNumber reads the {name} of a page path; anything but a positive
// number is a page that does not exist.
func pagePathNumber(r *http.Request, name string) (int64, error) {
	id, ok := pathNumber(r, name)
	if !ok {
		return 0, ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	return id, nil
}

// formFailure is why a submitted form is shown again: a message for the
// whole form, and messages by field, in the reader's language.
type formFailure struct {
	Status  int
	Message string
	Fields  map[string]string // field -> translated message
	Other   []string          // messages of fields the form does not show
}

// Failed reports whether there is anything to show.
func (f formFailure) Failed() bool { return f.Message != "" }

// formFailed turns err into what a form page shows, when it is something
// the person can act on (bad input, a taken login, a state conflict, too
// many tries); ok is false for any other error, which goes to fail. Field
// errors of fields not among shown are listed with the form's message.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, err error, shown ...string) (formFailure, bool) {
	e := classify(err)
	switch e.Code {
	case ravao.Invalid, ravao.Conflict, ravao.TooMany:
	default:
		return formFailure{}, false
	}
	if e.Code == ravao.TooMany {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter(e)))
	}
	lang := s.lang(r)
	f := formFailure{Status: statuses[e.Code], Message: s.cat.T(lang, e.Key, e.Args...), Fields: map[string]string{}}
	for _, field := range slices.Sorted(maps.Keys(e.Fields)) {
		msg := s.cat.T(lang, e.Fields[field])
		if slices.Contains(shown, field) {
			f.Fields[field] = msg
		} else if !slices.Contains(f.Other, msg) && msg != f.Message {
			f.Other = append(f.Other, msg)
		}
	}
	return f, true
}

// rejectForm is a formFailure made on the spot for one field.
func (s *Server) rejectForm(w http.ResponseWriter, r *http.Request, field, key string, shown ...string) formFailure {
	fe := ravao.FieldErrors{}
	fe.Add(field, key)
	f, _ := s.formFailed(w, r, fe.Err(), shown...)
	return f
}
