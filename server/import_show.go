package server

import (
	"maps"
	"net/http"
	"slices"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/internal/tabular"
	"github.com/ravao/ravao/places"
)

// importData is the data of the bulk import page: the form, and after an
// upload what the import did.
type importData struct {
	ValidOnly bool
	Failure   formFailure
	Result    *importResult
}

// importResult is an import as the page shows it.
type importResult struct {
	Written    bool
	Rows       int
	Created    []places.ImportedVenue
	Errors     []importErrorRow
	PostersURL string
}

// importErrorRow is one problem of the file: its line, the column in
// words and the message, in the reader's language.
type importErrorRow struct {
	Line            int
	Column, Message string
}

// importShow shows the form that uploads a CSV or XLSX file of places.
func (s *Server) importShow(w http.ResponseWriter, r *http.Request) error {
	return s.views.render(w, http.StatusOK, "import.html", s.page(r, "import.title", &importData{}))
}

// rowErrorRows puts a file's bad lines into words: one row per line and
// column, the column named by the catalogue's prefix+column when it has
// one (import.col., coverage.col., workplace.col.).
func (s *Server) rowErrorRows(lang, prefix string, errs []tabular.RowError) []importErrorRow {
	var out []importErrorRow
	for _, re := range errs {
		for _, col := range slices.Sorted(maps.Keys(re.Fields)) {
			label := col
			if key := prefix + col; s.cat.Has(lang, key) {
				label = s.cat.T(lang, key)
			}
			out = append(out, importErrorRow{Line: re.Line, Column: label, Message: s.cat.T(lang, re.Fields[col])})
		}
	}
	return out
}

// rowErrorsJSON is a file's bad lines for the API, messages in lang.
func (s *Server) rowErrorsJSON(lang string, errs []tabular.RowError) []rowErrorJSON {
	out := make([]rowErrorJSON, 0, len(errs))
	for _, re := range errs {
		fields := make(map[string]string, len(re.Fields))
		for col, key := range re.Fields {
			fields[col] = s.cat.T(lang, key)
		}
		out = append(out, rowErrorJSON{Line: re.Line, Fields: fields})
	}
	return out
}

// refuseUpload answers an upload with bad lines: 400, the usual error
// with message (a catalogue key taking the number of bad lines), and the
// lines; nothing was written.
func (s *Server) refuseUpload(w http.ResponseWriter, lang, message string, errs []tabular.RowError) error {
	return writeJSON(w, http.StatusBadRequest, rosterErrorsJSON{
		Error:     errorDetail{Code: ravao.Invalid, Message: s.cat.T(lang, message, len(errs))},
		RowErrors: s.rowErrorsJSON(lang, errs),
	})
}
