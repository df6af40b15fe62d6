package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/sshcv/sshcv/profiles"
)

// runCheck validates every profile file in a folder and its translations: exit 0 when
// all are valid, 1 with one line per problem otherwise.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: sshcv check [--lang TAG] DIR\n\nValidates every profile in DIR (.md, .json, .yaml, .yml) and its translations (DIR/de/NAME.md, DIR/pt-BR/NAME.md) and prints one line per problem.")
		fs.PrintDefaults()
	}
	ef := &envFlags{fs: fs}
	var lang string
	ef.String(&lang, "lang", "SSHCV_LANG", profiles.DefaultLang, "language of the CVs at the top of DIR, a BCP 47 tag; translations are in folders named by other tags")
	rest, code, done := ef.parse(args, 1, stderr)
	if done {
		return code
	}
	if len(rest) == 0 {
		fs.Usage()
		return 2
	}
	if len(profiles.ParseLanguages(lang)) == 0 {
		fmt.Fprintf(stderr, "sshcv check: --lang %q: not a known BCP 47 language tag (en, de, pt-BR)\n", lang)
		return 2
	}
	dir := rest[0]
	sum, problems := profiles.CheckFolder(dir, lang)
	for _, p := range problems {
		fmt.Fprintln(stderr, p)
	}
	if len(problems) > 0 {
		return 1
	}
	what := fmt.Sprintf("%d %s", sum.Profiles, plural(sum.Profiles, "profile", "profiles"))
	if sum.Translations > 0 {
		what += fmt.Sprintf(" and %d %s", sum.Translations, plural(sum.Translations, "translation", "translations"))
	}
	fmt.Fprintf(stdout, "%s: %s, no problems\n", dir, what)
	return 0
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
