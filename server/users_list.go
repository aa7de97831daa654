package server

import (
	"net/http"

	"github.com/ravao/ravao"
)

// userRow is one account on the users page. Staff accounts are not visitor
// data: nothing is masked.
type userRow struct {
	Login, Name string
	Disabled    bool
	Roles       []roleView
}

// usersList shows every staff account with its roles.
func (s *Server) usersList(w http.ResponseWriter, r *http.Request) error {
	users, err := s.auth.Users(r.Context(), principal(r), ravao.UserFilter{})
	if err != nil {
		return err
	}
	lang := s.lang(r)
	rows := make([]userRow, 0, len(users))
	for _, u := range users {
		roles, err := s.describeRoles(r.Context(), lang, u.Roles)
		if err != nil {
			return err
		}
		rows = append(rows, userRow{Login: u.Login, Name: u.DisplayName, Disabled: u.Disabled, Roles: roles})
	}
	return s.views.render(w, http.StatusOK, "users.html", s.page(r, "users.title", rows))
}
