package server

import (
	"net/http"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/visitors"
)

// visitorAPI lists the JSON API of visitors. The routes are public: the
// visitor has no account, and the device token (X-Ravao-Device or the
// device cookie) names them instead.
func (s *Server) visitorAPI() []Route {
	return []Route{
		api("POST", "/api/v1/declarations", Public, s.apiDeclarationCreate, declarationCreateDoc),
		api("POST", "/api/v1/checkins", Public, s.apiCheckinCreate, checkinCreateDoc),
		api("POST", "/api/v1/visits/{id}/checkout", Public, s.apiVisitCheckout, visitCheckoutDoc),
		api("GET", "/api/v1/me/visits", Public, s.apiMyVisits, myVisitsDoc),
		api("POST", "/api/v1/me/dependants", Public, s.apiDependantCreate, dependantCreateDoc),
		api("GET", "/api/v1/me/dependants", Public, s.apiDependantsList, dependantsListDoc),
		api("POST", "/api/v1/me/personal-qr", Public, s.apiPersonalQR, personalQRDoc),
	}
}

// visitsShown is how far back a visitor's own visits go: as long as visits
// are kept.
const visitsShown = 30 * 24 * time.Hour

// requireDevice is the request's device token, or Unauthorized, before any
// work is done, when there is none.
func (s *Server) requireDevice(r *http.Request) (string, error) {
	tok := s.deviceToken(r)
	if tok == "" {
		return "", ravao.Errorf(ravao.Unauthorized, "err.device_unknown")
	}
	return tok, nil
}

// apiDeclarationCreate records consent, the person and their answers, and
// gives the new device token (also set as the device cookie).
func (s *Server) apiDeclarationCreate(w http.ResponseWriter, r *http.Request) error {
	var in visitors.Declaration
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := s.visits.Declare(r.Context(), in)
	if err != nil {
		return err
	}
	s.setDevice(w, d.Token)
	return writeJSON(w, http.StatusCreated, declaredJSON{Device: d.Token, PersonID: d.PersonID, Risk: d.Risk})
}

// checkinJSON is the body of a check-in.
type checkinJSON struct {
	Code       string            `json:"code"`
	Answers    questions.Answers `json:"answers"`
	Dependants []int64           `json:"dependants"`
}

// apiCheckinCreate checks the device's person in at a poster's code: 201
// with a new visit, 200 when it repeats an earlier answer. Unknown codes
// use up the client's allowance, as on the landing page.
func (s *Server) apiCheckinCreate(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.requireDevice(r)
	if err != nil {
		return err
	}
	var in checkinJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	pass, err := s.visits.CheckIn(r.Context(), visitors.CheckIn{
		Code: in.Code, Device: tok, Answers: in.Answers, Dependants: in.Dependants,
		IdempotencyKey: r.Header.Get("Idempotency-Key"), Source: ravao.SourceAPI,
	})
	if err := s.limitUnknown(r, err); err != nil {
		return err
	}
	status := http.StatusCreated
	if pass.Repeated {
		status = http.StatusOK
	}
	return writeJSON(w, status, toPassJSON(pass))
}

// apiVisitCheckout closes one of the device's visits (or a dependant's);
// anyone else's is not found.
func (s *Server) apiVisitCheckout(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.requireDevice(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return ravao.Errorf(ravao.NotFound, "err.visit_not_found")
	}
	v, err := s.visits.CheckOut(r.Context(), tok, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toVisitJSON(v))
}

// apiMyVisits lists the visits of the device's person and dependants,
// newest first.
func (s *Server) apiMyVisits(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.requireDevice(r)
	if err != nil {
		return err
	}
	vs, err := s.visits.Visits(r.Context(), tok, s.clock.Now().Add(-visitsShown))
	if err != nil {
		return err
	}
	out := visitsJSON{Visits: make([]visitJSON, 0, len(vs))}
	for _, v := range vs {
		out.Visits = append(out.Visits, toVisitJSON(v))
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiDependantCreate adds a dependant to the device's person.
func (s *Server) apiDependantCreate(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.requireDevice(r)
	if err != nil {
		return err
	}
	var in visitors.Profile
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	id, err := s.visits.AddDependant(r.Context(), tok, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]int64{"id": id})
}

// apiDependantsList lists the device person's dependants, names masked.
func (s *Server) apiDependantsList(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.requireDevice(r)
	if err != nil {
		return err
	}
	deps, err := s.visits.Dependants(r.Context(), tok)
	if err != nil {
		return err
	}
	out := dependantsJSON{Dependants: make([]dependantJSON, 0, len(deps))}
	for _, d := range deps {
		out.Dependants = append(out.Dependants, dependantJSON{ID: d.ID, Name: d.Name})
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiPersonalQR issues a fresh on-screen personal code. It is a POST: each
// call signs a new payload, and none may be cached.
func (s *Server) apiPersonalQR(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.requireDevice(r)
	if err != nil {
		return err
	}
	payload, expires, err := s.visits.PersonalQR(r.Context(), tok)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, personalQRJSON{Payload: payload, ExpiresAt: expires})
}
