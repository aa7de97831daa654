package server

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/ravao/ravao/workplaces"
)

// memberData is the data of the form that adds or edits one member.
type memberData struct {
	OrgName   string
	Title     string // message key
	Action    string // the form's URL
	StaffURL  string
	DeleteURL string // empty for a new member
	Cells     map[string]string
	Venues    []venueTick
	Failure   formFailure
}

// venueTick is one of the organisation's places, ticked when the member
// works there.
type venueTick struct {
	ID      int64
	Name    string
	Checked bool
}

// memberFields are the fields of the member form, named as the file's
// columns.
var memberFields = []string{workplaces.ColName, workplaces.ColPhone, workplaces.ColIDNumber, workplaces.ColStaffNumber,
	workplaces.ColDepartment, workplaces.ColBirthYear}

// memberID reads the member of the path.
func memberID(r *http.Request) (int64, error) { return pagePathNumber(r, "member") }

// staffNewShow shows the empty member form.
func (s *Server) staffNewShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	return s.renderMember(w, r, http.StatusOK, id, 0, workplaces.MemberInput{Cells: map[string]string{}}, formFailure{})
}

// staffEditShow shows a member's form, filled in.
func (s *Server) staffEditShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	mid, err := memberID(r)
	if err != nil {
		return err
	}
	_, in, err := s.workplaces.Member(r.Context(), principal(r), id, mid)
	if err != nil {
		return err
	}
	return s.renderMember(w, r, http.StatusOK, id, mid, in, formFailure{})
}

// renderMember shows the member form (mid 0: a new member).
func (s *Server) renderMember(w http.ResponseWriter, r *http.Request, status int, orgID, mid int64, in workplaces.MemberInput, fail formFailure) error {
	l, err := s.workplaces.Staff(r.Context(), principal(r), orgID)
	if err != nil {
		return err
	}
	d := &memberData{OrgName: l.Organisation.Name, Title: "workplace.member_new_title", Action: staffURL(orgID) + "/new",
		StaffURL: staffURL(orgID), Cells: in.Cells, Failure: fail}
	if mid != 0 {
		d.Title, d.Action = "workplace.member_edit_title", staffURL(orgID)+"/"+strconv.FormatInt(mid, 10)
		d.DeleteURL = d.Action + "/delete"
	}
	for _, v := range l.Venues {
		d.Venues = append(d.Venues, venueTick{ID: v.ID, Name: v.Name, Checked: slices.Contains(in.VenueIDs, v.ID)})
	}
	return s.views.render(w, status, "workplace_member.html", s.page(r, d.Title, d))
}

// readMemberForm reads the member form.
func readMemberForm(r *http.Request) (workplaces.MemberInput, error) {
	if err := r.ParseForm(); err != nil {
		return workplaces.MemberInput{}, formError(err)
	}
	in := workplaces.MemberInput{Cells: map[string]string{}}
	for _, f := range memberFields {
		in.Cells[f] = r.PostFormValue(f)
	}
	ids, err := formIDs(r.PostForm["venue"], workplaces.ColVenues)
	in.VenueIDs = ids
	return in, err
}

// staffNewSubmit adds a member and goes back to the list.
func (s *Server) staffNewSubmit(w http.ResponseWriter, r *http.Request) error {
	return s.memberSubmit(w, r, 0)
}

// staffEditSubmit saves a member and goes back to the list.
func (s *Server) staffEditSubmit(w http.ResponseWriter, r *http.Request) error {
	mid, err := memberID(r)
	if err != nil {
		return err
	}
	return s.memberSubmit(w, r, mid)
}

// memberSubmit saves the member form (mid 0: a new member); bad input
// shows the form again with its problems.
func (s *Server) memberSubmit(w http.ResponseWriter, r *http.Request, mid int64) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	in, err := readMemberForm(r)
	done := "updated"
	if err == nil {
		if mid == 0 {
			done = "added"
			_, err = s.workplaces.Add(r.Context(), principal(r), id, in)
		} else {
			err = s.workplaces.Update(r.Context(), principal(r), id, mid, in)
		}
	}
	if err != nil {
		fail, ok := s.formFailed(w, r, err, append(memberFields, workplaces.ColVenues)...)
		if !ok {
			return err
		}
		return s.renderMember(w, r, fail.Status, id, mid, in, fail)
	}
	http.Redirect(w, r, staffURL(id)+"?done="+done, http.StatusSeeOther)
	return nil
}

// staffDeleteSubmit removes a member and goes back to the list.
func (s *Server) staffDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	mid, err := memberID(r)
	if err != nil {
		return err
	}
	if err := s.workplaces.Delete(r.Context(), principal(r), id, mid); err != nil {
		return err
	}
	http.Redirect(w, r, staffURL(id)+"?done=deleted", http.StatusSeeOther)
	return nil
}
