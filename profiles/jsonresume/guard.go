package jsonresume

import (
	"bytes"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/sshcv/sshcv/profiles/cv"
)

// The check in this file runs on a document's bytes before they are parsed for real:
// an owner's file (or a stranger's, where the folder takes uploads) must never take the
// server's memory. It is linear in the file's size.

// checkYAMLAliases refuses a YAML profile that uses an alias (*name, or a merge key
// "<<: *name"). Expanding aliases is what a YAML bomb abuses: a few hundred bytes of
// nested anchors expand to gigabytes. A CV never needs one, and the front matter of a
// Markdown profile refuses them too. Only the syntax tree is built here, whose size is
// that of the text: nothing is expanded.
func checkYAMLAliases(file string, data []byte) error {
	if !bytes.ContainsRune(data, '*') {
		return nil // no alias without a star
	}
	found := firstAlias(data)
	if found == nil {
		return nil
	}
	line, col := 0, 0
	if tk := found.GetToken(); tk != nil && tk.Position != nil {
		line, col = tk.Position.Line, tk.Position.Column
	}
	name := strings.TrimPrefix(found.String(), "*")
	return cv.Errorf(file, line, col, "YAML alias *%s: aliases are not allowed in a profile (a few of them can expand to gigabytes); write the value out in full", name)
}

// firstAlias returns the first alias in data, or nil when there is none or when data
// does not parse: the real parse reports that, with its place.
func firstAlias(data []byte) *ast.AliasNode {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil
	}
	var found *ast.AliasNode
	for _, doc := range f.Docs {
		ast.Walk(aliasFinder{&found}, doc)
		if found != nil {
			break
		}
	}
	return found
}

// aliasFinder stops the walk at the first alias.
type aliasFinder struct{ found **ast.AliasNode }

func (v aliasFinder) Visit(n ast.Node) ast.Visitor {
	if *v.found != nil {
		return nil
	}
	if a, ok := n.(*ast.AliasNode); ok {
		*v.found = a
		return nil
	}
	return v
}
