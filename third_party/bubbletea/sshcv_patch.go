package tea

import (
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

// renderOnDemand flushes the output and the renderer whenever woken, at most
// once per frame interval, until the renderer is stopped.
func (p *Program) renderOnDemand(framerate time.Duration) {
	pause := time.NewTimer(framerate)
	pause.Stop()
	defer pause.Stop()
	for {
		select {
		case <-p.rendererDone:
			return
		case <-p.frameDue:
		}
		_ = p.flush()
		_ = p.renderer.flush(false)

		// Whatever arrives during the pause is drawn in one frame after it.
		pause.Reset(framerate)
		select {
		case <-p.rendererDone:
			return
		case <-pause.C:
		}
	}
}

// wakingRenderer wakes the program's renderer goroutine after every call that
// may change what the next flush writes.
type wakingRenderer struct {
	renderer
	wake func()
}

func (r *wakingRenderer) render(v View) { r.renderer.render(v); r.wake() }

func (r *wakingRenderer) reset() { r.renderer.reset(); r.wake() }

func (r *wakingRenderer) insertAbove(s string) error {
	defer r.wake()
	return r.renderer.insertAbove(s) //nolint:wrapcheck
}

func (r *wakingRenderer) setSyncdUpdates(on bool) { r.renderer.setSyncdUpdates(on); r.wake() }

func (r *wakingRenderer) setWidthMethod(m ansi.Method) { r.renderer.setWidthMethod(m); r.wake() }

func (r *wakingRenderer) resize(w, h int) { r.renderer.resize(w, h); r.wake() }

func (r *wakingRenderer) setColorProfile(p colorprofile.Profile) {
	r.renderer.setColorProfile(p)
	r.wake()
}

func (r *wakingRenderer) clearScreen() { r.renderer.clearScreen(); r.wake() }

func (r *wakingRenderer) writeString(s string) (int, error) {
	defer r.wake()
	return r.renderer.writeString(s) //nolint:wrapcheck
}
