package tui

import (
	"encoding/base64"
	"image/color"
	"regexp"
	"strings"
	"testing"
	"unsafe"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/sshcv/sshcv/profiles"
)

// What the top of each of Rohit's pages says, in tab order.
var rohitPages = []struct{ tab, text string }{
	{"Experience", "Production engineer at Ola"}, // the intro opens the first page
	{"Projects", "Graylog - Centralized logging platform"},
	{"Skills", "Programming languages"},
	{"Achievements", "Speaker at conferences"},
	{"Education", "B. Tech in Information Technology"},
	{"Recommendations", "Rohit is passionate by his work"},
}

func rohitOptions(t *testing.T) Options {
	return Options{Profile: bundled(t, "rohit"), Choices: choices(t), Dark: true}
}

// bodyTop returns the first body row of a wide 80-column screen (under the rule).
func bodyTop(t *testing.T, rows []string) string {
	t.Helper()
	for i, r := range rows {
		if strings.Contains(r, "────") {
			return rows[i+1]
		}
	}
	t.Fatalf("no rule on screen:\n%s", strings.Join(rows, "\n"))
	return ""
}

func TestViewerSwitchesSectionsByKey(t *testing.T) {
	s := start(t, rohitOptions(t), 80, 24)
	// The first page opens with the intro, then the first section.
	mustContain(t, s.screen(), "Rohit Gupta", rohitPages[0].text, "ANI Technologies (aka OlaCabs)")

	steps := []struct {
		keys []string
		page int
	}{
		{[]string{"right"}, 1},
		{[]string{"l"}, 2},
		{[]string{"tab"}, 3},
		{[]string{"shift+tab"}, 2},
		{[]string{"left"}, 1},
		{[]string{"h"}, 0},
		{[]string{"h"}, 5}, // wraps around to the last
		{[]string{"l"}, 0},
		{[]string{"5"}, 4},
		{[]string{"2"}, 1},
		{[]string{"9"}, 1}, // no ninth section: stays
	}
	for _, st := range steps {
		s.keys(st.keys...)
		rows := s.rows()
		if got, want := bodyTop(t, rows), rohitPages[st.page].text; !strings.Contains(got, want) {
			t.Fatalf("after %v: body starts %q, want %q\n%s", st.keys, got, want, strings.Join(rows, "\n"))
		}
	}
}

func TestViewerNarrowTabBarCountsSections(t *testing.T) {
	s := start(t, rohitOptions(t), 50, 20)
	mustContain(t, s.screen(), "‹ 1/6  Experience ›")
	s.keys("l", "l")
	mustContain(t, s.screen(), "‹ 3/6  Skills ›")
	s.keys("shift+tab")
	mustContain(t, s.screen(), "‹ 2/6  Projects ›")
}

func TestViewerOpensRequestedSection(t *testing.T) {
	o := rohitOptions(t)
	o.Section = "EDU"
	s := start(t, o, 80, 24)
	if got := bodyTop(t, s.rows()); !strings.Contains(got, rohitPages[4].text) {
		t.Fatalf("rohit+edu opened at %q", got)
	}
}

// clickTab clicks the middle of a tab title found on the tab row of the screen.
func clickTab(t *testing.T, s *session, title string) {
	t.Helper()
	rows := s.rows()
	for y, r := range rows {
		i := strings.Index(r+" ", " "+title+" ")
		if i >= 0 && y < 8 && !strings.Contains(r, "·") {
			x := ansi.StringWidth(r[:i]) + 1 + len(title)/2
			s.tm.Send(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
			return
		}
	}
	t.Fatalf("no tab %q on screen:\n%s", title, strings.Join(rows, "\n"))
}

func TestViewerOpensTabOnClick(t *testing.T) {
	s := start(t, rohitOptions(t), 80, 24)
	for _, i := range []int{2, 5, 0, 3} {
		clickTab(t, s, rohitPages[i].tab)
		if got := bodyTop(t, s.rows()); !strings.Contains(got, rohitPages[i].text) {
			t.Fatalf("click on %s: body starts %q", rohitPages[i].tab, got)
		}
	}
	// A click elsewhere on the screen changes nothing.
	before := s.screen()
	s.tm.Send(tea.MouseClickMsg{X: 10, Y: 12, Button: tea.MouseLeft})
	if s.screen() != before {
		t.Fatal("a click in the body changed the screen")
	}
}

func TestViewerClickOnTabArrowsWhenNarrow(t *testing.T) {
	s := start(t, rohitOptions(t), 44, 16)
	row := s.rows()[1]
	next := strings.Index(row, "›")
	if next < 0 {
		t.Fatalf("no › on the tab row %q", row)
	}
	s.tm.Send(tea.MouseClickMsg{X: ansi.StringWidth(row[:next]), Y: 1, Button: tea.MouseLeft})
	mustContain(t, s.screen(), "2/6  Projects")
	s.tm.Send(tea.MouseClickMsg{X: 1, Y: 1, Button: tea.MouseLeft})
	mustContain(t, s.screen(), "1/6  Experience")
}

func TestViewerClickOnHiddenTabsArrow(t *testing.T) {
	// Ankush has more tabs than fit in 80 columns: the bar scrolls to the active one.
	s := start(t, Options{Profile: bundled(t, "ankush")}, 80, 24)
	screen := s.screen()
	mustNotContain(t, screen, " Interests ")
	s.keys("9")
	screen = s.screen()
	mustContain(t, screen, " Interests ", "‹ ")
	clickTab(t, s, "Activities")
	mustContain(t, s.screen(), "Activities")
	if s.model.viewer.body.tab != 7 {
		t.Fatalf("click on Activities opened tab %d", s.model.viewer.body.tab)
	}
}

func TestViewerScrolls(t *testing.T) {
	s := start(t, rohitOptions(t), 80, 24)
	first := s.rows()
	top := bodyTop(t, first)
	mustContain(t, first[len(first)-1], "Top")

	s.keys("j")
	if got := bodyTop(t, s.rows()); got != first[6] {
		t.Fatalf("j: body starts %q, want the second line %q", got, first[6])
	}
	s.keys("k")
	if got := bodyTop(t, s.rows()); got != top {
		t.Fatalf("k: body starts %q, want %q", got, top)
	}

	// A page down brings the last body line to the top.
	lastBody := first[len(first)-2]
	s.keys("pgdown")
	if got := bodyTop(t, s.rows()); got != lastBody {
		t.Fatalf("pgdown: body starts %q, want %q", got, lastBody)
	}
	s.keys("pgup")
	if got := bodyTop(t, s.rows()); got != top {
		t.Fatalf("pgup: body starts %q, want %q", got, top)
	}
	s.keys("space")
	if got := bodyTop(t, s.rows()); got != lastBody {
		t.Fatalf("space: body starts %q, want %q", got, lastBody)
	}

	s.keys("G")
	rows := s.rows()
	mustContain(t, rows[len(rows)-1], "End")
	mustContain(t, strings.Join(rows, "\n"), "LIREL Honor Rolls.") // the end of Experience
	s.keys("g")
	if got := bodyTop(t, s.rows()); got != top {
		t.Fatalf("g: body starts %q, want %q", got, top)
	}
	s.keys("end")
	mustContain(t, s.rows()[23], "End")
	s.keys("home")
	mustContain(t, s.rows()[23], "Top")

	// The wheel scrolls three lines.
	s.tm.Send(tea.MouseWheelMsg{X: 10, Y: 10, Button: tea.MouseWheelDown})
	if got := bodyTop(t, s.rows()); got != first[8] {
		t.Fatalf("wheel: body starts %q, want %q", got, first[8])
	}
	s.tm.Send(tea.MouseWheelMsg{X: 10, Y: 10, Button: tea.MouseWheelUp})
	if got := bodyTop(t, s.rows()); got != top {
		t.Fatalf("wheel up: body starts %q, want %q", got, top)
	}

	// Switching sections starts the new one at its top.
	s.keys("G", "l")
	mustContain(t, bodyTop(t, s.rows()), rohitPages[1].text)
}

func TestViewerSearchAcrossSections(t *testing.T) {
	s := start(t, rohitOptions(t), 80, 24)
	s.keys("/")
	s.typeText("graylog")
	screen := s.screen()
	mustContain(t, screen, "/graylog", "1/4 matches")
	s.keys("enter")

	// Graylog is named in Experience (once), Projects (twice) and Skills.
	frame := s.frame()
	mustContain(t, ansi.Strip(frame), "1/4 matches", "(Graylog)")
	if !strings.Contains(frame, "Graylog\x1b[m") || !strings.Contains(frame, "\x1b[7;1;4") {
		t.Fatalf("the current match is not highlighted:\n%q", frame)
	}
	s.keys("n")
	mustContain(t, s.screen(), "2/4 matches", rohitPages[1].text)
	if s.model.viewer.body.tab != 1 {
		t.Fatalf("n did not jump to Projects (tab %d)", s.model.viewer.body.tab)
	}
	s.keys("n", "n")
	mustContain(t, s.screen(), "4/4 matches", "Tools: Kafka, Elasticsearch, Graylog")
	s.keys("n")
	mustContain(t, s.screen(), "1/4 matches", "Search wrapped to the top")
	s.keys("N")
	mustContain(t, s.screen(), "4/4 matches")
	if s.model.viewer.body.tab != 2 {
		t.Fatalf("N did not go back to Skills (tab %d)", s.model.viewer.body.tab)
	}

	// esc clears the search: no count, no highlight.
	s.keys("esc")
	frame = s.frame()
	mustNotContain(t, ansi.Strip(frame), "matches")
	if strings.Contains(frame, "\x1b[7") && strings.Contains(frame, "Graylog\x1b[m") {
		t.Fatalf("highlight left after esc:\n%q", frame)
	}
}

func TestViewerSearchWithoutMatchesAndCancel(t *testing.T) {
	s := start(t, rohitOptions(t), 80, 24)
	s.keys("l", "j", "j")
	before := s.screen()
	s.keys("/")
	s.typeText("zzqx")
	mustContain(t, s.screen(), "/zzqx", "no matches")
	s.keys("enter")
	mustContain(t, s.screen(), "No match for “zzqx”")
	s.keys("j", "k") // any key clears the note
	mustNotContain(t, s.screen(), "No match")

	// esc while typing goes back to where the search began.
	s.keys("/")
	s.typeText("vimal")
	mustContain(t, s.screen(), "Vimal Gupta")
	s.keys("esc")
	if got := s.screen(); got != before {
		t.Fatalf("esc did not restore the page:\n%s\nwant:\n%s", got, before)
	}
}

func TestViewerHelp(t *testing.T) {
	s := start(t, rohitOptions(t), 80, 24)
	s.keys("?")
	screen := s.screen()
	mustContain(t, screen, "next section", "scroll down", "search the CV", "copy contact", "all CVs", "quit", "click on a tab")
	s.keys("?")
	screen = s.screen()
	mustNotContain(t, screen, "scroll down")
	mustContain(t, screen, rohitPages[0].text)

	// Without other CVs on the host, p is not offered.
	s2 := start(t, Options{Profile: bundled(t, "rohit")}, 80, 24)
	s2.keys("?")
	mustNotContain(t, s2.screen(), "all CVs")
	s2.keys("esc")
	mustNotContain(t, s2.screen(), "scroll down")
}

func TestViewerHelpScrollsWhenShort(t *testing.T) {
	s := start(t, rohitOptions(t), 40, 14)
	s.keys("?")
	mustContain(t, s.screen(), "next section", "↑↓ more")
	mustNotContain(t, s.screen(), "click on a tab")
	s.keys("G")
	mustContain(t, s.screen(), "click on a")
}

func TestViewerCopiesEmail(t *testing.T) {
	s := start(t, rohitOptions(t), 80, 24)
	s.keys("c")
	mustContain(t, s.screen(), "Copied hello@rohit.io to the clipboard")
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte("hello@rohit.io"))
	s.waitOutput(want)
	s.keys("j")
	mustNotContain(t, s.screen(), "Copied")
}

func TestViewerCopiesFirstLinkWithoutEmail(t *testing.T) {
	p := &profiles.Profile{Handle: "x", Name: "X", Links: []profiles.Link{{Label: "Site", URL: "https://x.example"}},
		Sections: []profiles.Section{{Title: "About", Blocks: profiles.MarkdownBlocks("Hello.")}}}
	s := start(t, Options{Profile: p}, 80, 24)
	s.keys("c")
	mustContain(t, s.screen(), "Copied https://x.example")
	s.waitOutput("\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte("https://x.example")))
}

func TestViewerResizeKeepsPlace(t *testing.T) {
	s := start(t, rohitOptions(t), 120, 40)
	s.keys("l", "pgdown")
	wide := s.screen()
	mustContain(t, wide, "Projects")

	s.tm.Send(tea.WindowSizeMsg{Width: 40, Height: 12})
	small := s.screen()
	mustContain(t, small, "Rohit Gupta", "2/6  Projects")
	for i, r := range strings.Split(small, "\n") {
		if w := ansi.StringWidth(r); w > 40 {
			t.Fatalf("row %d is %d cells wide at 40x12: %q", i, w, r)
		}
	}
	if n := len(strings.Split(small, "\n")); n != 12 {
		t.Fatalf("%d rows at 40x12", n)
	}

	s.tm.Send(tea.WindowSizeMsg{Width: 20, Height: 5})
	tiny := s.screen()
	mustContain(t, tiny, "Please enlarge", "have 20x5")
	s.keys("l", "G", "/") // keys at a tiny size change nothing and break nothing
	mustContain(t, s.screen(), "Please enlarge")

	s.tm.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
	back := s.screen()
	mustContain(t, back, "Projects", "%")
	if s.model.viewer.body.tab != 1 {
		t.Fatalf("resizing lost the section: tab %d", s.model.viewer.body.tab)
	}
	if s.model.viewer.body.offset == 0 {
		t.Fatal("resizing lost the scroll position")
	}
}

func TestViewerSurvivesAnySize(t *testing.T) {
	s := start(t, rohitOptions(t), 80, 24)
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {39, 11}, {40, 11}, {39, 12}, {40, 12}, {300, 120}, {61, 17}, {59, 30}} {
		s.tm.Send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		screen := s.screen()
		rows := strings.Split(screen, "\n")
		if sz[0] == 0 || sz[1] == 0 {
			if screen != "" {
				t.Fatalf("%dx%d: %q", sz[0], sz[1], screen)
			}
			continue
		}
		if len(rows) > sz[1] {
			t.Fatalf("%dx%d: %d rows", sz[0], sz[1], len(rows))
		}
		for _, r := range rows {
			if ansi.StringWidth(r) > sz[0] {
				t.Fatalf("%dx%d: row wider than the window: %q", sz[0], sz[1], r)
			}
		}
		if sz[0] >= MinWidth && sz[1] >= MinHeight {
			mustContain(t, screen, "Rohit Gupta")
			s.keys("l", "G", "h")
		} else {
			mustNotContain(t, screen, "Rohit Gupta")
		}
	}
}

func TestModelSurvivesHugeWindow(t *testing.T) {
	// The server clamps sizes; the model must still cope without the clamp (Bubble Tea's
	// own cell buffers are what a huge size costs, so this runs without a program).
	m := New(Options{Profile: bundled(t, "rohit"), Width: 5000, Height: 5000})
	rows := strings.Split(m.View().Content, "\n")
	if len(rows) != 5000 {
		t.Fatalf("%d rows", len(rows))
	}
	mustContain(t, ansi.Strip(rows[0]), "Rohit Gupta")
	text := strings.TrimLeft(rows[0], " ")
	if w := ansi.StringWidth(text); w > maxColumn+2*margin {
		t.Fatalf("first row %d cells wide: the text column is not capped", w)
	}
	if left, want := len(rows[0])-len(text), (5000-maxColumn-2*margin)/2+margin; left != want {
		t.Fatalf("the column starts at %d, want %d: centred in the window", left, want)
	}
}

// In a window wider than the text column the frame is centred, and a click still lands
// on the tab drawn under it.
func TestViewerCentresInWideWindows(t *testing.T) {
	s := start(t, rohitOptions(t), 160, 40)
	row := s.rows()[0]
	if left := len(row) - len(strings.TrimLeft(row, " ")); left != (160-maxColumn-2*margin)/2+margin {
		t.Fatalf("the header starts at column %d in a 160-column window:\n%s", left, s.screen())
	}
	for _, i := range []int{5, 1} {
		clickTab(t, s, rohitPages[i].tab)
		if got := bodyTop(t, s.rows()); !strings.Contains(got, rohitPages[i].text) {
			t.Fatalf("click on %s: body starts %q", rohitPages[i].tab, got)
		}
	}
}

var colourSGR = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

// hasColour reports whether any SGR sequence in s sets a colour.
func hasColour(s string) bool {
	for _, seq := range colourSGR.FindAllString(s, -1) {
		for _, p := range strings.FieldsFunc(seq[2:len(seq)-1], func(r rune) bool { return r == ';' || r == ':' }) {
			switch {
			case len(p) == 2 && (p[0] == '3' || p[0] == '4' || p[0] == '9') && p[1] != '9' && p != "39" && p != "49",
				len(p) == 3 && p[:2] == "10":
				return true
			}
		}
	}
	return false
}

func TestViewerWithoutColour(t *testing.T) {
	for _, prof := range []colorprofile.Profile{colorprofile.Ascii, colorprofile.NoTTY} {
		t.Run(prof.String(), func(t *testing.T) {
			s := startWith(t, rohitOptions(t), sessionOpt{width: 80, height: 24, profile: prof})
			s.keys("l", "/")
			s.typeText("graylog")
			s.keys("enter")
			out := s.waitOutput("Graylog")
			if hasColour(out) {
				t.Fatalf("colour codes in a %s session:\n%q", prof, out)
			}
			switch prof {
			case colorprofile.NoTTY:
				// No styling at all: the active tab is marked in brackets.
				mustContain(t, s.screen(), "[Projects]")
				if strings.Contains(out, "\x1b[7") {
					t.Fatal("reverse video in a NoTTY session")
				}
			case colorprofile.Ascii:
				// Attributes stay: the active tab and the match are in reverse video.
				if !strings.Contains(out, "\x1b[7") {
					t.Fatalf("no reverse video for the active tab:\n%q", out)
				}
			}
		})
	}
}

func TestViewerColourIsFull(t *testing.T) {
	s := start(t, rohitOptions(t), 80, 24)
	if out := s.waitOutput("Rohit Gupta"); !strings.Contains(out, "38;2;125;86;244") {
		t.Fatalf("the name is not in Rohit's accent #7d56f4:\n%q", out)
	}
}

func TestViewerFollowsBackground(t *testing.T) {
	o := rohitOptions(t)
	o.Dark = true
	s := start(t, o, 80, 24)
	dark := s.frame()
	mustContain(t, dark, "38;2;139;139;139") // dark palette: muted grey
	s.tm.Send(tea.BackgroundColorMsg{Color: color.RGBA{0xff, 0xff, 0xff, 0xff}})
	light := s.frame()
	mustContain(t, light, "38;2;107;107;107") // light palette
	mustNotContain(t, light, "38;2;139;139;139")
	if ansi.Strip(light) != ansi.Strip(dark) {
		t.Fatal("the text changed with the background")
	}
	s.tm.Send(tea.BackgroundColorMsg{Color: color.RGBA{0, 0, 0, 0xff}})
	if s.frame() != dark {
		t.Fatal("back on a dark background, the frame differs")
	}
}

func TestViewerViewIsCachedUntilSomethingChanges(t *testing.T) {
	m := New(Options{Renderer: NewRenderer(4), Profile: bundled(t, "rohit"), Width: 80, Height: 24, Dark: true})
	first := m.View().Content
	m.Update(tea.KeyboardEnhancementsMsg{})
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(keyPress("x")) // not bound
	again := m.View().Content
	if !sameString(first, again) {
		t.Fatal("View drew the frame again though nothing changed")
	}
	m.Update(keyPress("j"))
	if sameString(first, m.View().Content) {
		t.Fatal("View did not draw after scrolling")
	}
	v := m.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeCellMotion || v.WindowTitle != "Rohit Gupta — CV" {
		t.Fatalf("view settings: alt %v mouse %v title %q", v.AltScreen, v.MouseMode, v.WindowTitle)
	}
	if m.Init() == nil {
		t.Fatal("Init does not ask for the background colour")
	}
}

// sameString reports whether a and b are the very same string, not just equal ones.
func sameString(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

func TestViewerQuitLine(t *testing.T) {
	o := rohitOptions(t)
	o.ComeBack = func(p *profiles.Profile) string { return "ssh " + p.Handle + "@cv.rohit.io" }
	s := start(t, o, 80, 24)
	m := s.quit()
	// 104 columns do not fit in 80: a line for each part, none cut mid-word.
	want := "Thanks for reading Rohit Gupta's CV.\nCome back any time: ssh rohit@cv.rohit.io\nweb: http://www.rohit.io"
	if got := m.QuitLine(); got != want {
		t.Fatalf("quit line:\n got %q\nwant %q", got, want)
	}
	parts := []quitPart{
		{text: "Thanks for reading Rohit Gupta's CV."},
		{label: "Come back any time:", text: "ssh -p 2222 rohit@cv.rohit.io"},
		{label: "web:", text: "http://www.rohit.io", sep: " · "},
	}
	for _, c := range []struct {
		width int
		want  string
	}{
		{120, "Thanks for reading Rohit Gupta's CV. Come back any time: ssh -p 2222 rohit@cv.rohit.io · web: http://www.rohit.io"},
		{40, "Thanks for reading Rohit Gupta's CV.\nCome back any time:\nssh -p 2222 rohit@cv.rohit.io\nweb: http://www.rohit.io"},
		{24, "Thanks for reading Rohit\nGupta's CV.\nCome back any time:\nssh -p 2222\nrohit@cv.rohit.io\nweb: http://www.rohit.io"},
		{10, "Thanks for reading Rohit Gupta's CV. Come back any time: ssh -p 2222 rohit@cv.rohit.io · web: http://www.rohit.io"},
	} {
		if got := fitQuitLine(parts, c.width); got != c.want {
			t.Errorf("quit line at %d columns:\n got %q\nwant %q", c.width, got, c.want)
		}
	}
	if m.Current() != bundled(t, "rohit") {
		t.Fatal("Current is not Rohit")
	}

	if got := New(Options{Choices: choices(t)}).QuitLine(); got != "" {
		t.Fatalf("quit line without a CV opened: %q", got)
	}
}

func TestViewerQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		m := New(Options{Profile: bundled(t, "rohit"), Width: 80, Height: 24})
		if _, cmd := m.Update(keyPress(k)); cmd == nil || cmd() != tea.Quit() {
			t.Fatalf("%s does not quit", k)
		}
	}
	m := New(Options{Profile: bundled(t, "rohit"), Width: 80, Height: 24})
	if _, cmd := m.Update(keyPress("esc")); cmd != nil {
		t.Fatal("esc quits (split arrow keys arrive as esc)")
	}
}

func TestGoldenFirstScreen(t *testing.T) {
	for _, handle := range []string{"rohit", "ankush"} {
		for _, bg := range []string{"dark", "light"} {
			t.Run(handle+"-"+bg, func(t *testing.T) {
				s := start(t, Options{Profile: bundled(t, handle), Choices: choices(t), Dark: bg == "dark"}, 80, 24)
				frame := s.frame()
				t.Run("text", func(t *testing.T) { golden.RequireEqual(t, ansi.Strip(frame)) })
				t.Run("styled", func(t *testing.T) { golden.RequireEqual(t, frame) })
			})
		}
	}
}

// TestFirstFrameBytes measures what the first frame of Rohit's CV costs on the wire at
// 80x24 in full colour, terminal set-up included: the goal is at most 4 KB.
func TestFirstFrameBytes(t *testing.T) {
	for _, handle := range []string{"rohit", "ankush"} {
		s := start(t, Options{Profile: bundled(t, handle), Choices: choices(t), Dark: true}, 80, 24)
		out := s.waitOutput("Top")
		t.Logf("%s: first frame %d bytes on the wire", handle, len(out))
		if len(out) > 4096 {
			t.Fatalf("%s: first frame is %d bytes, more than 4 KB", handle, len(out))
		}
	}
}
