package server

import (
	"net/http"

	"github.com/ravao/ravao"
)

// exportData is the data of an export's page: what it holds, who asked
// for it and why, and what the reader may do with it.
type exportData struct {
	Export      ravao.Export
	RequestedBy string
	ApprovedBy  string
	At          string
	ApprovedAt  string
	Mine        bool // asked for by the reader, who cannot approve it
	Done        string
	Failure     formFailure
}

// exportRequestSubmit makes a file of the case's contacts with a reason
// and goes to the export's page; a missing reason or an unknown format is
// shown beside the case's export form.
func (s *Server) exportRequestSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	f := exportForm{Format: r.PostForm.Get("format"), Reason: r.PostForm.Get("reason")}
	x, err := s.tracing.RequestExport(r.Context(), principal(r), id, f.Format, f.Reason)
	if err != nil {
		return s.caseFormFailed(w, r, id, err, &caseData{Failed: "export", Export: f}, "format", "reason")
	}
	http.Redirect(w, r, exportURL(x.ID), http.StatusSeeOther)
	return nil
}

// exportShow shows an export: its case, rows and reason, who asked for it,
// and the download or the approval a second official gives.
func (s *Server) exportShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	d := &exportData{}
	if r.URL.Query().Get("done") == "approve" {
		d.Done = "export.done_approve"
	}
	return s.renderExport(w, r, id, http.StatusOK, d)
}

// renderExport loads the export and shows it with d.
func (s *Server) renderExport(w http.ResponseWriter, r *http.Request, id int64, status int, d *exportData) error {
	x, err := s.exportOf(r, id)
	if err != nil {
		return err
	}
	names, err := s.staffNames(r.Context(), x.RequestedBy, x.ApprovedBy)
	if err != nil {
		return err
	}
	d.Export, d.RequestedBy, d.ApprovedBy = x, names[x.RequestedBy], names[x.ApprovedBy]
	d.At, d.ApprovedAt = s.localTime(x.CreatedAt, shownTime), s.localTime(x.ApprovedAt, shownTime)
	d.Mine = x.RequestedBy == principal(r).User.ID
	return s.views.render(w, status, "export.html", s.page(r, "export.title", d))
}

// exportOf finds an export through its case's list, which the service
// gives only to officials covering the case: any other export is not
// found, whether it exists or not.
func (s *Server) exportOf(r *http.Request, id int64) (ravao.Export, error) {
	notFound := ravao.Errorf(ravao.NotFound, "err.not_found")
	var caseID int64
	err := s.store.View(r.Context(), func(tx ravao.Tx) error {
		x, err := tx.Export(id)
		caseID = x.CaseID
		return err
	})
	if ravao.IsNotFound(err) {
		return ravao.Export{}, notFound
	}
	if err != nil {
		return ravao.Export{}, err
	}
	list, err := s.tracing.Exports(r.Context(), principal(r), caseID)
	if err != nil {
		return ravao.Export{}, err
	}
	for _, x := range list {
		if x.ID == id {
			return x, nil
		}
	}
	return ravao.Export{}, notFound
}

// exportApproveSubmit lets a pending export be downloaded: a second
// official approves it.
func (s *Server) exportApproveSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if _, err := s.tracing.ApproveExport(r.Context(), principal(r), id); err != nil {
		f, ok := s.formFailed(w, r, err)
		if e := classify(err); e.Code == ravao.Forbidden {
			// Asking for one's own export to be approved: said on its page.
			f, ok = formFailure{Status: http.StatusForbidden, Message: s.cat.T(s.lang(r), e.Key, e.Args...)}, true
		}
		if !ok {
			return err
		}
		return s.renderExport(w, r, id, f.Status, &exportData{Failure: f})
	}
	http.Redirect(w, r, exportURL(id)+"?done=approve", http.StatusSeeOther)
	return nil
}

// exportFile answers a ready export's file from its page.
func (s *Server) exportFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	return s.writeExport(w, r, id)
}

// writeExport answers a ready export's file as an attachment, never kept
// in a cache.
func (s *Server) writeExport(w http.ResponseWriter, r *http.Request, id int64) error {
	dl, err := s.tracing.DownloadExport(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	return writeDownload(w, dl.ContentType, dl.Name, dl.Data)
}
