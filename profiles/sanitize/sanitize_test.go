package sanitize

import (
	"strings"
	"testing"
)

func TestSanitize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain text is kept", "Rohit Gupta · DevOps ♥ 日本 é\tx\ny", "Rohit Gupta · DevOps ♥ 日本 é\tx\ny"},
		{"screen clear", "a\x1b[2Jb", "ab"},
		{"colours and private modes", "\x1b[1;31mred\x1b[0m \x1b[?1049hX", "red X"},
		{"OSC 52 clipboard write, BEL", "a\x1b]52;c;SGVsbG8=\x07b", "ab"},
		{"OSC 52 clipboard write, ST", "a\x1b]52;c;SGVsbG8=\x1b\\b", "ab"},
		{"OSC 8 hyperlink", "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"DCS, SOS, PM, APC", "1\x1bP+q544e\x1b\\2\x1bXsos\x1b\\3\x1b^pm\x1b\\4\x1b_apc\x1b\\5", "12345"},
		{"C1 CSI", "a\u009b2Jb", "ab"},
		{"C1 OSC with C1 ST", "a\u009d52;c;SGVsbG8=\u009cb", "ab"},
		{"C1 DCS with BEL", "a\u0090q\u0007b", "ab"},
		{"other C1 controls", "a\u0085\u008e\u0080b", "ab"},
		{"C1 APC runs to its end", "a\u009fpayload\u009cb", "ab"},
		{"two-byte escapes", "a\x1bcb\x1b7c\x1b(0d\x1b#8e", "abcde"},
		{"C0 controls and DEL", "a\x00b\x07c\x08d\x7fe\x0bf\x0cg", "abcdefg"},
		{"carriage returns", "a\r\nb\rc", "a\nbc"},
		{"bidi overrides", "a\u202eevil\u202c\u2066x\u2069\u200e\u200f\u061cb", "aevilxb"},
		{"unterminated OSC stops at the line end", "a\x1b]0;title\nnext line", "a\nnext line"},
		{"escape at the very end", "abc\x1b", "abc"},
		{"CSI cut short", "abc\x1b[12;", "abc"},
		{"CSI with a stray byte keeps the byte's own verdict", "a\x1b[1\nb", "a\nb"},
		{"invalid UTF-8", "a\xffb\xc3", "a\ufffdb\ufffd"},
		{"raw 8-bit CSI byte is not UTF-8", "a\x9b2Jb", "a\ufffd2Jb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Text(tt.in)
			if got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := Text(got); again != got {
				t.Errorf("not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestSanitizeKeepsCleanStringsAsTheyAre(t *testing.T) {
	s := strings.Repeat("Production Engineer · DevOps\n", 100)
	if Text(s) != s {
		t.Error("a clean string changed")
	}
	if n := testing.AllocsPerRun(10, func() { Text(s) }); n != 0 {
		t.Errorf("a clean string cost %v allocations", n)
	}
}
