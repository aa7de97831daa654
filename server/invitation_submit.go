package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
)

// invitationSubmit makes a one-time invitation for gate staff on the
// checkpoints ticked on a place's page, and shows its link once.
func (s *Server) invitationSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	ids, err := formIDs(r.PostForm["checkpoint"], "checkpoints")
	if err == nil {
		var code string
		var inv ravao.Invitation
		code, inv, err = s.places.Invite(r.Context(), principal(r), ids)
		if err == nil {
			link := &inviteLink{
				URL:     strings.TrimRight(s.cfg.BaseURL, "/") + "/invite/" + code,
				Expires: inv.ExpiresAt.In(s.cfg.TZ).Format("15:04 02/01/2006"),
			}
			return s.renderPlace(w, r, id, http.StatusOK, &placeData{Invite: link})
		}
	}
	return s.placeFormFailed(w, r, id, err, &placeData{Failed: "invite"}, "checkpoints")
}

// formIDs reads the ids of ticked checkboxes.
func formIDs(values []string, field string) ([]int64, error) {
	ids := make([]int64, 0, len(values))
	for _, v := range values {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			fe := ravao.FieldErrors{}
			fe.Add(field, "err.id")
			return nil, fe.Err()
		}
		ids = append(ids, n)
	}
	return ids, nil
}
