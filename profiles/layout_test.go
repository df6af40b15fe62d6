package profiles

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestPackagesImportOnlyWhatTheirDocsAllow holds the sub-packages to the imports their
// package docs allow: the model and the rules at the bottom, the loaders and exporters
// above them, this package (the registry) over all, and goldmark in the Markdown loader
// only.
func TestPackagesImportOnlyWhatTheirDocsAllow(t *testing.T) {
	const mod = "github.com/sshcv/sshcv/"
	allowed := map[string][]string{
		"doc":        nil,
		"sanitize":   nil,
		"cv":         {"profiles/doc"},
		"sections":   {"profiles/doc"},
		"export":     {"profiles/cv", "profiles/doc"},
		"markdown":   {"profiles/cv", "profiles/doc", "profiles/sanitize", "profiles/sections"},
		"jsonresume": {"profiles/cv", "profiles/doc", "profiles/markdown", "profiles/sanitize", "profiles/sections"},
	}
	dirs, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		files, _ := filepath.Glob(filepath.Join(d.Name(), "*.go"))
		if !d.IsDir() || len(files) == 0 {
			continue
		}
		want, known := allowed[d.Name()]
		if !known {
			t.Errorf("package profiles/%s: say in this test what it may import", d.Name())
			continue
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range parsed.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				own, isOwn := strings.CutPrefix(path, mod)
				switch {
				case isOwn && !slices.Contains(want, own):
					t.Errorf("%s imports %s", f, path)
				case strings.HasPrefix(path, "github.com/yuin/goldmark") && d.Name() != "markdown":
					t.Errorf("%s imports %s: Markdown is parsed in package markdown only", f, path)
				}
			}
		}
	}
}
