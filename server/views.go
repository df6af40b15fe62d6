package server

import (
	"context"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/sshcv/sshcv/stats"
	"github.com/sshcv/sshcv/tui"
)

// countVisit counts a visit to the session's CV through channel for the owner's
// view counts (Config.Stats). The address and the client's version only feed the
// day's unique estimate inside stats; nothing about the visitor is kept.
func (v *visit) countVisit(channel string) {
	st := v.srv.cfg.Stats
	if st == nil || v.route.Profile == nil {
		return
	}
	st.Visit(v.route.Profile.Handle, channel, remoteHost(v.sess.RemoteAddr()), v.sess.Context().ClientVersion())
}

// viewerStats is what the viewer reports to (nil when stats are off) and the
// function that ends its count when the program ends.
func (v *visit) viewerStats() (tui.Views, func()) {
	st := v.srv.cfg.Stats
	if st == nil {
		return nil, func() {}
	}
	colour := colourSupport(sessionColorProfile(v.environ()))
	w, h := v.clientWidth, v.clientHeight
	if w <= 0 || h <= 0 {
		w, h = v.width, v.height // no size sent: the default the viewer drew
	}
	s := st.Viewer(remoteHost(v.sess.RemoteAddr()), v.sess.Context().ClientVersion(), w, h, colour)
	return s, s.End
}

// colourSupport names a colour profile in the view counts.
func colourSupport(p colorprofile.Profile) string {
	switch p {
	case colorprofile.TrueColor:
		return "truecolor"
	case colorprofile.ANSI256:
		return "256"
	case colorprofile.ANSI:
		return "16"
	default:
		return "none"
	}
}

// viewsDays is how far back the owner's Views tab looks, as `sshcv stats` does.
const viewsDays = 30

// viewsReport is the owner's Views tab for handle: the report of `sshcv stats`
// from the store; nil (no tab) when stats are off.
func (v *visit) viewsReport(handle string) tui.ViewsReport {
	cfg := v.srv.cfg
	if cfg.Stats == nil || cfg.Messages == nil || cfg.Messages.Store == nil {
		return nil
	}
	st := cfg.Messages.Store
	return func(ctx context.Context, width int) (string, error) {
		reports, err := stats.Reports(ctx, st, handle, viewsDays, time.Now())
		if err != nil {
			return "", err
		}
		return stats.Render(reports, width), nil
	}
}

// The viewer reports to a stats session.
var _ tui.Views = (*stats.Session)(nil)
