package server

import (
	"net/http"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
)

var sessionCreateDoc = Doc{
	Summary: "Sign in: sets the session cookie and returns the account and its roles", Tags: []string{"session"},
	Request:  obj(props{"login": str("login name"), "password": str("password"), "totp": str("6-digit code when TOTP is on")}, "login", "password"),
	Response: principalSchema,
}

var sessionDeleteDoc = Doc{Summary: "Sign out: ends the cookie session", Tags: []string{"session"}, Status: http.StatusNoContent}

var meDoc = Doc{Summary: "The signed-in account and its roles", Tags: []string{"session"}, Response: principalSchema}

// userJSON is a staff account as the API shows it: never the password hash
// or the TOTP secret.
type userJSON struct {
	ID          int64     `json:"id"`
	Login       string    `json:"login"`
	DisplayName string    `json:"display_name"`
	Lang        string    `json:"lang,omitempty"`
	Disabled    bool      `json:"disabled"`
	CreatedAt   time.Time `json:"created_at"`
}

// roleJSON is a role assignment in the API.
type roleJSON struct {
	ID             int64        `json:"id,omitempty"`
	Role           ravao.Role   `json:"role"`
	UnitCode       string       `json:"unit_code,omitempty"`
	Sector         ravao.Sector `json:"sector,omitempty"`
	OrganisationID int64        `json:"organisation_id,omitempty"`
	CheckpointID   int64        `json:"checkpoint_id,omitempty"`
}

// principalJSON is an account with its roles.
type principalJSON struct {
	User  userJSON   `json:"user"`
	Roles []roleJSON `json:"roles"`
}

func toUserJSON(u ravao.User) userJSON {
	return userJSON{ID: u.ID, Login: u.Login, DisplayName: u.DisplayName, Lang: u.Lang, Disabled: u.Disabled, CreatedAt: u.CreatedAt}
}

func toRolesJSON(roles []ravao.RoleAssignment) []roleJSON {
	out := make([]roleJSON, 0, len(roles))
	for _, a := range roles {
		out = append(out, roleJSON{ID: a.ID, Role: a.Role, UnitCode: a.UnitCode, Sector: a.Sector, OrganisationID: a.OrganisationID, CheckpointID: a.CheckpointID})
	}
	return out
}

func (a roleJSON) assignment() ravao.RoleAssignment {
	return ravao.RoleAssignment{Role: a.Role, UnitCode: a.UnitCode, Sector: a.Sector, OrganisationID: a.OrganisationID, CheckpointID: a.CheckpointID}
}

func toPrincipalJSON(p *ravao.Principal) principalJSON {
	return principalJSON{User: toUserJSON(p.User), Roles: toRolesJSON(p.Roles)}
}

// apiSessionCreate signs in with JSON credentials and sets the cookie.
func (s *Server) apiSessionCreate(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Login    string `json:"login"`
		Password string `json:"password"`
		TOTP     string `json:"totp"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	secret, p, err := s.auth.Login(r.Context(), auth.Credentials{Login: in.Login, Password: in.Password, TOTP: in.TOTP, ClientIP: s.clientIP(r)})
	if err != nil {
		return err
	}
	s.setSession(w, secret)
	return writeJSON(w, http.StatusOK, toPrincipalJSON(p))
}

// apiSessionDelete signs the browser out. A caller using a Bearer token has
// no cookie session to end.
func (s *Server) apiSessionDelete(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.auth.Logout(r.Context(), c.Value); err != nil && !isAuthError(err) {
			return err
		}
		s.setSession(w, "")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiMe returns the caller.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, toPrincipalJSON(principal(r)))
}
