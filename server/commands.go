package server

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/stats"
)

// commandNames lists the commands in the order help and errors show them: the export
// formats (profiles.ExportFormats), then qr, list and help.
var commandNames = append(profiles.FormatNames(), "qr", "list", "help")

// exporters are the commands that print one CV in a file format.
var exporters = func() map[string]func(*profiles.Profile) ([]byte, error) {
	m := map[string]func(*profiles.Profile) ([]byte, error){}
	for _, f := range profiles.ExportFormats {
		if f.Export != nil {
			m[f.Name] = f.Export
		}
	}
	return m
}()

// runCommand runs `ssh [user@]host COMMAND` and returns the exit status.
func (v *visit) runCommand(args []string) int {
	if strings.EqualFold(args[0], "message") && v.srv.cfg.Messages != nil {
		return v.runMessage(args[1:]) // messages.go
	}
	name := strings.ToLower(args[0])
	if len(args) > 1 {
		name = "" // no command takes arguments
	}
	width := plainWidth
	if v.pty {
		width = v.width
	}
	if export, ok := exporters[name]; ok {
		return v.withProfile(name, func(p *profiles.Profile) int {
			v.countVisit(stats.PrefixSSH + name)
			data, err := export(p)
			if err != nil {
				v.fail(err.Error())
				fmt.Fprintf(v.stderr(), "sshcv: cannot write %s for %s\n", name, p.Handle)
				return 1
			}
			return v.writeOut(string(data))
		})
	}
	switch name {
	case profiles.FormatText:
		return v.withProfile("text", func(p *profiles.Profile) int {
			v.countVisit(stats.ChannelText)
			return v.writeOut(v.srv.cfg.Renderer.TextIn(p, v.route.Lang, width))
		})
	case profiles.FormatPDF, "qr":
		write := v.writePDF
		if name == "qr" {
			write = v.writeQR
		}
		return v.withProfile(name, func(p *profiles.Profile) int {
			v.countVisit(stats.PrefixSSH + name)
			return write(p)
		})
	case "list":
		return v.writeOut(v.listing())
	case "help":
		return v.writeOut(v.help())
	}
	shown := cleanUsername(strings.Join(args, " "))
	v.fail("unknown command")
	fmt.Fprintf(v.stderr(), "sshcv: unknown command %q; try: %s\n", shown, strings.Join(commandNames, ", "))
	return 1
}

// withProfile runs fn on the CV the username names, or explains on stderr how to
// name one when it names none.
func (v *visit) withProfile(command string, fn func(*profiles.Profile) int) int {
	if p := v.route.Profile; p != nil {
		return fn(p)
	}
	example := "HANDLE"
	if list := v.srv.cfg.Catalog.List(); len(list) > 0 {
		example = list[0].Handle
	}
	try := v.sshCommand(example, command)
	switch {
	case v.route.Suggestion != "":
		fmt.Fprintf(v.stderr(), "sshcv: no CV named %q here; did you mean: %s\n", v.route.Requested, v.sshCommand(v.route.Suggestion, command))
	case v.route.Requested != "":
		fmt.Fprintf(v.stderr(), "sshcv: no CV named %q here; try: %s (%s lists them)\n", v.route.Requested, try, v.sshCommand("", "list"))
	default:
		fmt.Fprintf(v.stderr(), "sshcv: this host has several CVs; name one: %s (%s lists them)\n", try, v.sshCommand("", "list"))
	}
	v.fail("no CV named")
	return 1
}

// runPlain prints the CV as plain text (no PTY, or TERM=dumb), or the list of
// CVs when the username names none.
func (v *visit) runPlain(width int) int {
	if p := v.route.Profile; p != nil {
		v.countVisit(stats.ChannelText)
		return v.writeOut(v.srv.cfg.Renderer.TextIn(p, v.route.Lang, width))
	}
	var b strings.Builder
	if v.route.Requested != "" {
		fmt.Fprintf(&b, "No CV named %q here.", v.route.Requested)
		if v.route.Suggestion != "" {
			fmt.Fprintf(&b, " Did you mean %s?", v.route.Suggestion)
		}
		b.WriteString("\n\n")
	}
	b.WriteString("CVs on this host:\n\n")
	b.WriteString(v.listing())
	fmt.Fprintf(&b, "\nOpen one with: %s\n", v.sshCommand("HANDLE", ""))
	return v.writeOut(b.String())
}

// listing is one line per CV: its handle and its headline.
func (v *visit) listing() string {
	list := v.srv.cfg.Catalog.List()
	width := 0
	for _, p := range list {
		width = max(width, utf8.RuneCountInString(p.Handle))
	}
	var b strings.Builder
	for _, p := range list {
		headline := strings.Join(strings.Fields(p.Headline), " ")
		line := p.Handle + strings.Repeat(" ", width-utf8.RuneCountInString(p.Handle))
		if headline != "" {
			line += "  " + headline
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	return b.String()
}

// help explains how to use the server, with this server's real address.
func (v *visit) help() string {
	example := "HANDLE"
	if p := v.route.Profile; p != nil {
		example = p.Handle
	} else if list := v.srv.cfg.Catalog.List(); len(list) > 0 {
		example = list[0].Handle
	}
	section := "experience"
	rows := [][2]string{
		{v.sshCommand(example, ""), "open the CV in your terminal (q quits, ? shows the keys)"},
		{v.sshCommand(example+"+"+section, ""), "open it at a section"},
		{v.sshCommand("", ""), "the host's CV, or a list to choose from"},
		{v.sshCommand(example, "text"), "the CV as plain text"},
		{v.sshCommand(example, "md"), "the CV as Markdown"},
		{v.sshCommand(example, "json") + " > cv.json", "the CV as JSON Resume"},
		{v.sshCommand(example, "vcard") + " > " + example + ".vcf", "the contact card"},
		{v.sshCommand(example, "pdf") + " > " + example + ".pdf", "the CV as a PDF (US Letter for en_US and en_CA, else A4)"},
		{v.sshCommand(example, "qr"), "a QR code of the CV for your phone"},
		{v.sshCommand("", "list"), "every CV on this host"},
		{v.sshCommand("", "help"), "this help"},
	}
	if m := v.srv.cfg.Messages; m != nil && !m.Off {
		at := len(rows) - 2 // before list and help
		rows = append(rows[:at:at], append([][2]string{{v.sshCommand(example, "message") + " < note.txt", "leave the owner a message (--from \"you\"; m in the viewer)"}}, rows[at:]...)...)
	}
	width := 0
	for _, r := range rows {
		width = max(width, utf8.RuneCountInString(r[0]))
	}
	var b strings.Builder
	b.WriteString("sshcv: CVs over SSH. Nobody is asked for a password.\n\n")
	for _, r := range rows {
		b.WriteString("  " + r[0] + strings.Repeat(" ", width-utf8.RuneCountInString(r[0])) + "   " + r[1] + "\n")
	}
	return b.String()
}

// writeOut writes a command's output and returns its exit status: 0, or 1 when
// the client went away before it was written.
func (v *visit) writeOut(s string) int {
	if _, err := io.WriteString(v.out, s); err != nil {
		return 1
	}
	return 0
}
