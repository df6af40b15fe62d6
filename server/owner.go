package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/ssh"
	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/store"
	"github.com/sshcv/sshcv/tui"
	gossh "golang.org/x/crypto/ssh"
)

// The owner door: `ssh HANDLE+inbox@host` opens HANDLE's inbox, and it is the one
// username that needs public-key authentication. Every other username passes the
// `none` method at once, as before, so a visitor is never asked anything; for a door
// username `none` fails, the client offers its keys, and only a key listed for that
// profile (owner_keys, or Messages.OwnerKeys) is accepted. The server offers no
// password or keyboard-interactive method, so a wrong or missing key ends with
// ssh's "Permission denied (publickey)" and never a prompt.

// doorSuffix ends the username of the owner door.
const doorSuffix = "+inbox"

// maxAuthTries lets an agent holding several keys (ten wrong ones and the right
// one) reach the right one before the server gives up.
const maxAuthTries = 20

// doorHandle returns the handle named by an owner-door username.
func doorHandle(user string) (string, bool) {
	u := strings.ToLower(cleanUsername(user))
	h, ok := strings.CutSuffix(u, doorSuffix)
	return strings.TrimSpace(h), ok && h != ""
}

// noneAuth is the `none` method: accepted for every username but the owner door's.
func (s *Server) noneAuth(conn gossh.ConnMetadata) (*gossh.Permissions, error) {
	if _, door := doorHandle(conn.User()); door {
		return nil, errors.New("the inbox needs the owner's key")
	}
	return nil, nil
}

// ownerKey is the public-key method. At the owner door only an owner's key passes;
// any other username passes with any key, as it would with `none`, for the rare
// client that offers a key before trying `none` (OpenSSH always tries `none` first).
// The key is not kept.
func (s *Server) ownerKey(ctx ssh.Context, key ssh.PublicKey) bool {
	handle, door := doorHandle(ctx.User())
	if !door {
		return true
	}
	if s.cfg.Messages == nil {
		return false
	}
	p, ok := s.cfg.Catalog.Lookup(handle)
	if !ok || p.Handle != handle {
		return false
	}
	return s.isOwnerKey(p, key)
}

// isOwnerKey reports whether key is listed for p or for every profile.
func (s *Server) isOwnerKey(p *profiles.Profile, key gossh.PublicKey) bool {
	want := key.Marshal()
	for _, k := range s.cfg.Messages.OwnerKeys {
		if bytes.Equal(k.Marshal(), want) {
			return true
		}
	}
	for _, line := range p.Owner.Keys {
		k, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err == nil && bytes.Equal(k.Marshal(), want) {
			return true
		}
	}
	return false
}

// ownerInbox is one profile's messages as the tui's inbox reads them.
type ownerInbox struct {
	st     store.Store
	handle string
}

func (o ownerInbox) Messages(ctx context.Context) ([]tui.InboxMessage, error) {
	list, err := o.st.Messages(ctx, o.handle)
	if err != nil {
		return nil, err
	}
	out := make([]tui.InboxMessage, len(list))
	for i, m := range list {
		out[i] = tui.InboxMessage{ID: m.ID, Time: m.Time, From: m.From, Body: m.Body, Read: m.Read, Done: m.Done}
	}
	return out, nil
}

// MarkRead and MarkDone refuse a message of another profile as not found.
func (o ownerInbox) MarkRead(ctx context.Context, id int64) error {
	if err := o.own(ctx, id); err != nil {
		return err
	}
	return o.st.MarkRead(ctx, id)
}

func (o ownerInbox) MarkDone(ctx context.Context, id int64) error {
	if err := o.own(ctx, id); err != nil {
		return err
	}
	return o.st.MarkDone(ctx, id)
}

func (o ownerInbox) own(ctx context.Context, id int64) error {
	m, err := o.st.Message(ctx, id)
	if err != nil {
		return err
	}
	if m.Handle != o.handle {
		return store.ErrNotFound
	}
	return nil
}

// runDoor serves an authenticated owner-door session: the inbox program with a PTY,
// the list as text without one.
func (v *visit) runDoor(handle string) int {
	p, ok := v.srv.cfg.Catalog.Lookup(handle)
	if !ok || v.sess.PublicKey() == nil || !v.srv.isOwnerKey(p, v.sess.PublicKey()) {
		v.fail("owner door without an owner key")
		return 1
	}
	v.profile = p.Handle + doorSuffix
	inbox := ownerInbox{st: v.srv.cfg.Messages.Store, handle: p.Handle}
	if !v.interactive() { // as dispatch decides it
		ctx, cancel := context.WithTimeout(v.ctx, 15*time.Second)
		defer cancel()
		list, err := inbox.Messages(ctx)
		if err != nil {
			v.fail(err.Error())
			fmt.Fprintln(v.stderr(), "sshcv: the inbox cannot be read right now")
			return 1
		}
		var b strings.Builder
		for _, m := range list {
			b.WriteString(tui.InboxLine(m) + "\n")
		}
		if len(list) == 0 {
			b.WriteString("No messages yet.\n")
		}
		return v.writeOut(b.String())
	}
	program := v.startProgram(tui.NewInbox(p, inbox, v.width, v.height).WithViews(v.viewsReport(p.Handle)), v.out, v.takeWindows())
	if _, err := program.Run(); err != nil && v.currentOutcome() == "" {
		v.fail(err.Error())
		return 1
	}
	return 0
}
