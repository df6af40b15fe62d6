// Package jsonresume reads and writes JSON Resume documents (schema 1.0.0; the types are
// profiles/cv's). Parse reads one written as JSON or YAML, refusing YAML aliases first
// and placing every error at the line and column to fix, and builds the CV's document
// from the fields (document.go: no Markdown round trip; the schema's Markdown fields are
// read by package markdown). Export writes a profile back: a JSON Resume profile gives
// back its document, unknown keys and all; a Markdown profile is mapped onto the schema
// (export.go, schema.go) as far as its sections' entries allow (package sections).
//
// It builds and reads the model (profiles/cv) and may import profiles/doc,
// profiles/sanitize, profiles/sections and profiles/markdown; it must not import
// profiles itself (the registry calls it), the other exporters or any front end.
package jsonresume

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"

	"github.com/sshcv/sshcv/profiles/cv"
	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/profiles/sanitize"
)

// Parse reads a JSON Resume document (schema 1.0.0) written as JSON (.json) or
// YAML (.yaml, .yml), named by name's extension, into a Profile. Errors are *Error values
// placed at the line and column the owner must fix. The caller (Parse) sets the handle
// and the file facts.
func Parse(name string, data []byte) (*cv.Profile, error) {
	var (
		res *cv.Resume
		loc valueLocator
		err error
	)
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml":
		if err := checkYAMLAliases(name, data); err != nil {
			return nil, err
		}
		res, loc, err = decodeYAMLResume(name, data)
	default:
		res, loc, err = decodeJSONResume(name, data)
	}
	if err != nil {
		return nil, err
	}
	sanitizeStrings(reflect.ValueOf(res))
	if res.Basics == nil || strings.TrimSpace(res.Basics.Name) == "" {
		line, col := loc.position(jsonPath{"basics"})
		return nil, cv.Errorf(name, line, col, "basics.name: missing; the viewer shows it as the CV's title")
	}
	if err := checkSSHCVMeta(name, res, loc); err != nil {
		return nil, err
	}
	p := resumeProfile(res)
	if res.Meta != nil {
		if p.Owner, err = jsonOwner(res.Meta.SSHCV); err != nil {
			line, col := loc.position(jsonPath{"meta", "sshcv"})
			return nil, cv.Errorf(name, line, col, "%v", err)
		}
	}
	return p, nil
}

// valueLocator finds where a value of the document starts, by its path.
type valueLocator interface {
	position(p jsonPath) (line, col int)
}

// decodeJSONResume decodes data into a Resume, keeping unknown keys.
func decodeJSONResume(name string, data []byte) (*cv.Resume, valueLocator, error) {
	loc := &jsonLocator{data: data}
	var res cv.Resume
	if err := json.Unmarshal(data, &res); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			at := max(int(syntax.Offset)-1, 0)
			line, col := cv.OffsetPosition(data, at)
			return nil, nil, cv.Errorf(name, line, col, "JSON syntax error: %s", syntaxMessage(syntax.Error(), data, at))
		}
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			p := loc.pathOf(typeErr)
			line, col := loc.position(p)
			return nil, nil, cv.Errorf(name, line, col, "%s", typeMessage(p, typeErr))
		}
		return nil, nil, cv.Errorf(name, 0, 0, "%v", err)
	}
	cv.KeepUnknownKeys(data, reflect.ValueOf(&res))
	return &res, loc, nil
}

// syntaxMessage rewords encoding/json's syntax errors for someone editing the file.
func syntaxMessage(msg string, data []byte, at int) string {
	msg = strings.TrimPrefix(msg, "json: ")
	if msg == "unexpected end of JSON input" {
		return "the document ends too early (a missing } or ] or closing quote)"
	}
	if at < len(data) && data[at] == '}' && strings.Contains(msg, "looking for beginning of object key") {
		return msg + " (a comma after the last entry?)"
	}
	return msg
}

// decodeYAMLResume converts a YAML document to JSON and decodes that, so that YAML and
// JSON resumes are the same documents; positions in errors point into the YAML.
func decodeYAMLResume(name string, data []byte) (*cv.Resume, valueLocator, error) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, nil, yamlError(name, err)
	}
	loc := &yamlLocator{file: file}
	var tree any
	if err := yaml.UnmarshalWithOptions(data, &tree, yaml.UseOrderedMap()); err != nil {
		return nil, nil, yamlError(name, err)
	}
	if tree == nil {
		return nil, nil, cv.Errorf(name, 1, 1, "the document is empty; expected a JSON Resume with at least basics.name")
	}
	// YAML reads an unquoted 2017 as a number; the schema wants the text as written.
	tree = numbersToStrings(tree, reflect.TypeFor[cv.Resume]())
	converted, err := yaml.MarshalWithOptions(tree, yaml.JSON())
	if err != nil {
		return nil, nil, cv.Errorf(name, 0, 0, "cannot convert the YAML document to JSON: %v", err)
	}
	var res cv.Resume
	if err := json.Unmarshal(converted, &res); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			p := (&jsonLocator{data: converted}).pathOf(typeErr)
			line, col := loc.position(p)
			return nil, nil, cv.Errorf(name, line, col, "%s", typeMessage(p, typeErr))
		}
		return nil, nil, cv.Errorf(name, 0, 0, "%v", err)
	}
	cv.KeepUnknownKeys(converted, reflect.ValueOf(&res))
	return &res, loc, nil
}

// yamlError places a go-yaml error at its token.
func yamlError(name string, err error) error {
	var yerr yaml.Error
	if errors.As(err, &yerr) {
		line, col := 0, 0
		if tk := yerr.GetToken(); tk != nil && tk.Position != nil {
			line, col = tk.Position.Line, tk.Position.Column
		}
		return cv.Errorf(name, line, col, "YAML: %s", yerr.GetMessage())
	}
	return cv.Errorf(name, 0, 0, "YAML: %v", err)
}

// numbersToStrings replaces numbers with their decimal text wherever the schema type t
// expects a string. v is a tree from go-yaml with ordered maps.
func numbersToStrings(v any, t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		switch n := v.(type) {
		case int:
			return strconv.Itoa(n)
		case int64:
			return strconv.FormatInt(n, 10)
		case uint64:
			return strconv.FormatUint(n, 10)
		case float64:
			return strconv.FormatFloat(n, 'f', -1, 64)
		}
	case reflect.Slice:
		items, ok := v.([]any)
		if !ok {
			return v
		}
		for i := range items {
			items[i] = numbersToStrings(items[i], t.Elem())
		}
	case reflect.Struct:
		m, ok := v.(yaml.MapSlice)
		if !ok {
			return v
		}
		fields := map[string]reflect.Type{}
		for i := range t.NumField() {
			if name, ok := cv.JSONFieldName(t.Field(i)); ok {
				fields[strings.ToLower(name)] = t.Field(i).Type
			}
		}
		for i, item := range m {
			key, ok := item.Key.(string)
			if !ok {
				continue
			}
			if ft, ok := fields[strings.ToLower(key)]; ok {
				m[i].Value = numbersToStrings(item.Value, ft)
			}
		}
	default:
		// other kinds take the value as decoded
	}
	return v
}

// typeMessage says what a field should hold and what it holds instead.
func typeMessage(p jsonPath, e *json.UnmarshalTypeError) string {
	got := e.Value
	switch {
	case got == "array":
		got = "a list"
	case got == "object":
		got = "an object"
	case got == "string":
		got = "a string"
	case got == "bool":
		got = "true or false"
	case strings.HasPrefix(got, "number"):
		got = "a number"
	}
	want := describeType(e.Type)
	if len(p) == 0 {
		return fmt.Sprintf("expected a JSON Resume document (an object with basics, work, …), got %s", got)
	}
	return fmt.Sprintf("%s: expected %s, got %s", p, want, got)
}

// describeType names a schema type in the owner's words.
func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice:
		elem := t.Elem()
		switch elem.Kind() {
		case reflect.String:
			return "a list of strings"
		case reflect.Struct:
			return "a list of objects"
		default:
			// lists of other things are just lists
		}
		return "a list"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	default:
		// other kinds are named by their Go type, below
	}
	return t.String()
}

// checkSSHCVMeta validates meta.sshcv's aliases, placed at the bad entry.
func checkSSHCVMeta(name string, res *cv.Resume, loc valueLocator) error {
	if res.Meta == nil || res.Meta.SSHCV == nil {
		return nil
	}
	for i, alias := range res.Meta.SSHCV.Aliases {
		if !cv.ValidHandle(strings.ToLower(alias)) {
			line, col := loc.position(jsonPath{"meta", "sshcv", "aliases", i})
			return cv.Errorf(name, line, col, "meta.sshcv.aliases[%d]: %q is not a valid name; %s", i, alias, cv.HandleRule)
		}
	}
	if a := res.Meta.SSHCV.Accent; a != "" {
		if _, ok := doc.ParseColour(a); !ok {
			line, col := loc.position(jsonPath{"meta", "sshcv", "accent"})
			return cv.Errorf(name, line, col, "meta.sshcv.accent: %q is not a colour (%s)", a, doc.ColourRule)
		}
	}
	return nil
}

// sanitizeStrings runs every string of a decoded document through Sanitize, in place.
func sanitizeStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			sanitizeStrings(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				sanitizeStrings(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			sanitizeStrings(v.Index(i))
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(sanitize.Text(v.String()))
		}
	default:
		// other kinds hold no strings
	}
}

// resumeProfile maps a JSON Resume document onto the viewer's Profile.
func resumeProfile(res *cv.Resume) *cv.Profile {
	b := res.Basics
	p := &cv.Profile{
		Name:     strings.TrimSpace(b.Name),
		Headline: strings.TrimSpace(b.Label),
		Email:    strings.TrimSpace(b.Email),
		Phone:    strings.TrimSpace(b.Phone),
		Location: locationText(b.Location),
		Format:   cv.FormatJSONResume,
		Resume:   res,
	}
	if b.URL != "" {
		p.Links = append(p.Links, cv.Link{Label: hostLabel(b.URL), URL: b.URL})
	}
	for _, sp := range b.Profiles {
		if l, ok := profileLink(sp); ok {
			p.Links = append(p.Links, l)
		}
	}
	if m := res.Meta; m != nil && m.SSHCV != nil {
		for _, a := range m.SSHCV.Aliases {
			p.Aliases = append(p.Aliases, strings.ToLower(a))
		}
		if c, ok := doc.ParseColour(m.SSHCV.Accent); ok {
			p.Accent = c.String()
		}
		p.Default = m.SSHCV.Default
	}
	p.Sections = resumeSections(res)
	return p
}

// locationText is the location as one line, every part the document gives: "2 Orchard Lane,
// N1 9GU London, England, GB".
func locationText(l *cv.Location) string {
	if l == nil {
		return ""
	}
	town := strings.Join(doc.NonEmpty(l.PostalCode, l.City), " ")
	return strings.Join(doc.NonEmpty(l.Address, town, l.Region, l.CountryCode), ", ")
}

// profileURLs builds a profile's address from the user name on networks whose
// addresses follow one pattern, for profiles that give only the name.
var profileURLs = map[string]string{
	"github":    "https://github.com/%s",
	"gitlab":    "https://gitlab.com/%s",
	"twitter":   "https://twitter.com/%s",
	"x":         "https://x.com/%s",
	"linkedin":  "https://www.linkedin.com/in/%s",
	"medium":    "https://medium.com/@%s",
	"dev.to":    "https://dev.to/%s",
	"bitbucket": "https://bitbucket.org/%s",
}

func profileLink(sp cv.ResumeProfile) (cv.Link, bool) {
	label := strings.TrimSpace(sp.Network)
	if label == "" {
		label = strings.TrimSpace(sp.Username)
	}
	u := strings.TrimSpace(sp.URL)
	if u == "" && sp.Username != "" {
		if pattern, ok := profileURLs[strings.ToLower(label)]; ok {
			u = fmt.Sprintf(pattern, url.PathEscape(sp.Username))
		}
	}
	if u == "" {
		return cv.Link{}, false
	}
	if label == "" {
		label = hostLabel(u)
	}
	return cv.Link{Label: label, URL: u, Username: strings.TrimSpace(sp.Username)}, true
}

// hostLabel is the short form of a URL shown in the header: its host without "www.".
func hostLabel(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.TrimPrefix(u.Host, "www.")
}

// jsonOwner reads meta.sshcv.messages and meta.sshcv.owner_keys, kept in the meta's
// Extra keys. owner_keys is then dropped from the document: the JSON export is public,
// and which keys open the owner's inbox is nobody else's business.
func jsonOwner(m *cv.SSHCVMeta) (cv.OwnerOptions, error) {
	var o cv.OwnerOptions
	if m == nil {
		return o, nil
	}
	if raw, ok := m.Extra["messages"]; ok {
		var on bool
		if err := json.Unmarshal(raw, &on); err != nil {
			return o, fmt.Errorf("meta.sshcv.messages: expected true or false")
		}
		o.MessagesOff = !on
	}
	if raw, ok := m.Extra["owner_keys"]; ok {
		var lines []string
		if err := json.Unmarshal(raw, &lines); err != nil {
			return o, fmt.Errorf("meta.sshcv.owner_keys: expected a list of authorized_keys lines")
		}
		keys, err := cv.ParseOwnerKeys(lines)
		if err != nil {
			return o, fmt.Errorf("meta.sshcv.owner_keys: %v", err)
		}
		o.Keys = keys
		delete(m.Extra, "owner_keys")
	}
	return o, nil
}
