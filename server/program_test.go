package server

import (
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/sshcv/sshcv/internal/testenv"
	"github.com/sshcv/sshcv/internal/vterm"
)

// textModel shows the last string it was sent.
type textModel string

func (m textModel) Init() tea.Cmd { return nil }

func (m textModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if s, ok := msg.(string); ok {
		return textModel(s), nil
	}
	return m, nil
}

func (m textModel) View() tea.View {
	v := tea.NewView(string(m))
	v.AltScreen = true
	return v
}

// startProgram runs model on the patched renderer, as the server does, writing
// to out, until the test ends.
func startProgram(t *testing.T, model tea.Model, out io.Writer, width, height int, opts ...tea.ProgramOption) *tea.Program {
	t.Helper()
	opts = append([]tea.ProgramOption{
		tea.WithInput(nil), tea.WithOutput(out), tea.WithWindowSize(width, height),
		tea.WithoutSignalHandler(), tea.WithFrameOnDemand(), tea.WithLineRenderer(),
	}, opts...)
	program := tea.NewProgram(model, opts...)
	done := make(chan error, 1)
	go func() { _, err := program.Run(); done <- err }()
	t.Cleanup(func() {
		program.Quit()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return program
}

// waitOutput waits up to limit for text in out and says how long it took.
func waitOutput(t *testing.T, out *testenv.SyncBuffer, text string, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for !strings.Contains(out.String(), text) {
		if time.Since(start) > limit {
			t.Fatalf("%q not drawn within %v; output %q", text, limit, out.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(start)
}

// TestFramesOnDemand checks the patched Bubble Tea (third_party/bubbletea) the
// server's programs run on: at 1 frame a second, released Bubble Tea draws the
// first frame at the first tick, a second after the start, and a change a second
// later at the next tick; drawn on demand, both go out at once.
func TestFramesOnDemand(t *testing.T) {
	out := &testenv.SyncBuffer{}
	program := startProgram(t, textModel("first frame"), out, 80, 24, tea.WithFPS(1))

	// Generous bounds: the released renderer cannot draw before its tick.
	if took := waitOutput(t, out, "first frame", 2*time.Second); took > 800*time.Millisecond {
		t.Errorf("first frame took %v: drawn at a tick, not on demand", took)
	}
	time.Sleep(1200 * time.Millisecond) // past the pause after a frame, between ticks
	program.Send("second frame")
	if took := waitOutput(t, out, "second frame", 2*time.Second); took > 500*time.Millisecond {
		t.Errorf("a change took %v to be drawn: drawn at a tick, not on demand", took)
	}
}

// screenWriter is a program's output shown on an emulated terminal.
type screenWriter struct {
	mu   sync.Mutex
	term *vterm.Terminal
}

func (s *screenWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.term.Write(p)
}

func (s *screenWriter) screen() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.term.Screen()
}

// TestLineRendererDrawsEveryFrame: frames drawn row by row (tea.WithLineRenderer)
// show on a terminal exactly as their text, frame after frame: changed, shorter,
// removed and too-wide rows, styles, hyperlinks and padding.
func TestLineRendererDrawsEveryFrame(t *testing.T) {
	const width, height = 40, 6
	link := "\x1b]8;;https://example.com\x07\x1b[4;94mexample.com\x1b[m\x1b]8;;\x07"
	frames := []struct{ content, want string }{
		{
			" \x1b[1;94mRohit Gupta\x1b[m\x1b[37m · \x1b[mEngineer\n" +
				" " + link + "\x1b[37m · \x1b[m" + link + "\n" +
				"\x1b[7m Experience \x1b[m \x1b[37m Projects \x1b[m\x1b[m        \n" +
				strings.Repeat("wide ", 12) + "\n" +
				"last row",
			" Rohit Gupta · Engineer\n" +
				" example.com · example.com\n" +
				" Experience   Projects\n" +
				strings.TrimSpace(strings.Repeat("wide ", 8)) + "\n" +
				"last row",
		},
		{
			" \x1b[1;94mRohit Gupta\x1b[m\x1b[37m · \x1b[mEngineer\n" +
				" short\n" +
				"\x1b[37m Experience \x1b[m \x1b[7m Projects \x1b[m\n" +
				"\n" +
				"界 wide runes 界",
			" Rohit Gupta · Engineer\n" +
				" short\n" +
				" Experience   Projects\n" +
				"\n" +
				"界 wide runes 界",
		},
		{
			"\n\n   centred",
			"\n\n   centred",
		},
	}
	out := &screenWriter{term: vterm.New(width, height, vterm.Options{Silent: true})}
	program := startProgram(t, textModel(frames[0].content), out, width, height)
	for i, f := range frames {
		if i > 0 {
			program.Send(f.content)
		}
		deadline := time.Now().Add(3 * time.Second)
		for out.screen() != f.want {
			if time.Now().After(deadline) {
				t.Fatalf("frame %d: the screen shows\n%s\nwant\n%s", i, out.screen(), f.want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}
