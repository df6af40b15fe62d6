package server

import "charm.land/ssh"

// timersMiddleware arms the session's timers (visit.watch): the idle timeout,
// the maximum length and the end of the connection; visit.finish stops them.
func (s *Server) timersMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		visitOf(sess).watch()
		next(sess)
	}
}
