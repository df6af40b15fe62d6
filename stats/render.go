package stats

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
	"github.com/charmbracelet/x/ansi"
)

// ReportWidth is the width `sshcv stats` draws for: an 80-column terminal.
const ReportWidth = 80

// minRenderWidth is the narrowest width Render lays out for (a phone's terminal).
const minRenderWidth = 36

// Render draws reports as a dashboard of plain text (box drawing, no colour)
// at most width columns wide: per profile the totals, visits per day as a bar
// chart, the channels side by side (SSH, web), the sections ranked by reads and
// time, and the visitors' terminals.
func Render(reports []Report, width int) string {
	width = max(width, minRenderWidth)
	if len(reports) == 0 {
		return "No views counted yet.\n"
	}
	var b strings.Builder
	for i, r := range reports {
		if i > 0 {
			b.WriteString("\n")
		}
		renderOne(&b, r, width)
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

func renderOne(b *strings.Builder, r Report, width int) {
	b.WriteString(wrapItems([]string{r.Handle + ": views", "from " + r.From + " to " + r.To + " (UTC)"}, width))
	b.WriteString(wrapItems([]string{
		"visits " + itoa(r.Visits),
		"unique visitors ≈ " + itoa(r.Uniques),
		"searches " + itoa(r.Searches),
		"links copied " + itoa(r.Copies),
		"messages " + itoa(r.Messages),
	}, width))
	b.WriteString("\nVisits per day\n")
	b.WriteString(dayChart(r.Days, width) + "\n")
	b.WriteString("\nChannels\n")
	b.WriteString(channelTables(r.Channels, width) + "\n")
	b.WriteString("\nSections read in the terminal viewer\n")
	if len(r.Sections) == 0 {
		b.WriteString("none yet\n")
	} else {
		b.WriteString(sectionTable(r.Sections, width) + "\n")
	}
	b.WriteString("\nVisitors' terminals\n")
	b.WriteString(wrapItems(append([]string{"size:"}, labelled(r.Sizes, []string{"small", "medium", "large"})...), width))
	b.WriteString(wrapItems(append([]string{"colour:"}, labelled(r.Colours, []string{"truecolor", "256", "16", "none"})...), width))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// wrapItems joins items with " · ", breaking lines before width.
func wrapItems(items []string, width int) string {
	var b strings.Builder
	line := 0
	for i, it := range items {
		w := ansi.StringWidth(it)
		switch {
		case i == 0:
		case i == 1 && strings.HasSuffix(items[0], ":"):
			b.WriteString(" ")
			line++
		case line+3+w > width:
			b.WriteString("\n")
			line = 0
		default:
			b.WriteString(" · ")
			line += 3
		}
		b.WriteString(it)
		line += w
	}
	return b.String() + "\n"
}

// labelled is "name n" for each name in order, then any other names seen.
func labelled(m map[string]int64, order []string) []string {
	var out []string
	known := map[string]bool{}
	for _, name := range order {
		known[name] = true
		out = append(out, name+" "+itoa(m[name]))
	}
	for _, name := range sortedKeys(m) {
		if !known[name] {
			out = append(out, name+" "+itoa(m[name]))
		}
	}
	return out
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// cell pads every cell by one column on each side; numbers are right-aligned.
func cell(numeric func(col int) bool) table.StyleFunc {
	return func(_, col int) lipgloss.Style {
		s := lipgloss.NewStyle().Padding(0, 1)
		if numeric(col) {
			s = s.Align(lipgloss.Right)
		}
		return s
	}
}

// dayChart is a table of the days with a bar per day, scaled to the busiest.
func dayChart(days []DayCount, width int) string {
	var most int64
	for _, d := range days {
		most = max(most, d.Visits)
	}
	// Day (5) + Visits (6) + Unique (6), each padded by 2, and five borders.
	barWidth := max(width-(7+8+8+5)-2, 1)
	t := table.New().Border(lipgloss.NormalBorder()).Headers("Day", "Visits", "Unique", "").
		StyleFunc(cell(func(col int) bool { return col == 1 || col == 2 }))
	for _, d := range days {
		bar := ""
		if most > 0 && d.Visits > 0 {
			bar = strings.Repeat("█", max(int(d.Visits*int64(barWidth)/most), 1))
		}
		t.Row(d.Day[5:], itoa(d.Visits), itoa(d.Uniques), bar+strings.Repeat(" ", barWidth-ansi.StringWidth(bar)))
	}
	return t.String()
}

// channelLabel names a channel in the report.
func channelLabel(name string) string {
	switch name {
	case ChannelTerminal:
		return "viewer"
	case ChannelText:
		return "plain text"
	case ChannelWeb:
		return "web page"
	case ChannelCurl:
		return "curl text"
	}
	if f, ok := strings.CutPrefix(name, PrefixSSH); ok {
		return f + " export"
	}
	if f, ok := strings.CutPrefix(name, PrefixWeb); ok {
		return "." + f + " file"
	}
	return name
}

// channelTables are the SSH and the web channels, side by side when they fit.
func channelTables(ch map[string]int64, width int) string {
	sshSide, webSide := channelGroups(ch)
	tab := func(head string, names []string) string {
		t := table.New().Border(lipgloss.NormalBorder()).Headers(head, "Visits").
			StyleFunc(cell(func(col int) bool { return col == 1 }))
		for _, n := range names {
			t.Row(channelLabel(n), itoa(ch[n]))
		}
		return t.String()
	}
	left, right := tab("SSH", sshSide), tab("Web", webSide)
	if lipgloss.Width(left)+2+lipgloss.Width(right) <= width {
		return lipgloss.JoinHorizontal(lipgloss.Top, left, "  ", right)
	}
	return left + "\n" + right
}

// sectionTable ranks the sections; long titles are cut to fit the width, and a
// narrow one leaves the total time out.
func sectionTable(secs []SectionReads, width int) string {
	// Reads (5), Median (6), p90 (6), Total (6), each padded by 2, and six borders.
	withTotal := width >= 60
	titleWidth := width - (7 + 8 + 8 + 5) - 2
	headers := []string{"Section", "Reads", "Median", "p90"}
	if withTotal {
		titleWidth -= 8 + 1
		headers = append(headers, "Total")
	}
	t := table.New().Border(lipgloss.NormalBorder()).Headers(headers...).
		StyleFunc(cell(func(col int) bool { return col > 0 }))
	for _, s := range secs {
		row := []string{ansi.Truncate(s.Title, max(titleWidth, 4), "…"), itoa(s.Reads), seconds(s.MedianSec), seconds(s.P90Sec)}
		if withTotal {
			row = append(row, seconds(s.TotalSeconds))
		}
		t.Row(row...)
	}
	return t.String()
}

// seconds shows a duration in seconds as "0.4s", "42s", "3m05s" or "2h10m".
func seconds(s float64) string {
	n := int64(s + 0.5)
	switch {
	case s < 9.95:
		return strconv.FormatFloat(s, 'f', 1, 64) + "s"
	case n < 60:
		return strconv.FormatInt(n, 10) + "s"
	case n < 3600:
		return fmt.Sprintf("%dm%02ds", n/60, n%60)
	default:
		return fmt.Sprintf("%dh%02dm", n/3600, n%3600/60)
	}
}
