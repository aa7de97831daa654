package ravao

import (
	"fmt"
	"log/slog"
)

// PII is a piece of personal data (a name, phone, ID number, address) held
// in memory in clear. It refuses to be printed: fmt, log/slog and
// encoding/json all see "[personal data]". Code that really must show the
// value (a tracing view, the sealed record) calls Reveal, which is easy to
// find in review.
type PII string

const redacted = "[personal data]"

// Reveal returns the value in clear.
func (p PII) Reveal() string { return string(p) }

// String returns a placeholder, never the value.
func (p PII) String() string { return redacted }

// GoString returns a placeholder, never the value.
func (p PII) GoString() string { return redacted }

// Format makes every fmt verb print the placeholder.
func (p PII) Format(f fmt.State, verb rune) { fmt.Fprint(f, redacted) }

// LogValue makes log/slog print the placeholder.
func (p PII) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON writes the placeholder: an API response that must carry the
// value uses Reveal into a plain string field, on purpose.
func (p PII) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText writes the placeholder.
func (p PII) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Empty reports whether there is no value.
func (p PII) Empty() bool { return p == "" }
