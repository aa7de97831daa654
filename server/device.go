package server

import "net/http"

// deviceCookie holds the visitor's device token: a random secret, never
// personal data, whose keyed hash names the device in the store.
const deviceCookie = "ravao_device"

// deviceMaxAge is how long a browser keeps the device cookie (400 days,
// the longest browsers allow).
const deviceMaxAge = 400 * 24 * 3600

// deviceToken is the device token of a request: the X-Ravao-Device header
// (apps), else the device cookie (browsers); "" when neither is given.
func (s *Server) deviceToken(r *http.Request) string {
	if t := r.Header.Get("X-Ravao-Device"); t != "" {
		return t
	}
	if c, err := r.Cookie(deviceCookie); err == nil {
		return c.Value
	}
	return ""
}

// setDevice remembers a device token in the device cookie; an empty token
// clears it.
func (s *Server) setDevice(w http.ResponseWriter, token string) {
	c := &http.Cookie{
		Name: deviceCookie, Value: token, Path: "/", MaxAge: deviceMaxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure,
	}
	if token == "" {
		c.MaxAge = -1
	}
	http.SetCookie(w, c)
}

// knownDevice is what a visitor page tells its script about the device:
// the token to keep in local storage when the device has a person, or
// that it is unknown, when the script may offer a token it kept.
func (s *Server) knownDevice(token string, known bool) (string, bool) {
	if known {
		return token, false
	}
	return "", true
}
