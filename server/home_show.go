package server

import (
	"context"
	"net/http"
	"slices"

	"github.com/ravao/ravao"
)

// section is one thing a role can do from the home page. Sections without
// a link are announced as coming.
type section struct {
	Label string // message key
	Href  string
}

// sections lists, per role, what exists for it. Later issues add links
// here as their pages land.
var sections = map[ravao.Role][]section{
	ravao.RoleAdmin:        {{"section.users", "/admin/users"}, {"section.places", "/places"}, {"section.api_docs", "/api/v1/openapi.json"}, {"section.units", ""}},
	ravao.RoleHealth:       {{"section.trace", ""}, {"section.monitor", ""}},
	ravao.RoleLocal:        {{"section.approve", "/places?status=pending"}, {"section.places", "/places"}, {"section.residents", "/residents"}, {"section.monitor", ""}},
	ravao.RoleSector:       {{"section.monitor", ""}},
	ravao.RoleVenueManager: {{"section.places", "/places"}, {"section.staff", "/workplaces"}},
	ravao.RoleGateStaff:    {{"section.gate", ""}},
	ravao.RoleDPO:          {{"section.audit", "/dpo/audit"}, {"section.requests", "/dpo/requests"}, {"section.breaches", "/dpo/breaches"}},
}

// homeData is the data of the staff home page. Venues are a venue
// manager's places, so the manager sees at once when one is waiting for
// approval or was suspended, and why.
type homeData struct {
	Name     string
	Roles    []roleView
	Sections []section
	Venues   []ravao.Venue
}

// homeVenues is how many of their places a manager's home page lists.
const homeVenues = 20

// homeShow greets a staff member with their roles and what they can do.
func (s *Server) homeShow(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	roles, err := s.describeRoles(r.Context(), s.lang(r), p.Roles)
	if err != nil {
		return err
	}
	d := homeData{Name: p.User.DisplayName, Roles: roles, Sections: roleSections(p.Roles)}
	if s.gate != nil {
		d.Sections = gateLinks(p.Roles, d.Sections)
	}
	if s.tracing != nil && p.MayEver(ravao.PermTrace) {
		d.Sections = traceLinks(d.Sections)
	}
	if s.progress != nil && p.MayEver(ravao.PermMonitor) {
		d.Sections = monitorLinks(d.Sections)
	}
	if d.Venues, err = s.managedVenues(r.Context(), p); err != nil {
		return err
	}
	return s.views.render(w, http.StatusOK, "home.html", s.page(r, "home.title", d))
}

// roleSections gathers the sections of every role held, without repeats.
func roleSections(roles []ravao.RoleAssignment) []section {
	var out []section
	for _, role := range ravao.Roles {
		if !slices.ContainsFunc(roles, func(a ravao.RoleAssignment) bool { return a.Role == role }) {
			continue
		}
		for _, sec := range sections[role] {
			if !slices.ContainsFunc(out, func(o section) bool { return o.Label == sec.Label }) {
				out = append(out, sec)
			}
		}
	}
	return out
}

// gateLinks points the gate section at the gate page of each checkpoint
// the staff member guards, one link each.
func gateLinks(roles []ravao.RoleAssignment, secs []section) []section {
	var links []section
	for _, a := range roles {
		if a.Role == ravao.RoleGateStaff && a.CheckpointID != 0 {
			links = append(links, section{"section.gate", gatePath(a.CheckpointID)})
		}
	}
	i := slices.IndexFunc(secs, func(sec section) bool { return sec.Label == "section.gate" && sec.Href == "" })
	if i < 0 || len(links) == 0 {
		return secs
	}
	return slices.Concat(secs[:i], links, secs[i+1:])
}

// managedVenues lists the places of the organisations p manages.
func (s *Server) managedVenues(ctx context.Context, p *ravao.Principal) ([]ravao.Venue, error) {
	var out []ravao.Venue
	for _, org := range managedOrganisations(p) {
		vs, _, err := s.places.List(ctx, p, ravao.VenueFilter{OrganisationID: org, Limit: homeVenues})
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	return out, nil
}

// traceLinks points the tracing section at the cases and adds the
// exposure windows beside it, for those who may trace.
func traceLinks(secs []section) []section {
	i := slices.IndexFunc(secs, func(sec section) bool { return sec.Label == "section.trace" })
	links := []section{{"section.trace", "/cases"}, {"section.exposures", "/exposures"}}
	if i < 0 {
		return append(links, secs...)
	}
	return slices.Concat(secs[:i], links, secs[i+1:])
}

// monitorLinks points the progress section at /stats, adding it for an
// administrator, whose role lists no such section.
func monitorLinks(secs []section) []section {
	link := section{"section.monitor", "/stats"}
	i := slices.IndexFunc(secs, func(sec section) bool { return sec.Label == link.Label })
	if i < 0 {
		return append(secs, link)
	}
	return slices.Concat(secs[:i], []section{link}, secs[i+1:])
}
