package tracing

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/i18n"
	"github.com/ravao/ravao/sheet"
)

// Download is an export's file.
type Download struct {
	Name        string // e.g. ravao-case-12-contacts.csv
	ContentType string
	Data        []byte
}

// The export formats and the type of their files.
var exportTypes = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// maxExportReason is the longest reason an export keeps, in bytes.
const maxExportReason = 500

// RequestExport makes a file of the case's contacts (format "csv" or
// "xlsx") with a reason; above ApprovalRows it waits for a second
// official. The file is made now, in the requester's language, and kept
// sealed. Audited "export.request".
func (s *Service) RequestExport(ctx context.Context, actor *ravao.Principal, caseID int64, format, reason string) (ravao.Export, error) {
	if err := mayTrace(actor); err != nil {
		return ravao.Export{}, err
	}
	reason = text(reason)
	if err := checkExport(format, reason); err != nil {
		return ravao.Export{}, err
	}
	var x ravao.Export
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		c, err := caseFor(tx, actor, caseID)
		if err != nil {
			return err
		}
		list, err := s.worked(tx, c.ID)
		if err != nil {
			return err
		}
		data, err := s.exportFile(format, actor.User.Lang, list)
		if err != nil {
			return err
		}
		x = ravao.Export{CaseID: c.ID, Format: format, Rows: len(list), Reason: reason, Status: ravao.ExportReady,
			RequestedBy: actor.User.ID, CreatedAt: tx.Now()}
		if x.Rows > s.cfg.ApprovalRows {
			x.Status = ravao.ExportPending
		}
		x.Sealed = s.vault.Seal(data, exportAAD(x))
		if err := tx.CreateExport(&x); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "export.request", "export", x.ID, c, reason)
	})
	x.Sealed = nil
	return x, err
}

// checkExport validates a request for an export.
func checkExport(format, reason string) error {
	fe := ravao.FieldErrors{}
	if _, ok := exportTypes[format]; !ok {
		fe.Add("format", "err.export_format")
	}
	switch {
	case reason == "":
		fe.Add("reason", "err.reason_required")
	case len(reason) > maxExportReason || !utf8.ValidString(reason):
		fe.Add("reason", "err.too_long")
	}
	return fe.Err()
}

// exportAAD binds an export's file to its row. The store gives the ID only
// once the row exists and keeps the file from then on, so the binding is
// to what is known before: the case, the requester, the format and the
// instant, which together name one export.
func exportAAD(x ravao.Export) string {
	return fmt.Sprintf("export/%d/%d/%s/%d", x.CaseID, x.RequestedBy, x.Format, x.CreatedAt.UnixMilli())
}

// exportFile writes the worked list in lang as a file of format, every
// cell safe to open in a spreadsheet (package sheet).
func (s *Service) exportFile(format, lang string, list []ContactView) ([]byte, error) {
	cat, err := i18n.New("vi")
	if err != nil {
		return nil, err
	}
	if !i18n.Supported(lang) {
		lang = cat.Default()
	}
	t := func(key string) string { return cat.T(lang, key) }
	header := []string{t("export.degree"), t("export.class"), t("export.full_name"), t("export.phone"),
		t("export.birth_year"), t("export.overlap_minutes"), t("export.visits"), t("export.same_vehicle"),
		t("export.first_at"), t("export.status"), t("export.assignee"), t("export.via")}
	rows := make([][]string, 0, len(list))
	for _, v := range list {
		rows = append(rows, s.exportRow(t, v))
	}
	var b bytes.Buffer
	if format == "xlsx" {
		err = sheet.WriteXLSX(&b, t("export.sheet"), header, rows)
	} else {
		err = sheet.WriteCSV(&b, header, rows)
	}
	return b.Bytes(), err
}

// exportRow is one contact in a file, in the columns of exportFile.
func (s *Service) exportRow(t func(string) string, v ContactView) []string {
	ct := v.Contact
	year, vehicle := "", t("export.no")
	if v.Person.BirthYear != 0 {
		year = strconv.Itoa(v.Person.BirthYear)
	}
	if ct.SameVehicle {
		vehicle = t("export.yes")
	}
	return []string{
		"F" + strconv.Itoa(ct.Degree), t("contact.class." + string(ct.Class)), v.Person.FullName, v.Person.Phone,
		year, strconv.FormatInt(int64(ct.Overlap/time.Minute), 10), strconv.Itoa(ct.Visits), vehicle,
		ct.FirstAt.In(s.cfg.TZ).Format("2006-01-02 15:04"), t("contact.status." + string(ct.Status)),
		v.AssigneeName, v.Via,
	}
}

// Exports lists a case's exports, newest first, without their files.
func (s *Service) Exports(ctx context.Context, actor *ravao.Principal, caseID int64) ([]ravao.Export, error) {
	if err := mayTrace(actor); err != nil {
		return nil, err
	}
	var out []ravao.Export
	err := s.store.View(ctx, func(tx ravao.Tx) error {
		c, err := caseFor(tx, actor, caseID)
		if err != nil {
			return err
		}
		out, err = tx.Exports(c.ID)
		return err
	})
	return out, err
}

// exportFor loads an export and its case for actor; an export of a case
// outside their scope is NotFound.
func exportFor(tx ravao.Tx, actor *ravao.Principal, id int64) (ravao.Export, ravao.Case, error) {
	x, err := tx.Export(id)
	if err != nil {
		return x, ravao.Case{}, err
	}
	c, err := caseFor(tx, actor, x.CaseID)
	if err != nil {
		return ravao.Export{}, c, err
	}
	return x, c, nil
}

// ApproveExport lets a pending export be downloaded; the approver must be
// another official covering the case. Audited "export.approve".
func (s *Service) ApproveExport(ctx context.Context, actor *ravao.Principal, id int64) (ravao.Export, error) {
	if err := mayTrace(actor); err != nil {
		return ravao.Export{}, err
	}
	var x ravao.Export
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		var c ravao.Case
		var err error
		if x, c, err = exportFor(tx, actor, id); err != nil {
			return err
		}
		switch {
		case x.Status != ravao.ExportPending:
			return ravao.Errorf(ravao.Conflict, "err.export_not_pending")
		case x.RequestedBy == actor.User.ID:
			return ravao.Errorf(ravao.Forbidden, "err.export_self_approve")
		}
		if err := tx.ApproveExport(x.ID, actor.User.ID, tx.Now()); err != nil {
			return err
		}
		x.Status, x.ApprovedBy, x.ApprovedAt = ravao.ExportReady, actor.User.ID, tx.Now()
		return audit(ctx, tx, actor, "export.approve", "export", x.ID, c, x.Reason)
	})
	x.Sealed = nil
	return x, err
}

// DownloadExport opens a ready export. Audited "export.download".
func (s *Service) DownloadExport(ctx context.Context, actor *ravao.Principal, id int64) (Download, error) {
	if err := mayTrace(actor); err != nil {
		return Download{}, err
	}
	var out Download
	err := s.store.Update(ctx, func(tx ravao.Tx) error {
		x, c, err := exportFor(tx, actor, id)
		if err != nil {
			return err
		}
		if x.Status != ravao.ExportReady {
			return ravao.Errorf(ravao.Conflict, "err.export_pending")
		}
		data, err := s.vault.Open(x.Sealed, exportAAD(x))
		if err != nil {
			return err
		}
		out = Download{Name: fmt.Sprintf("ravao-case-%d-contacts.%s", x.CaseID, x.Format),
			ContentType: exportTypes[x.Format], Data: data}
		return audit(ctx, tx, actor, "export.download", "export", x.ID, c, x.Reason)
	})
	return out, err
}
