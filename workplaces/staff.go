package workplaces

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/tabular"
)

// Member is a staff member as their manager sees them: the name in full,
// the phone masked, the link to a Ravao person only as yes or no.
type Member struct {
	ID          int64
	Name        string
	Phone       string // masked
	StaffNumber string
	Department  string
	BirthYear   int
	VenueIDs    []int64
	Linked      bool
}

// MemberInput is one member as a manager types it: the cells of a file's
// line, by column name (ColName...), and the venues by ID (none: every
// venue of the organisation).
type MemberInput struct {
	Cells    map[string]string
	VenueIDs []int64
}

// List is an organisation's staff list, for its manager.
type List struct {
	Organisation ravao.Organisation
	Venues       []ravao.Venue
	Members      []Member
	Linked       int
}

// UploadResult is what an upload did. When Errors is not empty nothing
// was written.
type UploadResult struct {
	Members int
	Linked  int
	Errors  []RowError // per line, in file order
}

// Staff returns an organisation's staff list, linking first the members
// whose person has appeared since. Only the organisation's managers may
// read it; the reading is audited.
func (s *Service) Staff(ctx context.Context, actor *ravao.Principal, orgID int64) (List, error) {
	var l List
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		o, err := linkedOrganisation(tx, actor, orgID)
		if err != nil {
			return err
		}
		l.Organisation = o
		if l.Venues, err = orgVenues(tx, orgID); err != nil {
			return err
		}
		list, err := s.staff(tx, ravao.StaffFilter{OrganisationID: orgID})
		if err != nil {
			return err
		}
		for _, m := range list {
			v, err := s.member(m)
			if err != nil {
				return err
			}
			if v.Linked {
				l.Linked++
			}
			l.Members = append(l.Members, v)
		}
		return audit(ctx, tx, actor, "staff.read", orgID)
	})
	return l, err
}

// Member returns one member of the actor's organisation, with the phone
// and ID number in clear for the edit form.
func (s *Service) Member(ctx context.Context, actor *ravao.Principal, orgID, id int64) (Member, MemberInput, error) {
	var (
		out Member
		in  MemberInput
	)
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		stored, err := loadMember(tx, actor, orgID, id)
		if err != nil {
			return err
		}
		m, err := s.opened(stored)
		if err != nil {
			return err
		}
		if out, err = s.member(m); err != nil {
			return err
		}
		phone, err := s.open(m.OrganisationID, ColPhone, m.Phone)
		if err != nil {
			return err
		}
		idn, err := s.open(m.OrganisationID, ColIDNumber, m.IDNumber)
		if err != nil {
			return err
		}
		in = MemberInput{VenueIDs: m.VenueIDs, Cells: map[string]string{
			ColName: m.FullName.Reveal(), ColPhone: phone, ColIDNumber: idn, ColStaffNumber: m.StaffNumber,
			ColDepartment: m.Department, ColBirthYear: yearText(m.BirthYear),
		}}
		return nil
	})
	return out, in, err
}

// loadMember returns a member of an organisation the actor manages.
func loadMember(tx ravao.Tx, actor *ravao.Principal, orgID, id int64) (ravao.StaffMember, error) {
	if _, err := organisation(tx, actor, orgID); err != nil {
		return ravao.StaffMember{}, err
	}
	m, err := tx.StaffMember(id)
	if ravao.IsNotFound(err) || err == nil && m.OrganisationID != orgID {
		return m, errMemberNotFound()
	}
	return m, err
}

// opened is a stored member with their name in clear.
type opened struct {
	ravao.StaffMember
	FullName ravao.PII
}

// opened opens a stored member's name.
func (s *Service) opened(m ravao.StaffMember) (opened, error) {
	name, err := s.open(m.OrganisationID, ColName, m.Name)
	return opened{StaffMember: m, FullName: ravao.PII(name)}, err
}

// staff lists the members f selects with their names opened, by name as
// a Vietnamese reader expects ("Đỗ" after "Dương"), then ID. Names are
// sealed, so the store cannot order them.
func (s *Service) staff(tx ravao.Tx, f ravao.StaffFilter) ([]opened, error) {
	list, err := tx.Staff(f)
	if err != nil {
		return nil, err
	}
	out := make([]opened, len(list))
	for i, m := range list {
		if out[i], err = s.opened(m); err != nil {
			return nil, err
		}
	}
	// A collator is not safe for concurrent use, hence one per call.
	vietnamese := collate.New(language.Vietnamese)
	slices.SortFunc(out, func(a, b opened) int {
		return cmp.Or(vietnamese.CompareString(a.FullName.Reveal(), b.FullName.Reveal()), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// member is what the manager sees of a member.
func (s *Service) member(m opened) (Member, error) {
	phone, err := s.open(m.OrganisationID, ColPhone, m.Phone)
	if err != nil {
		return Member{}, err
	}
	return Member{ID: m.ID, Name: m.FullName.Reveal(), Phone: ravao.MaskPhone(ravao.PII(phone)), StaffNumber: m.StaffNumber,
		Department: m.Department, BirthYear: m.BirthYear, VenueIDs: m.VenueIDs, Linked: m.Linked()}, nil
}

// open opens a sealed name, phone or ID number of an organisation's
// member; "" when there is none.
func (s *Service) open(orgID int64, field string, sealed []byte) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	b, err := s.vault.Open(sealed, ravao.StaffAAD(orgID, field))
	return string(b), err
}

// yearText writes a birth year for a form, "" when none.
func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return itoa(y)
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		if n /= 10; n == 0 {
			return string(b[i:])
		}
	}
}

// orgVenues lists an organisation's venues, by ID.
func orgVenues(tx ravao.Tx, orgID int64) ([]ravao.Venue, error) {
	return tx.Venues(ravao.VenueFilter{OrganisationID: orgID})
}

// Upload reads a staff file (CSV or XLSX by fileName's extension) and,
// when every line is valid, replaces the organisation's list with it in
// one transaction. Members keep the person they were linked to when the
// new line has the same phone or ID number; the others are linked by key.
// When any line is bad the result lists every bad line and nothing is
// written.
func (s *Service) Upload(ctx context.Context, actor *ravao.Principal, orgID int64, fileName string, r io.Reader) (UploadResult, error) {
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		_, err := organisation(tx, actor, orgID)
		return err
	})
	if err != nil {
		return UploadResult{}, err
	}
	file, err := parseFile(fileName, r, s.cfg.Clock.Now().In(s.cfg.TZ).Year())
	if err != nil {
		return UploadResult{}, err
	}
	var res UploadResult
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		if _, err := organisation(tx, actor, orgID); err != nil {
			return err
		}
		var err error
		res, err = s.replace(ctx, tx, actor, orgID, file)
		return err
	})
	if err != nil {
		return UploadResult{}, err
	}
	return res, nil
}

// replace writes the parsed file as the organisation's list when it has
// no bad line.
func (s *Service) replace(ctx context.Context, tx ravao.Tx, actor *ravao.Principal, orgID int64, file parsed) (UploadResult, error) {
	venues, err := orgVenues(tx, orgID)
	if err != nil {
		return UploadResult{}, err
	}
	x := newVenueIndex(venues)
	bad := map[int]map[string]string{}
	for _, re := range file.errors {
		bad[re.Line] = re.Fields
	}
	members := make([]*ravao.StaffMember, 0, len(file.rows))
	for _, row := range file.rows {
		fe := ravao.FieldErrors{}
		ids := x.resolve(row.Venues, fe)
		if len(fe) > 0 {
			bad[row.Line] = fe
			continue
		}
		members = append(members, s.newMember(orgID, row, ids))
	}
	if len(bad) > 0 {
		return UploadResult{Errors: tabular.RowErrors(bad)}, nil
	}
	if len(members) == 0 {
		return UploadResult{}, ravao.FieldError("file", "err.staff_empty")
	}
	if err := keepLinks(tx, orgID, members); err != nil {
		return UploadResult{}, err
	}
	if err := tx.ReplaceStaff(orgID, members); err != nil {
		return UploadResult{}, err
	}
	if _, err := tx.LinkStaff(orgID); err != nil {
		return UploadResult{}, err
	}
	res := UploadResult{Members: len(members)}
	list, err := tx.Staff(ravao.StaffFilter{OrganisationID: orgID})
	if err != nil {
		return UploadResult{}, err
	}
	for _, m := range list {
		if m.Linked() {
			res.Linked++
		}
	}
	return res, audit(ctx, tx, actor, "staff.upload", orgID)
}

// newMember seals a row into a member of the organisation.
func (s *Service) newMember(orgID int64, row Row, venues []int64) *ravao.StaffMember {
	slices.Sort(venues)
	m := &ravao.StaffMember{OrganisationID: orgID, StaffNumber: row.StaffNumber,
		Department: row.Department, BirthYear: row.BirthYear, VenueIDs: venues}
	m.Name = s.vault.Seal([]byte(row.Name.Reveal()), ravao.StaffAAD(orgID, ColName))
	phone := row.Phone.Reveal()
	m.Phone = s.vault.Seal([]byte(phone), ravao.StaffAAD(orgID, ColPhone))
	m.PhoneKey = s.vault.Lookup("phone", phone)
	if !row.IDNumber.Empty() {
		idn := row.IDNumber.Reveal()
		m.IDNumber = s.vault.Seal([]byte(idn), ravao.StaffAAD(orgID, ColIDNumber))
		m.IDNumberKey = s.vault.Lookup("cccd", idn)
	}
	return m
}

// keepLinks gives the new members the person the old list linked to the
// same phone, or else the same ID number.
func keepLinks(tx ravao.Tx, orgID int64, members []*ravao.StaffMember) error {
	old, err := tx.Staff(ravao.StaffFilter{OrganisationID: orgID})
	if err != nil {
		return err
	}
	byPhone, byID := map[string]int64{}, map[string]int64{}
	for _, o := range old {
		if o.PersonID == 0 {
			continue
		}
		byPhone[string(o.PhoneKey)] = o.PersonID
		if len(o.IDNumberKey) > 0 {
			byID[string(o.IDNumberKey)] = o.PersonID
		}
	}
	for _, m := range members {
		if p, ok := byPhone[string(m.PhoneKey)]; ok {
			m.PersonID = p
		} else if p, ok := byID[string(m.IDNumberKey)]; ok && len(m.IDNumberKey) > 0 {
			m.PersonID = p
		}
	}
	return nil
}

// Add adds one typed member to the organisation's list and links them.
func (s *Service) Add(ctx context.Context, actor *ravao.Principal, orgID int64, in MemberInput) (int64, error) {
	var id int64
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		if _, err := organisation(tx, actor, orgID); err != nil {
			return err
		}
		m, err := s.typed(tx, orgID, 0, in)
		if err != nil {
			return err
		}
		if err := tx.CreateStaffMember(m); err != nil {
			return conflictField(err)
		}
		id = m.ID
		if _, err := tx.LinkStaff(orgID); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "staff.add", orgID)
	})
	return id, err
}

// Update changes a member of the organisation's list; a new phone or ID
// number drops the old link and links again by key.
func (s *Service) Update(ctx context.Context, actor *ravao.Principal, orgID, id int64, in MemberInput) error {
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		old, err := loadMember(tx, actor, orgID, id)
		if err != nil {
			return err
		}
		m, err := s.typed(tx, orgID, id, in)
		if err != nil {
			return err
		}
		m.ID, m.CreatedAt, m.PersonID = id, old.CreatedAt, old.PersonID
		if !bytes.Equal(m.PhoneKey, old.PhoneKey) || !bytes.Equal(m.IDNumberKey, old.IDNumberKey) {
			m.PersonID = 0
		}
		if err := tx.UpdateStaffMember(m); err != nil {
			return conflictField(err)
		}
		if _, err := tx.LinkStaff(orgID); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "staff.update", orgID)
	})
}

// Delete removes a member from the organisation's list.
func (s *Service) Delete(ctx context.Context, actor *ravao.Principal, orgID, id int64) error {
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		if _, err := loadMember(tx, actor, orgID, id); err != nil {
			return err
		}
		if err := tx.DeleteStaffMember(id); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "staff.delete", orgID)
	})
}

// typed validates a typed member (self is the member being edited, 0 for
// a new one), its venues and its keys against the rest of the list.
func (s *Service) typed(tx ravao.Tx, orgID, self int64, in MemberInput) (*ravao.StaffMember, error) {
	fe := ravao.FieldErrors{}
	row := checkRow(in.Cells, s.cfg.Clock.Now().In(s.cfg.TZ).Year(), fe)
	venues, err := orgVenues(tx, orgID)
	if err != nil {
		return nil, err
	}
	x := newVenueIndex(venues)
	var ids []int64
	for _, v := range in.VenueIDs {
		if !x.ids[v] {
			fe.Add(ColVenues, "err.staff_venue_unknown")
			break
		}
		if !containsID(ids, v) {
			ids = append(ids, v)
		}
	}
	if len(in.VenueIDs) == 0 {
		ids = x.all
	}
	if len(fe) > 0 {
		return nil, fe.Err()
	}
	m := s.newMember(orgID, row, append([]int64(nil), ids...))
	others, err := tx.Staff(ravao.StaffFilter{OrganisationID: orgID})
	if err != nil {
		return nil, err
	}
	for _, o := range others {
		if o.ID == self {
			continue
		}
		if bytes.Equal(o.PhoneKey, m.PhoneKey) {
			fe.Add(ColPhone, "err.staff_duplicate")
		}
		if len(m.IDNumberKey) > 0 && bytes.Equal(o.IDNumberKey, m.IDNumberKey) {
			fe.Add(ColIDNumber, "err.staff_duplicate")
		}
		if m.StaffNumber != "" && equalFoldASCII(o.StaffNumber, m.StaffNumber) {
			fe.Add(ColStaffNumber, "err.staff_duplicate")
		}
	}
	return m, fe.Err()
}

// conflictField turns the store's unique violation into a field error.
func conflictField(err error) error {
	if ravao.ErrorCode(err) == ravao.Conflict {
		return ravao.FieldError(ColPhone, "err.staff_duplicate")
	}
	return err
}

func equalFoldASCII(a, b string) bool {
	return bytes.EqualFold([]byte(a), []byte(b))
}
