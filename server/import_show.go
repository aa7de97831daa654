package server

import (
	"net/http"

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
