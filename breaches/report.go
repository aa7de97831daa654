package breaches

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/ravao/ravao"
)

// NotificationReport is the notification of a breach to the authority,
// prefilled from the register with the content Decree 356/2025 asks for:
// the controller and its contact, a description of the breach, its time
// and place, the kinds of data and the estimated number of people, the
// likely consequences, the measures taken and proposed, when it was
// discovered and reported, and whether that is within 72 hours (with the
// reason when it is not). It is written in Vietnamese for the authority;
// an English version is offered for reading.
type NotificationReport struct {
	Lang       string
	Breach     ravao.Breach
	Controller Controller
	// ReportedAt is when the authority was notified, or when the report
	// was made while it has not been.
	ReportedAt time.Time
	Deadline   time.Time
	Within     bool // ReportedAt is within 72 hours of the discovery
	HoursLate  int  // whole hours after the deadline, when not Within
	Title      string
	To         string // the authority it is addressed to
	Sections   []Section
}

// Section is one item of the report: a heading and its text (which may
// hold several lines).
type Section struct {
	Heading, Body string
}

// Lines are the body's lines.
func (s Section) Lines() []string { return strings.Split(s.Body, "\n") }

// Report prefills the notification of a breach in lang ("vi" for the
// authority, "en" to read). Audited "breach.report".
func (s *Service) Report(ctx context.Context, actor *ravao.Principal, id int64, lang string) (NotificationReport, error) {
	if err := mayProtect(actor); err != nil {
		return NotificationReport{}, err
	}
	if lang != "en" {
		lang = "vi"
	}
	var b ravao.Breach
	var c Controller
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		var err error
		if b, err = s.load(tx, id); err != nil {
			return err
		}
		if c, err = controller(tx); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "breach.report", id, lang)
	})
	if err != nil {
		return NotificationReport{}, err
	}
	return s.compose(b, c, lang), nil
}

// compose words the report of b.
func (s *Service) compose(b ravao.Breach, c Controller, lang string) NotificationReport {
	t := func(key string, args ...any) string { return s.cfg.Catalogue.T(lang, key, args...) }
	r := NotificationReport{Lang: lang, Breach: b, Controller: c, ReportedAt: b.NotifiedAt, Deadline: b.Deadline(),
		Title: t("breach.report.title"), To: t("breach.report.to")}
	if r.ReportedAt.IsZero() {
		r.ReportedAt = s.now()
	}
	r.Within = !r.ReportedAt.After(r.Deadline)
	if !r.Within {
		r.HoursLate = int(r.ReportedAt.Sub(r.Deadline) / time.Hour)
	}
	none := t("breach.report.none")
	or := func(v string) string {
		if v == "" {
			return none
		}
		return v
	}
	occurred := t("breach.report.unknown")
	if !b.OccurredAt.IsZero() {
		occurred = s.when(b.OccurredAt)
	}
	kinds := make([]string, len(b.DataKinds))
	for i, k := range b.DataKinds {
		kinds[i] = t("breach.kind." + k)
	}
	timing := t("breach.report.within")
	if !r.Within {
		timing = t("breach.report.late", r.HoursLate) + "\n" + t("breach.report.late_reason") + ": " + or(b.LateReason)
	}
	r.Sections = []Section{
		{t("breach.report.controller"), or(c.Name) + "\n" + t("breach.report.contact") + ": " + or(c.Contact)},
		{t("breach.report.description"), b.Title + "\n" + b.What},
		{t("breach.report.time_place"), t("breach.report.occurred") + ": " + occurred + "\n" + t("breach.report.place") + ": " + or(b.Place)},
		{t("breach.report.data"), t("breach.report.kinds") + ": " + strings.Join(kinds, ", ") + "\n" +
			t("breach.report.people") + ": " + strconv.Itoa(b.PeopleAffected)},
		{t("breach.report.consequences"), or(b.Consequences)},
		{t("breach.report.measures"), or(b.Measures)},
		{t("breach.report.times"), t("breach.report.found") + ": " + s.when(b.FoundAt) + "\n" +
			t("breach.report.reported") + ": " + s.when(r.ReportedAt) + "\n" +
			t("breach.report.deadline") + ": " + s.when(r.Deadline) + "\n" + timing},
	}
	if b.AuthorityRef != "" {
		r.Sections = append(r.Sections, Section{t("breach.report.reference"), b.AuthorityRef})
	}
	return r
}

// when shows an instant in the deployment's zone: "14:05 09/03/2026".
func (s *Service) when(t time.Time) string { return t.In(s.cfg.TZ).Format("15:04 02/01/2006") }

// Text is the report as plain text, to paste into the authority's portal.
func (r NotificationReport) Text() string {
	var b strings.Builder
	b.WriteString(r.Title + "\n" + r.To + "\n")
	for i, sec := range r.Sections {
		b.WriteString("\n" + strconv.Itoa(i+1) + ". " + sec.Heading + "\n" + sec.Body + "\n")
	}
	return b.String()
}
