package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sshcv/sshcv/profiles"
)

// TestRenderOffersEveryExportFormat: sshcv render once kept its own list of formats;
// it now takes every name and alias of profiles.ExportFormats, and its usage lists them.
func TestRenderOffersEveryExportFormat(t *testing.T) {
	want := map[string][]byte{}
	p, ok := findProfile("render", "", "rohit", &bytes.Buffer{})
	if !ok {
		t.Fatal("no bundled rohit")
	}
	for _, f := range profiles.ExportFormats {
		if f.Export != nil {
			out, err := f.Export(p)
			if err != nil {
				t.Fatal(err)
			}
			want[f.Name] = out
		}
		for _, name := range append([]string{f.Name}, f.Aliases...) {
			var stdout, stderr bytes.Buffer
			if code := runRender([]string{"rohit", "--format", name}, &stdout, &stderr); code != 0 || stdout.Len() == 0 {
				t.Errorf("--format %s: exit %d, %d bytes, %s", name, code, stdout.Len(), stderr.String())
			}
			if w, ok := want[f.Name]; ok && !bytes.Equal(bytes.TrimSuffix(stdout.Bytes(), []byte("\n")), bytes.TrimSuffix(w, []byte("\n"))) {
				t.Errorf("--format %s is not the %s export", name, f.Title)
			}
		}
	}
	var stderr bytes.Buffer
	if code := runRender([]string{"rohit", "--format", "pdfx"}, &bytes.Buffer{}, &stderr); code != 2 ||
		!strings.Contains(stderr.String(), strings.Join(profiles.FormatNames()[1:len(profiles.FormatNames())-1], ", ")) {
		t.Errorf("an unknown format: exit %d, %q", code, stderr.String())
	}
}
