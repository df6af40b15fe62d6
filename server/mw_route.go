package server

import "charm.land/ssh"

// routeMiddleware decides where the username leads (resolve): a CV, at a
// section, or the picker; the session counts as started from here on.
func (s *Server) routeMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		v := visitOf(sess)
		v.route = resolve(s.cfg.Catalog, sess.User())
		v.label = v.route.label()
		v.profile = v.label
		if s.cfg.Observer != nil {
			s.cfg.Observer.SessionStarted(v.label)
		}
		next(sess)
	}
}
