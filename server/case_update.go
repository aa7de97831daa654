package server

import (
	"net/http"
	"net/url"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/tracing"
)

// settingsFields are the fields the settings form shows errors beside.
var settingsFields = []string{"window_from", "window_to", "buffer", "open_window", "min_overlap", "close_after", "window_before"}

// caseUpdateSubmit saves the case's window and thresholds, which traces
// again, or closes the case (action=close), and goes back to the page.
func (s *Server) caseUpdateSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	if r.PostForm.Get("action") == "close" {
		if _, _, err := s.tracing.Update(r.Context(), principal(r), id, tracing.CaseUpdate{Close: true}); err != nil {
			return s.caseFormFailed(w, r, id, err, &caseData{Failed: "close"})
		}
		http.Redirect(w, r, caseURL(id)+"?done=close", http.StatusSeeOther)
		return nil
	}
	d := &caseData{Failed: "settings", Settings: readSettingsForm(r.PostForm)}
	in, err := s.caseUpdateFrom(d.Settings)
	if err == nil {
		var traced tracing.Traced
		if _, traced, err = s.tracing.Update(r.Context(), principal(r), id, in); err == nil {
			http.Redirect(w, r, caseURL(id)+tracedQuery("update", traced)+"#settings", http.StatusSeeOther)
			return nil
		}
	}
	return s.caseFormFailed(w, r, id, err, d, settingsFields...)
}

// readSettingsForm reads the settings form as typed.
func readSettingsForm(f url.Values) settingsForm {
	return settingsForm{
		WindowFrom: f.Get("window_from"), WindowTo: f.Get("window_to"),
		Buffer: f.Get("buffer"), OpenWindow: f.Get("open_window"), MinOverlap: f.Get("min_overlap"),
		CloseAfter: f.Get("close_after"), WindowBefore: f.Get("window_before"),
	}
}

// caseUpdateFrom turns the settings form into a change of the window and
// of every threshold; an empty end makes the window open-ended.
func (s *Server) caseUpdateFrom(f settingsForm) (tracing.CaseUpdate, error) {
	fe := ravao.FieldErrors{}
	from := s.formDateTime(f.WindowFrom, "window_from", fe)
	if f.WindowFrom == "" {
		fe.Add("window_from", "err.required")
	}
	to := s.formDateTime(f.WindowTo, "window_to", fe)
	st := ravao.TraceSettings{
		Buffer: formMinutes(f.Buffer, "buffer", fe), OpenWindow: formMinutes(f.OpenWindow, "open_window", fe),
		MinOverlap: formMinutes(f.MinOverlap, "min_overlap", fe), CloseAfter: formMinutes(f.CloseAfter, "close_after", fe),
		WindowBefore: formMinutes(f.WindowBefore, "window_before", fe),
	}
	if err := fe.Err(); err != nil {
		return tracing.CaseUpdate{}, err
	}
	return tracing.CaseUpdate{WindowFrom: &from, WindowTo: &to, Settings: &st}, nil
}

// caseTraceSubmit traces the case again and announces what changed.
func (s *Server) caseTraceSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	traced, err := s.tracing.Trace(r.Context(), principal(r), id)
	if err != nil {
		return s.caseFormFailed(w, r, id, err, &caseData{Failed: "trace"})
	}
	http.Redirect(w, r, caseURL(id)+tracedQuery("trace", traced)+"#contacts", http.StatusSeeOther)
	return nil
}

// caseExpandSubmit traces the second degree from the contacts ticked in
// the worked list.
func (s *Server) caseExpandSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pageID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	ids, err := formIDs(r.PostForm["contact"], "contact")
	if err == nil && len(ids) == 0 {
		fe := ravao.FieldErrors{}
		fe.Add("contact", "err.expand_none")
		err = fe.Err()
	}
	if err == nil {
		var traced tracing.Traced
		if traced, err = s.tracing.Expand(r.Context(), principal(r), id, ids); err == nil {
			http.Redirect(w, r, caseURL(id)+tracedQuery("expand", traced)+"#contacts", http.StatusSeeOther)
			return nil
		}
	}
	return s.caseFormFailed(w, r, id, err, &caseData{Failed: "expand"})
}
