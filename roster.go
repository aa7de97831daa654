package ravao

import (
	"strings"
	"time"
	"unicode"
)

// A roster is the list of places that must register in a unit (and
// sector), as a commune or a sector supervisor uploads it: coverage is how
// many of its entries match a registered venue. One roster per unit and
// sector ("" for all sectors); uploading again replaces it.
type Roster struct {
	ID         int64
	UnitCode   string
	UnitPath   string // as Venue.UnitPath; the service fills it
	Sector     Sector // "" for all sectors
	FileName   string
	Entries    int
	UploadedBy int64
	CreatedAt  time.Time
}

// RosterMatch is how an entry was matched to a venue.
type RosterMatch string

// The ways an entry matches. Tax, phone and confirmed count as covered;
// name is a proposal waiting for a person; "" is missing.
const (
	MatchNone      RosterMatch = ""
	MatchTax       RosterMatch = "tax"       // the venue's organisation has the entry's tax code
	MatchPhone     RosterMatch = "phone"     // the venue's contact phone is the entry's phone
	MatchName      RosterMatch = "name"      // same unit and name key: proposed, to confirm
	MatchConfirmed RosterMatch = "confirmed" // a person confirmed a proposal or chose the venue
)

// Covered reports whether the entry counts as registered.
func (m RosterMatch) Covered() bool {
	return m == MatchTax || m == MatchPhone || m == MatchConfirmed
}

// RosterEntry is one place that must register. Phone is the contact
// phone sealed by the vault (bound to the entry's unit, sector and line),
// PhoneKey its keyed lookup (vault.Lookup "phone", the key venues'
// ContactKey uses); both nil when the file gave none. VenueID is the
// matched venue (Match covered) or the proposed one (MatchName);
// RejectedVenueID a proposal a person turned down, never proposed again.
type RosterEntry struct {
	ID              int64
	RosterID        int64
	Line            int // the file's line
	UnitCode        string
	UnitPath        string // as Venue.UnitPath; the service fills it
	Sector          Sector
	Name            string
	NameKey         string // NameKey(Name)
	Address         string
	TaxCode         string // NormalizeTaxCode form, "" when none
	Phone           []byte
	PhoneKey        []byte
	VenueID         int64
	Match           RosterMatch
	RejectedVenueID int64
	UpdatedBy       int64
	UpdatedAt       time.Time
}

// RosterFilter selects roster entries. Zero fields do not filter.
// UnitPath selects entries at or below a unit (a prefix of their path).
type RosterFilter struct {
	RosterID int64
	UnitPath string
	Sector   Sector
	// Missing selects the entries not covered (Match "" or name).
	Missing bool
	AfterID int64 // pagination: only entries with a larger ID
	Limit   int   // at most this many, in ID order; 0 for all
}

// CoverageCount is the entries of one unit (the entries' own unit, not
// summed up the tree) and sector: how many must register, how many are
// covered, how many have a name proposal to confirm.
type CoverageCount struct {
	UnitPath string
	UnitCode string
	Sector   Sector
	Required int
	Covered  int
	Proposed int
}

// RosterCandidate is a venue that could match an entry, with its
// organisation's tax code.
type RosterCandidate struct {
	Venue   Venue
	TaxCode string
}

// NormalizeTaxCode checks a Vietnamese tax code (mã số thuế): 10 digits,
// or 10 digits, a dash and 3 digits for a branch ("0101234567-001").
// Spaces and dots people type inside are removed; 13 digits without the
// dash are written with it.
func NormalizeTaxCode(s string) (string, error) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '.' {
			return -1
		}
		return r
	}, s)
	digits := strings.ReplaceAll(s, "-", "")
	if strings.Count(s, "-") > 1 || (strings.Contains(s, "-") && strings.Index(s, "-") != 10) {
		return "", FieldError("tax_code", "err.tax_code")
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return "", FieldError("tax_code", "err.tax_code")
		}
	}
	switch len(digits) {
	case 10:
		return digits, nil
	case 13:
		return digits[:10] + "-" + digits[10:], nil
	}
	return "", FieldError("tax_code", "err.tax_code")
}

// legalForms are the words of a business's legal form, left out of a name
// key so that "Công ty TNHH Minh Phát" and "Minh Phát" match: phrases
// first (as whole words), then single words.
var (
	legalPhrases = []string{"cong ty", "co phan", "ho kinh doanh", "chi nhanh", "doanh nghiep tu nhan", "trach nhiem huu han", "mot thanh vien"}
	legalWords   = map[string]bool{"cty": true, "tnhh": true, "cp": true, "mtv": true, "dntn": true, "hkd": true, "cn": true}
)

// NameKey is the form names are matched by: lower case, no diacritics,
// words of letters and digits only, the legal form left out ("Công ty
// TNHH Minh Phát" → "minh phat"). A name made only of those words keeps
// them all.
func NameKey(s string) string {
	words := strings.FieldsFunc(FoldDiacritics(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	all := strings.Join(words, " ")
	padded := " " + all + " "
	for _, p := range legalPhrases {
		padded = strings.ReplaceAll(padded, " "+p+" ", " ")
	}
	var kept []string
	for _, w := range strings.Fields(padded) {
		if !legalWords[w] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		return all
	}
	return strings.Join(kept, " ")
}
