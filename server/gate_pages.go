package server

import (
	"io/fs"
	"net/http"
	"strconv"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/gate"
	"github.com/ravao/ravao/vault"
)

// gatePages lists the gate console: the page of one checkpoint, its forms
// (a scan, a phone's SMS code, a declaration on someone's behalf) and the
// service worker that keeps the page available offline. Every form works
// without JavaScript; static/gate.js adds the camera, handheld scanners,
// sound and the offline queue over the gate API.
func (s *Server) gatePages() []Route {
	op := ravao.PermOperateGate
	return []Route{
		page("GET", "/gate/sw.js", Public, s.gateWorker),
		page("GET", "/gate/{id}", op, s.gateShow),
		page("POST", "/gate/{id}", op, s.gateScanSubmit),
		page("POST", "/gate/{id}/phone", op, s.gatePhoneSubmit),
		page("POST", "/gate/{id}/declare", op, s.gateDeclareSubmit),
	}
}

// gatePath is the path of a checkpoint's gate page.
func gatePath(id int64) string { return "/gate/" + strconv.FormatInt(id, 10) }

// gateData is the data of the gate page. It never holds a full name, a
// phone or an ID number of anyone scanned: results and the latest scans
// carry masked names and birth years, and a phone waiting for its SMS code
// travels sealed.
type gateData struct {
	Summary   gate.Summary
	Recent    []gateRow
	Action    string // the page's path, where scans are posted
	Key       string // idempotency key of the scan this render sends
	TZ        string // the deployment's time zone, for the script's clock
	Direction gate.Direction
	Result    *gateResult // the decision just made, if any
	// AnswerFor is the person a yellow entry found: the page asks their
	// questions on the spot.
	AnswerFor     int64
	Answers       questionBlock
	ScanFailure   formFailure
	PhoneFailure  formFailure
	AnswerFailure formFailure
	// Challenge is set once a code was sent to a phone, which comes back
	// sealed (SealedPhone) with the code the person reads out.
	Challenge, SealedPhone string

	// Declaring on behalf of someone new: the fields the profile and units
	// partials read.
	DeclareOpen bool
	Declare     questionBlock
	Form        visitorForm
	Consent     bool
	Picker      unitPicker
	Sexes       []choice
	Failure     formFailure
}

// gateResult is a decision as the page shows it: colour and word, whom it
// is about (masked) and what the guard should do.
type gateResult struct {
	Class     string // green, yellow, red, or out for an exit
	Word      string // message key
	Name      string // masked
	BirthYear int
	Notes     []string // message keys
}

// gateRow is one of the latest scans.
type gateRow struct {
	Time      string
	Decision  ravao.Decision
	Name      string // masked
	BirthYear int
}

// newGateResult describes a scan's result. Why someone is red is never
// said: only where to send them.
func newGateResult(res gate.Result) *gateResult {
	g := &gateResult{Class: string(res.Decision), Word: "gate.decision_" + string(res.Decision), Name: res.Name, BirthYear: res.BirthYear}
	switch {
	case res.Direction == gate.Out:
		g.Class, g.Word = "out", "gate.out_done"
	case res.Decision == ravao.Red:
		g.Notes = append(g.Notes, "gate.health_desk")
	case res.Decision == ravao.Yellow:
		g.Notes = append(g.Notes, "gate.yellow_hint")
	}
	if res.Repeated {
		g.Notes = append(g.Notes, "gate.repeated")
	}
	if res.Note != "" {
		g.Notes = append(g.Notes, res.Note)
	}
	return g
}

// gateShow shows the gate page of a checkpoint; a checkpoint the staff
// member may not operate is the 404 page.
func (s *Server) gateShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	return s.renderGate(w, r, http.StatusOK, id, &gateData{})
}

// gateScanSubmit records a scan typed or pasted into the page, or a phone
// with the code its owner read out, and shows the decision.
func (s *Server) gateScanSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	f := r.PostForm
	d := &gateData{Direction: gate.Direction(f.Get("direction"))}
	in := gate.Scan{CheckpointID: id, Payload: f.Get("payload"), Direction: d.Direction, IdempotencyKey: f.Get("idempotency_key")}
	byPhone := f.Has("challenge")
	if byPhone {
		in.Challenge, in.Code = f.Get("challenge"), f.Get("code")
		in.Phone = s.openPhone(f.Get("phone_sealed"), in.Challenge)
	}
	res, err := s.gate.Scan(r.Context(), principal(r), in)
	if err != nil {
		fail, ok := s.gateFailed(w, r, err)
		if !ok {
			return err
		}
		if byPhone {
			d.PhoneFailure, d.Challenge, d.SealedPhone = fail, in.Challenge, f.Get("phone_sealed")
		} else {
			d.ScanFailure = fail
		}
		return s.renderGate(w, r, fail.Status, id, d)
	}
	d.show(res)
	return s.renderGate(w, r, http.StatusOK, id, d)
}

// show puts a scan's result on the page, and the on-the-spot questions
// for someone let in without a recent declaration.
func (d *gateData) show(res gate.Result) {
	d.Result = newGateResult(res)
	if res.Direction == gate.In && res.Decision == ravao.Yellow {
		d.AnswerFor = res.PersonID
	}
}

// gateFailed is formFailed for the gate's forms, which also show what a
// scan did not find (a phone nobody declared with, a person no longer
// inside) and a reused idempotency key; a checkpoint the staff member may
// not operate stays the 404 page.
func (s *Server) gateFailed(w http.ResponseWriter, r *http.Request, err error, shown ...string) (formFailure, bool) {
	if f, ok := s.formFailed(w, r, err, shown...); ok {
		return f, true
	}
	e := classify(err)
	if (e.Code == ravao.NotFound && e.Key != "err.checkpoint_not_found") || e.Code == ravao.Mismatch {
		return formFailure{Status: statuses[e.Code], Message: s.cat.T(s.lang(r), e.Key, e.Args...)}, true
	}
	return formFailure{}, false
}

// renderGate loads the checkpoint's counters and latest scans for the
// signed-in staff member and shows the page.
func (s *Server) renderGate(w http.ResponseWriter, r *http.Request, status int, id int64, d *gateData) error {
	ctx := r.Context()
	sum, err := s.gate.Summary(ctx, principal(r), id)
	if err != nil {
		return err
	}
	d.Summary, d.Recent = sum, make([]gateRow, 0, len(sum.Recent))
	for _, res := range sum.Recent {
		d.Recent = append(d.Recent, gateRow{Time: s.localTime(res.At, "15:04"), Decision: res.Decision, Name: res.Name, BirthYear: res.BirthYear})
	}
	d.Action, d.Key, d.TZ = gatePath(id), vault.NewSecret(12), s.cfg.TZ.String()
	if d.Direction != gate.Out {
		d.Direction = gate.In
	}
	lang := s.lang(r)
	local := s.visits.Questions().Localised(lang)
	d.Answers.Prefix, d.Answers.Questions = "a", local
	d.Declare.Prefix, d.Declare.Questions = "f", local
	d.Sexes = sexChoices()
	if err := s.fillPicker(ctx, lang, &d.Picker, sum.Venue.UnitPath); err != nil {
		return err
	}
	p := s.page(r, "gate.title", d)
	p.Path = d.Action // the language switch comes back to the page, not to a form's target
	return s.views.render(w, status, "gate.html", p)
}

// gateWorker serves the gate page's service worker. Served from /gate/,
// its scope is the gate pages without a Service-Worker-Allowed header.
func (s *Server) gateWorker(w http.ResponseWriter, r *http.Request) error {
	b, err := fs.ReadFile(s.assets.fsys, "static/gate-sw.js")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	_, err = w.Write(b)
	return err
}
