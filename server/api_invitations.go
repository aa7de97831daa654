package server

import (
	"net/http"
	"strings"

	"github.com/ravao/ravao/auth"
)

var invitationCreateDoc = Doc{
	Summary: "Invite gate staff to checkpoints of one organisation: a one-time link, shown only in this answer (its managers)",
	Tags:    placesTags,
	Request: obj(props{"checkpoint_ids": array(integer("checkpoint id"))}, "checkpoint_ids"),
	Response: obj(props{
		"code": str("the invitation code"), "url": str("link to open: BASE_URL/invite/CODE"),
		"expires_at": dateTime,
	}, "code", "url", "expires_at"),
	Status: http.StatusCreated,
}

var invitationAcceptDoc = Doc{
	Summary: "Accept an invitation: create the gate-staff account it offers and sign it in (sets the session cookie)",
	Tags:    placesTags,
	Request: obj(props{
		"login": str("3-64 characters: a-z 0-9 . _ - @"), "display_name": str("name shown to others"),
		"password": str("password"), "lang": str("vi or en"),
	}, "login", "display_name", "password"),
	Response: principalSchema, Status: http.StatusCreated,
}

// apiInvitationCreate creates an invitation for gate staff.
func (s *Server) apiInvitationCreate(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		CheckpointIDs []int64 `json:"checkpoint_ids"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	code, inv, err := s.places.Invite(r.Context(), principal(r), in.CheckpointIDs)
	if err != nil {
		return err
	}
	return writeCreated(w, map[string]any{
		"code": code, "url": strings.TrimRight(s.cfg.BaseURL, "/") + "/invite/" + code, "expires_at": inv.ExpiresAt,
	})
}

// apiInvitationAccept creates the invited account. Invalid codes use up
// the client's allowance for unknown codes, so codes cannot be tried in
// bulk.
func (s *Server) apiInvitationAccept(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Login       string `json:"login"`
		DisplayName string `json:"display_name"`
		Password    string `json:"password"`
		Lang        string `json:"lang"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Lang == "" {
		in.Lang = s.lang(r)
	}
	nu := auth.NewUser{Login: in.Login, DisplayName: in.DisplayName, Password: in.Password, Lang: in.Lang}
	secret, p, err := s.places.Accept(r.Context(), r.PathValue("code"), nu)
	if err := s.limitUnknown(r, err); err != nil {
		return err
	}
	s.setSession(w, secret)
	return writeCreated(w, toPrincipalJSON(p))
}
