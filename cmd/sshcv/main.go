// Command sshcv serves CVs over SSH (and, optionally, over HTTP).
//
//	sshcv [serve] [flags]       run the server (the default subcommand)
//	sshcv check DIR             validate every profile in DIR
//	sshcv render HANDLE         print a CV: --format text|ansi|md|json|vcard, --width N
//	sshcv hostkey               print the host key's fingerprint and SSHFP records
//	sshcv healthcheck           exit 0 when the local server answers (for containers)
//	sshcv signature HANDLE      print an email-signature snippet (text and HTML)
//	sshcv inbox [show|done ID]  read the messages visitors left
//	sshcv stats [--json]        the views per CV, section and channel
//	sshcv version               print the version
//
// Every serve flag has an environment variable (SSHCV_ADDR for --addr, …), listed by
// `sshcv serve -h`. This package only wires the others together: profiles → tui →
// server/web.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise the module
// version recorded by the Go toolchain is used.
var version = ""

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type subcommand struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func subcommands() []subcommand {
	return []subcommand{
		{"serve", "run the SSH server (the default)", runServe},
		{"check", "validate the profiles in a folder", runCheck},
		{"render", "print a CV in one of the export formats", runRender},
		{"hostkey", "print the host key fingerprint and SSHFP DNS records", runHostkey},
		{"healthcheck", "exit 0 when the local server serves a CV", runHealthcheck},
		{"signature", "print an email-signature snippet for a CV", runSignature},
		{"inbox", "read the messages visitors left (list, show ID, done ID)", runInbox},
		{"stats", "the views per CV, section and channel (--handle H, --days N, --json)", runStats},
		{"version", "print the version", runVersion},
	}
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "--help" && args[0] != "-help" {
		return runServe(args, stdout, stderr)
	}
	switch args[0] {
	case "help", "-h", "--help", "-help":
		usage(stdout)
		return 0
	}
	for _, c := range subcommands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "sshcv: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "sshcv publishes CVs over SSH: ssh rohit@cv.example.com")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: sshcv [command] [flags]")
	fmt.Fprintln(w)
	for _, c := range subcommands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'sshcv COMMAND -h' for a command's flags.")
}

func runVersion(_ []string, stdout, _ io.Writer) int {
	fmt.Fprintln(stdout, "sshcv", versionString())
	return 0
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
