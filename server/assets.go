package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"sync"
	"time"

	"github.com/ravao/ravao"
)

// assets serves the static files under content-hashed URLs
// (/static/{hash}/{file}), so they can be cached for a year and still
// change the moment a new version is deployed.
type assets struct {
	dev    bool
	fsys   fs.FS
	mu     sync.Mutex
	hashes map[string]string // file -> hash, computed once unless dev
}

func newAssets(dev bool) (*assets, error) {
	fsys, err := sourceFS(dev)
	if err != nil {
		return nil, err
	}
	return &assets{dev: dev, fsys: fsys, hashes: map[string]string{}}, nil
}

// hash returns the content hash of a static file.
func (a *assets) hash(name string) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if h, ok := a.hashes[name]; ok && !a.dev {
		return h, nil
	}
	b, err := fs.ReadFile(a.fsys, path.Join("static", name))
	if err != nil {
		return "", ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:6])
	a.hashes[name] = h
	return h, nil
}

// url is the template function static: the hashed URL of a file.
func (a *assets) url(name string) (string, error) {
	h, err := a.hash(name)
	if err != nil {
		return "", err
	}
	return "/static/" + h + "/" + name, nil
}

// staticServe answers GET /static/{hash}/{file}. An old hash is a 404, not
// the new content, which would then be cached under the wrong name.
func (s *Server) staticServe(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	h, err := s.assets.hash(name)
	if err != nil || h != r.PathValue("hash") || !fs.ValidPath(name) {
		return ravao.Errorf(ravao.NotFound, "err.page_not_found")
	}
	b, err := fs.ReadFile(s.assets.fsys, path.Join("static", name))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
	return nil
}
