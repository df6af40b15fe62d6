package profiles

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sshcv/sshcv/profiles/cv"
	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/profiles/sanitize"
)

// loadResumeFile parses a file under testdata/resume as the folder loader would.
func loadResumeFile(t *testing.T, name string) *Profile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "resume", name))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse("profiles/"+name, data, time.Unix(0, 0))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return p
}

func TestFullResumeLoadsEverySection(t *testing.T) {
	for _, file := range []string{"full.json", "full.yaml"} {
		t.Run(file, func(t *testing.T) {
			p := loadResumeFile(t, file)
			if p.Handle != "full" || p.Format != FormatJSONResume || p.Resume == nil {
				t.Fatalf("handle %q, format %q, resume kept %v", p.Handle, p.Format, p.Resume != nil)
			}
			header := map[string]string{
				"name": p.Name, "headline": p.Headline, "email": p.Email, "phone": p.Phone,
				"location": p.Location, "accent": p.Accent, "aliases": strings.Join(p.Aliases, ","),
			}
			want := map[string]string{
				"name": "Mira Okafor", "headline": "Site Reliability Engineer", "email": "mira@example.org",
				"phone": "+44 20 7946 0958", "location": "2 Orchard Lane, N1 9GU London, England, GB", "accent": "#7d56f4",
				"aliases": "mira,miraok",
			}
			if !reflect.DeepEqual(header, want) {
				t.Errorf("header facts:\n got %v\nwant %v", header, want)
			}
			if !p.Default {
				t.Error("meta.sshcv.default: true was not honoured")
			}
			wantLinks := []Link{
				{Label: "mira.example.org", URL: "https://mira.example.org"},
				{Label: "GitHub", URL: "https://github.com/miraok", Username: "miraok"},
				{Label: "Mastodon", URL: "https://hachyderm.io/@mira", Username: "mira"},
			}
			if !reflect.DeepEqual(p.Links, wantLinks) {
				t.Errorf("links:\n got %v\nwant %v", p.Links, wantLinks)
			}

			var titles []string
			for _, s := range p.Sections {
				titles = append(titles, s.Title)
			}
			wantTitles := []string{"About", "Experience", "Projects", "Skills", "Education", "Publications",
				"Awards", "Certificates", "Volunteering", "Languages", "Interests", "References"}
			if !reflect.DeepEqual(titles, wantTitles) {
				t.Fatalf("sections:\n got %q\nwant %q", titles, wantTitles)
			}
			facts := map[string][]string{
				"About": {"I keep large systems boring"},
				"Experience": {"### Staff SRE — Northwind Telecom", "Dec 2017 – Present · London, UK",
					"<https://northwind.example>", "_A mobile network operator_", "Led the reliability team",
					"- Cut paging alerts by 80%", "- Moved 400 services to Kubernetes",
					"### Systems Engineer — Contoso Bank", "1 Mar 2014 – 30 Nov 2017", "- Built the first CI pipeline"},
				"Projects": {"### pagerlint — Northwind Telecom", "2019 – Feb 2020 · application · Roles: Author, Maintainer",
					"<https://github.com/miraok/pagerlint>", "A linter for alerting rules.", "- Used by three teams",
					"- Catches alerts that can never fire", "- Keywords: Go, Prometheus"},
				"Skills": {"- **Operations** (Master): Kubernetes, Terraform, Prometheus", "- **Programming** (Advanced): Go, Python"},
				"Education": {"### Bachelor, Computer Science — University of Leeds", "Sep 2010 – Jun 2014 · Score: First",
					"<https://leeds.example>", "- COMP3211 Distributed Systems", "- COMP2321 Networks"},
				"Publications": {"### Boring Rollouts — SREcon EMEA", "Oct 2021", "<https://srecon.example/boring>", "How we deploy 200 times"},
				"Awards":       {"### Engineer of the Year — Northwind Telecom", "15 Jan 2020", "For the billing migration."},
				"Certificates": {"### Certified Kubernetes Administrator — CNCF", "May 2019", "<https://cncf.example/cka/123>"},
				"Volunteering": {"### Mentor — Code Club", "2015 – 2019", "<https://codeclub.example>", "Taught Python", "- Ran the club's first game jam"},
				"Languages":    {"- **English**: Native speaker\n- **Yoruba**: Conversational"},
				"Interests":    {"- **Climbing**: bouldering, Peak District"},
				"References":   {"### Sam Reyes, CTO, Northwind", "Mira made our on-call humane."},
			}
			for _, s := range p.Sections {
				for _, fact := range facts[s.Title] {
					if !strings.Contains(doc.Markdown(s.Blocks), fact) {
						t.Errorf("section %s lacks %q; body:\n%s", s.Title, fact, doc.Markdown(s.Blocks))
					}
				}
			}
		})
	}
}

// TestFullResumeGolden pins the Markdown every section renders to.
func TestFullResumeGolden(t *testing.T) {
	p := loadResumeFile(t, "full.json")
	got := ExportMarkdown(p)
	golden := filepath.Join("testdata", "resume", "full.md")
	if updateGolden() {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Markdown of full.json differs from %s (go test -update rewrites it):\n%s", golden, got)
	}
}

// TestFullResumeExportsBack: the JSON export of a JSON Resume profile is the document
// it came from, unknown keys and all, compared as JSON values. The YAML version, with
// its unquoted years, exports the same document.
func TestFullResumeExportsBack(t *testing.T) {
	original, err := os.ReadFile(filepath.Join("testdata", "resume", "full.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want any
	if err := json.Unmarshal(original, &want); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"full.json", "full.yaml"} {
		t.Run(file, func(t *testing.T) {
			out, err := ExportJSONResume(loadResumeFile(t, file))
			if err != nil {
				t.Fatal(err)
			}
			var got any
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("export is not JSON: %v\n%s", err, out)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("export differs from full.json:\n%s", out)
			}
		})
	}
}

func TestResumeErrorsArePlaced(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"syntax.json", `profiles/syntax.json:4:3: JSON syntax error: invalid character '}' looking for beginning of object key string (a comma after the last entry?)`},
		{"wrongtype.json", `profiles/wrongtype.json:4:36: work[0].highlights: expected a list of strings, got a string`},
		{"syntax.yaml", `profiles/syntax.yaml:5:17: YAML: sequence end token ']' not found`},
		{"wrongtype.yaml", `profiles/wrongtype.yaml:6:10: work[0].highlights: expected a list of strings, got an object`},
		{"alias.json", `profiles/alias.json:3:41: meta.sshcv.aliases[1]: "Ada Lovelace" is not a valid name; ` + cv.HandleRule},
		{"noname.json", `profiles/noname.json:2:13: basics.name: missing; the viewer shows it as the CV's title`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "bad", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse("profiles/"+tc.file, data, time.Time{})
			if err == nil || err.Error() != tc.want {
				t.Errorf("error:\n got %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestResumeTopLevelMustBeAnObject(t *testing.T) {
	_, err := Parse("profiles/list.json", []byte(`[1, 2]`), time.Time{})
	want := "profiles/list.json:1:1: expected a JSON Resume document (an object with basics, work, …), got a list"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}
}

func TestResumeTextIsSanitized(t *testing.T) {
	resDoc := `{"basics": {"name": "Eve\u001b[2J", "label": "\u009b31mred", "summary": "hi\u001b]52;c;aGk=\u0007 there"},
	         "work": [{"name": "Acme\u202e", "highlights": ["ok\u0007"]}], "x": "\u009d0;title\u009c"}`
	p, err := Parse("profiles/eve.json", []byte(resDoc), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := ExportJSONResume(p)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	text.WriteString(p.Name + p.Headline)
	for _, s := range p.Sections {
		text.WriteString(doc.Markdown(s.Blocks))
	}
	text.Write(ExportMarkdown(p))
	text.Write(ExportVCard(p))
	text.Write(out)
	for _, r := range text.String() {
		if (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || (r >= 0x7f && r <= 0x9f) || sanitize.IsBidiControl(r) {
			t.Fatalf("control character %U reached the output:\n%q", r, text.String())
		}
	}
	if p.Name != "Eve" || doc.Markdown(p.Sections[0].Blocks) != "hi there" {
		t.Errorf("name %q, about %q", p.Name, doc.Markdown(p.Sections[0].Blocks))
	}
}
