package server

// props are the properties of an object schema.
type props = map[string]any

// obj is an object schema; required names the fields always present.
func obj(p props, required ...string) map[string]any {
	m := map[string]any{"type": "object", "properties": p, "additionalProperties": false}
	if len(required) > 0 {
		m["required"] = required
	}
	return m
}

// str is a string schema with a description.
func str(desc string) map[string]any { return map[string]any{"type": "string", "description": desc} }

// integer is an integer schema with a description.
func integer(desc string) map[string]any {
	return map[string]any{"type": "integer", "description": desc}
}

// boolean is a boolean schema with a description.
func boolean(desc string) map[string]any {
	return map[string]any{"type": "boolean", "description": desc}
}

// array is an array schema.
func array(items map[string]any) map[string]any {
	return map[string]any{"type": "array", "items": items}
}

// Schemas shared by several routes.
var (
	userSchema = obj(props{
		"id": integer("account id"), "login": str("login name"), "display_name": str("name shown to others"),
		"lang": str("preferred language: vi or en"), "disabled": boolean("whether the account is disabled"),
		"created_at": map[string]any{"type": "string", "format": "date-time"},
	}, "id", "login", "display_name", "disabled")
	roleSchema = obj(props{
		"id": integer("assignment id"), "role": map[string]any{"type": "string", "enum": roleNames()},
		"unit_code": str("administrative unit (health, local and sector roles)"),
		"sector":    str("sector (sector supervisors)"), "organisation_id": integer("organisation (venue managers)"),
		"checkpoint_id": integer("checkpoint (gate staff)"),
	}, "role")
	unitSchema = obj(props{
		"code": str("national statistics code"), "parent_code": str("parent unit code"), "level": integer("1 for provinces"),
		"name": str("short name"), "full_name": str("name with its type"), "name_en": str("English name"),
		"full_name_en": str("English name with its type"),
	}, "code", "level", "name")
	principalSchema = obj(props{"user": userSchema, "roles": array(roleSchema)}, "user", "roles")
	errorSchema     = obj(props{"error": obj(props{
		"code":    map[string]any{"type": "string", "enum": []string{"invalid", "not_found", "conflict", "mismatch", "unauthorized", "forbidden", "rate_limited", "too_large", "unavailable", "internal"}},
		"message": str("in the caller's language (lang cookie, then Accept-Language)"),
		"fields":  map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}, "description": "message per invalid field"},
	}, "code", "message")}, "error")
)
