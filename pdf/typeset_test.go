package pdf

import (
	"bytes"
	"testing"

	"github.com/sshcv/sshcv/internal/pdftest"
)

func sample(t *testing.T, paper Paper) []byte {
	t.Helper()
	ts := newTypesetter(paper, "Jane Doe — CV", "Jane Doe", RGB{0x7d, 0x56, 0xf4})
	ts.header("Jane Doe", "Engineer", "Łódź", []span{{text: "jane@example.com", url: "mailto:jane@example.com"}, {text: "example.com", url: "https://example.com"}})
	for s := 0; s < 6; s++ {
		ts.heading("Experience")
		for e := 0; e < 3; e++ {
			ts.entry("Staff engineer at a company with a long name", []span{{text: "Jan 2016 – Present · Berlin"}})
			ts.paragraph([]span{{text: "Built "}, {text: "things", bold: true}, {text: " at scale; see "}, {text: "the blog", url: "https://blog.example.com"}, {text: ". Emoji 😀 and ǹ and ✓ and 中."}}, 0)
			ts.bullet("•", []span{{text: "Cut costs by half with a change that took a week to write and a year to roll out everywhere."}}, 0)
		}
	}
	data, err := ts.bytes()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestTypesetter(t *testing.T) {
	a, b := sample(t, A4), sample(t, A4)
	if !bytes.Equal(a, b) {
		t.Fatal("the same content gave different bytes")
	}
	pdftest.SavePage(t, a, "typeset-sample")
	text := pdftest.Text(t, a, "-layout")
	t.Log(text[:min(len(text), 3000)])
	info := pdftest.Info(t, a)
	t.Log(info)
}
