package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auth"
)

var usersListDoc = Doc{
	Summary: "List staff accounts with their roles (administrators)", Tags: []string{"users"},
	Params: []Param{
		{Name: "role", Description: "only accounts holding this role"},
		{Name: "disabled", Description: "true or false: only disabled or only active accounts"},
		{Name: "limit", Description: "at most this many accounts (1-1000)"},
	},
	Response: obj(props{"users": array(principalSchema)}, "users"),
}

var usersCreateDoc = Doc{
	Summary: "Create a staff account with its roles (administrators)", Tags: []string{"users"},
	Request: obj(props{
		"login": str("3-64 characters: a-z 0-9 . _ - @"), "display_name": str("name shown to others"),
		"password": str("initial password"), "lang": str("vi or en"), "roles": array(roleSchema),
	}, "login", "display_name", "password"),
	Response: principalSchema, Status: http.StatusCreated,
}

var usersDisableDoc = Doc{
	Summary: "Disable a staff account: its sessions and tokens stop working (administrators)", Tags: []string{"users"},
	Status: http.StatusNoContent,
}

var tokensCreateDoc = Doc{
	Summary: "Issue an API token for an account; the token is shown only in this answer (administrators)", Tags: []string{"users"},
	Request:  obj(props{"name": str("what the token is for"), "ttl_days": integer("validity in days; 0 for no expiry")}, "name"),
	Response: obj(props{"token": str("the secret, for Authorization: Bearer"), "name": str("token name")}, "token", "name"),
	Status:   http.StatusCreated,
}

// maxTokenDays bounds the validity of an API token.
const maxTokenDays = 3650

// apiUsersList lists staff accounts.
func (s *Server) apiUsersList(w http.ResponseWriter, r *http.Request) error {
	f, err := userFilter(r)
	if err != nil {
		return err
	}
	users, err := s.auth.Users(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	out := make([]principalJSON, 0, len(users))
	for _, u := range users {
		out = append(out, principalJSON{User: toUserJSON(u.User), Roles: toRolesJSON(u.Roles)})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"users": out})
}

// userFilter reads the query of GET /api/v1/users.
func userFilter(r *http.Request) (ravao.UserFilter, error) {
	q, fe := r.URL.Query(), ravao.FieldErrors{}
	f := ravao.UserFilter{Role: ravao.Role(q.Get("role"))}
	if f.Role != "" && !f.Role.Valid() {
		fe.Add("role", "err.role")
	}
	if v := q.Get("disabled"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fe.Add("disabled", "err.invalid")
		}
		f.Disabled = &b
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			fe.Add("limit", "err.limit")
		}
		f.Limit = n
	}
	return f, fe.Err()
}

// apiUsersCreate creates an account.
func (s *Server) apiUsersCreate(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Login       string     `json:"login"`
		DisplayName string     `json:"display_name"`
		Password    string     `json:"password"`
		Lang        string     `json:"lang"`
		Roles       []roleJSON `json:"roles"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	nu := auth.NewUser{Login: in.Login, DisplayName: in.DisplayName, Password: in.Password, Lang: in.Lang}
	for _, a := range in.Roles {
		nu.Roles = append(nu.Roles, a.assignment())
	}
	u, err := s.auth.CreateUser(r.Context(), principal(r), nu)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, principalJSON{User: toUserJSON(u), Roles: toRolesJSON(nu.Roles)})
}

// apiUsersDisable disables an account.
func (s *Server) apiUsersDisable(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.auth.DisableUser(r.Context(), principal(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiTokensCreate issues an API token and shows it once.
func (s *Server) apiTokensCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Name    string `json:"name"`
		TTLDays int    `json:"ttl_days"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.TTLDays < 0 || in.TTLDays > maxTokenDays {
		return &ravao.Error{Code: ravao.Invalid, Key: "err.invalid_fields", Fields: map[string]string{"ttl_days": "err.ttl"}}
	}
	tok, err := s.auth.IssueToken(r.Context(), principal(r), id, in.Name, time.Duration(in.TTLDays)*24*time.Hour)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]string{"token": tok, "name": in.Name})
}

// pathID reads the {id} of the path.
func pathID(r *http.Request) (int64, error) { return apiPathNumber(r, "id") }

// apiPathNumber reads the {name} of an API path: anything but a positive
// number is a field error on name.
func apiPathNumber(r *http.Request, name string) (int64, error) {
	id, ok := pathNumber(r, name)
	if !ok {
		return 0, ravao.FieldError(name, "err.id")
	}
	return id, nil
}

// pathNumber reads the {name} of the path, ok when it is a positive number.
func pathNumber(r *http.Request, name string) (id int64, ok bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}
