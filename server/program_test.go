package server

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// lockedBuffer is a program's output, read while the program writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

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

// waitOutput waits up to limit for text in out and says how long it took.
func waitOutput(t *testing.T, out *lockedBuffer, text string, limit time.Duration) time.Duration {
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
	out := &lockedBuffer{}
	program := tea.NewProgram(textModel("first frame"),
		tea.WithInput(nil), tea.WithOutput(out), tea.WithWindowSize(80, 24),
		tea.WithoutSignalHandler(), tea.WithFPS(1),
		tea.WithFrameOnDemand(), tea.WithLineRenderer(),
	)
	done := make(chan error, 1)
	go func() { _, err := program.Run(); done <- err }()
	defer func() {
		program.Quit()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

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
