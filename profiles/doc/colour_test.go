package doc

import (
	"image/color"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestParseColour(t *testing.T) {
	for in, want := range map[string]string{
		"#7D56F4": "#7d56f4", "#abc": "#aabbcc", "212": "212", "0": "0", "magenta": "5", "purple": "5",
		"Bright-Blue": "12", "bright_white": "15", "grey": "8", " cyan ": "6",
	} {
		c, ok := ParseColour(in)
		if !ok || c.String() != want {
			t.Errorf("ParseColour(%q) = %v %v, want %s", in, c, ok, want)
		}
	}
	for _, bad := range []string{"", "256", "-1", "+12", "#12345", "#ggg", "violet-ish", "0x7d56f4"} {
		if c, ok := ParseColour(bad); ok {
			t.Errorf("ParseColour(%q) = %v, want no colour", bad, c)
		}
	}
	if c, _ := ParseColour("magenta"); c.Terminal() != ansi.BasicColor(5) || c.Hex() != "#800080" {
		t.Errorf("magenta: terminal %v, web %s", c.Terminal(), c.Hex())
	}
	if c, _ := ParseColour("#7d56f4"); c.Terminal() != (color.RGBA{R: 0x7d, G: 0x56, B: 0xf4, A: 0xff}) {
		t.Errorf("an RGB accent reaches the terminal as %v", c.Terminal())
	}
}

func TestTitlesAndKinds(t *testing.T) {
	for in, want := range map[string]string{"Experience Summary:": "Experience Summary", "  Work \n History : ": "Work History", ":": ""} {
		if got := CleanTitle(in); got != want {
			t.Errorf("CleanTitle(%q) = %q, want %q", in, got, want)
		}
	}
	if (Section{Title: " : "}).Heading() != "Section" {
		t.Error("a section without a title is shown as Section")
	}
	for title, kind := range map[string]SectionKind{
		"Work Experience": WorkSection, "Volunteer work": VolunteerSection, "Educational Qualification": EducationSection,
		"Open Source Projects": ProjectsSection, "Technical Skills": SkillsSection, "About Me": AboutSection, "Fun": OtherSection,
	} {
		if got := KindOf(title); got != kind {
			t.Errorf("KindOf(%q) = %d, want %d", title, got, kind)
		}
	}
}
