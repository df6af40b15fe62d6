package tea

import (
	"io"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// This file and lines.go are the sshcv patch to Bubble Tea v2.1.1: rendering
// on demand, the change proposed upstream in bubbletea PRs #1776 and #1796,
// and alternate screens drawn line by line. Released Bubble Tea flushes its
// renderer on a ticker for the program's whole life (fps wake-ups a second,
// idle or not), a first frame or a key's frame waits for the next tick, and a
// program keeps two cell buffers the size of the window. Both changes are
// opt-in options, so that a program without them runs as released.

// WithFrameOnDemand makes the program flush its renderer when something was
// queued for the output (a new view, a resize, a query) rather than on every
// tick of a ticker: a frame goes out at once, the next one after at least one
// frame interval (WithFPS), and an idle program never wakes up.
func WithFrameOnDemand() ProgramOption {
	return func(p *Program) { p.onDemand = true }
}

// WithLineRenderer makes the renderer draw alternate-screen frames row by
// row, writing a row again only when its text changed, instead of diffing two
// cell buffers the size of the window: a program's memory no longer grows with
// its window. Inline frames are drawn as released.
func WithLineRenderer() ProgramOption {
	return func(p *Program) { p.lineDraw = true }
}

// wakeRenderer asks the renderer's goroutine for a flush. It never blocks: one
// pending request covers everything queued before the flush runs.
func (p *Program) wakeRenderer() {
	select {
	case p.frameDue <- struct{}{}:
	default:
	}
}

// frameBurst is how many frames may go out back to back before the frame
// rate applies: a first frame, its redraw once the terminal has answered the
// start-up queries, and a key pressed meanwhile all go out at once.
const frameBurst = 4

// renderOnDemand flushes the output and the renderer whenever woken, until the
// renderer is stopped. Frames go out at once while the burst allowance lasts;
// it refills at one frame per frame interval (WithFPS), so that a stream of
// messages is drawn at most fps times a second. A flush that found nothing to
// draw costs nothing.
func (p *Program) renderOnDemand(framerate time.Duration) {
	pause := time.NewTimer(framerate)
	pause.Stop()
	defer pause.Stop()
	allowance, last := float64(frameBurst), time.Now()
	for {
		select {
		case <-p.rendererDone:
			return
		case <-p.frameDue:
		}
		now := time.Now()
		allowance = min(frameBurst, allowance+float64(now.Sub(last))/float64(framerate))
		last = now
		if allowance < 1 {
			// Whatever arrives during the pause is drawn in one frame after it.
			pause.Reset(time.Duration((1 - allowance) * float64(framerate)))
			select {
			case <-p.rendererDone:
				return
			case <-pause.C:
			}
			allowance, last = 1, time.Now()
		}
		_ = p.flush()
		drawn := p.frameOut.writes.Load()
		_ = p.renderer.flush(false)
		if p.frameOut.writes.Load() != drawn {
			allowance--
		}
	}
}

// frameCounter counts the renderer's writes to the program's output.
type frameCounter struct {
	io.Writer
	writes atomic.Uint64
}

func (c *frameCounter) Write(b []byte) (int, error) {
	c.writes.Add(1)
	return c.Writer.Write(b) //nolint:wrapcheck
}

// rendererOutput is where the renderer writes: the program's output, through
// a frameCounter when frames are drawn on demand.
func (p *Program) rendererOutput() io.Writer {
	if !p.onDemand {
		return p.output
	}
	p.frameOut.Writer = p.output
	return &p.frameOut
}

// wakingRenderer wakes the program's renderer goroutine after every call that
// may change what the next flush writes.
type wakingRenderer struct {
	renderer
	wake func()

	width, height int // the last size given to resize
}

func (r *wakingRenderer) render(v View) { r.renderer.render(v); r.wake() }

func (r *wakingRenderer) reset() { r.renderer.reset(); r.wake() }

func (r *wakingRenderer) insertAbove(s string) error {
	defer r.wake()
	return r.renderer.insertAbove(s) //nolint:wrapcheck
}

func (r *wakingRenderer) setSyncdUpdates(on bool) { r.renderer.setSyncdUpdates(on); r.wake() }

func (r *wakingRenderer) setWidthMethod(m ansi.Method) { r.renderer.setWidthMethod(m); r.wake() }

// resize passes a new size on. The same size again (Bubble Tea sizes the
// renderer at the start, then hears the same size as its first WindowSizeMsg)
// would only redraw the whole screen for nothing.
func (r *wakingRenderer) resize(w, h int) {
	if w == r.width && h == r.height {
		return
	}
	r.width, r.height = w, h
	r.renderer.resize(w, h)
	r.wake()
}

func (r *wakingRenderer) setColorProfile(p colorprofile.Profile) {
	r.renderer.setColorProfile(p)
	r.wake()
}

func (r *wakingRenderer) clearScreen() { r.renderer.clearScreen(); r.wake() }

func (r *wakingRenderer) writeString(s string) (int, error) {
	defer r.wake()
	return r.renderer.writeString(s) //nolint:wrapcheck
}
