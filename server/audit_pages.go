package server

import (
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/auditlog"
)

// auditRoutes are the data-protection officer's audit viewer, its export
// and the chain's verification, as pages and as API calls.
func (s *Server) auditRoutes() []Route {
	return []Route{
		page("GET", "/dpo/audit", ravao.PermProtectData, s.auditPage),
		page("POST", "/dpo/audit/verify", ravao.PermProtectData, s.auditVerifySubmit),
		page("GET", "/dpo/audit/export.csv", ravao.PermProtectData, s.auditExport("csv")),
		page("GET", "/dpo/audit/export.xlsx", ravao.PermProtectData, s.auditExport("xlsx")),
		api("GET", "/api/v1/audit", ravao.PermProtectData, s.apiAuditList, auditListDoc),
		api("POST", "/api/v1/audit/verify", ravao.PermProtectData, s.apiAuditVerify, auditVerifyDoc),
	}
}

// auditFields are the filters the viewer shows errors beside.
var auditFields = []string{"user", "action", "object_type", "object_id", "from", "to"}

// auditData is the data of the audit viewer.
type auditData struct {
	Form     auditForm
	Actions  []string
	Rows     []auditRow
	OlderURL string // empty on the last page
	CSVURL   string
	XLSXURL  string
	Chain    auditChain
	Failure  formFailure
}

// auditForm is what was typed in the filters.
type auditForm struct {
	User, Action, ObjectType, ObjectID, From, To string
}

// auditRow is one event as the viewer shows it.
type auditRow struct {
	ID                     int64
	At, Login, RoleKey     string
	Action, Object, Reason string
	RequestID              string
	Seq                    int64 // 0 while unsealed
}

// auditChain is the chain's state as last verified by this server.
type auditChain struct {
	Known    bool // Verify ran since the server started
	OK       bool
	Checked  int
	HeadSeq  int64
	HeadHash string
	Unsealed int
	At       string
	Broken   *auditlog.BrokenEntry
	Reason   string // message key of the break
}

// auditQuery reads the filters of a request: user (a login), action,
// object_type, object_id, from and to (days, 2006-01-02, in the
// deployment's zone) and before (an event id, for the next page).
func auditQuery(v url.Values) (auditlog.Query, auditForm, error) {
	f := auditForm{User: v.Get("user"), Action: v.Get("action"), ObjectType: v.Get("object_type"),
		ObjectID: v.Get("object_id"), From: v.Get("from"), To: v.Get("to")}
	fe := ravao.FieldErrors{}
	q := auditlog.Query{Login: f.User, Action: f.Action, ObjectType: f.ObjectType, ObjectID: f.ObjectID,
		BeforeID: queryID(v.Get("before"), "before", fe)}
	q.From = auditDay(f.From, "from", fe)
	q.To = auditDay(f.To, "to", fe)
	return q, f, fe.Err()
}

// auditDay reads a day filter; "" is no bound.
func auditDay(s, field string, fe ravao.FieldErrors) ravao.Day {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	d, err := ravao.ParseDay(s)
	if err != nil {
		fe.Add(field, "err.date")
	}
	return d
}

// auditPage shows the log, newest first, 100 a page, filtered, with the
// chain's last verified state.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	q, form, err := auditQuery(r.URL.Query())
	d := &auditData{Form: form, Actions: auditlog.Actions, Chain: s.auditChainState()}
	status := http.StatusOK
	var page auditlog.Page
	if err == nil {
		page, err = s.audit.List(r.Context(), principal(r), q)
	}
	if err != nil {
		f, ok := s.formFailed(w, r, err, auditFields...)
		if !ok {
			return err
		}
		d.Failure, status = f, f.Status
	}
	filters := auditValues(form)
	d.CSVURL, d.XLSXURL = "/dpo/audit/export.csv"+filters, "/dpo/audit/export.xlsx"+filters
	for _, e := range page.Entries {
		d.Rows = append(d.Rows, s.auditRow(e))
	}
	if page.Older != 0 {
		sep := "?"
		if filters != "" {
			sep = "&"
		}
		d.OlderURL = "/dpo/audit" + filters + sep + "before=" + strconv.FormatInt(page.Older, 10)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.views.render(w, status, "audit.html", s.page(r, "audit.title", d))
}

// auditValues is the filters as a query string ("" or "?..."), without
// the page.
func auditValues(f auditForm) string {
	v := url.Values{}
	for k, s := range map[string]string{"user": f.User, "action": f.Action, "object_type": f.ObjectType,
		"object_id": f.ObjectID, "from": f.From, "to": f.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// auditRow is an entry as a row of the viewer.
func (s *Server) auditRow(e auditlog.Entry) auditRow {
	row := auditRow{ID: e.ID, At: s.localTime(e.At, "15:04:05 02/01/2006"), Login: e.Login,
		Action: e.Action, Reason: e.Reason, RequestID: e.RequestID, Seq: e.Seq,
		Object: strings.TrimSpace(e.ObjectType + " " + e.ObjectID)}
	if e.Role != "" {
		row.RoleKey = "role." + string(e.Role)
	}
	return row
}

// auditChainState is the last verification's result as the page shows it.
func (s *Server) auditChainState() auditChain {
	v := s.audit.LastVerification()
	if v == nil {
		return auditChain{}
	}
	c := auditChain{Known: true, OK: v.OK(), Checked: v.Checked, HeadSeq: v.HeadSeq, Unsealed: v.Unsealed,
		HeadHash: hex.EncodeToString(v.HeadHash), At: s.localTime(v.At, "15:04:05 02/01/2006"), Broken: v.Broken}
	if v.Broken != nil {
		c.Reason = "audit.broken." + v.Broken.Reason
	}
	return c
}

// auditVerifySubmit walks the whole chain now and shows the result on the
// viewer.
func (s *Server) auditVerifySubmit(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.audit.VerifyFor(r.Context(), principal(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/dpo/audit", http.StatusSeeOther)
	return nil
}

// auditExport downloads the filtered events (at most 50,000) as CSV or
// XLSX; cells that look like formulas are neutralised by the sheet
// package.
func (s *Server) auditExport(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		q, _, err := auditQuery(r.URL.Query())
		if err != nil {
			return err
		}
		entries, err := s.audit.Export(r.Context(), principal(r), q)
		if err != nil {
			return err
		}
		header, rows := s.auditSheet(r, entries)
		return writeTable(w, kind, "Nhat ky", "nhat-ky-truy-cap", header, rows)
	}
}

// auditSheet is the events as a table in the reader's language.
func (s *Server) auditSheet(r *http.Request, entries []auditlog.Entry) ([]string, [][]string) {
	lang := s.lang(r)
	var header []string
	for _, k := range []string{"audit.col.id", "audit.col.time", "audit.col.user", "audit.col.role", "audit.col.action",
		"audit.col.object_type", "audit.col.object_id", "audit.col.reason", "audit.col.request", "audit.col.seq"} {
		header = append(header, s.cat.T(lang, k))
	}
	rows := make([][]string, 0, len(entries))
	for _, e := range entries {
		seq := ""
		if e.Seq != 0 {
			seq = strconv.FormatInt(e.Seq, 10)
		}
		role := ""
		if e.Role != "" {
			role = s.cat.T(lang, "role."+string(e.Role))
		}
		rows = append(rows, []string{strconv.FormatInt(e.ID, 10), s.localTime(e.At, "2006-01-02 15:04:05"), e.Login, role,
			e.Action, e.ObjectType, e.ObjectID, e.Reason, e.RequestID, seq})
	}
	return header, rows
}
