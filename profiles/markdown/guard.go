package markdown

import "github.com/sshcv/sshcv/profiles/cv"

// The checks in this file run on a profile's bytes before they are parsed for real, and
// refuse the few inputs whose parsing costs far more than their size: an owner's file
// (or a stranger's, where the folder takes uploads) must never take the server's memory
// or minutes of its CPU. Each check is linear in the file's size.
//
// # Quadratic inline parsing in goldmark (report for github.com/yuin/goldmark)
//
// goldmark v1.8.7 (the newest release; Go 1.25, linux/amd64) spends time quadratic in the
// length of one paragraph on several inputs that are ordinary CommonMark:
//
//	src := bytes.Repeat([]byte("[a]("), n/4)          // unclosed link destinations
//	parser.Parse(text.NewReader(src))                  // goldmark's parser, default options
//
// 40 KB 1.7 s, 80 KB 6.9 s, 160 KB 26 s, 400 KB 157 s; 1 MiB is about 18 minutes of CPU,
// almost all in parser.parseLinkDestination: every "](" scans to the end of the run for a
// closing ")" that never comes, and the scan starts again at the next "](". The same
// shape, measured through this package's parse at 16 KiB → 32 KiB of one paragraph
// (time ×4 for ×2 input is quadratic; the machine was shared, figures ±30%):
//
//	"[a]("     0.10 s → 0.58 s     "![a]("   0.13 s → 0.31 s
//	"[" × n    0.12 s → 0.29 s     "[…]" nested 0.07 s → 0.25 s (200 KB: 5.9 s)
//	"[a]["     0.08 s → 0.20 s     "[a](<"   0.05 s → 0.13 s
//	"*a_"      0.10 s → 0.49 s     "*a"      0.02 s → 0.10 s
//	"&#"       0.003 s → 0.012 s
//
// Expected: time linear in the input, as CommonMark's reference implementation (cmark)
// achieves with a bound on the destination scan and a bracket stack that is not walked
// again per closer. Paragraph boundaries end every case: inline parsing runs per block.
//
// # The defence
//
// CheckMarks bounds the characters that open or close inline constructs in one
// paragraph (a run of non-blank lines), where the quadratic work happens: a real CV's
// paragraph has a few dozen, a hostile one hundreds of thousands. A second bound, on the
// sum over the paragraphs of the square of their marks, keeps a file of many paragraphs
// each just under the first bound from adding up to seconds. Past either the file is
// refused with the place of the mark that crossed it; nothing in a real CV changes.

// maxParagraphMarks is how many inline marks one paragraph may hold (see the report
// above). Real CVs have fewer than 100 in their longest paragraph.
const maxParagraphMarks = 512

// maxMarkWork bounds the sum of the squares of the marks of each paragraph: a real CV
// uses under a thousandth of it. At the bound the slowest 1 MiB found (paragraphs of
// 256 nested brackets) parses in about 0.3 s (BenchmarkWorstAllowedMarkdown).
const maxMarkWork = 1 << 27

// markdownMarks are the bytes that start or end inline Markdown: links and images,
// emphasis, code spans, autolinks and inline HTML, entities. An escaped one ("\[") is
// plain text to the parser and is not counted.
var markdownMarks = [256]bool{'[': true, ']': true, '(': true, '*': true, '_': true, '`': true, '<': true, '&': true, '!': true}

// CheckMarks returns an *Error at the first mark that takes data past
// maxParagraphMarks or maxMarkWork, or nil.
func CheckMarks(file string, data []byte) error {
	at, inParagraph := markdownMarksOverflow(data)
	if at < 0 {
		return nil
	}
	line, col := cv.OffsetPosition(data, at)
	if inParagraph {
		return cv.Errorf(file, line, col, "more than %d Markdown marks ([ ] ( * _ ` < & !) in one paragraph: text like this takes the Markdown parser a time that grows with the square of its length; split the paragraph with blank lines, or escape the marks with \\", maxParagraphMarks)
	}
	return cv.Errorf(file, line, col, "too many paragraphs dense with Markdown marks ([ ] ( * _ ` < & !) up to here: the file would take the Markdown parser seconds; escape the marks with \\ or use fewer")
}

// markdownMarksOverflow returns the offset of the mark that takes a paragraph past
// maxParagraphMarks (inParagraph) or the file past maxMarkWork, or -1.
func markdownMarksOverflow(data []byte) (at int, inParagraph bool) {
	marks, work := 0, 0
	lineBlank := true // the current line has only spaces and tabs so far
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch c {
		case '\n':
			if lineBlank {
				marks = 0 // a blank line ends the paragraph
			}
			lineBlank = true
			continue
		case ' ', '\t', '\r':
			continue
		}
		lineBlank = false
		if c == '\\' && i+1 < len(data) && data[i+1] != '\n' {
			i++ // an escaped character is text
			continue
		}
		if markdownMarks[c] {
			marks++
			work += 2*marks - 1 // a paragraph of m marks adds m² in all
			if marks > maxParagraphMarks {
				return i, true
			}
			if work > maxMarkWork {
				return i, false
			}
		}
	}
	return -1, false
}

// noMarkOverflow reports whether Markdown made from HTML stays within the bounds the
// file itself passed.
func noMarkOverflow(md []byte) bool {
	at, _ := markdownMarksOverflow(md)
	return at < 0
}
