package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/sshcv/sshcv/pdf"
	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/tui"
)

// runRender prints one CV in one of the formats the server offers, for owners to check
// their file and for scripts.
func runRender(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ef := &envFlags{fs: fs}
	var (
		dir, format, paper, lang string
		width                    int
		light                    bool
	)
	ef.String(&dir, "profiles", "SSHCV_PROFILES", "", "folder of profiles (default: the bundled CVs)")
	fs.StringVar(&format, "format", "text", formatList(" or "))
	fs.IntVar(&width, "width", 80, "width in columns for text and ansi")
	fs.StringVar(&paper, "paper", "a4", "pdf: a4 or letter")
	fs.BoolVar(&light, "light", false, "ansi: colours for a light background")
	fs.StringVar(&lang, "lang", "", "the CV's translation into this language (a BCP 47 tag, e.g. de)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: sshcv render HANDLE [--format "+strings.Join(renderFormats(), "|")+"] [--width N] [--paper a4|letter] [--lang TAG] [--profiles DIR]")
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
	l, ok := findProfileIn("render", dir, handle, lang, stderr)
	if !ok {
		return 1
	}
	p := l.Profile
	var (
		out []byte
		err error
	)
	switch f, known := profiles.FormatNamed(format); {
	case format == "ansi":
		out = []byte(tui.NewRenderer(4).ANSIIn(p, l.Lang, width, !light))
	case known && f.Name == profiles.FormatText:
		out = []byte(tui.NewRenderer(4).TextIn(p, l.Lang, width))
	case known && f.Name == profiles.FormatPDF:
		out, err = tui.NewRenderer(4).PDF(p, size)
	case known:
		out, err = f.Export(p)
	default:
		fmt.Fprintf(stderr, "sshcv render: unknown format %q; use %s\n", format, formatList(" or "))
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "sshcv render:", err)
		return 1
	}
	if _, err := stdout.Write(out); err != nil {
		return 1
	}
	if len(out) > 0 && out[len(out)-1] != '\n' && format != profiles.FormatPDF {
		fmt.Fprintln(stdout)
	}
	return 0
}

// renderFormats are the --format values: the export formats, and ansi after text.
func renderFormats() []string {
	names := profiles.FormatNames()
	return append(names[:1:1], append([]string{"ansi"}, names[1:]...)...)
}

// formatList writes the formats as a list for a sentence: "text, ansi, md, json or vcard".
func formatList(last string) string {
	names := renderFormats()
	return strings.Join(names[:len(names)-1], ", ") + last + names[len(names)-1]
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
	l, ok := findProfileIn(cmd, dir, handle, "", stderr)
	return l.Profile, ok
}

// findProfileIn is findProfile for the CV's translation into lang; "" is the CV itself.
func findProfileIn(cmd, dir, handle, lang string, stderr io.Writer) (profiles.Localized, bool) {
	reg, err := profiles.OpenRegistry(profiles.RegistryOptions{Dir: dir})
	if err != nil {
		fmt.Fprintf(stderr, "sshcv %s: %v\n", cmd, err)
		return profiles.Localized{}, false
	}
	l, ok := reg.LookupIn(handle, nil)
	if !ok {
		msg := fmt.Sprintf("sshcv %s: no CV named %q", cmd, handle)
		if s, ok := reg.Suggest(handle); ok {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		fmt.Fprintln(stderr, msg)
		return l, false
	}
	if lang == "" {
		return l, true
	}
	v, ok := reg.Variant(handle, lang)
	if !ok {
		fmt.Fprintf(stderr, "sshcv %s: --lang %q: %s is in %s only\n", cmd, lang, l.Profile.Handle, strings.Join(l.Langs, ", "))
	}
	return v, ok
}
