package markdown

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sshcv/sshcv/profiles/cv"
)

func TestBundledCVsAreFarFromTheMarkBound(t *testing.T) {
	for _, name := range []string{"rohit.md", "ankush.md"} {
		data, err := os.ReadFile(filepath.Join("..", name))
		if err != nil {
			t.Fatal(err)
		}
		// A quarter of the bound: real CVs have room to grow.
		for _, para := range strings.Split(string(data), "\n\n") {
			n := 0
			for i := 0; i < len(para); i++ {
				if markdownMarks[para[i]] {
					n++
				}
			}
			if n > maxParagraphMarks/4 {
				t.Errorf("%s: a paragraph has %d marks: %.60q", name, n, para)
			}
		}
	}
}

// BenchmarkWorstAllowedMarkdown parses the slowest 1 MiB found that passes the check:
// as many paragraphs of nested brackets as the bounds let through, then plain text.
func BenchmarkWorstAllowedMarkdown(b *testing.B) {
	data := worstAllowedMarkdown()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("profiles/worst.md", data); err != nil {
			b.Fatal(err)
		}
	}
}

func worstAllowedMarkdown() []byte {
	const m = maxParagraphMarks
	para := strings.Repeat("[", m/2) + strings.Repeat("]", m/2) + "\n\n"
	text := "# Worst\n\n" + strings.Repeat(para, maxMarkWork/(m*m))
	return []byte(text + strings.Repeat("plain words ", (cv.MaxFileSize-len(text)-16)/12) + "\n")
}

func TestManyDenseParagraphsAreRefused(t *testing.T) {
	if _, err := Parse("profiles/worst.md", worstAllowedMarkdown()); err != nil {
		t.Fatalf("the worst allowed file: %v", err)
	}
	para := strings.Repeat("*a_", 170) + "\n\n" // 340 marks
	data := "# Dense\n\n" + strings.Repeat(para, 1500)
	_, err := Parse("profiles/dense.md", []byte(data))
	if err == nil || !strings.Contains(err.Error(), "too many paragraphs dense with Markdown marks") {
		t.Fatalf("error = %v", err)
	}
	// The place is in the paragraph where the budget runs out.
	full := maxMarkWork / (340 * 340)
	if want := fmt.Sprintf("profiles/dense.md:%d:", 3+2*full); !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v; want it at %s", err, want)
	}
}
