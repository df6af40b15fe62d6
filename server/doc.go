// Package server is the SSH side of sshcv: the host key, a Wish v2 server that lets
// every visitor in without a password, routing a session by its username to a CV,
// the interactive program or plain output, the per-session limits, one log line per
// session and graceful shutdown.
//
// It imports profiles (through the Catalog interface), tui, store (visitors'
// messages) and stats (the owner's view counts, Config.Stats); it must not import
// web or cmd/sshcv. Its sub-packages netguard and metrics plug in through
// Config.WrapListener and Config.Observer and are not imported here.
package server
