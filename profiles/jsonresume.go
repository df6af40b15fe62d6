package profiles

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/sshcv/sshcv/profiles/doc"
)

// ParseResume reads a JSON Resume document (schema 1.0.0) written as JSON (.json) or
// YAML (.yaml, .yml), named by name's extension, into a Profile. Errors are *Error values
// placed at the line and column the owner must fix. The caller (Parse) sets the handle
// and the file facts.
func ParseResume(name string, data []byte) (*Profile, error) {
	var (
		res *Resume
		loc valueLocator
		err error
	)
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml":
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
		return nil, errorf(name, line, col, "basics.name: missing; the viewer shows it as the CV's title")
	}
	if err := checkSSHCVMeta(name, res, loc); err != nil {
		return nil, err
	}
	p := resumeProfile(res)
	if res.Meta != nil {
		if p.Owner, err = jsonOwner(res.Meta.SSHCV); err != nil {
			line, col := loc.position(jsonPath{"meta", "sshcv"})
			return nil, errorf(name, line, col, "%v", err)
		}
	}
	return p, nil
}

// valueLocator finds where a value of the document starts, by its path.
type valueLocator interface {
	position(p jsonPath) (line, col int)
}

// decodeJSONResume decodes data into a Resume, keeping unknown keys.
func decodeJSONResume(name string, data []byte) (*Resume, valueLocator, error) {
	loc := &jsonLocator{data: data}
	var res Resume
	if err := json.Unmarshal(data, &res); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			at := max(int(syntax.Offset)-1, 0)
			line, col := offsetPosition(data, at)
			return nil, nil, errorf(name, line, col, "JSON syntax error: %s", syntaxMessage(syntax.Error(), data, at))
		}
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			p := loc.pathOf(typeErr)
			line, col := loc.position(p)
			return nil, nil, errorf(name, line, col, "%s", typeMessage(p, typeErr))
		}
		return nil, nil, errorf(name, 0, 0, "%v", err)
	}
	keepUnknownKeys(data, reflect.ValueOf(&res))
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
func decodeYAMLResume(name string, data []byte) (*Resume, valueLocator, error) {
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
		return nil, nil, errorf(name, 1, 1, "the document is empty; expected a JSON Resume with at least basics.name")
	}
	// YAML reads an unquoted 2017 as a number; the schema wants the text as written.
	tree = numbersToStrings(tree, reflect.TypeFor[Resume]())
	converted, err := yaml.MarshalWithOptions(tree, yaml.JSON())
	if err != nil {
		return nil, nil, errorf(name, 0, 0, "cannot convert the YAML document to JSON: %v", err)
	}
	var res Resume
	if err := json.Unmarshal(converted, &res); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			p := (&jsonLocator{data: converted}).pathOf(typeErr)
			line, col := loc.position(p)
			return nil, nil, errorf(name, line, col, "%s", typeMessage(p, typeErr))
		}
		return nil, nil, errorf(name, 0, 0, "%v", err)
	}
	keepUnknownKeys(converted, reflect.ValueOf(&res))
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
		return errorf(name, line, col, "YAML: %s", yerr.GetMessage())
	}
	return errorf(name, 0, 0, "YAML: %v", err)
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
			if name, ok := jsonFieldName(t.Field(i)); ok {
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
	}
	return v
}

// jsonPath is the path to a value in a document: object keys (string) and list
// indices (int), from the root.
type jsonPath []any

// String writes the path as an owner reads it: work[0].highlights.
func (p jsonPath) String() string {
	var b strings.Builder
	for _, elem := range p {
		switch e := elem.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", e)
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(e)
		}
	}
	return b.String()
}

// keys returns the path without its list indices, as encoding/json names fields.
func (p jsonPath) keys() string {
	var parts []string
	for _, elem := range p {
		if s, ok := elem.(string); ok {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ".")
}

// jsonLocator finds values in a JSON document by their path.
type jsonLocator struct {
	data  []byte
	spans []valueSpan // built on first use
}

type valueSpan struct {
	path       jsonPath
	start, end int // byte offsets: the value's first byte and the byte after it
}

func (l *jsonLocator) position(p jsonPath) (int, int) {
	for _, s := range l.valueSpans() {
		if slicesEqualPath(s.path, p) {
			return offsetPosition(l.data, s.start)
		}
	}
	if len(p) > 0 {
		return l.position(p[:len(p)-1])
	}
	return 1, 1
}

// pathOf finds the value a type error is about: the innermost value whose keys match
// the error's field and whose bytes hold the offset where decoding stopped.
func (l *jsonLocator) pathOf(e *json.UnmarshalTypeError) jsonPath {
	var best *valueSpan
	for i, s := range l.valueSpans() {
		if s.path.keys() != e.Field || s.start >= int(e.Offset) || int(e.Offset) > s.end {
			continue
		}
		if best == nil || s.start > best.start {
			best = &l.spans[i]
		}
	}
	if best == nil {
		if e.Field == "" {
			return nil
		}
		var p jsonPath
		for _, k := range strings.Split(e.Field, ".") {
			p = append(p, k)
		}
		return p
	}
	return best.path
}

// valueSpans tokenises the document once, recording where every value starts and ends.
func (l *jsonLocator) valueSpans() []valueSpan {
	if l.spans != nil {
		return l.spans
	}
	type frame struct {
		object    bool
		key       string
		index     int
		expectKey bool
		span      int // index of the container's own span
	}
	var stack []*frame
	current := func() jsonPath {
		p := make(jsonPath, 0, len(stack))
		for _, f := range stack {
			if f.object {
				p = append(p, f.key)
			} else {
				p = append(p, f.index)
			}
		}
		return p
	}
	valueDone := func() {
		if len(stack) == 0 {
			return
		}
		top := stack[len(stack)-1]
		if top.object {
			top.expectKey = true
		} else {
			top.index++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(l.data))
	spans := []valueSpan{}
	for {
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			break
		}
		start := skipSeparators(l.data, before)
		end := int(dec.InputOffset())
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].expectKey {
			if key, ok := tok.(string); ok {
				stack[n-1].key = key
				stack[n-1].expectKey = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			spans = append(spans, valueSpan{path: current(), start: start, end: len(l.data)})
			stack = append(stack, &frame{object: tok == json.Delim('{'), expectKey: tok == json.Delim('{'), span: len(spans) - 1})
		case json.Delim('}'), json.Delim(']'):
			if len(stack) == 0 {
				break
			}
			spans[stack[len(stack)-1].span].end = end
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			spans = append(spans, valueSpan{path: current(), start: start, end: end})
			valueDone()
		}
	}
	l.spans = spans
	return spans
}

// skipSeparators returns the offset of the first byte at or after i that is not white
// space, a comma or a colon: where the next token starts.
func skipSeparators(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
		default:
			return i
		}
	}
	return i
}

func slicesEqualPath(a, b jsonPath) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// offsetPosition turns a byte offset into a 1-based line and column, counting columns
// in characters.
func offsetPosition(data []byte, offset int) (line, col int) {
	offset = min(offset, len(data))
	line = 1 + bytes.Count(data[:offset], []byte("\n"))
	lineStart := bytes.LastIndexByte(data[:offset], '\n') + 1
	return line, 1 + utf8.RuneCount(data[lineStart:offset])
}

// yamlLocator finds values in a YAML document by their path.
type yamlLocator struct {
	file *ast.File
}

func (l *yamlLocator) position(p jsonPath) (int, int) {
	for {
		b := (&yaml.PathBuilder{}).Root()
		for _, elem := range p {
			switch e := elem.(type) {
			case int:
				b = b.Index(uint(e))
			case string:
				b = b.Child(e)
			}
		}
		if node, err := b.Build().FilterFile(l.file); err == nil && node != nil {
			if tk := node.GetToken(); tk != nil && tk.Position != nil {
				return tk.Position.Line, tk.Position.Column
			}
		}
		if len(p) == 0 {
			break
		}
		p = p[:len(p)-1]
	}
	return 1, 1
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
		}
		return "a list"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	}
	return t.String()
}

// checkSSHCVMeta validates meta.sshcv's aliases, placed at the bad entry.
func checkSSHCVMeta(name string, res *Resume, loc valueLocator) error {
	if res.Meta == nil || res.Meta.SSHCV == nil {
		return nil
	}
	for i, alias := range res.Meta.SSHCV.Aliases {
		if !validHandle(strings.ToLower(alias)) {
			line, col := loc.position(jsonPath{"meta", "sshcv", "aliases", i})
			return errorf(name, line, col, "meta.sshcv.aliases[%d]: %q is not a valid name; %s", i, alias, handleRuleText)
		}
	}
	if a := res.Meta.SSHCV.Accent; a != "" {
		if _, ok := doc.ParseColour(a); !ok {
			line, col := loc.position(jsonPath{"meta", "sshcv", "accent"})
			return errorf(name, line, col, "meta.sshcv.accent: %q is not a colour (%s)", a, doc.ColourRule)
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
			v.SetString(Sanitize(v.String()))
		}
	}
}

// resumeProfile maps a JSON Resume document onto the viewer's Profile.
func resumeProfile(res *Resume) *Profile {
	b := res.Basics
	p := &Profile{
		Name:     strings.TrimSpace(b.Name),
		Headline: strings.TrimSpace(b.Label),
		Email:    strings.TrimSpace(b.Email),
		Phone:    strings.TrimSpace(b.Phone),
		Location: b.Location.text(),
		Format:   FormatJSONResume,
		Resume:   res,
	}
	if b.URL != "" {
		p.Links = append(p.Links, Link{Label: hostLabel(b.URL), URL: b.URL})
	}
	for _, sp := range b.Profiles {
		if l, ok := sp.link(); ok {
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

// text is the location as one line, every part the document gives: "2 Orchard Lane,
// N1 9GU London, England, GB".
func (l *Location) text() string {
	if l == nil {
		return ""
	}
	town := strings.Join(nonEmpty(l.PostalCode, l.City), " ")
	return strings.Join(nonEmpty(l.Address, town, l.Region, l.CountryCode), ", ")
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

func (sp ResumeProfile) link() (Link, bool) {
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
		return Link{}, false
	}
	if label == "" {
		label = hostLabel(u)
	}
	return Link{Label: label, URL: u, Username: strings.TrimSpace(sp.Username)}, true
}

// hostLabel is the short form of a URL shown in the header: its host without "www.".
func hostLabel(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.TrimPrefix(u.Host, "www.")
}

func nonEmpty(parts ...string) []string {
	out := parts[:0:0]
	for _, s := range parts {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
