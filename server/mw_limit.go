package server

import "charm.land/ssh"

// limitMiddleware holds the sessions to Config.MaxSessions in all and
// Config.MaxSessionsPerAddr per visitor; a session over either gets one line.
func (s *Server) limitMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		v := visitOf(sess)
		if s.active.Add(1) > int64(s.cfg.MaxSessions) {
			s.active.Add(-1)
			v.refuse(RefusedMaxSessions, msgTooMany)
			return
		}
		defer s.active.Add(-1)
		release, ok := s.acquireAddr(sess.RemoteAddr())
		if !ok {
			v.refuse(RefusedSessionsPerAddr, msgTooManyFromAddr)
			return
		}
		defer release()
		next(sess)
	}
}
