package tui

import (
	"io/fs"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/sshcv/sshcv/profiles"
)

var (
	bundledOnce sync.Once
	bundledCVs  map[string]*profiles.Profile
	bundledErr  error
)

// bundled returns one of the CVs that ship with sshcv, as the server loads it.
func bundled(tb testing.TB, handle string) *profiles.Profile {
	tb.Helper()
	bundledOnce.Do(func() {
		bundledCVs = map[string]*profiles.Profile{}
		for _, name := range []string{"rohit.md", "ankush.md"} {
			data, err := fs.ReadFile(profiles.Bundled(), name)
			if err != nil {
				bundledErr = err
				return
			}
			p, err := profiles.Parse(name, data, time.Unix(0, 0))
			if err != nil {
				bundledErr = err
				return
			}
			bundledCVs[p.Handle] = p
		}
	})
	if bundledErr != nil {
		tb.Fatal(bundledErr)
	}
	p := bundledCVs[handle]
	if p == nil {
		tb.Fatalf("no bundled CV %q", handle)
	}
	return p
}

func choices(tb testing.TB) []*profiles.Profile {
	return []*profiles.Profile{bundled(tb, "ankush"), bundled(tb, "rohit")}
}

// snapshot asks the probe for the frame as it stands after every message sent before it.
type snapshot struct{}

// probe wraps the model under test so that a test can read frames in step with the
// messages it sends (teatest's output stream carries only changed cells).
type probe struct {
	*Model
	frames  chan string
	startup chan struct{} // one signal per start-up message (window sizes, colour profile)
}

func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case snapshot:
		select {
		case p.frames <- p.Model.View().Content:
		default: // a test that failed stopped reading: never block the program
		}
		return p, nil
	case tea.WindowSizeMsg, tea.ColorProfileMsg:
		select {
		case p.startup <- struct{}{}:
		default:
		}
	}
	_, cmd := p.Model.Update(msg)
	return p, cmd
}

// session is one program under test.
type session struct {
	t      *testing.T
	tm     *teatest.TestModel
	frames chan string
	model  *Model
}

type sessionOpt struct {
	width, height int
	profile       colorprofile.Profile
}

func start(t *testing.T, o Options, width, height int) *session {
	return startWith(t, o, sessionOpt{width: width, height: height, profile: colorprofile.TrueColor})
}

func startWith(t *testing.T, o Options, so sessionOpt) *session {
	t.Helper()
	if o.Renderer == nil {
		o.Renderer = NewRenderer(32)
	}
	o.Width, o.Height = so.width, so.height
	m := New(o)
	s := &session{t: t, frames: make(chan string, 4), model: m}
	startup := make(chan struct{}, 16)
	s.tm = teatest.NewTestModel(t, probe{m, s.frames, startup},
		teatest.WithInitialTermSize(so.width, so.height),
		teatest.WithProgramOptions(
			tea.WithEnvironment([]string{"TERM=xterm-256color"}),
			tea.WithColorProfile(so.profile),
		))
	t.Cleanup(func() {
		_ = s.tm.Quit()
		s.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	})
	// Bubble Tea sends the first window size and the colour profile from goroutines:
	// wait for them (and teatest's own size) so that they cannot overtake the test's
	// messages.
	for i := 0; i < 3; i++ {
		select {
		case <-startup:
		case <-time.After(5 * time.Second):
			t.Fatal("the program did not start within 5s")
		}
	}
	return s
}

// keys presses keys by name: "l", "right", "shift+tab", "pgdown", "enter", "esc", "space".
func (s *session) keys(names ...string) {
	for _, n := range names {
		s.tm.Send(keyPress(n))
	}
}

// typeText types text one key at a time.
func (s *session) typeText(text string) {
	for _, r := range text {
		s.tm.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func keyPress(name string) tea.KeyPressMsg {
	named := map[string]tea.Key{
		"right":     {Code: tea.KeyRight},
		"left":      {Code: tea.KeyLeft},
		"up":        {Code: tea.KeyUp},
		"down":      {Code: tea.KeyDown},
		"tab":       {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"pgdown":    {Code: tea.KeyPgDown},
		"pgup":      {Code: tea.KeyPgUp},
		"home":      {Code: tea.KeyHome},
		"end":       {Code: tea.KeyEnd},
		"enter":     {Code: tea.KeyEnter},
		"esc":       {Code: tea.KeyEscape},
		"backspace": {Code: tea.KeyBackspace},
		"space":     {Code: tea.KeySpace, Text: " "},
		"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
	}
	if k, ok := named[name]; ok {
		return tea.KeyPressMsg(k)
	}
	r := []rune(name)[0]
	return tea.KeyPressMsg{Code: r, Text: name}
}

// frame returns the frame after every message sent so far, with its escape sequences.
func (s *session) frame() string {
	s.t.Helper()
	s.tm.Send(snapshot{})
	select {
	case f := <-s.frames:
		return f
	case <-time.After(5 * time.Second):
		s.t.Fatal("no frame within 5s")
		return ""
	}
}

// screen is what a person reads: the frame without escape sequences.
func (s *session) screen() string { return ansi.Strip(s.frame()) }

// rows returns the screen's rows.
func (s *session) rows() []string { return strings.Split(s.screen(), "\n") }

// output waits until the program's output contains want, and returns all of it so far.
func (s *session) waitOutput(want string) string {
	s.t.Helper()
	var got string
	teatest.WaitFor(s.t, s.tm.Output(), func(b []byte) bool {
		got = string(b)
		return strings.Contains(got, want)
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	return got
}

// quit presses q and waits for the program to end.
func (s *session) quit() *Model {
	s.t.Helper()
	s.keys("q")
	s.tm.WaitFinished(s.t, teatest.WithFinalTimeout(5*time.Second))
	return s.tm.FinalModel(s.t).(probe).Model
}

func mustContain(t *testing.T, screen string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(screen, w) {
			t.Fatalf("screen lacks %q:\n%s", w, screen)
		}
	}
}

func mustNotContain(t *testing.T, screen string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(screen, w) {
			t.Fatalf("screen has %q:\n%s", w, screen)
		}
	}
}

// renderMarkdown lays out a Markdown body as the loader reads it.
func renderMarkdown(body string, width int, g *glyphs) []line {
	return renderBlocks(profiles.MarkdownBlocks(body), width, g)
}
