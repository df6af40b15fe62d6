package doc

import (
	"fmt"
	"regexp"
	"strings"
)

// DateSpan is a date found in running text: bytes [Start, End) and the date as ISO 8601
// writes it, for a machine-readable mark-up such as HTML's <time>.
type DateSpan struct {
	Start, End int
	ISO        string // "2016", "2016-01" or "2016-01-15"
}

const monthPattern = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`

var (
	// fullDateRE: 2016-01-15. monthYearRE: January 2016, Sept. 2016. yearMonthRE: 2016-01, 2016/01.
	fullDateRE  = regexp.MustCompile(`\b((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b`)
	monthYearRE = regexp.MustCompile(`(?i)\b` + monthPattern + `\.?,?\s+((?:19|20)\d{2})\b`)
	yearMonthRE = regexp.MustCompile(`\b((?:19|20)\d{2})[-/](0[1-9]|1[0-2])\b`)
	// monthRangeRE: the first month of "May – Aug 2016", which shares the year after it.
	monthRangeRE = regexp.MustCompile(`(?i)\b` + monthPattern + `\.?(\s*(?:-|–|—|to)\s*)` + monthPattern + `\.?,?\s+((?:19|20)\d{2})\b`)
	// yearRangeRE: 2012-2016, 2014 – present. Only years that are part of a range, so
	// that "500 servers in 2048 racks" stays text.
	yearRangeRE = regexp.MustCompile(`(?i)\b((?:19|20)\d{2})(\s*(?:-|–|—|to)\s*)((?:19|20)\d{2}\b|present\b|now\b|current\b|today\b)`)
	// In a code span that holds only dates, two-digit years and lone years count too.
	shortMonthYearRE = regexp.MustCompile(`(?i)\b` + monthPattern + `\.?\s*'?(\d{2})\b`)
	loneYearRE       = regexp.MustCompile(`\b((?:19|20)\d{2})\b`)
	dateFillerRE     = regexp.MustCompile(`(?i)^(?:\s|-|–|—|,|to|since|present|now|current|today|\(|\))*$`)
)

// FindDates returns the dates in s, in order, without overlaps. loose also accepts
// "Dec 17" and a lone "2011", which only mean dates in a code span of dates.
func FindDates(s string, loose bool) []DateSpan {
	var spans []DateSpan
	taken := func(a, b int) bool {
		for _, d := range spans {
			if a < d.End && d.Start < b {
				return true
			}
		}
		return false
	}
	add := func(a, b int, datetime string) {
		if !taken(a, b) {
			spans = append(spans, DateSpan{a, b, datetime})
		}
	}
	for _, m := range fullDateRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[0], m[1], s[m[0]:m[1]])
	}
	for _, m := range monthRangeRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[2], m[3], s[m[8]:m[9]]+"-"+monthNumber(s[m[2]:m[3]]))
	}
	for _, m := range monthYearRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[0], m[1], s[m[4]:m[5]]+"-"+monthNumber(s[m[2]:m[3]]))
	}
	for _, m := range yearMonthRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[0], m[1], s[m[2]:m[3]]+"-"+s[m[4]:m[5]])
	}
	for _, m := range yearRangeRE.FindAllStringSubmatchIndex(s, -1) {
		add(m[2], m[3], s[m[2]:m[3]])
		if end := s[m[6]:m[7]]; len(end) == 4 && end[0] >= '0' && end[0] <= '9' {
			add(m[6], m[7], end)
		}
	}
	if loose {
		for _, m := range shortMonthYearRE.FindAllStringSubmatchIndex(s, -1) {
			add(m[0], m[1], "20"+s[m[4]:m[5]]+"-"+monthNumber(s[m[2]:m[3]]))
		}
		for _, m := range loneYearRE.FindAllStringSubmatchIndex(s, -1) {
			add(m[0], m[1], s[m[0]:m[1]])
		}
	}
	// Insertion sort: a handful of spans at most.
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j].Start < spans[j-1].Start; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	return spans
}

// OnlyDates reports whether s is nothing but the dates found in it and the words and
// dashes that join them.
func OnlyDates(s string, dates []DateSpan) bool {
	at := 0
	for _, d := range dates {
		if !dateFillerRE.MatchString(s[at:d.Start]) {
			return false
		}
		at = d.End
	}
	return dateFillerRE.MatchString(s[at:])
}

// monthNumber is the two-digit number of a month named in English ("Sept" is "09").
func monthNumber(name string) string {
	if n, ok := monthNumbers[strings.ToLower(name)[:3]]; ok {
		return fmt.Sprintf("%02d", n)
	}
	return "01"
}
