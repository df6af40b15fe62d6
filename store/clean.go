package store

import (
	"strings"
	"unicode/utf8"

	"github.com/sshcv/sshcv/profiles"
)

// Clean checks what a visitor typed and returns it as it will be stored: invalid UTF-8
// is refused (ErrNotUTF8), escape sequences and control characters are removed as in
// profile text (profiles.Sanitize), so nothing in a message can act on the owner's
// terminal, and surrounding blank space is trimmed. A body that is empty after that is
// ErrEmpty; one over MaxBody characters is ErrTooLong; a from line over MaxFrom is
// ErrFromTooLong. The from line is one line: its line breaks become spaces.
func Clean(from, body string) (string, string, error) {
	if !utf8.ValidString(from) || !utf8.ValidString(body) {
		return "", "", ErrNotUTF8
	}
	body = strings.TrimSpace(strings.ReplaceAll(profiles.Sanitize(body), "\x00", ""))
	from = strings.Join(strings.Fields(profiles.Sanitize(from)), " ")
	switch {
	case body == "":
		return "", "", ErrEmpty
	case utf8.RuneCountInString(body) > MaxBody:
		return "", "", ErrTooLong
	case utf8.RuneCountInString(from) > MaxFrom:
		return "", "", ErrFromTooLong
	}
	return from, body, nil
}
