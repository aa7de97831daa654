package server

import (
	"net/http"
	"strings"

	"github.com/ravao/ravao"
)

// Public is the access rule of routes anyone may call.
const Public ravao.Permission = "public"

// Kind says whether a route is a page (HTML, errors as a page, redirects to
// /login) or an API call (JSON, errors as JSON, 401 when not signed in).
type Kind string

// The route kinds.
const (
	KindPage Kind = "page"
	KindAPI  Kind = "api"
)

// handlerFunc is a handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Route is one endpoint of the server.
type Route struct {
	Method  string           // "" for any method
	Pattern string           // a ServeMux pattern without the method, e.g. /api/v1/units/{code}
	Access  ravao.Permission // Public, or the permission checked with Principal.MayEver
	Kind    Kind
	Doc     Doc // OpenAPI information; API routes only
	// MaxBody is the largest request body of this route; the server's
	// Config.MaxBody when zero. File uploads need more than JSON calls.
	MaxBody int64
	handle  handlerFunc
}

// Doc describes an API route in the OpenAPI document. Schemas are small
// JSON Schema maps.
type Doc struct {
	Summary  string
	Tags     []string
	Params   []Param        // query parameters; path parameters come from the pattern
	Request  map[string]any // request body schema, nil when there is none
	Response map[string]any // success body schema, nil for 204
	Status   int            // success status, 200 when zero
	Produces string         // success content type, application/json when empty
}

// Param is a query parameter of an API route.
type Param struct {
	Name, Description string
	Required          bool
}

// routes lists every route of the server. Adding a route is one line here
// and a handler in a file named after it.
func (s *Server) routes() []Route {
	all := []Route{
		page("GET", "/{$}", Public, s.rootRedirect),
		page("GET", "/login", Public, s.loginShow),
		page("POST", "/login", Public, s.loginSubmit),
		page("POST", "/logout", Public, s.logoutSubmit),
		page("GET", "/home", ravao.PermSignedIn, s.homeShow),
		page("GET", "/admin/users", ravao.PermAdminister, s.usersList),
		page("GET", "/lang/{lang}", Public, s.langSet),
		page("GET", "/static/{hash}/{file}", Public, s.staticServe),
		page("", "/", Public, s.notFound),

		api("GET", "/healthz", Public, s.healthz, healthzDoc),
		api("GET", "/metrics", Public, s.metricsServe, metricsDoc),
		api("GET", "/api/v1/openapi.json", Public, s.openapiServe, openapiDoc),
		api("POST", "/api/v1/session", Public, s.apiSessionCreate, sessionCreateDoc),
		api("DELETE", "/api/v1/session", ravao.PermSignedIn, s.apiSessionDelete, sessionDeleteDoc),
		api("GET", "/api/v1/me", ravao.PermSignedIn, s.apiMe, meDoc),
		api("GET", "/api/v1/users", ravao.PermAdminister, s.apiUsersList, usersListDoc),
		api("POST", "/api/v1/users", ravao.PermAdminister, s.apiUsersCreate, usersCreateDoc),
		api("POST", "/api/v1/users/{id}/disable", ravao.PermAdminister, s.apiUsersDisable, usersDisableDoc),
		api("POST", "/api/v1/users/{id}/tokens", ravao.PermAdminister, s.apiTokensCreate, tokensCreateDoc),
		api("GET", "/api/v1/units", Public, s.apiUnitsList, unitsListDoc),
		api("GET", "/api/v1/units/{code}", Public, s.apiUnitShow, unitShowDoc),
		api("POST", "/api/v1/people/lookup", ravao.PermTrace, s.apiPeopleLookup, peopleLookupDoc),
	}
	all = append(all, s.guideRoutes()...)
	all = append(all, s.placePages()...)
	all = append(all, s.placeAPI()...)
	if s.visits != nil {
		all = append(all, s.visitorPages()...)
		all = append(all, s.visitorAPI()...)
		all = append(all, s.residentRoutes()...)
		all = append(all, s.meAPI()...)
	}
	if s.gate != nil {
		all = append(all, s.gateAPI()...)
		all = append(all, s.gatePages()...)
	}
	if s.tracing != nil {
		all = append(all, s.caseRoutes()...)
		all = append(all, s.exposureRoutes()...)
	}
	if s.progress != nil {
		all = append(all, s.progressRoutes()...)
	}
	if s.audit != nil {
		all = append(all, s.auditRoutes()...)
	}
	if s.rights != nil {
		all = append(all, s.rightsRoutes()...)
	}
	if s.breaches != nil {
		all = append(all, s.breachRoutes()...)
	}
	if s.workplaces != nil {
		all = append(all, s.workplaceRoutes()...)
	}
	return all
}

func page(method, pattern string, access ravao.Permission, h handlerFunc) Route {
	return Route{Method: method, Pattern: pattern, Access: access, Kind: KindPage, handle: h}
}

func api(method, pattern string, access ravao.Permission, h handlerFunc, doc Doc) Route {
	return Route{Method: method, Pattern: pattern, Access: access, Kind: KindAPI, Doc: doc, handle: h}
}

// muxPattern is the pattern registered on the ServeMux.
func (rt Route) muxPattern() string {
	if rt.Method == "" {
		return rt.Pattern
	}
	return rt.Method + " " + rt.Pattern
}

// Label names the route in logs and metrics: its method and pattern, never
// the raw path.
func (rt Route) Label() string {
	return strings.TrimSpace(rt.Method + " " + rt.Pattern)
}
