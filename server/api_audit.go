package server

import (
	"encoding/hex"
	"net/http"
	"time"

	"github.com/ravao/ravao/auditlog"
)

// auditEventJSON is one event of the audit log. It holds no personal
// value: object_id is an opaque id.
type auditEventJSON struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	UserID     int64     `json:"user_id"`
	Login      string    `json:"login"`
	Role       string    `json:"role"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	Reason     string    `json:"reason"`
	RequestID  string    `json:"request_id"`
	Seq        int64     `json:"seq"`
	Hash       string    `json:"hash"`
}

// auditPageJSON is a page of the log; Before is the before of the next
// page, nil on the last.
type auditPageJSON struct {
	Events []auditEventJSON `json:"events"`
	Before *int64           `json:"before"`
}

// verificationJSON is the result of checking the chain.
type verificationJSON struct {
	OK       bool        `json:"ok"`
	Checked  int         `json:"checked"`
	Unsealed int         `json:"unsealed"`
	HeadSeq  int64       `json:"head_seq"`
	HeadHash string      `json:"head_hash"`
	Broken   *brokenJSON `json:"broken"`
	At       time.Time   `json:"at"`
}

// brokenJSON is the first broken entry.
type brokenJSON struct {
	Seq    int64  `json:"seq"`
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
}

// apiAuditList lists the log's events, newest first, 100 a page.
func (s *Server) apiAuditList(w http.ResponseWriter, r *http.Request) error {
	q, _, err := auditQuery(r.URL.Query())
	if err != nil {
		return err
	}
	page, err := s.audit.List(r.Context(), principal(r), q)
	if err != nil {
		return err
	}
	out := auditPageJSON{Events: make([]auditEventJSON, 0, len(page.Entries))}
	for _, e := range page.Entries {
		out.Events = append(out.Events, auditEventJSON{ID: e.ID, At: e.At, UserID: e.UserID, Login: e.Login,
			Role: string(e.Role), Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID, Reason: e.Reason,
			RequestID: e.RequestID, Seq: e.Seq, Hash: hex.EncodeToString(e.Hash)})
	}
	if page.Older != 0 {
		out.Before = &page.Older
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiAuditVerify walks the whole chain and returns the result.
func (s *Server) apiAuditVerify(w http.ResponseWriter, r *http.Request) error {
	v, err := s.audit.VerifyFor(r.Context(), principal(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toVerificationJSON(v))
}

// toVerificationJSON is a verification as the API gives it.
func toVerificationJSON(v auditlog.Verification) verificationJSON {
	out := verificationJSON{OK: v.OK(), Checked: v.Checked, Unsealed: v.Unsealed, HeadSeq: v.HeadSeq,
		HeadHash: hex.EncodeToString(v.HeadHash), At: v.At}
	if b := v.Broken; b != nil {
		out.Broken = &brokenJSON{Seq: b.Seq, ID: b.ID, Reason: b.Reason}
	}
	return out
}
