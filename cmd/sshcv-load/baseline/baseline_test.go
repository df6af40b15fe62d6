package baseline

import (
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func screen(m tea.Model) string {
	return ansi.Strip(m.(model).View().Content)
}

func TestPagesAndKeys(t *testing.T) {
	var m tea.Model = model{}
	first := screen(m)
	if !strings.Contains(first, "Rohit Gupta") || strings.Contains(first, "Technical Skills") {
		t.Fatalf("first page:\n%s", first)
	}
	// 20 lines of text inside a border: 22 rows.
	if rows := strings.Count(first, "\n") + 1; rows != 22 {
		t.Errorf("first page has %d rows, want 22:\n%s", rows, first)
	}
	m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyRight})
	if second := screen(m); !strings.Contains(second, "Technical Skills") {
		t.Fatalf("after right:\n%s", second)
	}
	m, _ = m.Update(tea.KeyPressMsg{Code: tea.KeyLeft})
	if back := screen(m); back != first {
		t.Fatalf("left did not return to the first page:\n%s", back)
	}
	_, cmd := m.Update(tea.KeyPressMsg{Code: 'q', Text: "q"})
	if cmd == nil {
		t.Fatal("q returned no command")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q did not quit")
	}
}

func TestEveryPageIsTwentyLines(t *testing.T) {
	for i, p := range pages {
		if len(p) != 20 {
			t.Errorf("page %d has %d lines, want 20", i, len(p))
		}
	}
}

func TestNewServerKeepsTheHostKeyInMemory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	srv, err := NewServer("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if len(srv.HostSigners) != 1 {
		t.Fatalf("%d host keys, want 1", len(srv.HostSigners))
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, "*")); len(entries) != 0 {
		t.Errorf("NewServer wrote files: %v", entries)
	}
}
