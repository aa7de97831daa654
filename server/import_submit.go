package server

import (
	"net/http"
	"strconv"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/placeimport"
	"github.com/ravao/ravao/places"
)

// importSubmit reads an uploaded file of places and imports it: nothing is
// written when a row is wrong, unless "only the valid rows" is ticked. The
// page lists the problems by line and column, or the places created and the
// link to print all their posters at once.
func (s *Server) importSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseMultipartForm(maxImportBody); err != nil {
		return formError(err)
	}
	d := &importData{ValidOnly: r.PostFormValue("valid_only") != ""}
	res, err := s.importFile(r, d.ValidOnly)
	if err != nil {
		f, ok := s.formFailed(w, r, err, "file")
		if !ok {
			return err
		}
		d.Failure = f
		return s.views.render(w, f.Status, "import.html", s.page(r, "import.title", d))
	}
	d.Result = s.importView(s.lang(r), res)
	status := http.StatusOK
	if !res.Written && len(res.Errors) > 0 {
		status = http.StatusBadRequest
	}
	return s.views.render(w, status, "import.html", s.page(r, "import.title", d))
}

// importFile parses the uploaded file and hands its rows to the service.
func (s *Server) importFile(r *http.Request, validOnly bool) (places.ImportResult, error) {
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return places.ImportResult{}, ravao.FieldErrors{"file": "err.import_file_missing"}.Err()
	}
	defer file.Close()
	parsed, err := placeimport.Parse(hdr.Filename, file)
	if err != nil {
		return places.ImportResult{}, err
	}
	return s.places.Import(r.Context(), principal(r), parsed, validOnly, s.lang(r))
}

// importView puts an import's outcome into words.
func (s *Server) importView(lang string, res places.ImportResult) *importResult {
	out := &importResult{Written: res.Written, Rows: res.Rows, Created: res.Created}
	if res.Written && res.ImportID != 0 {
		out.PostersURL = "/api/v1/imports/" + strconv.FormatInt(res.ImportID, 10) + "/posters.pdf?size=A4"
	}
	out.Errors = s.rowErrorRows(lang, "import.col.", res.Errors)
	return out
}
