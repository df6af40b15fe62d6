package server

import "charm.land/ssh"

// dispatchMiddleware is the end of the chain: the owner's door, a command, plain
// text without a PTY or on a dumb terminal, or the interactive program; its exit
// status is the session's.
func (s *Server) dispatchMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		v := visitOf(sess)
		var status int
		handle, door := doorHandle(sess.User())
		switch {
		case door:
			if !v.interactive() {
				v.drainWindows()
			}
			status = v.runDoor(handle)
		case len(sess.Command()) > 0:
			v.drainWindows()
			status = v.runCommand(sess.Command())
		case !v.pty:
			status = v.runPlain(plainWidth)
		case v.term == "dumb":
			v.drainWindows()
			status = v.runPlain(v.width)
		default:
			status = v.runProgram(v.takeWindows())
		}
		v.setOutcome(OutcomeQuit)
		_ = sess.Exit(status)
		next(sess)
	}
}

// interactive reports whether the session gets a program: a PTY on a terminal
// that is not dumb, and no command.
func (v *visit) interactive() bool {
	return v.pty && len(v.sess.Command()) == 0 && v.term != "dumb"
}
