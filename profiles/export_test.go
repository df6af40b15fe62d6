package profiles

import (
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sshcv/sshcv/profiles/doc"
)

// bundledProfiles loads the CVs compiled into the binary, failing the test on any error.
func bundledProfiles(t *testing.T) []*Profile {
	t.Helper()
	list, errs := loadBundledProfiles()
	if len(errs) > 0 || len(list) != 2 {
		t.Fatalf("bundled CVs: %d loaded, errors %v", len(list), errs)
	}
	return list
}

// facts is what a reader sees of a profile, without the file it came from (and without
// the typed entries a JSON Resume has besides the blocks that show them).
func facts(p *Profile) Profile {
	sections := make([]Section, len(p.Sections))
	for i, s := range p.Sections {
		sections[i] = Section{Title: s.Title, Kind: s.Kind, Blocks: s.Blocks}
	}
	return Profile{
		Handle: p.Handle, Aliases: p.Aliases, Name: p.Name, Headline: p.Headline, Location: p.Location,
		Email: p.Email, Phone: p.Phone, Links: p.Links, Accent: p.Accent, Default: p.Default,
		Intro: p.Intro, Sections: sections,
	}
}

func TestMarkdownExportRoundTrip(t *testing.T) {
	profiles := bundledProfiles(t)
	full, err := Parse("profiles/mira.json", mustRead(t, "testdata/resume/full.json"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range append(profiles, full) {
		t.Run(p.Handle, func(t *testing.T) {
			out := ExportMarkdown(p)
			again, err := Parse("profiles/"+p.Handle+".md", out, time.Time{})
			if err != nil {
				t.Fatalf("the export does not load: %v\n%s", err, out)
			}
			if got, want := facts(again), facts(p); !reflect.DeepEqual(got, want) {
				t.Errorf("facts changed in the round trip:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestJSONExportOfMarkdownCVs(t *testing.T) {
	employers := map[string][]string{
		"ankush": {"Koinex", "PayPal"},
		"rohit":  {"ANI Technologies", "Knowlarity", "Plivo", "Tata Consultancy Services"},
	}
	for _, p := range bundledProfiles(t) {
		t.Run(p.Handle, func(t *testing.T) {
			out, err := ExportJSONResume(p)
			if err != nil {
				t.Fatal(err)
			}
			var res Resume
			if err := json.Unmarshal(out, &res); err != nil {
				t.Fatalf("not a JSON Resume: %v\n%s", err, out)
			}
			if res.Basics == nil || res.Basics.Name != p.Name || res.Basics.Email != p.Email || res.Basics.Label != p.Headline {
				t.Errorf("basics: %+v", res.Basics)
			}
			var names []string
			for _, w := range res.Work {
				names = append(names, w.Name)
				if w.StartDate == "" {
					t.Errorf("work entry %q has no start date", w.Name)
				}
			}
			for _, employer := range employers[p.Handle] {
				found := false
				for _, n := range names {
					found = found || strings.Contains(n, employer)
				}
				if !found {
					t.Errorf("work does not name %s: %q", employer, names)
				}
			}
			if len(res.Education) == 0 || len(res.Skills) == 0 || len(res.Projects) == 0 {
				t.Errorf("education %d, skills %d, projects %d entries", len(res.Education), len(res.Skills), len(res.Projects))
			}
			if res.Meta == nil || res.Meta.SSHCV == nil || !reflect.DeepEqual(res.Meta.SSHCV.Aliases, p.Aliases) {
				t.Errorf("meta.sshcv: %+v", res.Meta)
			}
			// No text of the CV is lost: every link of every section is somewhere in the export.
			for _, s := range p.Sections {
				for _, m := range angleLink.FindAllStringSubmatch(doc.Markdown(s.Blocks), -1) {
					if !strings.Contains(string(out), m[1]) {
						t.Errorf("section %s: link %s is missing from the export", s.Title, m[1])
					}
				}
				for _, m := range mdLink.FindAllStringSubmatch(doc.Markdown(s.Blocks), -1) {
					if !strings.Contains(string(out), m[2]) {
						t.Errorf("section %s: link %s is missing from the export", s.Title, m[2])
					}
				}
			}
		})
	}
}

var (
	mdLink    = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	angleLink = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
)

func TestRohitWorkEntries(t *testing.T) {
	var rohit *Profile
	for _, p := range bundledProfiles(t) {
		if p.Handle == "rohit" {
			rohit = p
		}
	}
	res := resumeFromMarkdown(rohit)
	var got []string
	for _, w := range res.Work {
		got = append(got, w.Name+" | "+w.Position+" | "+w.StartDate+" – "+w.EndDate)
	}
	want := []string{
		"ANI Technologies (aka OlaCabs) | Production Engineer II | 2016-01 – ",
		"Knowlarity | Technical Lead - DevOps | 2014-06 – 2015-11",
		"Plivo | Devops Lead | 2014-01 – 2014-03",
		"Plivo | Product Engineer | 2013-09 – 2014-01",
		"Plivo | Lead Infrastructure Engineer | 2012-05 – 2013-09",
		"Tata Consultancy Services (TCS) | Assistant Systems Engineer - Trainee | 2011-07 – 2012-04",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("work:\n got %q\nwant %q", got, want)
	}
}

func TestUnmappedSectionsAreKept(t *testing.T) {
	p := &Profile{
		Name: "Ada", Intro: MarkdownBlocks("Contact: ada@example.org"),
		Sections: []Section{
			{Title: "About", Kind: doc.AboutSection, Blocks: MarkdownBlocks("Analyst.")},
			{Title: "Fun facts", Blocks: MarkdownBlocks("- first programmer")},
			{Title: "Experience", Kind: doc.WorkSection, Blocks: MarkdownBlocks("Some intro text.\n\n### Analytical Engine\n\n`1842 – 1843`\n\n- Notes")},
		},
	}
	out, err := ExportJSONResume(p)
	if err != nil {
		t.Fatal(err)
	}
	var res Resume
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err)
	}
	if res.Basics.Summary != "Analyst." {
		t.Errorf("summary %q", res.Basics.Summary)
	}
	want := []MarkdownSection{
		{Title: "", Markdown: "Contact: ada@example.org"},
		{Title: "Fun facts", Markdown: "- first programmer"},
		{Title: "Experience", Markdown: "Some intro text."},
	}
	if res.Meta == nil || res.Meta.SSHCV == nil || !reflect.DeepEqual(res.Meta.SSHCV.Sections, want) {
		t.Errorf("meta.sshcv.sections = %+v, want %+v", res.Meta.SSHCV, want)
	}
	if len(res.Work) != 1 || res.Work[0].Name != "Analytical Engine" || res.Work[0].StartDate != "1842" || res.Work[0].EndDate != "1843" {
		t.Errorf("work %+v", res.Work)
	}
}

func TestVCard(t *testing.T) {
	p := &Profile{
		Name:     "Ada King Lovelace",
		Headline: "Analyst; mathematician, writer",
		Email:    "ada@example.org",
		Phone:    "+44 20 7946 0958",
		Location: "London, UK",
		Links: []Link{
			{Label: "Notes", URL: "https://example.org/notes-on-the-analytical-engine-by-ada-lovelace-1843-with-note-g"},
			{Label: "Mail", URL: "mailto:other@example.org"},
		},
	}
	want := "BEGIN:VCARD\r\n" +
		"VERSION:4.0\r\n" +
		"FN:Ada King Lovelace\r\n" +
		"N:Lovelace;Ada King;;;\r\n" +
		"EMAIL:ada@example.org\r\n" +
		"TEL;VALUE=text:+44 20 7946 0958\r\n" +
		"TITLE:Analyst\\; mathematician\\, writer\r\n" +
		"ADR;LABEL=\"London, UK\":;;;London\\, UK;;;\r\n" +
		"URL:https://example.org/notes-on-the-analytical-engine-by-ada-lovelace-1843\r\n" +
		" -with-note-g\r\n" +
		"END:VCARD\r\n"
	if got := string(ExportVCard(p)); got != want {
		t.Errorf("vCard:\n got %q\nwant %q", got, want)
	}
}

func TestVCardEscapesAndFoldsText(t *testing.T) {
	p := &Profile{
		Name:     `Zoë "Z" Back\slash`,
		Headline: strings.Repeat("é", 40) + "\nline two",
	}
	got := string(ExportVCard(p))
	want := "BEGIN:VCARD\r\n" +
		"VERSION:4.0\r\n" +
		"FN:Zoë \"Z\" Back\\\\slash\r\n" +
		"N:Back\\\\slash;Zoë \"Z\";;;\r\n" +
		"TITLE:" + strings.Repeat("é", 34) + "\r\n" +
		" " + strings.Repeat("é", 6) + " line two\r\n" +
		"END:VCARD\r\n"
	if got != want {
		t.Errorf("vCard:\n got %q\nwant %q", got, want)
	}
	for _, line := range strings.Split(strings.TrimSuffix(got, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
	}
}

func TestVCardFromJSONResumeAddress(t *testing.T) {
	p, err := Parse("profiles/mira.json", mustRead(t, "testdata/resume/full.json"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	got := string(ExportVCard(p))
	for _, line := range []string{
		"ADR;LABEL=\"2 Orchard Lane, London, England, N1 9GU, GB\":;;2 Orchard Lane;Lo\r\n ndon;England;N1 9GU;GB\r\n",
		"URL:https://mira.example.org\r\n", "URL:https://github.com/miraok\r\n", "TITLE:Site Reliability Engineer\r\n",
	} {
		if !strings.Contains(got, line) {
			t.Errorf("vCard lacks %q:\n%s", line, got)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
