package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/sshcv/sshcv/profiles"
)

// runCheck validates every profile file in a folder: exit 0 when all are valid, 1 with
// one line per problem otherwise.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: sshcv check DIR\n\nValidates every profile in DIR (.md, .json, .yaml, .yml) and prints one line per problem.")
	}
	rest, code, done := (&envFlags{fs: fs}).parse(args, 1, stderr)
	if done {
		return code
	}
	if len(rest) == 0 {
		fs.Usage()
		return 2
	}
	dir := rest[0]
	problems := profiles.CheckDir(dir)
	for _, p := range problems {
		fmt.Fprintln(stderr, p)
	}
	if len(problems) > 0 {
		return 1
	}
	list, _ := profiles.LoadFS(os.DirFS(dir), dir)
	fmt.Fprintf(stdout, "%s: %d %s, no problems\n", dir, len(list), plural(len(list), "profile", "profiles"))
	return 0
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
