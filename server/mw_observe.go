package server

import "charm.land/ssh"

// observeMiddleware starts the session's visit, passes it on with the session,
// and once everything inside is done writes the session's log line and reports
// it to the Observer (visit.finish). It also makes sure that the session's
// window changes are read by someone: the SSH library's request loop would
// block on the second one otherwise.
func (s *Server) observeMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		snap := s.takePty(sess)
		v := s.newVisit(sess)
		v.winch = snap.winch
		v.pty = snap.ok
		if snap.ok {
			v.term = cleanUsername(snap.pty.Term)
			v.width, v.height = s.clampWindow(snap.pty.Window.Width, snap.pty.Window.Height)
			v.clientWidth, v.clientHeight = snap.pty.Window.Width, snap.pty.Window.Height
			v.window.Store(packWindow(v.width, v.height))
		}
		defer v.finish()
		defer v.drainWindows()
		s.track(v)
		defer s.untrack(v)
		next(visitSession{Session: sess, v: v})
	}
}

// takeWindows hands the session's window changes to one reader, once; nil after
// that or without a PTY.
func (v *visit) takeWindows() <-chan ssh.Window {
	if v.winch == nil || v.windowTaken.Swap(true) {
		return nil
	}
	return v.winch
}

// drainWindows reads the window changes until the session's requests end, unless
// someone took them.
func (v *visit) drainWindows() {
	if w := v.takeWindows(); w != nil {
		go drainWindowChanges(w)
	}
}
