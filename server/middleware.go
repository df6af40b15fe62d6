package server

import (
	"charm.land/ssh"
	"charm.land/wish/v2"
)

// The SSH side is a chain of Wish middlewares, one concern each, in its own
// file: observe (mw_observe.go: the visit, its log line and metrics), recover
// (recover.go), shutdown refusal (mw_shutdown.go), the session limits
// (mw_limit.go), route (mw_route.go), the timers (mw_timers.go) and, innermost,
// dispatch (mw_dispatch.go: the viewer, plain text or a command). They share one
// visit per session, carried by the session they pass on (visitOf).

// middlewares lists the chain for wish.WithMiddleware, innermost first (the last
// one runs first).
func (s *Server) middlewares() []wish.Middleware {
	return []wish.Middleware{
		s.dispatchMiddleware,
		s.timersMiddleware,
		s.routeMiddleware,
		s.limitMiddleware,
		s.shutdownMiddleware,
		s.recoverMiddleware,
		s.observeMiddleware,
	}
}

// visitSession is a session with its visit, as the middlewares pass it on.
type visitSession struct {
	ssh.Session
	v *visit
}

// visitOf is the visit the observe middleware started for sess.
func visitOf(sess ssh.Session) *visit {
	if vs, ok := sess.(visitSession); ok {
		return vs.v
	}
	panic("server: a middleware ran outside the observe middleware")
}
