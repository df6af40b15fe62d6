package server

import (
	"fmt"
	"runtime/debug"

	"charm.land/ssh"
)

// msgSorry is the line a visitor reads when the server failed in its session.
const msgSorry = "sshcv: something went wrong on our side, sorry; please try again"

// panicked reports a recovered panic and ends the session. Every goroutine that
// touches a session's bytes (the handler, the input reader and decoder, the
// forwarder) recovers and calls it, which turns a panic there into the end of that
// session alone: logged with its stack and the session id, counted, and the visitor
// told in one line. Nothing a visitor sends can stop the server.
func (v *visit) panicked(where string, r any) {
	v.srv.log.Error("panic in a session", "id", v.id, "where", where, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	if obs := v.srv.cfg.Observer; obs != nil {
		obs.Panicked()
	}
	v.mu.Lock()
	v.errText = fmt.Sprintf("panic in %s: %v", where, r)
	v.mu.Unlock()
	v.end(OutcomePanic)
}

// recoverMiddleware ends a session whose handler panicked: the panic is reported
// (panicked), the visitor gets the apology on stderr and exit status 1.
func (s *Server) recoverMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer func() {
			if r := recover(); r != nil {
				v := visitOf(sess)
				v.panicked("handler", r)
				fmt.Fprintln(v.stderr(), msgSorry)
				_ = sess.Exit(1)
			}
		}()
		next(sess)
	}
}
