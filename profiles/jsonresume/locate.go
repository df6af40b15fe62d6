package jsonresume

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/sshcv/sshcv/profiles/cv"
)

// This file finds where a value of a JSON or YAML document is, so that an error names
// the line and column the owner must fix.

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
			return cv.OffsetPosition(l.data, s.start)
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
