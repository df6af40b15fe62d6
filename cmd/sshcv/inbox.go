package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/sshcv/sshcv/store"
	"github.com/sshcv/sshcv/tui"
)

// runInbox is `sshcv inbox`: the owner reads the messages visitors left, on the
// machine that holds the store.
//
//	sshcv inbox [--handle H] [--json]   the messages, newest first, unread marked *
//	sshcv inbox show ID                 one message (marks it read)
//	sshcv inbox done ID                 mark a message done
func runInbox(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ef := &envFlags{fs: fs}
	var sf storeFlags
	sf.add(ef)
	var handle string
	var asJSON bool
	fs.StringVar(&handle, "handle", "", "only the messages for this profile")
	fs.BoolVar(&asJSON, "json", false, "print JSON for scripts")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: sshcv inbox [--handle H] [--json] | inbox show ID | inbox done ID   [--data DIR | --store postgres://…]")
		fs.PrintDefaults()
	}
	rest, code, done := ef.parse(args, 2, stderr)
	if done {
		return code
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := sf.open(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "sshcv inbox:", err)
		return 1
	}
	defer st.Close()
	switch {
	case len(rest) == 0:
		return inboxList(ctx, st, handle, asJSON, stdout, stderr)
	case len(rest) == 2 && (rest[0] == "show" || rest[0] == "done"):
		id, err := strconv.ParseInt(rest[1], 10, 64)
		if err != nil || id <= 0 {
			fmt.Fprintf(stderr, "sshcv inbox %s: %q is not a message number (see sshcv inbox)\n", rest[0], rest[1])
			return 2
		}
		if rest[0] == "done" {
			return inboxDone(ctx, st, id, stdout, stderr)
		}
		return inboxShow(ctx, st, id, asJSON, stdout, stderr)
	}
	fs.Usage()
	return 2
}

// inboxMessage is a message in --json output.
type inboxMessage struct {
	ID      int64     `json:"id"`
	Handle  string    `json:"handle"`
	Time    time.Time `json:"time"`
	From    string    `json:"from"`
	ReplyTo string    `json:"reply_to,omitempty"`
	Message string    `json:"message"`
	Read    bool      `json:"read"`
	Done    bool      `json:"done"`
}

func jsonMessage(m store.Message) inboxMessage {
	return inboxMessage{ID: m.ID, Handle: m.Handle, Time: m.Time, From: m.From, ReplyTo: tui.ReplyTo(m.From), Message: m.Body, Read: m.Read, Done: m.Done}
}

func inboxList(ctx context.Context, st store.Store, handle string, asJSON bool, stdout, stderr io.Writer) int {
	list, err := st.Messages(ctx, handle)
	if err != nil {
		fmt.Fprintln(stderr, "sshcv inbox:", err)
		return 1
	}
	if asJSON {
		out := make([]inboxMessage, len(list))
		for i, m := range list {
			out[i] = jsonMessage(m)
		}
		return writeJSON(stdout, out)
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, "No messages.")
		return 0
	}
	for _, m := range list {
		fmt.Fprintf(stdout, "%4d %-12s %s\n", m.ID, m.Handle, tui.InboxLine(tui.InboxMessage{Time: m.Time, From: m.From, Body: m.Body, Read: m.Read, Done: m.Done}))
	}
	return 0
}

func inboxShow(ctx context.Context, st store.Store, id int64, asJSON bool, stdout, stderr io.Writer) int {
	m, err := st.Message(ctx, id)
	if err == nil {
		err = st.MarkRead(ctx, id)
	}
	if err != nil {
		fmt.Fprintf(stderr, "sshcv inbox show %d: %v\n", id, err)
		return 1
	}
	if asJSON {
		return writeJSON(stdout, jsonMessage(m))
	}
	from := m.From
	if from == "" {
		from = "(no name given)"
	}
	fmt.Fprintf(stdout, "Message %d for %s\nFrom: %s\n", m.ID, m.Handle, from)
	if r := tui.ReplyTo(m.From); r != "" {
		fmt.Fprintf(stdout, "Reply to: %s\n", r)
	}
	fmt.Fprintf(stdout, "Received: %s\n\n%s\n", m.Time.Local().Format("Mon 2 Jan 2006 15:04 MST"), m.Body)
	return 0
}

func inboxDone(ctx context.Context, st store.Store, id int64, stdout, stderr io.Writer) int {
	if err := st.MarkDone(ctx, id); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			fmt.Fprintf(stderr, "sshcv inbox done %d: no such message (see sshcv inbox)\n", id)
		} else {
			fmt.Fprintf(stderr, "sshcv inbox done %d: %v\n", id, err)
		}
		return 1
	}
	fmt.Fprintf(stdout, "Message %d marked done.\n", id)
	return 0
}

func writeJSON(w io.Writer, v any) int {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return 1
	}
	return 0
}
