// Package units reads Vietnam's administrative units from files and imports
// them into the store as one versioned tree. Units are data, not code: the
// national list changed from three levels (province, district, commune) to
// two in 2025, and an installation follows by importing a new file, not by
// upgrading Ravao.
package units

import (
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/ravao/ravao"
)

// node is one unit in the JSON of the public dataset
// "vietnamese-provinces-database". Its children are under "District" and
// "Ward" (the three-level list) or "Wards" (the two-level list since 2025);
// whichever a node has, it is one level above them.
type node struct {
	Code       string `json:"Code"`
	Name       string `json:"Name"`
	NameEn     string `json:"NameEn"`
	FullName   string `json:"FullName"`
	FullNameEn string `json:"FullNameEn"`
	District   []node `json:"District"`
	Ward       []node `json:"Ward"`
	Wards      []node `json:"Wards"`
}

// ParseJSON reads a JSON array of provinces with their nested districts
// and communes, and returns the units of every level with the given
// version, parents before children. It reads one province at a time.
func ParseJSON(r io.Reader, version string) ([]ravao.Unit, error) {
	dec := json.NewDecoder(r)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, jsonError(err)
	}
	var out []ravao.Unit
	for dec.More() {
		var n node
		if err := dec.Decode(&n); err != nil {
			return nil, jsonError(err)
		}
		out = flatten(out, n, "", 1, version)
	}
	if _, err := dec.Token(); err != nil {
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, jsonError(errors.New("data after the array"))
	}
	return out, nil
}

// jsonError is the error for a file that is not the JSON expected. The
// cause, logged, says where.
func jsonError(err error) error {
	if err == nil {
		err = errors.New("the file must be a JSON array of provinces")
	}
	return &ravao.Error{Code: ravao.Invalid, Key: "err.json", Err: err}
}

// flatten appends n and its descendants, depth first, with levels from
// their depth.
func flatten(out []ravao.Unit, n node, parent string, level int, version string) []ravao.Unit {
	out = append(out, ravao.Unit{
		Version: version, Code: strings.TrimSpace(n.Code), ParentCode: parent, Level: level,
		Name: clean(n.Name), FullName: clean(n.FullName), NameEn: clean(n.NameEn), FullNameEn: clean(n.FullNameEn),
	})
	for _, kids := range [][]node{n.District, n.Ward, n.Wards} {
		for _, k := range kids {
			out = flatten(out, k, strings.TrimSpace(n.Code), level+1, version)
		}
	}
	return out
}

// clean trims a name and puts it in NFC, so that names compare and sort
// the same whatever tool wrote the file.
func clean(s string) string { return norm.NFC.String(strings.TrimSpace(s)) }

// versionInName finds a date-like version at the end of a file name, as in
// vn-units-2025-03.
var versionInName = regexp.MustCompile(`(\d{4}-\d{2}(-\d{2})?)$`)

// VersionFromFilename returns the dataset version a file name carries:
// "vn-units-2025-03.json" is "2025-03". A name without a date gives its
// base name without the extension.
func VersionFromFilename(path string) string {
	base := filepath.Base(path)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	if m := versionInName.FindString(stem); m != "" {
		return m
	}
	return stem
}
