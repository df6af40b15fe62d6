package vterm

import (
	"strings"
	"testing"
)

// startupQueries is what a program may send before and with its first frame, with text
// around the queries; wantStartupReplies is what xterm (dark background) answers.
const startupQueries = "\x1b[?2026$p\x1b[?2027$p" + // Bubble Tea's start-up DECRQM
	"\x1b[?1049h\x1b[H\x1b[2J" +
	"hello" +
	"\x1b]11;?\x07" + // background colour, BEL-terminated
	"\x1b]10;?\x1b\\" + // foreground colour, ST-terminated
	"\x1b[c" + // DA1
	"\x1b[?u" + // kitty keyboard query: xterm stays silent
	"\x1b[6n" + // cursor position: after "hello" on row 1
	"\x1b[>q" + // XTVERSION
	"\x1b[?25$p" + // DECRQM for a mode never set
	"\x1b[?1049$p" + // DECRQM for a mode set above
	"world"

const wantStartupReplies = "\x1b[?2026;2$y\x1b[?2027;2$y" +
	"\x1b]11;rgb:0000/0000/0000\x1b\\" +
	"\x1b]10;rgb:ffff/ffff/ffff\x1b\\" +
	"\x1b[?62;22c" +
	"\x1b[1;6R" +
	"\x1bP>|XTerm(390)\x1b\\" +
	"\x1b[?25;2$y" +
	"\x1b[?1049;1$y"

func feed(t *Terminal, chunks ...string) string {
	var replies []byte
	for _, c := range chunks {
		t.Write([]byte(c))
		replies = append(replies, t.TakeReplies()...)
	}
	return string(replies)
}

func TestTerminalAnswersQueriesSplitAtEveryByte(t *testing.T) {
	in := startupQueries
	for i := 0; i <= len(in); i++ {
		term := New(80, 24, Options{})
		if got := feed(term, in[:i], in[i:]); got != wantStartupReplies {
			t.Fatalf("split at byte %d: replies\n got %q\nwant %q", i, got, wantStartupReplies)
		}
		if got := term.Screen(); got != "helloworld" {
			t.Fatalf("split at byte %d: screen %q, want %q", i, got, "helloworld")
		}
	}
}

func TestTerminalAnswersQueriesSplitAtEveryPairOfBytes(t *testing.T) {
	in := startupQueries
	for i := 0; i <= len(in); i++ {
		for j := i; j <= len(in); j++ {
			term := New(80, 24, Options{})
			if got := feed(term, in[:i], in[i:j], in[j:]); got != wantStartupReplies {
				t.Fatalf("split at bytes %d and %d: replies\n got %q\nwant %q", i, j, got, wantStartupReplies)
			}
		}
	}
}

func TestTerminalAnswersOneByteAtATime(t *testing.T) {
	term := New(80, 24, Options{})
	var chunks []string
	for i := range len(startupQueries) {
		chunks = append(chunks, startupQueries[i:i+1])
	}
	if got := feed(term, chunks...); got != wantStartupReplies {
		t.Fatalf("replies\n got %q\nwant %q", got, wantStartupReplies)
	}
}

func TestTerminalKittyReplyAndSilence(t *testing.T) {
	term := New(80, 24, Options{KittyReply: true})
	if got, want := feed(term, "\x1b[?u"), "\x1b[?0u"; got != want {
		t.Errorf("kitty query with KittyReply: got %q, want %q", got, want)
	}
	silent := New(80, 24, Options{Silent: true, KittyReply: true})
	if got := feed(silent, startupQueries, "\x1b[?u"); got != "" {
		t.Errorf("silent terminal answered %q", got)
	}
	if got := silent.Screen(); got != "helloworld" {
		t.Errorf("silent terminal screen %q, want %q", got, "helloworld")
	}
}

func TestTerminalIgnoresUnrelatedSequences(t *testing.T) {
	term := New(80, 24, Options{})
	// OSC 8 hyperlink, SGR, kitty push/pop, modifyOtherKeys, charset designation,
	// a colour being set (not queried), XTGETTCAP.
	got := feed(term, "\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\",
		"\x1b[1;38;5;212m\x1b[0m\x1b[>1u\x1b[<u\x1b[>4;2m\x1b(B\x1b]11;#000000\x07",
		"\x1bP+q524742\x1b\\")
	if want := "\x1bP0+r\x1b\\"; got != want {
		t.Errorf("replies %q, want only the XTGETTCAP answer %q", got, want)
	}
	if got := term.Screen(); got != "link" {
		t.Errorf("screen %q, want %q", got, "link")
	}
}

func TestMarkerFoundAcrossChunksWithEscapesInterleaved(t *testing.T) {
	// The renderer styles letters, skips unchanged blank cells with CUF and repeats
	// characters with REP, so "Rohit Gupta" is never contiguous in the raw bytes.
	frame := "\x1b[?1049h\x1b[H\x1b[2J\x1b[3;5H\x1b[1;38;5;212mRo\x1b[0mhi\x1b[mt\x1b[CGup\x1b[4mta\x1b[m" +
		"\x1b[5;1HSkil\x1b[1bs" // "Skills" via REP of the l
	for i := 0; i <= len(frame); i++ {
		term := New(80, 24, Options{})
		term.Write([]byte(frame[:i]))
		foundEarly := term.Find("Rohit Gupta")
		term.Write([]byte(frame[i:]))
		found := foundEarly || term.Find("Rohit Gupta")
		if !found {
			t.Fatalf("split at byte %d: marker not found; screen:\n%s", i, term.Screen())
		}
		if !strings.Contains(term.Screen(), "Skills") {
			t.Fatalf("split at byte %d: REP not applied; screen:\n%s", i, term.Screen())
		}
	}
}

func TestMarkerNotFoundBeforeItIsComplete(t *testing.T) {
	term := New(80, 24, Options{})
	term.Write([]byte("\x1b[2;1HRohit Gup"))
	if term.Find("Rohit Gupta") {
		t.Fatal("marker found before its last letters arrived")
	}
	term.Write([]byte("ta"))
	if !term.Find("Rohit Gupta") {
		t.Fatalf("marker not found once complete; screen:\n%s", term.Screen())
	}
}

func TestMarkerAfterKeyOnlyInRowsRedrawn(t *testing.T) {
	term := New(80, 24, Options{})
	term.Write([]byte("\x1b[1;1HExperience · Technical Skills\x1b[4;1HExperience"))
	term.Find("x") // the first frame has been looked at
	term.ResetDirty()
	// A frame that redraws a different row does not count for a marker shown elsewhere.
	term.Write([]byte("\x1b[10;1Hsomething else"))
	if term.Find("Technical Skills") {
		t.Fatal("marker on an untouched row counted after the key")
	}
	// The next frame changes only the cells that differ: "Experience" becomes
	// "Technical Skills", skipping the 'i' both words have in the sixth column.
	term.Write([]byte("\x1b[4;1HTechn\x1b[Ccal Skills"))
	if !term.Find("Technical Skills") {
		t.Fatalf("marker not found in the redrawn row; screen:\n%s", term.Screen())
	}
}

func TestTerminalScreenOperations(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"erase line right", "abcdef\x1b[1;3H\x1b[K", "ab"},
		{"erase chars", "abcdef\x1b[1;2H\x1b[2X", "a  def"},
		{"insert chars", "abcdef\x1b[1;2H\x1b[2@", "a  bcdef"},
		{"delete chars", "abcdef\x1b[1;2H\x1b[2P", "adef"},
		{"wrap at the margin", "0123456789ab", "0123456789\nab"},
		{"deferred wrap then CR", "0123456789\rX", "X123456789"},
		{"insert line", "a\r\nb\r\nc\x1b[2;1H\x1b[L", "a\n\nb\nc"},
		{"delete line", "a\r\nb\r\nc\x1b[1;1H\x1b[M", "b\nc"},
		{"scroll up in region", "a\r\nb\r\nc\r\nd\x1b[2;3r\x1b[S\x1b[r", "a\nc\n\nd"},
		{"reverse index at top", "a\r\nb\x1b[H\x1bM", "\na\nb"},
		{"save and restore cursor", "ab\x1b7\x1b[3;1Hx\x1b8c", "abc\n\nx"},
		{"wide characters", "日本\x1b[1;5Hx", "日本x"},
		{"tab", "a\tb", "a       b"},
		{"erase display below", "abc\r\ndef\x1b[1;2H\x1b[J", "a"},
		{"alt screen starts blank", "main\x1b[?1049h\x1b[Halt", "alt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			term := New(10, 4, Options{})
			term.Write([]byte(tc.in))
			if got := term.Screen(); got != tc.want {
				t.Errorf("screen\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestKeySequencesFollowCursorKeyMode(t *testing.T) {
	term := New(80, 24, Options{})
	if got := term.KeySequence("right"); got != "\x1b[C" {
		t.Errorf("right in normal mode: %q", got)
	}
	term.Write([]byte("\x1b[?1h"))
	if got := term.KeySequence("right"); got != "\x1bOC" {
		t.Errorf("right in application cursor mode: %q", got)
	}
	for name, want := range map[string]string{"tab": "\t", "enter": "\r", "pgdown": "\x1b[6~", "j": "j"} {
		if got := term.KeySequence(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
		if !KnownKey(name) {
			t.Errorf("KnownKey(%q) = false", name)
		}
	}
	if KnownKey("ctrl+alt+nonsense") {
		t.Error("knownKey accepted a name it cannot send")
	}
}
