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
// A screen that is known to be blank (cleared) is not erased again.
func (s *cursedRenderer) drawLines(content string, cleared bool) {
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
	at := -1 // the row the cursor is on, at or past its text; -1: unknown
	if len(prev) != len(next) {
		// A first frame or one after a resize, a clear or a screen switch:
		// erase everything and draw what is not blank.
		_, _ = s.scr.WriteString(ansi.CursorHomePosition)
		if !cleared {
			_, _ = s.scr.WriteString(ansi.EraseEntireScreen)
		}
		prev = make([]string, len(next))
		at = 0
	}

	for y, line := range next {
		if line == prev[y] || (prev[y] == "" && isBlank(line)) {
			continue
		}
		switch {
		case at == y:
			// At the home position after the erase.
		case at >= 0 && y > at && y-at <= 3:
			_, _ = s.scr.WriteString(strings.Repeat("\r\n", y-at))
		default:
			_, _ = s.scr.WriteString(ansi.CursorPosition(1, y+1))
		}
		s.writeRow(line, !isBlank(prev[y]))
		at = y
	}
	s.rows, s.spareRows = next, prev[:0]
}

// isBlank says whether a row shows nothing: empty, or spaces.
func isBlank(line string) bool {
	return strings.Trim(line, " ") == ""
}

// writeRow writes one row at the cursor, which is at its first column: the
// text (cut to the window, colours downsampled to the terminal's profile),
// then, if the row showed something (erase) and the text does not fill it, an
// erase of the rest of the row.
func (s *cursedRenderer) writeRow(line string, erase bool) {
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
	plain := true
	if styled {
		line, plain = tidyStyles(line)
	}
	if styled && s.profile < colorprofile.TrueColor {
		w := colorprofile.Writer{Forward: s.scr, Profile: s.profile}
		_, _ = w.WriteString(line)
	} else {
		_, _ = s.scr.WriteString(line)
	}
	if !plain {
		_, _ = s.scr.WriteString(ansi.ResetStyle)
	}
	if erase && width < s.width {
		_, _ = s.scr.WriteString(ansi.EraseLineRight)
	}
}

// tidyStyles drops the style resets a row does not need and joins a reset
// with the style after it ("\x1b[m\x1b[37m" becomes "\x1b[0;37m"). A row starts
// with no style set: the row before it ended with a reset. A reset is held back
// over hyperlink sequences, which no style affects, and written before the
// next text or at the end. plain says whether the row ends with no style set.
func tidyStyles(line string) (tidy string, plain bool) {
	var b strings.Builder
	b.Grow(len(line))
	plain = true
	pending := false // a reset not written yet
	for i := 0; i < len(line); {
		if strings.HasPrefix(line[i:], "\x1b[") {
			j := i + 2
			for j < len(line) && (line[j] >= '0' && line[j] <= '9' || line[j] == ';' || line[j] == ':') {
				j++
			}
			if j < len(line) && line[j] == 'm' {
				switch params := line[i+2 : j]; {
				case params == "" || params == "0":
					pending = pending || !plain
					plain = true
				case pending:
					b.WriteString("\x1b[0;" + params + "m")
					pending, plain = false, false
				default:
					b.WriteString(line[i : j+1])
					plain = false
				}
				i = j + 1
				continue
			}
		}
		if strings.HasPrefix(line[i:], "\x1b]8;") {
			if end := strings.IndexByte(line[i:], ansi.BEL); end >= 0 {
				b.WriteString(line[i : i+end+1])
				i += end + 1
				continue
			}
		}
		if pending {
			b.WriteString(ansi.ResetStyle)
			pending = false
		}
		b.WriteByte(line[i])
		i++
	}
	if pending {
		b.WriteString(ansi.ResetStyle)
	}
	return b.String(), plain
}
