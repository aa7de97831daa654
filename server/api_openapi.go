package server

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
)

var openapiDoc = Doc{
	Summary: "This OpenAPI 3.1 document", Tags: []string{"operations"},
	Response: map[string]any{"type": "object", "description": "OpenAPI 3.1 document"},
}

// pathParam finds the {name} and {name...} wildcards of a pattern.
var pathParam = regexp.MustCompile(`\{([a-zA-Z_][a-zA-Z0-9_]*)(\.\.\.)?\}`)

// openapiServe answers GET /api/v1/openapi.json.
func (s *Server) openapiServe(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.OpenAPI())
}

// OpenAPI builds the OpenAPI 3.1 document of every API route from Routes().
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]any{}
	for _, rt := range s.list {
		if rt.Kind != KindAPI {
			continue
		}
		p := pathParam.ReplaceAllString(rt.Pattern, "{$1}")
		ops, _ := paths[p].(map[string]any)
		if ops == nil {
			ops = map[string]any{}
			paths[p] = ops
		}
		ops[strings.ToLower(rt.Method)] = operation(rt)
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title": "Ravao API", "version": s.cfg.Version,
			"description": "Entry and exit management by QR code. Staff calls authenticate with Authorization: Bearer TOKEN (or the session cookie). Errors are {\"error\": {\"code\", \"message\", \"fields\"}} with the message in the caller's language.",
		},
		"servers": []any{map[string]any{"url": strings.TrimSuffix(s.cfg.BaseURL, "/") + "/"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": map[string]any{"Error": errorSchema},
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
			},
		},
	}
}

// operation describes one API route.
func operation(rt Route) map[string]any {
	op := map[string]any{
		"summary":     rt.Doc.Summary,
		"operationId": operationID(rt),
		"tags":        rt.Doc.Tags,
		"responses":   responses(rt),
		"x-access":    string(rt.Access),
	}
	if params := parameters(rt); len(params) > 0 {
		op["parameters"] = params
	}
	if rt.Doc.Request != nil {
		op["requestBody"] = map[string]any{
			"required": true,
			"content":  map[string]any{"application/json": map[string]any{"schema": rt.Doc.Request}},
		}
	}
	if rt.Access == Public {
		op["security"] = []any{}
	} else {
		op["security"] = []any{map[string]any{"bearer": []string{}}, map[string]any{"session": []string{}}}
	}
	return op
}

// parameters are the path wildcards and the documented query parameters.
func parameters(rt Route) []any {
	var out []any
	for _, m := range pathParam.FindAllStringSubmatch(rt.Pattern, -1) {
		out = append(out, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	for _, p := range rt.Doc.Params {
		out = append(out, map[string]any{"name": p.Name, "in": "query", "required": p.Required, "description": p.Description, "schema": map[string]any{"type": "string"}})
	}
	return out
}

// responses are the success response and the error schema for the rest.
func responses(rt Route) map[string]any {
	status := rt.Doc.Status
	if status == 0 {
		status = http.StatusOK
	}
	ok := map[string]any{"description": http.StatusText(status)}
	if rt.Doc.Response != nil {
		ct := rt.Doc.Produces
		if ct == "" {
			ct = "application/json"
		}
		ok["content"] = map[string]any{ct: map[string]any{"schema": rt.Doc.Response}}
	}
	errRef := map[string]any{
		"description": "error",
		"content":     map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}},
	}
	return map[string]any{strconv.Itoa(status): ok, "default": errRef}
}

// operationID names an operation from its method and pattern.
func operationID(rt Route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	for _, part := range strings.FieldsFunc(rt.Pattern, func(r rune) bool { return r == '/' || r == '{' || r == '}' || r == '.' }) {
		if part == "api" || part == "v1" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// roleNames lists the roles for the role schema.
func roleNames() []string {
	out := make([]string, 0, len(ravao.Roles))
	for _, r := range ravao.Roles {
		out = append(out, string(r))
	}
	return out
}
