package server

import "charm.land/ssh"

// shutdownMiddleware refuses, with one line, a session that opens while the
// server is stopping.
func (s *Server) shutdownMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if s.stopping.Load() {
			visitOf(sess).refuse(RefusedShuttingDown, msgRestarting)
			return
		}
		next(sess)
	}
}
