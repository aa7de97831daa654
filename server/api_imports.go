package server

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/placeimport"
	"github.com/ravao/ravao/places"
)

var importCreateDoc = Doc{
	Summary: "Register many places from a CSV or XLSX file sent as the raw body (Content-Type text/csv, " +
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or application/octet-stream; at most 8 MiB). " +
		"With any bad row nothing is written unless valid_only=true",
	Tags: placesTags,
	Params: []Param{
		{Name: "filename", Description: "the file's name, ending in .csv or .xlsx", Required: true},
		{Name: "valid_only", Description: "true: write the valid rows even when some are bad (default false)"},
	},
	Response: obj(props{
		"written":   boolean("whether places were stored"),
		"import_id": integer("names the batch, for its posters; 0 when nothing was written"),
		"rows":      integer("data rows in the file"),
		"created": array(obj(props{
			"line": integer("line of the file"), "venue_id": integer("place id"), "name": str("place name"),
			"checkpoints": integer("checkpoints created"),
		}, "line", "venue_id", "name", "checkpoints")),
		"errors": array(obj(props{
			"line":   integer("line of the file"),
			"fields": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}, "description": "message per column, in the caller's language"},
		}, "line", "fields")),
		"posters_url": str("the batch's posters, when written"),
	}, "written", "import_id", "rows", "created", "errors"),
}

// importTypes are the content types an import body may have; a browser or
// script that does not know says application/octet-stream.
var importTypes = map[string]bool{
	"text/csv": true, "application/octet-stream": true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": true,
}

type importedJSON struct {
	Line        int    `json:"line"`
	VenueID     int64  `json:"venue_id"`
	Name        string `json:"name"`
	Checkpoints int    `json:"checkpoints"`
}

type rowErrorJSON struct {
	Line   int               `json:"line"`
	Fields map[string]string `json:"fields"`
}

type importJSON struct {
	Written    bool           `json:"written"`
	ImportID   int64          `json:"import_id"`
	Rows       int            `json:"rows"`
	Created    []importedJSON `json:"created"`
	Errors     []rowErrorJSON `json:"errors"`
	PostersURL string         `json:"posters_url,omitempty"`
}

// apiImportCreate registers the places of an uploaded file.
func (s *Server) apiImportCreate(w http.ResponseWriter, r *http.Request) error {
	name, validOnly, err := importParams(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err // over the limit: classify makes it TooLarge
	}
	file, err := placeimport.Parse(name, bytes.NewReader(body))
	if err != nil {
		return err
	}
	// Checkpoint names are printed on posters: the deployment's language.
	res, err := s.places.Import(r.Context(), principal(r), file, validOnly, s.cfg.Lang)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.importJSON(s.lang(r), res))
}

// importParams reads the file name and valid_only from the query and
// checks the content type.
func importParams(r *http.Request) (string, bool, error) {
	q, fe := r.URL.Query(), ravao.FieldErrors{}
	name := q.Get("filename")
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".xlsx":
	default:
		fe.Add("filename", "err.import_format")
	}
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !importTypes[ct] {
		fe.Add("content_type", "err.import_format")
	}
	validOnly := false
	if v := q.Get("valid_only"); v != "" {
		if validOnly, err = strconv.ParseBool(v); err != nil {
			fe.Add("valid_only", "err.invalid")
		}
	}
	return name, validOnly, fe.Err()
}

// importJSON is the outcome of an import with its row errors in lang.
func (s *Server) importJSON(lang string, res places.ImportResult) importJSON {
	out := importJSON{
		Written: res.Written, ImportID: res.ImportID, Rows: res.Rows,
		Created: make([]importedJSON, 0, len(res.Created)), Errors: s.rowErrorsJSON(lang, res.Errors),
	}
	for _, c := range res.Created {
		out.Created = append(out.Created, importedJSON{Line: c.Line, VenueID: c.VenueID, Name: c.Name, Checkpoints: c.Checkpoints})
	}
	if res.Written {
		out.PostersURL = fmt.Sprintf("/api/v1/imports/%d/posters.pdf", res.ImportID)
	}
	return out
}
