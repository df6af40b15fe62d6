package profiles

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/sshcv/sshcv/profiles/cv"
	"golang.org/x/text/language"
)

// Translations. A CV at the top of the profiles folder is in the folder's language
// (RegistryOptions.Lang, English unless set); its translations live in sub-folders named
// by a BCP 47 tag, with the same file name: profiles/de/rohit.md is the German rohit,
// profiles/pt-BR/rohit.yaml the Brazilian Portuguese one. A translation takes its
// handle, aliases and default mark from the CV it translates; any format will do.

// DefaultLang is the language of the CVs at the top of a folder when
// RegistryOptions.Lang is empty, and of the bundled CVs.
const DefaultLang = "en"

// Languages is what a visitor prefers, most wanted first. Nil wants nothing in
// particular, and gets a CV in its own language.
type Languages []language.Tag

// maxLanguageValue bounds a language value read from a visitor: a locale name such as
// "de_DE.UTF-8" is a dozen bytes, a browser's Accept-Language under 200. Longer values
// are ignored whole rather than parsed.
const maxLanguageValue = 256

// maxLanguages is how many preferences of one visitor are kept.
const maxLanguages = 8

// EnvLanguages reads a visitor's language from the environment an SSH client sent
// (OpenSSH sends LANG and LC_* by default), as NAME=value pairs: the first of LC_ALL,
// LC_MESSAGES and LANG that is set, as POSIX gives them precedence. A locale name is
// language[_territory][.codeset][@modifier] ("de_DE.UTF-8", "sr_RS@latin"); "C",
// "POSIX" and anything that is not a well-formed, known locale are no preference.
func EnvLanguages(environ []string) Languages {
	vals := map[string]string{}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if ok && (k == "LC_ALL" || k == "LC_MESSAGES" || k == "LANG") {
			vals[k] = v
		}
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := vals[k]; v != "" {
			if tag, ok := localeTag(v); ok {
				return Languages{tag}
			}
			return nil
		}
	}
	return nil
}

// localeTag turns a POSIX locale name into a language tag.
func localeTag(v string) (language.Tag, bool) {
	if len(v) > maxLanguageValue || !plainASCII(v, "_.@-") {
		return language.Und, false
	}
	v, modifier, _ := strings.Cut(v, "@")
	v, _, _ = strings.Cut(v, ".")
	if v == "" || v == "C" || v == "POSIX" {
		return language.Und, false
	}
	lang, region, hasRegion := strings.Cut(v, "_")
	tag := lang
	switch strings.ToLower(modifier) {
	case "latin":
		tag += "-Latn"
	case "cyrillic":
		tag += "-Cyrl"
	}
	if hasRegion {
		tag += "-" + region
	}
	return parseKnownTag(tag)
}

// AcceptLanguages reads an HTTP Accept-Language header ("de-CH, de;q=0.9, en;q=0.8"),
// most wanted first. A header that is too long, holds anything but the characters of
// language ranges and weights, or does not parse, is no preference.
func AcceptLanguages(header string) Languages {
	if header == "" || len(header) > maxLanguageValue || !plainASCII(header, "-_,;=.* ") {
		return nil
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return nil
	}
	var out Languages
	for _, t := range tags {
		if meaningful(t) && len(out) < maxLanguages {
			out = append(out, t)
		}
	}
	return out
}

// ParseLanguages reads one tag a visitor chose ("de", "pt-BR"), as a query parameter
// such as ?lang=de gives it; anything else is no preference.
func ParseLanguages(s string) Languages {
	if len(s) > maxLanguageValue || !plainASCII(s, "-_") {
		return nil
	}
	if tag, ok := parseKnownTag(s); ok {
		return Languages{tag}
	}
	return nil
}

// plainASCII reports whether s holds only ASCII letters, digits and the bytes of extra.
func plainASCII(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		allowed := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(extra, c) >= 0
		if !allowed {
			return false
		}
	}
	return true
}

// parseKnownTag parses a tag x/text knows that names a language (see meaningful).
func parseKnownTag(s string) (language.Tag, bool) {
	tag, err := language.Parse(s)
	if err != nil || !meaningful(tag) {
		return language.Und, false
	}
	return tag, true
}

// meaningful reports whether a tag names a language: not "und" (undetermined), "mul"
// (many, as "*" parses), "zxx" (no language) or a private use tag.
func meaningful(tag language.Tag) bool {
	if tag == language.Und {
		return false
	}
	base, conf := tag.Base()
	if conf == language.No {
		return false
	}
	switch base.String() {
	case "und", "mul", "zxx":
		return false
	}
	return true
}

// Localized is the variant of a CV chosen for a visitor.
type Localized struct {
	Profile *Profile // the variant to show
	Lang    string   // its BCP 47 tag ("en", "de", "pt-BR")
	Langs   []string // every language the CV has: its own first, then its translations by tag
}

// variants are the languages of one CV: the original first.
type variants struct {
	langs    []string
	profiles []*Profile
	matcher  language.Matcher
}

// localize picks the variant of v that best suits prefs: the original when nothing
// matches or nothing is preferred.
func (v *variants) localize(prefs Languages) Localized {
	i := 0
	if len(prefs) > 0 && len(v.profiles) > 1 {
		if _, idx, conf := v.matcher.Match(prefs...); conf != language.No {
			i = idx
		}
	}
	return Localized{Profile: v.profiles[i], Lang: v.langs[i], Langs: v.langs}
}

// translationDirs lists the sub-folders of fsys named by a language tag, sorted, and
// one error for each that is meant as one but is not right: an unknown tag ("xx"), a
// tag not written in its standard form ("pt_br" for pt-BR), or the folder's own
// language. Other sub-folders (images, "testdata", hidden or parked ones) are not
// translations and are skipped, and so is a folder that holds no profile file, whatever
// its name (the Go packages inside profiles/, "cv" and "doc", are named like tags) —
// unless withEmpty is set: the watcher watches those too, so that a translation added
// to a new folder is seen. base is the language of the top of the folder.
func translationDirs(fsys fs.FS, base language.Tag, source func(string) string, withEmpty bool) ([]string, []error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, nil // the caller reports the folder
	}
	var (
		dirs []string
		errs []error
	)
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || !isDir(fsys, e) {
			continue
		}
		if !withEmpty && !holdsProfiles(fsys, name) {
			continue
		}
		tag, err := language.Parse(name)
		var unknown language.ValueError
		switch {
		case errors.As(err, &unknown):
			errs = append(errs, cv.Errorf(source(name), 0, 0, "a folder named like a language, but %q is not a known language tag (BCP 47: de, fr, pt-BR, zh-Hant); rename it, or start its name with _ if it holds no translations", name))
			continue
		case err != nil || tag == language.Und:
			continue // not a language: a folder of something else
		case tag.String() != name:
			errs = append(errs, cv.Errorf(source(name), 0, 0, "language folder %q: write the tag as %s", name, tag))
			continue
		case tag == base:
			errs = append(errs, cv.Errorf(source(name), 0, 0, "language folder %q: %s is the language of the CVs at the top of the folder; a translation folder is for another language", name, tag))
			continue
		}
		dirs = append(dirs, name)
	}
	slices.Sort(dirs)
	return dirs, errs
}

// holdsProfiles reports whether the folder dir of fsys holds a profile file, or cannot
// be read (folderFiles then says why).
func holdsProfiles(fsys fs.FS, dir string) bool {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		return true
	}
	names, err := profileFileNames(sub)
	return err != nil || len(names) > 0
}

// isDir reports whether a folder entry is a folder, following a link (within fsys).
func isDir(fsys fs.FS, e fs.DirEntry) bool {
	if e.IsDir() {
		return true
	}
	if e.Type()&fs.ModeSymlink == 0 {
		return false
	}
	info, err := fs.Stat(fsys, e.Name())
	return err == nil && info.IsDir()
}

// translationLang is the language folder a translation's Source is in: "de" for
// "profiles/de/rohit.md" and "bundled:de/rohit.md".
func translationLang(source string) string {
	return path.Base(path.Dir(strings.ReplaceAll(strings.TrimPrefix(source, bundledPrefix), "\\", "/")))
}

// attachTranslations groups translations (profiles loaded from language folders, in
// file-name order) by the CV they translate, one of originals, and returns the
// languages of every CV that has a translation, by handle. A translation of no CV, or
// a second one of a CV into a language, is an error about that file, which is left out.
func attachTranslations(originals, translations []*Profile, base language.Tag) (map[string]*variants, []*Profile, []error) {
	byHandle := map[string]*Profile{}
	for _, p := range originals {
		byHandle[p.Handle] = p
	}
	type key struct{ handle, lang string }
	taken := map[key]*Profile{}
	grouped := map[string][]*Profile{}
	var (
		dropped []*Profile
		errs    []error
	)
	for _, t := range translations {
		lang := translationLang(t.Source)
		orig, ok := byHandle[t.Handle]
		if !ok {
			dropped = append(dropped, t)
			errs = append(errs, cv.Errorf(t.Source, 0, 0, "a translation into %s of %q, but no CV %q is at the top of the profiles folder: a translation has the file name of the CV it translates (%s)", lang, t.Handle, t.Handle, t.Handle+path.Ext(t.Source)))
			continue
		}
		if other := taken[key{t.Handle, lang}]; other != nil {
			dropped = append(dropped, t)
			errs = append(errs, cv.Errorf(t.Source, 0, 0, "%s already has a translation into %s: %s", orig.Source, lang, other.Source))
			continue
		}
		taken[key{t.Handle, lang}] = t
		grouped[t.Handle] = append(grouped[t.Handle], t)
	}
	sets := map[string]*variants{}
	for handle, list := range grouped {
		orig := byHandle[handle]
		slices.SortFunc(list, func(a, b *Profile) int {
			return strings.Compare(translationLang(a.Source), translationLang(b.Source))
		})
		v := &variants{langs: []string{base.String()}, profiles: []*Profile{orig}}
		tags := []language.Tag{base}
		for _, t := range list {
			lang := translationLang(t.Source)
			cp := *t // names and default belong to the CV, whatever the translation says
			cp.Aliases, cp.Default = orig.Aliases, orig.Default
			v.langs = append(v.langs, lang)
			v.profiles = append(v.profiles, &cp)
			tags = append(tags, language.Make(lang))
		}
		v.matcher = language.NewMatcher(tags)
		sets[handle] = v
	}
	return sets, dropped, errs
}

// parseBaseLang reads RegistryOptions.Lang.
func parseBaseLang(s string) (language.Tag, error) {
	if s == "" {
		s = DefaultLang
	}
	tag, ok := parseKnownTag(s)
	if !ok {
		return language.Und, fmt.Errorf("language %q: not a known BCP 47 tag (en, de, pt-BR)", s)
	}
	return tag, nil
}

// LookupIn finds a CV by handle or alias, as Lookup does, in the language of its that
// suits prefs best: a visitor who prefers German gets profiles/de/rohit.md when there is
// one, and the CV itself when there is none or nothing is preferred. Langs lists every
// language the CV has, for a switch.
func (r *Registry) LookupIn(name string, prefs Languages) (Localized, bool) {
	s, p, ok := r.find(name)
	if !ok {
		return Localized{}, false
	}
	return s.localize(p, prefs), true
}

// find looks name up as Lookup does, in the snapshot it returns.
func (r *Registry) find(name string) (*snapshot, *Profile, bool) {
	key, ok := lookupKey(name)
	if !ok {
		return nil, nil, false
	}
	s := r.snap.Load()
	p, ok := s.byName[key]
	return s, p, ok
}

// DefaultIn returns the default profile, as Default does, in the language that suits
// prefs best.
func (r *Registry) DefaultIn(prefs Languages) (Localized, bool) {
	s := r.snap.Load()
	if s.def == nil {
		return Localized{}, false
	}
	return s.localize(s.def, prefs), true
}

// Variant returns the CV named name in exactly lang, one of the tags of its
// Localized.Langs (as a viewer switches between them); false when it has no such
// language.
func (r *Registry) Variant(name, lang string) (Localized, bool) {
	s, p, ok := r.find(name)
	if !ok {
		return Localized{}, false
	}
	l := s.localize(p, nil)
	if i := slices.Index(l.Langs, lang); i >= 0 {
		if v := s.variants[p.Handle]; v != nil {
			l.Profile, l.Lang = v.profiles[i], v.langs[i]
		}
		return l, true
	}
	return Localized{}, false
}

// localize is p, one of the CVs of s, in the language that suits prefs best.
func (s *snapshot) localize(p *Profile, prefs Languages) Localized {
	if v := s.variants[p.Handle]; v != nil {
		return v.localize(prefs)
	}
	return Localized{Profile: p, Lang: s.lang, Langs: []string{s.lang}}
}
