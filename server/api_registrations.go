package server

import (
	"context"
	"net/http"
	"time"

	"github.com/ravao/ravao/places"
)

var registrationCodeDoc = Doc{
	Summary: "Send a six-digit code by SMS to the contact phone of a new registration; the challenge answers it",
	Tags:    placesTags,
	Request: obj(props{"phone": str("contact phone, e.g. 0912345678 or +84 912 345 678")}, "phone"),
	Response: obj(props{
		"challenge":          str("secret to send back with the code"),
		"expires_in_seconds": integer("validity of the code"),
	}, "challenge", "expires_in_seconds"),
	Status: http.StatusCreated,
}

var registrationCreateDoc = Doc{
	Summary: "Register an organisation with its first place and the manager's account; sets the session cookie",
	Tags:    placesTags,
	Request: obj(props{
		"challenge": str("from POST /api/v1/registrations/code"), "code": str("the six digits sent by SMS"),
		"organisation": str("organisation name"),
		"tax_code":     str("optional tax code (mã số thuế) of the organisation: 10 digits, or 10 digits, a dash and 3 digits for a branch; spaces and dots are ignored; rosters of places that must register match by it"),
		"venue":        venueInputSchema,
		"checkpoints":  array(checkpointInputSchema), "login": str("manager's login"),
		"display_name": str("manager's name"), "password": str("manager's password"), "lang": str("vi or en"),
	}, "challenge", "code", "organisation", "venue", "login", "display_name", "password"),
	Response: obj(props{"venue": venueDetailSchema, "user": userSchema}, "venue", "user"),
	Status:   http.StatusCreated,
}

// apiRegistrationCode sends a registration code. Each client may ask for
// a few codes a minute, on top of the service's limit per phone: SMS cost
// money and reach a stranger's phone.
func (s *Server) apiRegistrationCode(w http.ResponseWriter, r *http.Request) error {
	return s.sendCode(w, r, func(ctx context.Context, phone, lang string) (string, error) {
		return s.places.RequestCode(ctx, phone, "register", lang)
	})
}

// sendCode reads {"phone": ...}, sends a one-time code to it with send
// once the client's SMS allowance permits, and answers the challenge.
func (s *Server) sendCode(w http.ResponseWriter, r *http.Request, send func(ctx context.Context, phone, lang string) (string, error)) error {
	var in struct {
		Phone string `json:"phone"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.limitSMS(r); err != nil {
		return err
	}
	challenge, err := send(r.Context(), in.Phone, s.lang(r))
	if err != nil {
		return err
	}
	return writeCreated(w, map[string]any{
		"challenge": challenge, "expires_in_seconds": int(s.places.CodeTTL() / time.Second),
	})
}

// apiRegistrationCreate registers a place and signs its manager in.
func (s *Server) apiRegistrationCreate(w http.ResponseWriter, r *http.Request) error {
	var in places.Registration
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Lang == "" {
		in.Lang = s.lang(r)
	}
	reg, err := s.places.Register(r.Context(), in)
	if err != nil {
		return err
	}
	s.setSession(w, reg.Session)
	return writeCreated(w, map[string]any{"venue": toVenueDetailJSON(reg.Venue), "user": toUserJSON(reg.Principal.User)})
}
