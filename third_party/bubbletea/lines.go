package tea

import (
	"strings"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// This file is part of the sshcv patch to Bubble Tea v2.1.1 (see sshcv_patch.go).
//
// drawLines draws an alternate-screen frame row by row, writing a row again
// only when its text changed. Released Bubble Tea keeps two cell buffers for
// this (its own and ultraviolet's TerminalRenderer's, ~270 bytes a cell
// together), so a program's memory grows with the window; the rows kept here
// are substrings of the view's content, which the renderer holds anyway.
func (s *cursedRenderer) drawLines(content string) {
	next := s.spareRows[:0]
	for len(next) < s.height && content != "" {
		var line string
		line, content, _ = strings.Cut(content, "\n")
		next = append(next, strings.TrimSuffix(line, "\r"))
	}
	for len(next) < s.height {
		next = append(next, "")
	}

	prev := s.rows
	if len(prev) != len(next) {
		// A first frame or one after a resize, a clear or a screen switch:
		// erase everything and draw what is not blank.
		_, _ = s.scr.WriteString(ansi.CursorHomePosition + ansi.EraseEntireScreen)
		prev = make([]string, len(next))
	}

	below := -1 // the row the cursor is on after the last row written
	for y, line := range next {
		if line == prev[y] {
			continue
		}
		if below == y-1 && y > 0 {
			_, _ = s.scr.WriteString("\r\n")
		} else {
			_, _ = s.scr.WriteString(ansi.CursorPosition(1, y+1))
		}
		s.writeRow(line)
		below = y
	}
	s.rows, s.spareRows = next, prev[:0]
}

// writeRow writes one row at the cursor, which is at its first column: the
// text (cut to the window, colours downsampled to the terminal's profile),
// then an erase of the rest of the row if the text does not fill it.
func (s *cursedRenderer) writeRow(line string) {
	styled := strings.IndexByte(line, ansi.ESC) >= 0
	// Blank padding after the last style needs no bytes: the erase clears it.
	if trimmed := strings.TrimRight(line, " "); len(trimmed) < len(line) &&
		(!styled || strings.HasSuffix(trimmed, ansi.ResetStyle) || strings.HasSuffix(trimmed, "\x1b[0m")) {
		line = trimmed
	}
	width := s.cellbuf.Method.StringWidth(line)
	if width > s.width {
		line = s.cellbuf.Method.Truncate(line, s.width, "")
		width = s.width
	}
	if styled && s.profile < colorprofile.TrueColor {
		w := colorprofile.Writer{Forward: s.scr, Profile: s.profile}
		_, _ = w.WriteString(line)
	} else {
		_, _ = s.scr.WriteString(line)
	}
	if styled {
		_, _ = s.scr.WriteString(ansi.ResetStyle)
	}
	if width < s.width {
		_, _ = s.scr.WriteString(ansi.EraseLineRight)
	}
}
