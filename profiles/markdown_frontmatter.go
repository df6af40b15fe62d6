package profiles

import (
	"bytes"
	"errors"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	yamlast "github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/sshcv/sshcv/profiles/doc"
)

// frontMatter is what the YAML header of a Markdown profile may say. Keys it does not
// know (a Jekyll layout or title) are ignored.
type frontMatter struct {
	name, headline, location, email, phone, accent string
	aliases                                        []string
	links                                          []Link
	hasLinks                                       bool
	isDefault                                      bool
	owner                                          OwnerOptions
}

// splitFrontMatter cuts the YAML front matter off a Markdown file. The front matter is
// the lines between a first line "---" and the next line "---" (or "..."). It returns
// the YAML, the Markdown after it, and how many lines come before the Markdown, so that
// positions can be given in the file's own lines.
func splitFrontMatter(file string, data []byte) (yml, body []byte, bodyLine int, err error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	first, rest, found := bytes.Cut(data, []byte("\n"))
	if strings.TrimRight(string(first), " \t\r") != "---" {
		return nil, data, 0, nil
	}
	if !found {
		return nil, nil, 0, errorf(file, 1, 1, `front matter: no closing "---" line`)
	}
	offset, line := 0, 2
	for offset <= len(rest) {
		end := bytes.IndexByte(rest[offset:], '\n')
		next := len(rest)
		if end >= 0 {
			next = offset + end
		}
		l := strings.TrimRight(string(rest[offset:next]), " \t\r")
		if l == "---" || l == "..." {
			body := []byte(nil)
			if next < len(rest) {
				body = rest[next+1:]
			}
			return rest[:offset], body, line, nil
		}
		if end < 0 {
			break
		}
		offset, line = next+1, line+1
	}
	return nil, nil, 0, errorf(file, 1, 1, `front matter: no closing "---" line`)
}

var (
	// unquotedColour finds "accent: #7d56f4", which YAML reads as an empty value and a comment.
	unquotedColour = regexp.MustCompile(`^accent:\s+(#[0-9A-Fa-f]{3,8})\s*$`)
	// duplicateKey reads the YAML parser's message about a key given twice.
	duplicateKey = regexp.MustCompile(`^mapping key "([^"]*)" already defined at \[(\d+):\d+\]`)
)

// maxFrontMatter bounds the YAML header. Real ones are a few hundred bytes, and the YAML
// parser slows down more than linearly on nested collections.
const maxFrontMatter = 32 << 10

// handleRule is the rule every handle and alias follows.
var handleRule = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,31}$`)

// parseFrontMatter reads the YAML front matter, which starts on line 2 of file.
func parseFrontMatter(file string, yml []byte) (fm frontMatter, err error) {
	const firstLine = 2
	at := func(n yamlast.Node) (int, int) {
		if n == nil || n.GetToken() == nil {
			return firstLine, 0
		}
		p := n.GetToken().Position
		return p.Line + firstLine - 1, p.Column
	}
	fail := func(n yamlast.Node, format string, args ...any) error {
		line, col := at(n)
		return errorf(file, line, col, format, args...)
	}
	defer func() {
		// a YAML library that panics on hostile input must not take the server with it
		if r := recover(); r != nil {
			err = errorf(file, firstLine, 0, "front matter: unreadable YAML")
		}
	}()
	mapping, err := frontMatterMapping(file, yml, firstLine, fail)
	if err != nil || mapping == nil {
		return fm, err
	}
	seen := map[string]int{}
	for _, kv := range mapping.Values {
		key := strings.ToLower(strings.TrimSpace(kv.Key.String()))
		keyLine, _ := at(kv.Key)
		if first, dup := seen[key]; dup {
			return fm, fail(kv.Key, "%s: given twice (first on line %d)", key, first)
		}
		seen[key] = keyLine
		value := unwrap(kv.Value)
		if _, isNull := value.(*yamlast.NullNode); isNull || value == nil {
			continue // "email:" with nothing after it says nothing
		}
		if read, known := frontMatterKeys[key]; known {
			if err := read(&fm, key, value, fail); err != nil {
				return fm, err
			}
		}
	}
	return fm, nil
}

// failFunc reports a problem at a node of the front matter, as file:line:col.
type failFunc func(n yamlast.Node, format string, args ...any) error

// frontMatterMapping reads the YAML into its top-level mapping (nil when there is none),
// with every problem placed at its line and column.
func frontMatterMapping(file string, yml []byte, firstLine int, fail failFunc) (*yamlast.MappingNode, error) {
	for i, line := range strings.Split(string(yml), "\n") {
		if m := unquotedColour.FindStringSubmatchIndex(line); m != nil {
			return nil, errorf(file, i+firstLine, m[2]+1, `accent: put the colour in quotes (accent: "%s"): an unquoted # starts a YAML comment`, strings.TrimSpace(line[m[2]:]))
		}
	}
	if len(yml) > maxFrontMatter {
		return nil, errorf(file, firstLine, 0, "front matter: longer than %d KiB; the CV itself goes below the closing \"---\"", maxFrontMatter>>10)
	}
	f, perr := parser.ParseBytes(yml, 0)
	if perr != nil {
		var syn *yaml.SyntaxError
		if errors.As(perr, &syn) && syn.Token != nil {
			line, col := syn.Token.Position.Line+firstLine-1, syn.Token.Position.Column
			if m := duplicateKey.FindStringSubmatch(syn.Message); m != nil {
				first, _ := strconv.Atoi(m[2])
				return nil, errorf(file, line, col, "%s: given twice (first on line %d)", m[1], first+firstLine-1)
			}
			return nil, errorf(file, line, col, "front matter: %s", syn.Message)
		}
		return nil, errorf(file, firstLine, 0, "front matter: %s", firstLineOf(perr.Error()))
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil, nil
	}
	if len(f.Docs) > 1 {
		return nil, fail(f.Docs[1], `front matter: more than one YAML document`)
	}
	root := unwrap(f.Docs[0].Body)
	if _, isNull := root.(*yamlast.NullNode); isNull {
		return nil, nil
	}
	mapping, ok := root.(*yamlast.MappingNode)
	if !ok {
		if mv, single := root.(*yamlast.MappingValueNode); single {
			return &yamlast.MappingNode{Values: []*yamlast.MappingValueNode{mv}}, nil
		}
		return nil, fail(root, `front matter: expected "key: value" lines`)
	}
	return mapping, nil
}

// frontMatterKeys reads each key the front matter knows; a new setting is one more
// entry here and a field of frontMatter.
var frontMatterKeys = map[string]func(fm *frontMatter, key string, value yamlast.Node, fail failFunc) error{
	"name":     textKey(func(fm *frontMatter, s string) { fm.name = s }),
	"headline": textKey(func(fm *frontMatter, s string) { fm.headline = s }),
	"location": textKey(func(fm *frontMatter, s string) { fm.location = s }),
	"email":    textKey(func(fm *frontMatter, s string) { fm.email = strings.TrimPrefix(s, "mailto:") }),
	"phone":    textKey(func(fm *frontMatter, s string) { fm.phone = s }),
	"aliases":  readAliases,
	"links":    readLinks,
	"accent":   readAccent,
	"default": func(fm *frontMatter, _ string, value yamlast.Node, fail failFunc) error {
		b, ok := value.(*yamlast.BoolNode)
		if !ok {
			return fail(value, "default: expected true or false")
		}
		fm.isDefault = b.Value
		return nil
	},
	"messages":   readOwner, // owner.go
	"owner_keys": readOwner,
}

// readOwner reads messages: and owner_keys: (owner.go).
func readOwner(fm *frontMatter, key string, value yamlast.Node, fail failFunc) error {
	return frontMatterOwner(&fm.owner, key, value, fail)
}

// textKey reads a key whose value is one line of text.
func textKey(set func(*frontMatter, string)) func(*frontMatter, string, yamlast.Node, failFunc) error {
	return func(fm *frontMatter, key string, value yamlast.Node, fail failFunc) error {
		s, ok := scalarText(value)
		if !ok {
			return fail(value, "%s: expected text", key)
		}
		set(fm, s)
		return nil
	}
}

func readAliases(fm *frontMatter, _ string, value yamlast.Node, fail failFunc) error {
	seq, ok := value.(*yamlast.SequenceNode)
	if !ok {
		return fail(value, "aliases: expected a list of names")
	}
	for _, item := range seq.Values {
		item = unwrap(item)
		s, ok := scalarText(item)
		if !ok {
			return fail(item, "aliases: expected a list of names")
		}
		alias := strings.ToLower(strings.TrimSpace(s))
		if !handleRule.MatchString(alias) {
			return fail(item, "aliases: %q is not a valid name (1 to 32 of a-z, 0-9, '.', '_', '-', starting with a letter or digit)", s)
		}
		fm.aliases = append(fm.aliases, alias)
	}
	return nil
}

func readLinks(fm *frontMatter, _ string, value yamlast.Node, fail failFunc) error {
	seq, ok := value.(*yamlast.SequenceNode)
	if !ok {
		return fail(value, "links: expected a list of {label, url}")
	}
	fm.hasLinks = true
	for _, item := range seq.Values {
		l, err := parseLink(unwrap(item), fail)
		if err != nil {
			return err
		}
		fm.links = append(fm.links, l)
	}
	return nil
}

func readAccent(fm *frontMatter, _ string, value yamlast.Node, fail failFunc) error {
	s, ok := scalarText(value)
	colour, valid := doc.ParseColour(s)
	if !ok || !valid {
		return fail(value, "accent: %q is not a colour (%s)", s, doc.ColourRule)
	}
	fm.accent = colour.String()
	return nil
}

func parseLink(item yamlast.Node, fail failFunc) (Link, error) {
	m, ok := item.(*yamlast.MappingNode)
	if !ok {
		if mv, single := item.(*yamlast.MappingValueNode); single {
			m = &yamlast.MappingNode{Values: []*yamlast.MappingValueNode{mv}}
		} else {
			return Link{}, fail(item, "links: expected a list of {label, url}")
		}
	}
	var l Link
	for _, kv := range m.Values {
		v := unwrap(kv.Value)
		s, ok := scalarText(v)
		switch strings.ToLower(kv.Key.String()) {
		case "label":
			if !ok {
				return l, fail(v, "links: label: expected text")
			}
			l.Label = strings.TrimSpace(s)
		case "url":
			if !ok {
				return l, fail(v, "links: url: expected text")
			}
			l.URL = strings.TrimSpace(s)
			if u, err := url.Parse(l.URL); err != nil || u.Scheme == "" || !usableURL(l.URL) {
				return l, fail(v, "links: %q is not a full URL (start it with https:// or mailto:)", l.URL)
			}
		case "username":
			if !ok {
				return l, fail(v, "links: username: expected text")
			}
			l.Username = strings.TrimSpace(s)
		}
	}
	if l.URL == "" {
		return l, fail(item, "links: every link needs a url")
	}
	if l.Label == "" {
		l.Label = linkLabel("", l.URL)
	}
	return l, nil
}

// unwrap looks through tags (!!str) and anchors (&a) to the value they mark.
func unwrap(n yamlast.Node) yamlast.Node {
	for i := 0; i < 8; i++ {
		switch t := n.(type) {
		case *yamlast.TagNode:
			n = t.Value
		case *yamlast.AnchorNode:
			n = t.Value
		default:
			return n
		}
	}
	return n
}

// scalarText returns a scalar as the text it was written as: "2024" and "true" are
// text too when a key expects text.
func scalarText(n yamlast.Node) (string, bool) {
	switch v := n.(type) {
	case *yamlast.StringNode:
		return v.Value, true
	case *yamlast.LiteralNode:
		if v.Value == nil {
			return "", true
		}
		return strings.TrimRight(v.Value.Value, "\n"), true
	case *yamlast.IntegerNode, *yamlast.FloatNode, *yamlast.BoolNode, *yamlast.InfinityNode, *yamlast.NanNode:
		if t := n.GetToken(); t != nil {
			return t.Value, true
		}
	}
	return "", false
}

func firstLineOf(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}
