package server

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/tui"
)

// programFPS bounds the renderer's frame rate. Frames are drawn on demand
// (tea.WithFrameOnDemand, third_party/bubbletea): the first frame and a key's
// frame go out at once, an idle session never wakes up, and a burst of messages
// is drawn at most this many times a second.
const programFPS = 120

// fallbackTerm stands in for a PTY that names no terminal type.
const fallbackTerm = "xterm"

// runProgram runs the interactive program (the viewer or the picker) for a
// session with a PTY, and returns its exit status.
func (v *visit) runProgram(winch <-chan ssh.Window) int {
	cfg := v.srv.cfg
	variants, _ := cfg.Catalog.(tui.Variants)
	views, endViews := v.viewerStats()
	defer endViews()
	model := tui.New(tui.Options{
		Renderer:   cfg.Renderer,
		Profile:    v.route.Profile,
		Section:    v.route.Section,
		Choices:    cfg.Catalog.List(),
		Requested:  v.route.Requested,
		Suggestion: v.route.Suggestion,
		Width:      v.width,
		Height:     v.height,
		Dark:       true, // most terminals are dark; the background query corrects it
		ComeBack:   func(p *profiles.Profile) string { return v.sshCommand(p.Handle, "") },
		Messages:   v.messageSender(),
		Views:      views,
		WebBase:    cfg.WebBase,
		Lang:       v.route.Lang,
		Languages:  v.route.Languages,
		Variants:   variants,
	})

	output := &frameWriter{w: v.out, prefix: startupQueries}
	if obs := cfg.Observer; obs != nil {
		output.onFirst = func() { obs.FirstFrame(time.Since(v.started)) }
	}
	program := v.startProgram(model, output, winch)
	final, err := program.Run()
	if m, ok := final.(*tui.Model); ok && m.Current() != nil {
		v.profile = m.Current().Handle
	}
	outcome := v.currentOutcome()
	switch {
	case outcome == OutcomeClosed:
		return 0 // nobody left to tell
	case outcome == OutcomePanic:
		fmt.Fprintln(v.out, v.goodbye(outcome))
		return 1
	case outcome != "":
		fmt.Fprintln(v.out, v.goodbye(outcome))
		return 0
	case errors.Is(err, tea.ErrProgramPanic):
		// Bubble Tea recovered it, restored the terminal and logged its stack.
		v.panicked("program", err)
		fmt.Fprintln(v.out, msgSorry)
		return 1
	case err != nil:
		v.fail(err.Error())
		fmt.Fprintln(v.stderr(), msgSorry)
		return 1
	}
	if m, ok := final.(*tui.Model); ok {
		if line := m.QuitLine(); line != "" {
			fmt.Fprintln(v.out, line)
		}
	}
	return 0
}

// startProgram makes model this session's program, writing to out, and starts
// feeding it the session's input and window changes; the caller runs it.
func (v *visit) startProgram(model tea.Model, out io.Writer, winch <-chan ssh.Window) *tea.Program {
	env := v.environ()
	program := tea.NewProgram(model,
		tea.WithContext(v.ctx),
		tea.WithInput(nil), // the session's input is read by streamInput, see input.go
		tea.WithOutput(out),
		tea.WithEnvironment(env),
		tea.WithWindowSize(v.width, v.height),
		tea.WithColorProfile(sessionColorProfile(env)),
		tea.WithoutSignalHandler(),
		tea.WithFPS(programFPS),
		tea.WithFrameOnDemand(),
		tea.WithLineRenderer(), // memory that does not grow with the window
		tea.WithFilter(v.filterMsg),
	)
	v.startInput(program, winch)
	return program
}

// startInput starts the goroutines that read the session's input and hand it,
// and the window changes, to the program; each recovers its own panics.
func (v *visit) startInput(program *tea.Program, winch <-chan ssh.Window) {
	events := make(chan uv.Event)
	guard := newInputGuard(v.sess, &v.lastInput, guardHooks{
		drop:  v.inputDropped,
		flood: func() { v.end(OutcomeFlood) },
		panic: func(r any) { v.panicked("input reader", r) },
	})
	go streamInput(guard, events, func(r any) { v.panicked("input decoder", r) })
	go func() {
		defer func() {
			if r := recover(); r != nil {
				v.panicked("forwarder", r)
				// What the forwarder no longer reads must still be read.
				go drainEvents(events)
				if winch != nil {
					go drainWindowChanges(winch)
				}
			}
		}()
		v.forward(program, events, winch)
	}()
}

// forward hands the decoded input and the window changes to the program until
// both end. Program.Send gives up once the program has ended, so forward keeps
// draining both until the session's input and requests are over: neither the
// decoder nor the SSH library's request loop can block on a send.
func (v *visit) forward(program *tea.Program, events <-chan uv.Event, winch <-chan ssh.Window) {
	lastW, lastH := v.width, v.height
	for events != nil || winch != nil {
		select {
		case ev, ok := <-events:
			if !ok {
				events = nil
				v.end(OutcomeClosed) // the client closed its input: the visit is over
				continue
			}
			program.Send(ev)
		case w, ok := <-winch:
			if !ok {
				winch = nil
				continue
			}
			width, height := v.srv.clampWindow(w.Width, w.Height)
			if width == lastW && height == lastH {
				continue
			}
			lastW, lastH = width, height
			v.window.Store(packWindow(width, height))
			program.Send(tea.WindowSizeMsg{Width: width, Height: height})
		}
	}
}

// drainEvents reads decoded input nobody forwards until the decoder ends.
func drainEvents(events <-chan uv.Event) {
	for range events {
	}
}

// inputDropped counts input thrown away over the session's input budget.
func (v *visit) inputDropped(n int) {
	if obs := v.srv.cfg.Observer; obs != nil {
		obs.InputDropped(n)
	}
}

// filterMsg sees every message before the program does. It stops the program
// from suspending: there is no shell to return to, and suspending would stop the
// server process itself. And every window size the program hears is the
// session's latest: Bubble Tea sends its initial size from a goroutine of its
// own, which may arrive after a window change that came right at the start
// (one held back until the shell, see filterRequests) and undo it.
func (v *visit) filterMsg(_ tea.Model, msg tea.Msg) tea.Msg {
	switch msg.(type) {
	case tea.SuspendMsg:
		return tea.ResumeMsg{}
	case tea.WindowSizeMsg:
		w, h := unpackWindow(v.window.Load())
		return tea.WindowSizeMsg{Width: w, Height: h}
	}
	return msg
}

// packWindow keeps a window size in one word, for visit.window.
// SSH sends window sizes as 32-bit numbers, so each fits in its half.
func packWindow(w, h int) uint64 { return uint64(uint32(w))<<32 | uint64(uint32(h)) } //nolint:gosec // see above

// unpackWindow is the inverse of packWindow.
func unpackWindow(p uint64) (w, h int) { return int(p >> 32), int(uint32(p)) } //nolint:gosec // the low half, on purpose

// environ is the program's environment: what the client sent with SendEnv/SetEnv
// and the PTY's terminal type, which wins over a TERM sent as a variable.
func (v *visit) environ() []string {
	client := v.sess.Environ()
	env := make([]string, 0, len(client)+1)
	for _, kv := range client {
		if !strings.HasPrefix(kv, "TERM=") {
			env = append(env, kv)
		}
	}
	term := v.term
	if term == "" {
		term = fallbackTerm
	}
	return append(env, "TERM="+term)
}

// sessionColorProfile is the colour profile for the visitor's terminal, from
// TERM, COLORTERM, NO_COLOR and CLICOLOR_FORCE as the client sent them. NO_COLOR
// with any value turns colour off (no-color.org). It is never below plain ASCII
// styling: the program always talks to a terminal.
func sessionColorProfile(env []string) colorprofile.Profile {
	p := colorprofile.Env(env)
	for _, kv := range env {
		if value, ok := strings.CutPrefix(kv, "NO_COLOR="); ok && value != "" && p > colorprofile.ASCII {
			p = colorprofile.ASCII
		}
	}
	if p < colorprofile.ASCII {
		p = colorprofile.ASCII
	}
	return p
}

// frameWriter is the program's output. Its first write, the first frame, carries
// the start-up queries in the same packet and is reported to onFirst.
type frameWriter struct {
	w       io.Writer
	prefix  string
	onFirst func()
	once    sync.Once
}

func (f *frameWriter) Write(p []byte) (int, error) {
	written, first := 0, false
	var err error
	f.once.Do(func() {
		first = true
		buf := make([]byte, 0, len(f.prefix)+len(p))
		buf = append(append(buf, f.prefix...), p...)
		if _, err = f.w.Write(buf); err == nil {
			written = len(p)
		}
		if f.onFirst != nil {
			f.onFirst()
		}
	})
	if first {
		return written, err
	}
	return f.w.Write(p)
}
