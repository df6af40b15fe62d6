package cv

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error is a problem in a profile file, placed so that its owner can find it:
// "profiles/rohit.md:3:7: aliases: expected a list of names". Line and Col are
// 1-based; zero means unknown and is left out of the message.
type Error struct {
	File string
	Line int
	Col  int
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Errorf builds an *Error for file at line:col.
func Errorf(file string, line, col int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// OffsetPosition turns a byte offset into a 1-based line and column, counting columns
// in characters.
func OffsetPosition(data []byte, offset int) (line, col int) {
	offset = min(offset, len(data))
	line = 1 + bytes.Count(data[:offset], []byte("\n"))
	lineStart := bytes.LastIndexByte(data[:offset], '\n') + 1
	return line, 1 + utf8.RuneCount(data[lineStart:offset])
}
