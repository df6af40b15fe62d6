package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/profiles/pdf"
	"github.com/sshcv/sshcv/tui"
)

// runRender prints one CV in one of the formats the server offers, for owners to check
// their file and for scripts.
func runRender(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ef := &envFlags{fs: fs}
	var (
		dir, format, paper string
		width              int
		light              bool
	)
	ef.String(&dir, "profiles", "SSHCV_PROFILES", "", "folder of profiles (default: the bundled CVs)")
	fs.StringVar(&format, "format", "text", "text, ansi, md, json, vcard or pdf")
	fs.StringVar(&paper, "paper", "a4", "pdf: a4 or letter")
	fs.IntVar(&width, "width", 80, "width in columns for text and ansi")
	fs.BoolVar(&light, "light", false, "ansi: colours for a light background")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: sshcv render HANDLE [--format text|ansi|md|json|vcard|pdf] [--width N] [--paper a4|letter] [--profiles DIR]")
		fs.PrintDefaults()
	}
	rest, code, done := ef.parse(args, 1, stderr)
	if done {
		return code
	}
	if len(rest) == 0 {
		fs.Usage()
		return 2
	}
	handle := rest[0]
	if width < 20 || width > 1000 {
		fmt.Fprintf(stderr, "sshcv render: --width %d: expected 20 to 1000 columns\n", width)
		return 2
	}
	size, ok := pdf.ParsePaper(paper)
	if !ok {
		fmt.Fprintf(stderr, "sshcv render: --paper %q: use a4 or letter\n", paper)
		return 2
	}
	p, ok := findProfile("render", dir, handle, stderr)
	if !ok {
		return 1
	}
	var (
		out []byte
		err error
	)
	switch format {
	case "text":
		out = []byte(tui.NewRenderer(4).Text(p, width))
	case "ansi":
		out = []byte(tui.NewRenderer(4).ANSI(p, width, !light))
	case "md", "markdown":
		out = profiles.ExportMarkdown(p)
	case "json":
		out, err = profiles.ExportJSONResume(p)
	case "vcard", "vcf":
		out = profiles.ExportVCard(p)
	case "pdf":
		out, err = tui.NewRenderer(4).PDF(p, size)
	default:
		fmt.Fprintf(stderr, "sshcv render: unknown format %q; use text, ansi, md, json, vcard or pdf\n", format)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "sshcv render:", err)
		return 1
	}
	if _, err := stdout.Write(out); err != nil {
		return 1
	}
	if len(out) > 0 && out[len(out)-1] != '\n' && format != "pdf" {
		fmt.Fprintln(stdout)
	}
	return 0
}

func firstErr(errs []error) error {
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// findProfile looks a CV up for a subcommand in the profiles folder dir (the bundled CVs
// when empty), or says on stderr why it cannot, with a suggestion for a near miss.
func findProfile(cmd, dir, handle string, stderr io.Writer) (*profiles.Profile, bool) {
	reg, err := profiles.OpenRegistry(profiles.RegistryOptions{Dir: dir})
	if err != nil {
		fmt.Fprintf(stderr, "sshcv %s: %v\n", cmd, err)
		return nil, false
	}
	p, ok := reg.Lookup(handle)
	if !ok {
		msg := fmt.Sprintf("sshcv %s: no CV named %q", cmd, handle)
		if s, ok := reg.Suggest(handle); ok {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		fmt.Fprintln(stderr, msg)
	}
	return p, ok
}
