package places

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ravao/ravao"
)

// VenueInput is a venue as a form or the API gives it. Empty Sector means
// the type's usual sector; zero DefaultStayMinutes the type's default stay.
type VenueInput struct {
	Name               string `json:"name"`
	Type               string `json:"type"`
	Sector             string `json:"sector"`
	UnitCode           string `json:"unit_code"`
	Address            string `json:"address"`
	Zone               string `json:"zone"`
	OpeningHours       string `json:"opening_hours"`
	Capacity           int    `json:"capacity"`
	DefaultStayMinutes int    `json:"default_stay_minutes"`
	ContactName        string `json:"contact_name"`
	ContactPhone       string `json:"contact_phone"`
}

// CheckpointInput is a checkpoint as a form or the API gives it. Empty Kind
// is a gate, or the vehicle itself for a venue of type vehicle.
type CheckpointInput struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Plate string `json:"plate"`
	Route string `json:"route"`
}

// MaxCheckpoints is the most checkpoints one registration may create.
const MaxCheckpoints = 50

// Contact is a venue's contact person, sealed in Venue.Contact.
type Contact struct {
	Name  ravao.PII
	Phone ravao.PII // national form 0xxxxxxxxx
}

type sealedContact struct {
	Name  string `json:"n"`
	Phone string `json:"p"`
}

func contactAAD(venueID int64) string { return "venue/" + strconv.FormatInt(venueID, 10) + "/contact" }

// sealContact seals c bound to the venue's ID.
func (s *Service) sealContact(venueID int64, c Contact) []byte {
	b, _ := json.Marshal(sealedContact{Name: c.Name.Reveal(), Phone: c.Phone.Reveal()})
	return s.vault.Seal(b, contactAAD(venueID))
}

// setContact seals c into v (whose ID is set) and keys its phone, so that
// rosters of places that must register find the venue by phone without
// opening every contact; a contact without a phone has no key.
func (s *Service) setContact(v *ravao.Venue, c Contact) {
	v.Contact, v.ContactKey = s.sealContact(v.ID, c), s.contactKey(c)
}

// contactKey is the keyed lookup of c's phone in its national form, as
// rosters key theirs; nil when it has none.
func (s *Service) contactKey(c Contact) []byte {
	p, err := ravao.NormalizePhone(c.Phone.Reveal())
	if c.Phone.Empty() || err != nil {
		return nil
	}
	return s.vault.Lookup("phone", p)
}

// OpenContact returns a venue's contact person; zero when none was given.
func (s *Service) OpenContact(v ravao.Venue) (Contact, error) {
	if len(v.Contact) == 0 {
		return Contact{}, nil
	}
	b, err := s.vault.Open(v.Contact, contactAAD(v.ID))
	if err != nil {
		return Contact{}, err
	}
	var c sealedContact
	if err := json.Unmarshal(b, &c); err != nil {
		return Contact{}, err
	}
	return Contact{Name: ravao.PII(c.Name), Phone: ravao.PII(c.Phone)}, nil
}

// venue checks in and returns the venue it describes (without ID, unit path
// or status) and its contact, with every problem as a field error.
func venue(in VenueInput, fe ravao.FieldErrors) (ravao.Venue, Contact) {
	v := ravao.Venue{
		OrganisationID: 1, // checked by the caller; Validate wants a value
		Type:           ravao.VenueType(strings.TrimSpace(in.Type)),
		Sector:         ravao.Sector(strings.TrimSpace(in.Sector)),
		UnitCode:       strings.TrimSpace(in.UnitCode),
		Address:        oneLine(in.Address),
		Zone:           oneLine(in.Zone),
		OpeningHours:   oneLine(in.OpeningHours),
		Capacity:       in.Capacity,
		Status:         ravao.VenuePending,
	}
	name, err := ravao.NormalizeName(in.Name)
	if err != nil {
		fe.Add("name", "err.place_name")
	}
	v.Name = name
	if v.Sector == "" && v.Type.Valid() {
		v.Sector = ravao.SectorFor(v.Type)
	}
	v.DefaultStay = ravao.DefaultStayFor(v.Type)
	if in.DefaultStayMinutes != 0 {
		v.DefaultStay = time.Duration(in.DefaultStayMinutes) * time.Minute
	}
	if err := v.Validate(); err != nil {
		fe.Merge(err)
	}
	var c Contact
	if strings.TrimSpace(in.ContactName) != "" {
		n, err := ravao.NormalizeName(in.ContactName)
		if err != nil {
			fe.Add("contact_name", "err.name_empty")
		}
		c.Name = ravao.PII(n)
	}
	if strings.TrimSpace(in.ContactPhone) == "" {
		fe.Add("contact_phone", "err.required")
	} else if p, err := ravao.NormalizePhone(in.ContactPhone); err != nil {
		fe.Add("contact_phone", "err.phone")
	} else {
		c.Phone = ravao.PII(p)
	}
	return v, c
}

// checkpoint checks one checkpoint input for a venue of type t.
func checkpoint(in CheckpointInput, t ravao.VenueType, field string, fe ravao.FieldErrors) ravao.Checkpoint {
	c := ravao.Checkpoint{
		VenueID: 1, Kind: ravao.CheckpointKind(strings.TrimSpace(in.Kind)),
		Plate: plate(in.Plate), Route: oneLine(in.Route),
	}
	if c.Kind == "" {
		c.Kind = ravao.CheckpointGate
		if t == ravao.VenueVehicle {
			c.Kind = ravao.CheckpointVehicle
		}
	}
	name, err := ravao.NormalizeName(in.Name)
	if err != nil && c.Plate != "" {
		name, err = c.Plate, nil
	}
	c.Name = name
	if err != nil {
		fe.Add(field, "err.place_name")
	} else if err := c.Validate(); err != nil {
		fe.Add(field, firstKey(err))
	}
	return c
}

// plate normalises a number plate: upper case, single spaces.
func plate(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), " ")) }

// oneLine trims s and folds its whitespace runs (newlines included) to one
// space, so free text cannot break a poster or an export line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// firstKey is the message key of the first field error of err, by field
// name, so that the same input always shows the same message.
func firstKey(err error) string {
	if e, ok := err.(*ravao.Error); ok {
		if len(e.Fields) > 0 {
			return e.Fields[slices.Min(slices.Collect(maps.Keys(e.Fields)))]
		}
		return e.Key
	}
	return "err.invalid"
}

// VenueView is a venue with what its pages show.
type VenueView struct {
	ravao.Venue
	Organisation ravao.Organisation
	Place        string  // address with unit names, as posters print it
	Contact      Contact // only for those who manage or approve the venue
	Checkpoints  []CheckpointView
}

// CheckpointView is a checkpoint with its current code and URL ("" when
// revoked).
type CheckpointView struct {
	ravao.Checkpoint
	Code, URL string
}

// Venue returns a venue the actor may see, with its checkpoints and codes,
// and its contact person for those who manage or approve it. An official
// who approves but does not manage the place reads another organisation's
// contact: that read is audited ("venue.contact_read").
func (s *Service) Venue(ctx context.Context, actor *ravao.Principal, id int64) (VenueView, error) {
	var out VenueView
	var audited bool
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		v, err := loadVenue(tx, actor, ravao.PermViewPlaces, id)
		if err != nil {
			return err
		}
		if out, err = s.view(tx, v); err != nil {
			return err
		}
		manages := actor.Can(ravao.PermManagePlaces, v.Target())
		if !manages && !actor.Can(ravao.PermApprovePlaces, v.Target()) {
			return nil
		}
		audited = !manages && len(v.Contact) > 0
		out.Contact, err = s.OpenContact(v)
		return err
	})
	if err != nil || !audited {
		return out, err
	}
	// Only this read writes: the contact is shown once its audit event is
	// stored.
	err = s.store.Update(ctx, func(tx ravao.Tx) error {
		return tx.AppendAudit(audit(ctx, actor, "venue.contact_read", "venue", out.ID, ""))
	})
	if err != nil {
		return VenueView{}, err
	}
	return out, nil
}

// view fills in a venue's organisation, place line and checkpoints.
func (s *Service) view(tx ravao.Tx, v ravao.Venue) (VenueView, error) {
	out := VenueView{Venue: v}
	var err error
	if out.Organisation, err = tx.Organisation(v.OrganisationID); err != nil {
		return out, err
	}
	if out.Place, err = placeLine(tx, v); err != nil {
		return out, err
	}
	cps, err := tx.Checkpoints(ravao.CheckpointFilter{VenueID: v.ID})
	if err != nil {
		return out, err
	}
	for _, c := range cps {
		out.Checkpoints = append(out.Checkpoints, s.checkpointView(c))
	}
	return out, nil
}

func (s *Service) checkpointView(c ravao.Checkpoint) CheckpointView {
	cv := CheckpointView{Checkpoint: c}
	if !c.Revoked {
		cv.Code = s.signer.Issue(c.ID, c.Serial)
		cv.URL = s.URL(cv.Code)
	}
	return cv
}

// URL is what a checkpoint's QR code encodes.
func (s *Service) URL(code string) string {
	return strings.TrimRight(s.cfg.BaseURL, "/") + "/q/" + code
}

// placeLine is the venue's address followed by its unit and the units
// above it, smallest first, in Vietnamese: what posters and the landing
// page print so a visitor recognises the place.
func placeLine(tx ravao.Tx, v ravao.Venue) (string, error) {
	return newPlaceLines(tx).line(v)
}

// placeLines makes place lines for many venues, reading each unit's names
// once: a batch of posters mostly shares a few communes.
type placeLines struct {
	tx      ravao.Tx
	version string
	units   map[string]string // unit code → its names, smallest first
}

func newPlaceLines(tx ravao.Tx) *placeLines {
	return &placeLines{tx: tx, version: ravao.ActiveUnitVersion(tx), units: map[string]string{}}
}

// unitNames keeps the units' names of place lines between requests: every
// check-in shows its place, and the unit tree changes only on an import.
// The names are read again after unitNamesFor, so that an import shows
// within that time on every server.
type unitNames struct {
	mu    sync.Mutex
	at    time.Time
	names map[string]string // unit code → its names, smallest first
}

const unitNamesFor = time.Minute

// line is placeLine with the unit names kept.
func (c *unitNames) line(tx ravao.Tx, v ravao.Venue) (string, error) {
	now := time.Now()
	c.mu.Lock()
	if now.Sub(c.at) > unitNamesFor || c.names == nil {
		c.at, c.names = now, map[string]string{}
	}
	names, ok := c.names[v.UnitCode]
	c.mu.Unlock()
	if ok {
		return joinPlace(v.Address, names), nil
	}
	p := newPlaceLines(tx)
	line, err := p.line(v)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.names[v.UnitCode] = p.units[v.UnitCode]
	c.mu.Unlock()
	return line, nil
}

func (p *placeLines) line(v ravao.Venue) (string, error) {
	names, ok := p.units[v.UnitCode]
	if !ok {
		anc, err := p.tx.UnitAncestors(p.version, v.UnitCode)
		if err != nil && !ravao.IsNotFound(err) {
			return "", err
		}
		var parts []string
		if u, err := p.tx.Unit(p.version, v.UnitCode); err == nil {
			parts = append(parts, unitLabel(u))
		}
		for i := len(anc) - 1; i >= 0; i-- {
			parts = append(parts, unitLabel(anc[i]))
		}
		names = strings.Join(parts, ", ")
		p.units[v.UnitCode] = names
	}
	return joinPlace(v.Address, names), nil
}

// joinPlace is a venue's address followed by its units' names.
func joinPlace(address, names string) string {
	switch {
	case address == "":
		return names
	case names == "":
		return address
	}
	return address + ", " + names
}

func unitLabel(u ravao.Unit) string {
	if u.FullName != "" {
		return u.FullName
	}
	return u.Name
}

// List returns the venues matching f that the actor may see, narrowed to
// the actor's scope, and how many match in all. A filter reaching outside
// every scope of the actor is Forbidden.
func (s *Service) List(ctx context.Context, actor *ravao.Principal, f ravao.VenueFilter) ([]ravao.Venue, int, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	var out []ravao.Venue
	var total int
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		nf, err := narrow(tx, actor, f)
		if err != nil {
			return err
		}
		if out, err = tx.Venues(nf); err != nil {
			return err
		}
		total, err = tx.CountVenues(nf)
		return err
	})
	return out, total, err
}

// narrow restricts f to the first scope of actor that can hold it. Each
// role is tried on f as given: a role that does not fit must not leave its
// sector or unit on the filter the next role sees.
func narrow(tx ravao.Tx, actor *ravao.Principal, f ravao.VenueFilter) (ravao.VenueFilter, error) {
	if actor == nil {
		return f, errForbidden()
	}
	for _, a := range actor.Roles {
		if !a.Role.Grants(ravao.PermViewPlaces) {
			continue
		}
		nf, ok, err := narrowTo(tx, a, f)
		if err != nil || ok {
			return nf, err
		}
	}
	return f, errForbidden()
}

// narrowTo restricts f to the scope of one role, or reports that f
// reaches outside it. A role whose unit left the active tree has no scope.
func narrowTo(tx ravao.Tx, a ravao.RoleAssignment, f ravao.VenueFilter) (ravao.VenueFilter, bool, error) {
	switch a.Role {
	case ravao.RoleAdmin:
		return f, true, nil
	case ravao.RoleVenueManager:
		if f.OrganisationID != 0 && f.OrganisationID != a.OrganisationID {
			return f, false, nil
		}
		f.OrganisationID = a.OrganisationID
		return f, true, nil
	case ravao.RoleSector:
		if f.Sector != "" && f.Sector != a.Sector {
			return f, false, nil
		}
		f.Sector = a.Sector
	}
	own, err := ravao.UnitPathFor(tx, a.UnitCode)
	switch {
	case ravao.ErrorCode(err) == ravao.Invalid:
		return f, false, nil
	case err != nil:
		return f, false, err
	case f.UnitPath == "" || strings.HasPrefix(own, f.UnitPath):
		f.UnitPath = own
		return f, true, nil
	}
	return f, strings.HasPrefix(f.UnitPath, own), nil
}

// Update changes a venue's details; its manager (or an administrator) may.
// A change of unit moves the venue to that unit's officials, and an
// approved venue goes back to pending for them.
func (s *Service) Update(ctx context.Context, actor *ravao.Principal, id int64, in VenueInput) (ravao.Venue, error) {
	fe := ravao.FieldErrors{}
	nv, contact := venue(in, fe)
	if err := fe.Err(); err != nil {
		return ravao.Venue{}, err
	}
	var out ravao.Venue
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		v, err := loadVenue(tx, actor, ravao.PermManagePlaces, id)
		if err != nil {
			return err
		}
		path, err := ravao.UnitPathFor(tx, nv.UnitCode)
		if err != nil {
			return err
		}
		moved := path != v.UnitPath
		v.Name, v.Type, v.Sector, v.UnitCode, v.UnitPath = nv.Name, nv.Type, nv.Sector, nv.UnitCode, path
		v.Address, v.Zone, v.OpeningHours, v.Capacity, v.DefaultStay = nv.Address, nv.Zone, nv.OpeningHours, nv.Capacity, nv.DefaultStay
		s.setContact(&v, contact)
		if !actor.Can(ravao.PermManagePlaces, v.Target()) {
			return ravao.FieldError("unit", "err.unit_out_of_scope")
		}
		// A place that moves to another unit is approved again by that
		// unit's officials, unless the actor is one of them.
		if moved && v.Status == ravao.VenueApproved && !s.cfg.AutoApprove && !actor.Can(ravao.PermApprovePlaces, v.Target()) {
			v.Status = ravao.VenuePending
		}
		if err := tx.UpdateVenue(&v); err != nil {
			return err
		}
		out = v
		return tx.AppendAudit(audit(ctx, actor, "venue.update", "venue", v.ID, ""))
	})
	return out, err
}

// AddCheckpoint adds a checkpoint (a gate, a counter, a vehicle door) to a
// venue the actor manages.
func (s *Service) AddCheckpoint(ctx context.Context, actor *ravao.Principal, venueID int64, in CheckpointInput) (CheckpointView, error) {
	var out CheckpointView
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		v, err := loadVenue(tx, actor, ravao.PermManagePlaces, venueID)
		if err != nil {
			return err
		}
		fe := ravao.FieldErrors{}
		c := checkpoint(in, v.Type, "name", fe)
		if err := fe.Err(); err != nil {
			return err
		}
		existing, err := tx.Checkpoints(ravao.CheckpointFilter{VenueID: v.ID})
		if err != nil {
			return err
		}
		if len(existing) >= MaxCheckpoints*4 {
			return ravao.FieldError("name", "err.too_many_checkpoints")
		}
		c.VenueID = v.ID
		if err := tx.CreateCheckpoint(&c); err != nil {
			return err
		}
		out = s.checkpointView(c)
		return tx.AppendAudit(audit(ctx, actor, "checkpoint.create", "checkpoint", c.ID, ""))
	})
	return out, err
}
