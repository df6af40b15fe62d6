package doc

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date as precise as its owner wrote it: a year, a month of a year,
// or a day. Text keeps a date that is none of these ("Summer 2019") as it was written.
type Date struct {
	Year, Month, Day int // Month and Day are 0 when not given
	Text             string
}

// Dates is the time span of an entry, or its one date (an award's) when it has a start
// and neither an end nor Current. Current says the span runs to the present: a CV that
// wrote "– present", a schema entry with a start date and no end date.
type Dates struct {
	Start, End Date
	Current    bool
}

// IsZero reports whether d holds no date.
func (d Date) IsZero() bool { return d.Year == 0 && d.Text == "" }

// ISO is the date as JSON Resume writes it: "2017", "2017-12" or "2017-12-01"; a date
// in words is returned as written.
func (d Date) ISO() string {
	switch {
	case d.Year == 0:
		return d.Text
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// String is the date as a reader sees it: "1 Dec 2017", "Dec 2017", "2017".
func (d Date) String() string {
	switch {
	case d.Year == 0:
		return d.Text
	case d.Month == 0:
		return strconv.Itoa(d.Year)
	case d.Day == 0:
		return time.Month(d.Month).String()[:3] + " " + strconv.Itoa(d.Year)
	}
	return strconv.Itoa(d.Day) + " " + time.Month(d.Month).String()[:3] + " " + strconv.Itoa(d.Year)
}

// Present is the word shown for the end of a span that has not ended.
const Present = "Present"

// IsZero reports whether the span holds no date.
func (r Dates) IsZero() bool { return r.Start.IsZero() && r.End.IsZero() }

// String writes "Dec 2017 – Present", "2012 – 2016" or a single date.
func (r Dates) String() string {
	start, end := r.Start.String(), r.End.String()
	switch {
	case start == "" && end == "":
		return ""
	case start == "":
		return end
	case end == "" && r.Current:
		return start + " – " + Present
	case end == "":
		return start
	case start == end:
		return start
	}
	return start + " – " + end
}

// SchemaDate reads a date as JSON Resume writes it ("2017-12-01", "2017-12", "2017").
// Anything else is kept as written, in Text.
func SchemaDate(s string) Date {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
	}
	if t, err := time.Parse("2006-01", s); err == nil {
		return Date{Year: t.Year(), Month: int(t.Month())}
	}
	if len(s) == 4 {
		if y, err := strconv.Atoi(s); err == nil && y > 0 {
			return Date{Year: y}
		}
	}
	return Date{Text: s}
}

// SchemaDates is the span of a JSON Resume entry's startDate and endDate: one with a
// start and no end runs to the present.
func SchemaDates(start, end string) Dates {
	r := Dates{Start: SchemaDate(start), End: SchemaDate(end)}
	r.Current = !r.Start.IsZero() && r.End.IsZero()
	return r
}

var monthNumbers = map[string]int{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
	"sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

var (
	isoDate      = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)
	monthYear    = regexp.MustCompile(`^(\d{1,2}\s+)?([a-z]{3,9})\.?\s*'?(\d{2}|\d{4})?$`)
	presentWords = map[string]bool{"present": true, "now": true, "current": true, "today": true, "ongoing": true, "date": true}
)

// ParseDate reads one date as CVs write it ("January 2016", "Dec 17", "Dec17", "2012",
// "2017-12"). A month without a year has Year 0, for the caller to complete.
func ParseDate(s string) (Date, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if isoDate.MatchString(s) {
		var d Date
		fields := strings.Split(s, "-")
		d.Year, _ = strconv.Atoi(fields[0])
		if len(fields) > 1 {
			d.Month, _ = strconv.Atoi(fields[1])
		}
		if len(fields) > 2 {
			d.Day, _ = strconv.Atoi(fields[2])
		}
		return d, d.Month <= 12 && d.Day <= 31
	}
	m := monthYear.FindStringSubmatch(s)
	if m == nil {
		return Date{}, false
	}
	name := m[2]
	if len(name) > 3 && name != "sept" {
		name = name[:3]
		if n := monthNumbers[name]; n == 0 || !strings.HasPrefix(strings.ToLower(time.Month(n).String()), m[2]) {
			return Date{}, false
		}
	}
	var d Date
	var ok bool
	if d.Month, ok = monthNumbers[name]; !ok {
		return Date{}, false
	}
	if m[3] != "" {
		d.Year, _ = strconv.Atoi(m[3])
		if d.Year < 100 {
			d.Year += 2000
			if d.Year > time.Now().Year()+1 {
				d.Year -= 100
			}
		}
	}
	if m[1] != "" {
		d.Day, _ = strconv.Atoi(strings.TrimSpace(m[1]))
	}
	return d, true
}

// ParseDates reads a span as CVs write it: "Dec 17-Oct 18", "January 2016 – present",
// "May-Aug 16", "2012 – 2016", or a single date.
func ParseDates(s string) (Dates, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 60 {
		return Dates{}, false
	}
	if d, ok := ParseDate(s); ok && d.Year != 0 {
		return Dates{Start: d}, true
	}
	norm := strings.NewReplacer("–", "-", "—", "-", " to ", "-", " until ", "-").Replace(s)
	for i := 0; i < len(norm); i++ {
		if norm[i] != '-' {
			continue
		}
		left, right := strings.TrimSpace(norm[:i]), strings.TrimSpace(norm[i+1:])
		l, ok := ParseDate(left)
		if !ok {
			continue
		}
		if presentWords[strings.ToLower(right)] {
			if l.Year == 0 {
				continue
			}
			return Dates{Start: l, Current: true}, true
		}
		r, ok := ParseDate(right)
		if !ok || r.Year == 0 {
			continue
		}
		if l.Year == 0 { // "May-Aug 16": the start takes the end's year
			l.Year = r.Year
			if l.Month > r.Month {
				l.Year--
			}
		}
		return Dates{Start: l, End: r}, true
	}
	return Dates{}, false
}
