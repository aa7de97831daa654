package server

import (
	"net/http"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/rights"
)

// apiDataCode sends a one-time code to the phone of the device's person;
// the challenge comes back and is kept in the session cookie.
func (s *Server) apiDataCode(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.requireDevice(r)
	if err != nil {
		return err
	}
	if err := s.limitSMS(r); err != nil {
		return err
	}
	ch, err := s.rights.SendCode(r.Context(), tok, s.lang(r))
	if err != nil {
		return err
	}
	s.setProof(w, ch)
	return writeCreated(w, map[string]any{"challenge": ch, "expires_in_seconds": int(s.places.CodeTTL() / time.Second)})
}

// verifyJSON is the answer to a code.
type verifyJSON struct {
	Challenge string `json:"challenge"`
	Code      string `json:"code"`
}

// apiDataVerify checks the code; the challenge then is the proof that
// opens the data (header X-Ravao-Data-Proof, or the session cookie set
// here).
func (s *Server) apiDataVerify(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.requireDevice(r)
	if err != nil {
		return err
	}
	var in verifyJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Challenge == "" {
		in.Challenge = proof(r)
	}
	if err := s.rights.Verify(r.Context(), tok, in.Challenge, in.Code); err != nil {
		return err
	}
	s.setProof(w, in.Challenge)
	return writeJSON(w, http.StatusOK, map[string]any{"proof": in.Challenge, "expires_in_seconds": int(rights.ProofTTL / time.Second)})
}

// apiCorrect corrects the profile of the device's person.
func (s *Server) apiCorrect(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.requireDevice(r)
	if err != nil {
		return err
	}
	var in rights.Correction
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.rights.Correct(r.Context(), tok, proof(r), in); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// requestJSON is a data-subject request as the API shows it.
type requestJSON struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
	DueAt      time.Time `json:"due_at"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	Overdue    bool      `json:"overdue"`
}

func (s *Server) requestJSON(q ravao.DSRequest) requestJSON {
	return requestJSON{ID: q.ID, Kind: string(q.Kind), Status: string(q.Status), CreatedAt: q.CreatedAt, DueAt: q.DueAt,
		ResolvedAt: q.ResolvedAt, Overdue: q.Overdue(s.clock.Now())}
}

// apiDeletionRequest asks for the person's data to be deleted: done at
// once (the device is forgotten) or queued while a case needs the data.
func (s *Server) apiDeletionRequest(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.requireDevice(r)
	if err != nil {
		return err
	}
	var in struct {
		Kind string `json:"kind"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Kind != "" && in.Kind != string(ravao.DSRDelete) {
		return ravao.FieldError("kind", "err.invalid")
	}
	q, err := s.rights.RequestDeletion(r.Context(), tok, proof(r))
	if err != nil {
		return err
	}
	if q.Status == ravao.DSRDone {
		s.setDevice(w, "")
		s.setProof(w, "")
	}
	return writeCreated(w, s.requestJSON(q))
}

// apiDSRList is the officer's queue.
func (s *Server) apiDSRList(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.rights.Queue(r.Context(), principal(r), ravao.DSRStatus(r.URL.Query().Get("status")))
	if err != nil {
		return err
	}
	out := make([]requestJSON, 0, len(rs))
	for _, q := range rs {
		out = append(out, s.requestJSON(q))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"requests": out})
}

// dsrEventJSON is a step of a request's history.
type dsrEventJSON struct {
	At     time.Time `json:"at"`
	Action string    `json:"action"`
	UserID int64     `json:"user_id,omitempty"`
}

// apiDSRShow is one request with its details and history.
func (s *Server) apiDSRShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := s.rights.Request(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.requestView(v))
}

func (s *Server) requestView(v rights.RequestView) map[string]any {
	evs := make([]dsrEventJSON, 0, len(v.Events))
	for _, e := range v.Events {
		evs = append(evs, dsrEventJSON{At: e.At, Action: e.Action, UserID: e.UserID})
	}
	return map[string]any{"request": s.requestJSON(v.Request), "source": v.Details.Source, "reason": v.Details.Reason,
		"fields": v.Details.Fields, "protected": v.Protected, "erased": v.Erased, "events": evs}
}

// apiDSRResolve answers a request: done (erasing now when it asks for a
// deletion) or refused with a reason.
func (s *Server) apiDSRResolve(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in rights.Resolution
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.rights.Resolve(r.Context(), principal(r), id, in); err != nil {
		return err
	}
	v, err := s.rights.Request(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.requestView(v))
}
