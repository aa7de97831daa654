package cards

// Wording is the fixed text of every card in the deployment's language: the
// title, the instructions, an English line for foreigners and guards, and
// the labels of the birth year, the expiry and the serial. It comes from
// the message catalogue (WordingFrom), so pages and cards say the same
// thing.
type Wording struct {
	Title          string
	Instructions   string
	InstructionsEN string
	BirthYearLabel string
	ExpiresLabel   string
	SerialLabel    string
}

// The catalogue keys of the card's wording.
const (
	KeyTitle          = "card.title"
	KeyInstructions   = "card.instructions"
	KeyInstructionsEN = "card.instructions_en"
	KeyBirthYear      = "card.birth_year"
	KeyExpires        = "card.expires"
	KeySerial         = "card.serial"
)

// WordingFrom looks the card's wording up with t, a catalogue lookup in the
// cards' language.
func WordingFrom(t func(key string) string) Wording {
	return Wording{
		Title:          t(KeyTitle),
		Instructions:   t(KeyInstructions),
		InstructionsEN: t(KeyInstructionsEN),
		BirthYearLabel: t(KeyBirthYear),
		ExpiresLabel:   t(KeyExpires),
		SerialLabel:    t(KeySerial),
	}
}

const dateLayout = "02/01/2006"
