package web

import "net/http"

// countVisit counts a request for handle's CV through channel in the owner's
// view counts (Options.Stats), unless the browser asks not to be tracked
// (DNT: 1) or sends Global Privacy Control (Sec-GPC: 1). The address and the
// User-Agent only feed the day's unique estimate inside stats.
func (h *handler) countVisit(r *http.Request, handle, channel string) {
	if h.o.Stats == nil || r.Method != http.MethodGet || optedOut(r) {
		return
	}
	h.o.Stats.Visit(handle, channel, r.RemoteAddr, r.UserAgent())
}

// optedOut reports whether the request says "do not track me".
func optedOut(r *http.Request) bool {
	return r.Header.Get("DNT") == "1" || r.Header.Get("Sec-GPC") == "1"
}
