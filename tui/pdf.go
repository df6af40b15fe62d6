package tui

import (
	"github.com/sshcv/sshcv/pdf"
	"github.com/sshcv/sshcv/profiles"
)

// pdfKey names one typeset PDF: a profile version on one paper size.
type pdfKey struct {
	hash  string
	p     *profiles.Profile // identity for profiles without a hash (built in code)
	paper pdf.Paper
}

type pdfResult struct {
	data []byte
	err  error
}

// PDF returns the CV typeset as a PDF, built once per profile version and paper size
// and kept with the other renderings. The bytes are shared: callers must not modify them.
func (r *Renderer) PDF(p *profiles.Profile, paper pdf.Paper) ([]byte, error) {
	k := pdfKey{hash: p.Hash, paper: paper}
	if k.hash == "" {
		k.p = p
	}
	res := r.pdfs.get(k, func() pdfResult {
		data, err := pdf.Render(p, paper)
		return pdfResult{data, err}
	})
	return res.data, res.err
}
