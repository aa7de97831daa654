package poster

// Wording is the fixed text printed on every poster: the instructions in the
// deployment's language, a small English line for visitors, and the label
// of the issue date. It comes from the message catalogue (WordingFrom), so
// pages and posters say the same thing.
type Wording struct {
	Instructions   string
	InstructionsEN string
	Issued         string
}

// The catalogue keys of the poster's wording.
const (
	KeyInstructions   = "poster.instructions"
	KeyInstructionsEN = "poster.instructions_en"
	KeyIssued         = "poster.issued"
)

// WordingFrom looks the poster's wording up with t, a catalogue lookup in
// the poster's language.
func WordingFrom(t func(key string) string) Wording {
	return Wording{Instructions: t(KeyInstructions), InstructionsEN: t(KeyInstructionsEN), Issued: t(KeyIssued)}
}

const dateLayout = "02/01/2006"
