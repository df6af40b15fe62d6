package doc

import (
	"strings"
	"testing"
)

func TestDateRangesAsCVsWriteThem(t *testing.T) {
	for _, tc := range []struct{ in, start, end string }{
		{"Dec 17-Oct 18", "2017-12", "2018-10"},
		{"Jul 16 -Dec17", "2016-07", "2017-12"},
		{"May-Aug 16", "2016-05", "2016-08"},
		{"Oct13-Feb14", "2013-10", "2014-02"},
		{"January 2016 – present", "2016-01", ""},
		{"June 2014 – November 2015", "2014-06", "2015-11"},
		{"2012-2016", "2012", "2016"},
		{"2017-12 – 2018-01", "2017-12", "2018-01"},
		{"Sep 14", "2014-09", ""},
		{"2011", "2011", ""},
		{"2017-12-01", "2017-12-01", ""},
	} {
		r, ok := ParseDates(tc.in)
		start, end := r.Start.ISO(), r.End.ISO()
		if !ok || start != tc.start || end != tc.end {
			t.Errorf("ParseDates(%q) = %q, %q, %v; want %q, %q", tc.in, start, end, ok, tc.start, tc.end)
		}
	}
	for _, notADate := range []string{"1 year, 6 months", "Mumbai, India", "Mayday", ""} {
		if _, ok := ParseDates(notADate); ok {
			t.Errorf("ParseDates(%q) took it for a date", notADate)
		}
	}
}

func TestDatesAreShownAsWritten(t *testing.T) {
	for _, tc := range []struct{ start, end, want string }{
		{"2017-12", "", "Dec 2017 – Present"},
		{"2017", "2019", "2017 – 2019"},
		{"2017-12-01", "2018-01-31", "1 Dec 2017 – 31 Jan 2018"},
		{"2017-12", "2017-12", "Dec 2017"},
		{"", "2020-02", "Feb 2020"},
		{"Spring 2019", "", "Spring 2019 – Present"},
		{"", "", ""},
	} {
		if got := SchemaDates(tc.start, tc.end).String(); got != tc.want {
			t.Errorf("SchemaDates(%q, %q) = %q, want %q", tc.start, tc.end, got, tc.want)
		}
	}
}

func TestFindDatesNeverOverlap(t *testing.T) {
	s := "2016-01-15 January 2016 2016-01 2012-2016 Dec 17-Oct 18 2011"
	for _, loose := range []bool{false, true} {
		dates := FindDates(s, loose)
		for i := 1; i < len(dates); i++ {
			if dates[i].Start < dates[i-1].End {
				t.Errorf("loose=%v: %q overlaps %q", loose, s[dates[i].Start:dates[i].End], s[dates[i-1].Start:dates[i-1].End])
			}
		}
	}
	var got []string
	for _, d := range FindDates(s, true) {
		got = append(got, d.ISO)
	}
	want := "2016-01-15 2016-01 2016-01 2012 2016 2017-12 2018-10 2011"
	if strings.Join(got, " ") != want {
		t.Errorf("got %s, want %s", strings.Join(got, " "), want)
	}
}
