package tui

import (
	"slices"

	"github.com/sshcv/sshcv/profiles"
)

// The languages of the CV on screen: the viewer opens a CV in the language that suits
// the visitor (Options.Lang, or Options.Languages through Options.Variants), and L
// switches to the next language the CV has, keeping the reader's section; from then
// on the picker and p prefer that language too.

// variant is p in lang, with the CV's other languages, as Variants knows them.
func (m *Model) variant(p *profiles.Profile, lang string) profiles.Localized {
	if m.o.Variants != nil && lang != "" {
		if l, ok := m.o.Variants.Variant(p.Handle, lang); ok {
			return l
		}
	}
	return profiles.Localized{Profile: p, Lang: lang}
}

// localized is the CV p in the language that suits the visitor best.
func (m *Model) localized(p *profiles.Profile) profiles.Localized {
	if m.o.Variants != nil {
		if l, ok := m.o.Variants.LookupIn(p.Handle, m.prefs); ok {
			return l
		}
	}
	return profiles.Localized{Profile: p}
}

// localizedChoices are the picker's CVs, each in the language that suits the visitor.
func (m *Model) localizedChoices() []*profiles.Profile {
	if m.o.Variants == nil {
		return m.o.Choices
	}
	out := make([]*profiles.Profile, len(m.o.Choices))
	for i, p := range m.o.Choices {
		out[i] = m.localized(p).Profile
	}
	return out
}

// nextLanguage opens the CV on screen in its next language, at the same section.
func (m *Model) nextLanguage() {
	v := m.viewer
	if len(v.langs) < 2 {
		return
	}
	next := v.langs[(slices.Index(v.langs, v.lang)+1)%len(v.langs)]
	l := m.variant(v.p, next)
	if l.Lang != next {
		return // the CV lost that language in a reload
	}
	m.openAt(l, "", v.body.tab)
	m.prefs = append(profiles.ParseLanguages(next), m.o.Languages...)
}
