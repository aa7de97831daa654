package server

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/i18n"
)

//go:embed templates static
var embedded embed.FS

// sourceFS returns the package's files: embedded, or in Dev mode read from
// the source directory at each use so that edits show on reload.
func sourceFS(dev bool) (fs.FS, error) {
	if !dev {
		return embedded, nil
	}
	_, file, _, ok := runtime.Caller(0)
	dir := filepath.Dir(file)
	if _, err := os.Stat(filepath.Join(dir, "templates")); !ok || err != nil {
		return nil, fmt.Errorf("server: dev mode needs the source tree (templates not found beside %s)", file)
	}
	return os.DirFS(dir), nil
}

// views holds the parsed templates, one set per language so that the
// template function t is bound to the language without per-request
// cloning.
type views struct {
	dev    bool
	fsys   fs.FS
	cat    *i18n.Catalogue
	assets *assets
	sets   map[string]map[string]*template.Template // lang -> page -> template
}

func newViews(dev bool, cat *i18n.Catalogue, a *assets) (*views, error) {
	fsys, err := sourceFS(dev)
	if err != nil {
		return nil, err
	}
	v := &views{dev: dev, fsys: fsys, cat: cat, assets: a}
	v.sets, err = v.parse()
	return v, err
}

// Pages lists the page templates (every file but the layout and the
// shared partials).
func (v *views) pages() ([]string, error) {
	names, err := fs.Glob(v.fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		if base := path.Base(n); base != "layout.html" && base != "partials.html" {
			out = append(out, base)
		}
	}
	return out, nil
}

// parse parses every page with the layout and the partials, once per
// language.
func (v *views) parse() (map[string]map[string]*template.Template, error) {
	pages, err := v.pages()
	if err != nil {
		return nil, err
	}
	sets := map[string]map[string]*template.Template{}
	for _, lang := range i18n.Langs {
		sets[lang] = map[string]*template.Template{}
		for _, p := range pages {
			t, err := template.New(p).Funcs(v.funcs(lang)).ParseFS(v.fsys, "templates/layout.html", "templates/partials.html", "templates/"+p)
			if err != nil {
				return nil, err
			}
			sets[lang][p] = t
		}
	}
	return sets, nil
}

// funcs are the template functions for one language.
func (v *views) funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"t":      func(key string, args ...any) string { return v.cat.T(lang, key, args...) },
		"static": v.assets.url,
	}
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (v *views) render(w http.ResponseWriter, status int, name string, d *pageData) error {
	sets := v.sets
	if v.dev {
		var err error
		if sets, err = v.parse(); err != nil {
			return err
		}
	}
	t, ok := sets[d.Lang][name]
	if !ok {
		return fmt.Errorf("server: no template %q for %q", name, d.Lang)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", d); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// pageData is what every page template receives.
type pageData struct {
	Lang  string
	Title string // message key of the page title
	Path  string // the current path, for the language switch
	User  *ravao.Principal
	Data  any
	// Device is the device token on the pages of a known device: the
	// page's script keeps it in local storage, to set the cookie again if
	// the browser loses it. DeviceUnknown marks a visitor page shown to a
	// device without a person, where the script tries that.
	Device        string
	DeviceUnknown bool
	// TZ names the deployment's time zone, in which scripts show times as
	// the server does.
	TZ string
}

// page builds the data of a page for request r.
func (s *Server) page(r *http.Request, title string, data any) *pageData {
	return &pageData{Lang: s.lang(r), Title: title, Path: safeNext(r.URL.Path), User: principal(r), Data: data, TZ: s.cfg.TZ.String()}
}

// errorData is the data of the error page.
type errorData struct {
	Status  int
	Message string
}

// renderError shows the friendly error page.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	d := s.page(r, "error.title", errorData{Status: status, Message: msg})
	if err := s.views.render(w, status, "error.html", d); err != nil {
		s.log.ErrorContext(r.Context(), "render error page", "request_id", ravao.RequestID(r.Context()), "err", err.Error())
		http.Error(w, http.StatusText(status), status)
	}
}

// templateNames lists the page templates, for tests.
func (s *Server) templateNames() []string {
	return slices.Sorted(func(yield func(string) bool) {
		for name := range s.views.sets[s.cat.Default()] {
			if !yield(name) {
				return
			}
		}
	})
}
