package profiles

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// The checks in this file run on a profile's bytes before they are parsed for real, and
// refuse the few inputs whose parsing costs far more than their size (the Markdown
// loader's own bound on inline marks is markdown.CheckMarks). Each check is linear in
// the file's size.

// checkYAMLAliases refuses a YAML profile that uses an alias (*name, or a merge key
// "<<: *name"). Expanding aliases is what a YAML bomb abuses: a few hundred bytes of
// nested anchors expand to gigabytes. A CV never needs one, and the front matter of a
// Markdown profile refuses them too. Only the syntax tree is built here, whose size is
// that of the text: nothing is expanded.
func checkYAMLAliases(file string, data []byte) error {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil // the real parse reports it, with its place
	}
	var found *ast.AliasNode
	for _, doc := range f.Docs {
		ast.Walk(aliasFinder{&found}, doc)
		if found != nil {
			break
		}
	}
	if found == nil {
		return nil
	}
	line, col := 0, 0
	if tk := found.GetToken(); tk != nil && tk.Position != nil {
		line, col = tk.Position.Line, tk.Position.Column
	}
	name := strings.TrimPrefix(found.String(), "*")
	return errorf(file, line, col, "YAML alias *%s: aliases are not allowed in a profile (a few of them can expand to gigabytes); write the value out in full", name)
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

// checkHostile runs the checks above that apply to the file's format.
func checkHostile(file string, data []byte) error {
	switch strings.ToLower(path.Ext(file)) {
	case ".yaml", ".yml":
		if !bytes.ContainsRune(data, '*') {
			return nil // no alias without a star
		}
		return checkYAMLAliases(file, data)
	}
	return nil
}

// openInside opens a profiles folder as a file system in which links are followed only
// while they stay inside it: a link to /etc/passwd, or up and out with "..", fails to
// open instead of being read. Links inside the folder still work (a Kubernetes
// ConfigMap mounts each file as a link into a hidden "..data" folder beside it).
func openInside(dir string) (fs.FS, io.Closer, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, err
	}
	return root.FS(), root, nil
}

// linkError says why name could not be opened, naming the target of a link that
// leaves the folder.
func linkError(fsys fs.FS, name, source string, err error) error {
	if !errors.Is(err, fs.ErrNotExist) {
		if target, lerr := fs.ReadLink(fsys, name); lerr == nil {
			return errorf(source, 0, 0, "a link to %s, outside the profiles folder: links are followed only inside the folder; copy the file in instead", target)
		}
	}
	return errorf(source, 0, 0, "cannot read: %v", unwrapPathError(err))
}
