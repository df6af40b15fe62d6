package server

import (
	"fmt"
	"strings"

	"github.com/sshcv/sshcv/pdf"
	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/tui"
)

// writePDF sends the CV as a PDF, on the paper of the visitor's locale. A terminal
// would show the bytes as garbage, so with a PTY it says how to save the file instead.
func (v *visit) writePDF(p *profiles.Profile) int {
	if v.pty {
		fmt.Fprintf(v.stderr(), "sshcv: a PDF is not for the terminal; save it: %s > %s.pdf\n", v.sshCommand(p.Handle, "pdf"), p.Handle)
		v.fail("pdf to a terminal")
		return 1
	}
	data, err := v.srv.cfg.Renderer.PDF(p, pdf.PaperForLocale(v.sess.Environ()))
	if err != nil {
		v.fail(err.Error())
		fmt.Fprintf(v.stderr(), "sshcv: cannot write pdf for %s\n", p.Handle)
		return 1
	}
	if _, err := v.out.Write(data); err != nil {
		return 1
	}
	return 0
}

// writeQR prints the CV's QR code, black on white unless the visitor asked for no
// colour (NO_COLOR), then it is drawn for a dark background. With a PTY it must fit
// the window.
func (v *visit) writeQR(p *profiles.Profile) int {
	payload, caption := tui.QRContent(p, v.srv.cfg.WebBase)
	colour := true
	for _, kv := range v.sess.Environ() {
		if value, ok := strings.CutPrefix(kv, "NO_COLOR="); ok && value != "" {
			colour = false
		}
	}
	width, height := 0, 0
	if v.pty {
		width, height = v.width, v.height
	}
	text, ok := tui.QRText(payload, caption, width, height, colour, true)
	if code := v.writeOut(text); code != 0 || ok {
		return code
	}
	v.fail("qr does not fit")
	return 1
}
