package server

import (
	"encoding/base64"
	"io"
	"net/http"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/gate"
	"github.com/ravao/ravao/personalqr"
	"github.com/ravao/ravao/qrframe"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/visitors"
)

// gateAPI lists the gate console's calls: for gate staff and managers of
// the checkpoint, never returning more of a person than a masked name and
// a birth year.
func (s *Server) gateAPI() []Route {
	perm := ravao.PermOperateGate
	frames := api("POST", "/api/v1/gate/frames", perm, s.apiGateFrame, gateFrameDoc)
	frames.MaxBody = qrframe.MaxBytes
	return []Route{
		api("GET", "/api/v1/gate/key", perm, s.apiGateKey, gateKeyDoc),
		api("GET", "/api/v1/gate/checkpoints/{id}", perm, s.apiGateSummary, gateSummaryDoc),
		api("POST", "/api/v1/gate/scans", perm, s.apiGateScan, gateScanDoc),
		api("POST", "/api/v1/gate/scans/batch", perm, s.apiGateSync, gateSyncDoc),
		api("POST", "/api/v1/gate/phone-code", perm, s.apiGatePhoneCode, gatePhoneCodeDoc),
		api("POST", "/api/v1/gate/declarations", perm, s.apiGateDeclare, gateDeclareDoc),
		frames,
	}
}

// scanJSON is one scan as a gate sends it.
type scanJSON struct {
	Payload        string     `json:"payload"`
	Phone          string     `json:"phone"`
	Challenge      string     `json:"challenge"`
	Code           string     `json:"code"`
	Direction      string     `json:"direction"`
	IdempotencyKey string     `json:"idempotency_key"`
	DeviceTime     *time.Time `json:"device_time"`
}

func (j scanJSON) scan(checkpointID int64) gate.Scan {
	sc := gate.Scan{CheckpointID: checkpointID, Payload: j.Payload, Phone: j.Phone, Challenge: j.Challenge, Code: j.Code,
		Direction: gate.Direction(j.Direction), IdempotencyKey: j.IdempotencyKey}
	if j.DeviceTime != nil {
		sc.DeviceTime = *j.DeviceTime
	}
	return sc
}

// resultJSON is a decision as the gate shows it.
type resultJSON struct {
	Decision  ravao.Decision `json:"decision"`
	Kind      string         `json:"kind"`
	PersonID  int64          `json:"person_id"`
	Name      string         `json:"name"` // masked
	BirthYear int            `json:"birth_year"`
	VisitID   *int64         `json:"visit_id"`
	Direction string         `json:"direction"`
	At        time.Time      `json:"at"`
	Repeated  bool           `json:"repeated"`
	Note      string         `json:"note,omitempty"` // in the caller's language
}

func (s *Server) toResultJSON(r *http.Request, res gate.Result) resultJSON {
	out := resultJSON{Decision: res.Decision, Kind: res.Kind, PersonID: res.PersonID, Name: res.Name, BirthYear: res.BirthYear,
		Direction: string(res.Direction), At: res.At, Repeated: res.Repeated}
	if res.VisitID != 0 {
		out.VisitID = &res.VisitID
	}
	if res.Note != "" {
		out.Note = s.cat.T(s.lang(r), res.Note)
	}
	return out
}

// apiGateScan records one scan: 201 with a new visit, 200 otherwise.
func (s *Server) apiGateScan(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		CheckpointID int64 `json:"checkpoint_id"`
		scanJSON
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	res, err := s.gate.Scan(r.Context(), principal(r), in.scan(in.CheckpointID))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if res.VisitID != 0 && res.Direction == gate.In && !res.Repeated {
		status = http.StatusCreated
	}
	return writeJSON(w, status, s.toResultJSON(r, res))
}

// apiGateSync records a gate's offline queue.
func (s *Server) apiGateSync(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		CheckpointID int64      `json:"checkpoint_id"`
		Scans        []scanJSON `json:"scans"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	scans := make([]gate.Scan, len(in.Scans))
	for i, j := range in.Scans {
		scans[i] = j.scan(in.CheckpointID)
	}
	got, err := s.gate.Sync(r.Context(), principal(r), in.CheckpointID, scans)
	if err != nil {
		return err
	}
	type rejected struct {
		IdempotencyKey string `json:"idempotency_key"`
		Code           string `json:"code"`
		Message        string `json:"message"`
	}
	out := struct {
		Accepted   int        `json:"accepted"`
		Duplicates int        `json:"duplicates"`
		Rejected   []rejected `json:"rejected"`
	}{Accepted: got.Accepted, Duplicates: got.Duplicates, Rejected: make([]rejected, 0, len(got.Rejected))}
	lang := s.lang(r)
	for _, rj := range got.Rejected {
		e := classify(rj.Err)
		msg := s.cat.T(lang, e.Key, e.Args...)
		for _, k := range e.Fields {
			msg = s.cat.T(lang, k)
		}
		out.Rejected = append(out.Rejected, rejected{IdempotencyKey: rj.IdempotencyKey, Code: string(e.Code), Message: msg})
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiGatePhoneCode sends a one-time code to someone with nothing to scan.
func (s *Server) apiGatePhoneCode(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		CheckpointID int64  `json:"checkpoint_id"`
		Phone        string `json:"phone"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.limitSMS(r); err != nil {
		return err
	}
	challenge, err := s.gate.RequestPhoneCode(r.Context(), principal(r), in.CheckpointID, in.Phone, s.lang(r))
	if err != nil {
		return err
	}
	return writeCreated(w, map[string]any{"challenge": challenge, "expires_in_seconds": int(s.places.CodeTTL() / time.Second)})
}

// apiGateDeclare records a declaration made on someone's behalf.
func (s *Server) apiGateDeclare(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		CheckpointID   int64             `json:"checkpoint_id"`
		PersonID       int64             `json:"person_id"`
		Consent        bool              `json:"consent"`
		Profile        visitors.Profile  `json:"profile"`
		Answers        questions.Answers `json:"answers"`
		IdempotencyKey string            `json:"idempotency_key"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	res, err := s.gate.Declare(r.Context(), principal(r), gate.OnBehalf{CheckpointID: in.CheckpointID, PersonID: in.PersonID,
		Declaration:    visitors.Declaration{Consent: in.Consent, Profile: in.Profile, Answers: in.Answers},
		IdempotencyKey: in.IdempotencyKey})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toResultJSON(r, res))
}

// apiGateSummary answers a gate's counters and latest scans.
func (s *Server) apiGateSummary(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return ravao.Errorf(ravao.NotFound, "err.checkpoint_not_found")
	}
	sum, err := s.gate.Summary(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	type named struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	out := struct {
		Checkpoint named             `json:"checkpoint"`
		Venue      named             `json:"venue"`
		Counts     ravao.VenueCounts `json:"counts"`
		Recent     []resultJSON      `json:"recent"`
	}{Checkpoint: named{sum.Checkpoint.ID, sum.Checkpoint.Name}, Venue: named{sum.Venue.ID, sum.Venue.Name}, Counts: sum.Counts,
		Recent: make([]resultJSON, 0, len(sum.Recent))}
	for _, res := range sum.Recent {
		out.Recent = append(out.Recent, s.toResultJSON(r, res))
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiGateKey gives the public key that checks personal QR codes offline.
func (s *Server) apiGateKey(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{
		"public_key": base64.StdEncoding.EncodeToString(s.visits.Verifier().PublicKey()),
		"algorithm":  "Ed25519", "prefix": personalqr.Prefix,
	})
}

// apiGateFrame decodes a camera frame (JPEG or PNG) for browsers without
// a native barcode detector.
func (s *Server) apiGateFrame(w http.ResponseWriter, r *http.Request) error {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return err // over the limit: classify makes it TooLarge
	}
	payload, err := qrframe.Decode(b)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]string{"payload": payload})
}
