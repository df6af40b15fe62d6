package jsonresume

import (
	"testing"

	"github.com/sshcv/sshcv/profiles/doc"
)

// The Markdown loader reads entries for the kinds doc.SectionKind.HasEntries names; the
// exporter must map each of them onto the schema, and no other.
func TestEveryKindWithEntriesHasASchemaSection(t *testing.T) {
	for k := doc.OtherSection; k <= doc.AboutSection; k++ {
		if _, mapped := sectionMappers[k]; mapped != k.HasEntries() {
			t.Errorf("kind %d: mapped onto the schema %v, has entries %v", k, mapped, k.HasEntries())
		}
	}
}
