package web

import (
	"fmt"
	"net/http"

	"github.com/sshcv/sshcv/pdf"
	"github.com/sshcv/sshcv/profiles"
)

// servePDF answers /{handle}.pdf: A4, or US Letter with ?paper=letter. An unknown paper
// size is an error that names the known ones, not a silent A4.
func (h *handler) servePDF(w http.ResponseWriter, r *http.Request, l profiles.Localized) {
	p := l.Profile
	paper := pdf.A4
	if q := r.URL.Query().Get("paper"); q != "" {
		var ok bool
		if paper, ok = pdf.ParsePaper(q); !ok {
			h.plain(w, r, http.StatusBadRequest, "Unknown paper size: use ?paper=a4 or ?paper=letter.\n")
			return
		}
	}
	variant := "pdf-" + string(paper)
	h.serveCached(w, r, langKey(cacheKey{handle: p.Handle, hash: p.Hash, variant: variant}, l), false, func() (*response, error) {
		body, err := h.o.Renderer.PDF(p, paper)
		if err != nil {
			return nil, fmt.Errorf("%s: pdf export: %w", p.Source, err)
		}
		resp := newResponse(http.StatusOK, "application/pdf", body, versionTag(p, variant), p.ModTime)
		resp.disposition = `inline; filename="` + p.Handle + `.pdf"`
		return resp, nil
	})
}
