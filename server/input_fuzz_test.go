package server

import (
	"bytes"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	uv "github.com/charmbracelet/ultraviolet"
	"golang.org/x/time/rate"
)

// FuzzInputPath runs any bytes through the input path a session uses, the guard
// then the decoder, read in small pieces: nothing may panic or hang, and what
// reaches the program stays within the guard's bounds.
func FuzzInputPath(f *testing.F) {
	for _, seed := range []string{
		"q", "\x1b[A\x1b[B", "\x1b", "\x1b[", "\x1b[200~paste\x1b[201~q", "\x1b[200~\x1b[200~a",
		"\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\", "\x1b[?2026;2$y", "\x1b[<0;10;5M", "\x1bP" + strings.Repeat("x", 2000),
		"\x9b1;5A", "\xff\xfe\xc3", "\x1b[1;5R", "\x1b_Gq\x1b\\", "\x18\x1a\x1b]0;\x18",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var last atomic.Int64
		r := io.MultiReader(bytes.NewReader(data), bytes.NewReader(data)) // twice: a state carried over
		g := newInputGuard(&chunkReader{r: r, n: 7}, &last, guardHooks{})
		g.limiter = rate.NewLimiter(rate.Inf, 0)
		g.maxBacklog = 2*len(data) + 1
		events := make(chan uv.Event)
		done := make(chan struct{})
		pasted := 0
		go func() {
			defer close(done)
			for ev := range events {
				switch ev := ev.(type) {
				case uv.PasteEvent:
					pasted = max(pasted, len(ev.Content))
				case uv.UnknownEvent:
					if len(ev) > maxEscapeSeq+16 {
						t.Errorf("an unknown sequence of %d bytes reached the program", len(ev))
					}
				}
			}
		}()
		decodeInput(g, events, time.Millisecond, nil)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("the decoder did not end")
		}
		if pasted > maxPasteBytes {
			t.Errorf("a paste of %d bytes reached the program", pasted)
		}
	})
}

// chunkReader reads at most n bytes at a time, so that sequences arrive split.
type chunkReader struct {
	r io.Reader
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }
