package web

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/net/html"

	"github.com/sshcv/sshcv/profiles"
	"github.com/sshcv/sshcv/profiles/doc"
	"github.com/sshcv/sshcv/tui"
)

// factProfiles loads every profile file under profiles/ and profiles/testdata/, the
// translations in language folders included (testdata/bad holds files that must not
// load).
func factProfiles(t *testing.T) []*profiles.Profile {
	t.Helper()
	var out []*profiles.Profile
	err := filepath.WalkDir("../profiles", func(file string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && (e.Name() == "bad" || e.Name() == "golden") {
			return filepath.SkipDir
		}
		if e.IsDir() || !profiles.IsProfileFile(e.Name()) {
			return nil
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		p, err := profiles.Parse(file, data, time.Time{})
		if err != nil {
			t.Errorf("%s: %v", file, err)
			return nil
		}
		p.Handle = strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))
		out = append(out, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 7 {
		t.Fatalf("%d profiles found", len(out))
	}
	return out
}

// outputsOf renders p every way a visitor can get it, as text to search: the viewer's
// screen text, plain text, the web page (its text and link targets), the Markdown and
// the JSON Resume export (its string values), and the PDF's text as pdftotext reads it.
func outputsOf(t *testing.T, p *profiles.Profile) map[string]string {
	t.Helper()
	r := tui.NewRenderer(4)
	node, err := html.Parse(strings.NewReader(pageOf(t, p)))
	if err != nil {
		t.Fatal(err)
	}
	var web strings.Builder
	walk(node, func(n *html.Node) {
		switch {
		case n.Type == html.TextNode && n.Parent != nil && n.Parent.Data != "script" && n.Parent.Data != "style":
			web.WriteString(n.Data + " ")
		case n.Type == html.ElementNode && n.Data == "a":
			for _, a := range n.Attr {
				if a.Key == "href" {
					web.WriteString(" " + a.Val + " ")
				}
			}
		}
	})
	js, err := profiles.ExportJSONResume(p)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(js, &v); err != nil {
		t.Fatal(err)
	}
	var jsonText strings.Builder
	var collect func(any)
	collect = func(v any) {
		switch v := v.(type) {
		case string:
			jsonText.WriteString(v + " ")
		case []any:
			for _, e := range v {
				collect(e)
			}
		case map[string]any:
			for _, e := range v {
				collect(e)
			}
		}
	}
	collect(v)
	return map[string]string{
		"viewer":   ansi.Strip(r.ANSI(p, 200, true)),
		"text":     r.Text(p, 200),
		"web":      web.String(),
		"markdown": string(profiles.ExportMarkdown(p)),
		"json":     jsonText.String(),
		"pdf":      pdfText(t, p),
	}
}

// fact is one thing a CV says that every output must say too; alt is another way an
// output may write it (a date as the schema writes it).
type fact struct{ what, text, alt string }

// titleParts splits an entry heading ("PayPal · Bengaluru, India") into the values a
// JSON Resume keeps in fields of their own (name, location).
var titleParts = strings.NewReplacer(" · ", "\x00", " — ", "\x00", " – ", "\x00", " - ", "\x00", " | ", "\x00", ", ", "\x00", " at ", "\x00", " in ", "\x00")

// markdownMarks are what a reader of Markdown does not see of it.
var markdownMarks = strings.NewReplacer("**", "", "__", "", "`", "", "\\", "")

// inJSON reports whether the JSON Resume export says f: a section title is the schema's
// own section there, and an entry title is split into its fields.
func inJSON(out string, f fact) bool {
	switch f.what {
	case "section title":
		return true
	case "entry title":
		for _, part := range strings.Split(titleParts.Replace(f.text), "\x00") {
			if !strings.Contains(out, squeeze(strings.Trim(part, "*_ ()"))) {
				return false
			}
		}
		return true
	}
	return false
}

// factsOf lists the links, contacts, dates and titles of p's document.
func factsOf(p *profiles.Profile) []fact {
	var facts []fact
	for _, c := range p.Contacts() {
		if c.URL == "" {
			continue
		}
		facts = append(facts, fact{"contact", c.Text, c.URL})
	}
	var walkInlines func([]doc.Inline)
	walkInlines = func(inl []doc.Inline) {
		for _, n := range inl {
			if n.Kind == doc.Link && doc.SafeURL(n.URL) {
				facts = append(facts, fact{"link", doc.DisplayURL(n.URL), n.URL})
			}
			walkInlines(n.Children)
		}
	}
	var walkBlocks func([]doc.Block)
	walkBlocks = func(blocks []doc.Block) {
		for _, b := range blocks {
			walkInlines(b.Inlines)
			text := doc.PlainText(b.Inlines)
			for _, d := range doc.FindDates(text, false) {
				facts = append(facts, fact{"date", text[d.Start:d.End], d.ISO})
			}
			if b.Kind == doc.Heading {
				facts = append(facts, fact{"entry title", strings.TrimSpace(text), ""})
			}
			for _, item := range b.Items {
				walkBlocks(item)
			}
			walkBlocks(b.Children)
		}
	}
	walkBlocks(p.Intro)
	for _, s := range p.Sections {
		facts = append(facts, fact{"section title", s.Title, ""})
		walkBlocks(s.Blocks)
		for _, e := range s.Entries {
			facts = append(facts, fact{"entry title", e.Title, ""})
			// A Markdown CV's dates are facts as its text writes them (above); a JSON
			// Resume's are shown as Dates writes them.
			if !e.Dates.IsZero() && p.Format == profiles.FormatJSONResume {
				facts = append(facts, fact{"date range", e.Dates.String(), e.Dates.Start.ISO()})
			}
		}
	}
	return facts
}

// squeeze drops white space, so that a fact wrapped over two lines still reads as one.
func squeeze(s string) string {
	return strings.Join(strings.Fields(html.UnescapeString(s)), "")
}

// TestEveryOutputSaysEveryFact walks every profile through every output: each link,
// email, phone number, date and title of its document is in each of them.
func TestEveryOutputSaysEveryFact(t *testing.T) {
	for _, p := range factProfiles(t) {
		t.Run(strings.TrimPrefix(p.Source, "../profiles/"), func(t *testing.T) {
			outs := outputsOf(t, p)
			for name, out := range outs {
				if name == "markdown" {
					out = markdownMarks.Replace(out)
				}
				out = squeeze(out)
				for _, f := range factsOf(p) {
					if f.text == "" {
						continue
					}
					if !strings.Contains(out, squeeze(f.text)) && (f.alt == "" || !strings.Contains(out, squeeze(f.alt))) &&
						!(name == "json" && inJSON(out, f)) {
						t.Errorf("%s lacks the %s %q", name, f.what, f.text)
					}
				}
			}
		})
	}
}

// notShown are the JSON Resume fields no output shows a visitor, for the reasons the
// README gives; the JSON export gives them back.
var notShown = map[string]bool{"$schema": true, "basics.image": true, "meta": true}

var dateFields = map[string]bool{"startDate": true, "endDate": true, "date": true, "releaseDate": true}

// TestEveryResumeFieldIsShown: a JSON Resume with every field of schema 1.0.0 filled
// shows every value in plain text, in the viewer, on the web page and in the PDF.
func TestEveryResumeFieldIsShown(t *testing.T) {
	data, err := os.ReadFile("../profiles/testdata/resume/full.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := profiles.Parse("full.json", data, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	type value struct{ path, text string }
	var values []value
	var collect func(path, key string, v any)
	collect = func(path, key string, v any) {
		if notShown[path] {
			return
		}
		switch v := v.(type) {
		case string:
			if dateFields[key] {
				v = doc.SchemaDate(v).String()
			}
			values = append(values, value{path, v})
		case []any:
			for _, e := range v {
				collect(path, key, e)
			}
		case map[string]any:
			for k, e := range v {
				if strings.HasPrefix(k, "x-") {
					continue // a tool's own key: kept in the export, not the schema's
				}
				sub := k
				if path != "" {
					sub = path + "." + k
				}
				collect(sub, k, e)
			}
		}
	}
	collect("", "", v)
	outs := outputsOf(t, p)
	for _, name := range []string{"text", "viewer", "web", "pdf"} {
		out := squeeze(outs[name])
		for _, val := range values {
			if !strings.Contains(out, squeeze(val.text)) {
				t.Errorf("%s does not show %s %q", name, val.path, val.text)
			}
		}
	}
}
