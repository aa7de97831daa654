package server

import (
	"net/http"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
)

// contactPatchJSON changes a contact; absent fields are left alone, an
// assignee_id of 0 unassigns, a note joins the history.
type contactPatchJSON struct {
	Status     *ravao.ContactStatus `json:"status"`
	AssigneeID *int64               `json:"assignee_id"`
	Note       string               `json:"note"`
}

// contactShowJSON is a contact with its history.
type contactShowJSON struct {
	Contact tracedContactJSON `json:"contact"`
	History []eventJSON       `json:"history"`
}

// apiContactShow shows a contact and its history, notes opened.
func (s *Server) apiContactShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	cv, events, err := s.tracing.Contact(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	out := contactShowJSON{Contact: contactOut(cv), History: make([]eventJSON, 0, len(events))}
	for _, e := range events {
		ev := e.Event
		out.History = append(out.History, eventJSON{
			ID: ev.ID, At: ev.At, UserID: ev.UserID, UserName: e.UserName, Status: ev.Status, AssigneeID: ev.AssigneeID, Note: e.Note,
		})
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiContactUpdate changes a contact's status or assignee, or adds a
// note.
func (s *Server) apiContactUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in contactPatchJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	fe := ravao.FieldErrors{}
	if in.Status != nil && !in.Status.Valid() {
		fe.Add("status", "err.contact_status")
	}
	if in.AssigneeID != nil && *in.AssigneeID < 0 {
		fe.Add("assignee_id", "err.id")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	cv, err := s.tracing.UpdateContact(r.Context(), principal(r), id, tracing.ContactUpdate{Status: in.Status, AssigneeID: in.AssigneeID, Note: in.Note})
	if err != nil {
		return apiFields(err, map[string]string{"assignee": "assignee_id"})
	}
	return writeJSON(w, http.StatusOK, contactOut(cv))
}

// apiContactPromote opens a case for a contact who tested positive.
func (s *Server) apiContactPromote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, traced, err := s.tracing.Promote(r.Context(), principal(r), id, in.Reason)
	if err != nil {
		return err
	}
	return writeCreated(w, tracedOut(c, traced))
}

// exportInJSON asks for an export.
type exportInJSON struct {
	Format string `json:"format"`
	Reason string `json:"reason"`
}

// apiExportRequest makes a file of the case's contacts; above the
// deployment's size it waits for a second official.
func (s *Server) apiExportRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in exportInJSON
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	x, err := s.tracing.RequestExport(r.Context(), principal(r), id, in.Format, in.Reason)
	if err != nil {
		return err
	}
	return writeCreated(w, exportOut(x))
}

// apiExportsList lists a case's exports, newest first.
func (s *Server) apiExportsList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	list, err := s.tracing.Exports(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	out := make([]exportJSON, 0, len(list))
	for _, x := range list {
		out = append(out, exportOut(x))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"exports": out})
}

// apiExportApprove lets a pending export be downloaded.
func (s *Server) apiExportApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	x, err := s.tracing.ApproveExport(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, exportOut(x))
}

// apiExportFile answers a ready export's file.
func (s *Server) apiExportFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.writeExport(w, r, id)
}
