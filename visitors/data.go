package visitors

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/questions"
)

// Data is everything Ravao holds about a device's person: what the
// visitor's data page shows and downloads. It is theirs, in clear.
type Data struct {
	Person       PersonData        `json:"person"`
	Dependants   []PersonData      `json:"dependants"`
	Declarations []DeclarationData `json:"declarations"`
	Visits       []NamedVisit      `json:"visits"`
}

// PersonData is a person as they declared themselves.
type PersonData struct {
	ID             int64     `json:"id"`
	FullName       string    `json:"full_name"`
	Phone          string    `json:"phone,omitempty"`
	IDNumber       string    `json:"id_number,omitempty"`
	Address        string    `json:"address,omitempty"`
	BirthYear      int       `json:"birth_year"`
	Sex            string    `json:"sex,omitempty"`
	UnitCode       string    `json:"unit_code"`
	Place          string    `json:"place"` // the unit's name with its province's
	ConsentVersion string    `json:"consent_version"`
	ConsentChannel string    `json:"consent_channel"`
	ConsentBasis   string    `json:"consent_basis"` // consent, public_interest or legal_obligation
	ConsentAt      time.Time `json:"consent_at"`
	CardSerial     uint32    `json:"card_serial"`
	CreatedAt      time.Time `json:"created_at"`
}

// DeclarationData is one health declaration with its answers.
type DeclarationData struct {
	At               time.Time         `json:"at"`
	Risk             bool              `json:"risk"`
	QuestionsVersion string            `json:"questions_version"`
	Answers          questions.Answers `json:"answers"`
	ByStaff          bool              `json:"by_staff"` // declared on the person's behalf
}

// NamedVisit is a visit with its place's names.
type NamedVisit struct {
	ID         int64     `json:"id"`
	PersonID   int64     `json:"person_id"`
	VenueID    int64     `json:"venue_id"`
	Venue      string    `json:"venue"`
	Checkpoint string    `json:"checkpoint"`
	In         time.Time `json:"in"`
	Out        time.Time `json:"out,omitzero"`
	OutReason  string    `json:"out_reason,omitempty"`
	Decision   string    `json:"decision"`
	Source     string    `json:"source"`
}

// MyData gathers everything held about the device's person and their
// dependants. Reading it is audited.
func (s *Service) MyData(ctx context.Context, token string) (Data, error) {
	var out Data
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		p, deps, err := s.household(tx, token)
		if err != nil {
			return err
		}
		if out.Person, err = s.personData(tx, p); err != nil {
			return err
		}
		out.Dependants = make([]PersonData, 0, len(deps))
		for _, d := range deps {
			pd, err := s.personData(tx, d)
			if err != nil {
				return err
			}
			out.Dependants = append(out.Dependants, pd)
		}
		if out.Declarations, err = s.declarationData(tx, p.ID); err != nil {
			return err
		}
		visits, err := personVisits(tx, append([]ravao.PersonRecord{p}, deps...), time.Time{})
		if err != nil {
			return err
		}
		if out.Visits, err = nameVisits(tx, visits); err != nil {
			return err
		}
		return tx.AppendAudit(&ravao.AuditEvent{Action: "person.data_view", ObjectType: "person",
			ObjectID: strconv.FormatInt(p.ID, 10), RequestID: ravao.RequestID(ctx)})
	})
	return out, err
}

// personData opens a sealed person.
func (s *Service) personData(tx ravao.Tx, r ravao.PersonRecord) (PersonData, error) {
	p, err := s.vault.OpenPerson(r)
	if err != nil {
		return PersonData{}, err
	}
	return PersonData{
		ID: r.ID, FullName: p.FullName.Reveal(), Phone: p.Phone.Reveal(), IDNumber: p.IDNumber.Reveal(),
		Address: p.Address.Reveal(), BirthYear: r.BirthYear, Sex: string(r.Sex), UnitCode: r.UnitCode, Place: unitPlace(tx, r.UnitCode), ConsentVersion: r.ConsentVersion,
		ConsentChannel: string(r.ConsentChannel), ConsentBasis: string(r.ConsentBasis), ConsentAt: r.ConsentAt, CardSerial: r.CardSerial, CreatedAt: r.CreatedAt,
	}, nil
}

// declarationData opens a person's declarations, newest first.
func (s *Service) declarationData(tx ravao.Tx, personID int64) ([]DeclarationData, error) {
	ds, err := tx.Declarations(personID)
	if err != nil {
		return nil, err
	}
	out := make([]DeclarationData, 0, len(ds))
	for _, d := range slices.Backward(ds) {
		plain, err := s.vault.Open(d.Sealed, "declaration/"+strconv.FormatInt(personID, 10))
		if err != nil {
			return nil, err
		}
		var body struct {
			Version string            `json:"v"`
			Answers questions.Answers `json:"a"`
		}
		if err := json.Unmarshal(plain, &body); err != nil {
			return nil, err
		}
		out = append(out, DeclarationData{At: d.CreatedAt, Risk: d.Risk, QuestionsVersion: body.Version,
			Answers: body.Answers, ByStaff: d.ProxyUserID != 0})
	}
	return out, nil
}

// personVisits lists the visits of people from from on, newest first.
func personVisits(tx ravao.Tx, people []ravao.PersonRecord, from time.Time) ([]ravao.Visit, error) {
	var out []ravao.Visit
	for _, p := range people {
		vs, err := tx.PersonVisits(p.ID, from, time.Time{})
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	slices.SortStableFunc(out, func(a, b ravao.Visit) int { return b.InAt.Compare(a.InAt) })
	return out, nil
}

// Name adds the names of their places to visits.
func (s *Service) Name(ctx context.Context, visits []ravao.Visit) ([]NamedVisit, error) {
	var out []NamedVisit
	err := s.store.View(ctx, func(tx ravao.Tx) (err error) {
		out, err = nameVisits(tx, visits)
		return err
	})
	return out, err
}

// nameVisits adds the names of their places to visits, reading each venue
// and checkpoint once.
func nameVisits(tx ravao.Tx, visits []ravao.Visit) ([]NamedVisit, error) {
	venues, checkpoints := map[int64]string{}, map[int64]string{}
	out := make([]NamedVisit, 0, len(visits))
	for _, v := range visits {
		if _, ok := venues[v.VenueID]; !ok {
			venue, err := tx.Venue(v.VenueID)
			if err != nil {
				return nil, err
			}
			venues[v.VenueID] = venue.Name
		}
		if _, ok := checkpoints[v.CheckpointID]; !ok {
			cp, err := tx.Checkpoint(v.CheckpointID)
			if err != nil {
				return nil, err
			}
			checkpoints[v.CheckpointID] = cp.Name
		}
		out = append(out, NamedVisit{ID: v.ID, PersonID: v.PersonID, VenueID: v.VenueID, Venue: venues[v.VenueID],
			Checkpoint: checkpoints[v.CheckpointID], In: v.InAt, Out: v.OutAt, OutReason: v.OutReason,
			Decision: string(v.Decision), Source: string(v.Source)})
	}
	return out, nil
}

// Erase withdraws the person's consent and deletes everything held about
// them and their dependants: profile, declarations, visits, and every
// device that remembers them. While the person or a dependant is a case or
// a contact on an open case, the data serve the tracing that the law
// allows without consent, and the erasure is refused with Conflict
// "err.erase_open_case": it becomes possible when the case closes. The
// audit log keeps that an erasure happened, with the opaque id only.
func (s *Service) Erase(ctx context.Context, token string) error {
	return s.store.Update(ctx, func(tx ravao.Tx) error {
		p, deps, err := s.household(tx, token)
		if err != nil {
			return err
		}
		for _, r := range append([]ravao.PersonRecord{p}, deps...) {
			tr, err := tx.PersonTracing(r.ID)
			if err != nil {
				return err
			}
			if tr.OpenCase || tr.OpenContact {
				return ravao.Errorf(ravao.Conflict, "err.erase_open_case")
			}
		}
		if _, err := tx.ErasePerson(p.ID); err != nil {
			return err
		}
		return tx.AppendAudit(&ravao.AuditEvent{Action: "person.erase", ObjectType: "person",
			ObjectID: strconv.FormatInt(p.ID, 10), RequestID: ravao.RequestID(ctx)})
	})
}
