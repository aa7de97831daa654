package server

import (
	"context"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
)

// coverageUpload reads an uploaded roster. A good file replaces the unit
// and sector's roster and the page redirects to the coverage with what
// the matching did; a bad one is shown again with its problems by line,
// and nothing is written.
func (s *Server) coverageUpload(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if !ravao.ValidUnitCode(code) {
		return ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	res, sector, err := s.uploadRoster(r, code)
	if err == nil && len(res.Errors) == 0 {
		q := doneQuery(res)
		if sector != "" {
			q.Set("sector", string(sector))
		}
		http.Redirect(w, r, coverageURL(code)+"?"+q.Encode(), http.StatusSeeOther)
		return nil
	}
	d := &coverageData{Code: code, Path: coverageURL(code), Sectors: sectorChoices(), Uploaded: true}
	status := http.StatusBadRequest
	if err != nil {
		fail, ok := s.uploadFailed(w, r, err)
		if !ok {
			return err
		}
		d.Failure, status = fail, fail.Status
	} else {
		d.RowErrors = s.rowErrorRows(s.lang(r), "coverage.col.", res.Errors)
	}
	if !sector.Valid() {
		sector = ""
	}
	v, err := s.progress.Coverage(r.Context(), principal(r), ravao.StatsQuery{UnitCode: code, Sector: sector})
	if err != nil {
		return err
	}
	return s.renderCoverage(w, r, status, d, v)
}

// uploadRoster checks the form (a .csv or .xlsx file, a sector) and hands
// the file to the service.
func (s *Server) uploadRoster(r *http.Request, code string) (progress.RosterResult, ravao.Sector, error) {
	if err := r.ParseMultipartForm(maxImportBody); err != nil {
		return progress.RosterResult{}, "", uploadFormError(err)
	}
	fe := ravao.FieldErrors{}
	sector := statsSector(r.PostFormValue("sector"), fe)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		fe.Add("file", "err.import_file_missing")
	} else {
		defer file.Close()
		if !rosterFileName(hdr.Filename) {
			fe.Add("file", "err.import_format")
		}
	}
	if err := fe.Err(); err != nil {
		return progress.RosterResult{}, sector, err
	}
	res, err := s.progress.UploadRoster(r.Context(), principal(r), code, sector, hdr.Filename, file)
	return res, sector, err
}

// rosterFileName reports whether a file name is one of a roster: .csv or
// .xlsx.
func rosterFileName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".xlsx":
		return true
	}
	return false
}

// uploadFormError classifies an error reading an upload: a body over the
// limit is TooLarge with a word on the file, anything else (not a
// multipart form, a broken one) is a file that did not arrive.
func uploadFormError(err error) error {
	if classify(err).Code == ravao.TooLarge {
		return &ravao.Error{Code: ravao.TooLarge, Key: "err.too_large", Fields: map[string]string{"file": "coverage.file_too_large"}, Err: err}
	}
	return &ravao.Error{Code: ravao.Invalid, Key: "err.invalid_fields", Fields: map[string]string{"file": "err.import_file_missing"}, Err: err}
}

// uploadFailed is what the coverage page shows of a refused upload; a
// file too large is said beside the file input like any other problem.
func (s *Server) uploadFailed(w http.ResponseWriter, r *http.Request, err error) (formFailure, bool) {
	e := classify(err)
	if e.Code != ravao.TooLarge {
		return s.formFailed(w, r, err, "file", "sector")
	}
	lang := s.lang(r)
	return formFailure{
		Status: http.StatusRequestEntityTooLarge, Message: s.cat.T(lang, "err.too_large"),
		Fields: map[string]string{"file": s.cat.T(lang, "coverage.file_too_large")},
	}, true
}

// rosterEntrySubmit confirms or turns down an entry's proposal, or
// matches it to a venue chosen by its ID, then goes back to the missing
// list the form was on (its unit, sector and page are hidden fields).
func (s *Server) rosterEntrySubmit(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pageID(r)
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return formError(err)
		}
		back, err := missingBack(r)
		if err != nil {
			return err
		}
		venue, err := venueField(action, r.PostFormValue("venue_id"))
		if err == nil {
			err = s.rosterEntryDo(r.Context(), principal(r), action, id, venue)
		}
		if err != nil {
			fail, ok := s.formFailed(w, r, err, "venue_id")
			if !ok {
				return err
			}
			d := &missingData{Failure: fail, FailedEntry: id}
			return s.renderMissing(w, r, fail.Status, back, d)
		}
		http.Redirect(w, r, back.url("done="+action)+"#entries", http.StatusSeeOther)
		return nil
	}
}

// venueField reads the venue ID typed into the choose form; the other
// actions take none.
func venueField(action, v string) (int64, error) {
	if action != "choose" {
		return 0, nil
	}
	id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || id <= 0 {
		return 0, ravao.FieldError("venue_id", "coverage.err_venue_id")
	}
	return id, nil
}

// rosterEntryDo does one action on an entry, for the page and the API.
func (s *Server) rosterEntryDo(ctx context.Context, p *ravao.Principal, action string, id, venue int64) error {
	switch action {
	case "confirm":
		return s.progress.ConfirmMatch(ctx, p, id)
	case "reject":
		return s.progress.RejectMatch(ctx, p, id)
	default:
		return s.progress.ChooseVenue(ctx, p, id, venue)
	}
}

// rosterDeleteSubmit deletes a unit and sector's roster and goes back to
// the coverage page it was listed on (the field back, a unit code).
func (s *Server) rosterDeleteSubmit(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if !ravao.ValidUnitCode(code) {
		return ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	fe := ravao.FieldErrors{}
	sector := statsSector(r.PostFormValue("sector"), fe)
	if err := fe.Err(); err != nil {
		return err
	}
	if err := s.progress.DeleteRoster(r.Context(), principal(r), code, sector); err != nil {
		return err
	}
	back := code
	if b := r.PostFormValue("back"); b == statsAll || ravao.ValidUnitCode(b) {
		back = b
	}
	http.Redirect(w, r, statsUnitURL(back)+"/coverage?done=delete", http.StatusSeeOther)
	return nil
}
