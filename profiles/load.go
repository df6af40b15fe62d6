package profiles

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/sshcv/sshcv/profiles/cv"
	"github.com/sshcv/sshcv/profiles/jsonresume"
	"github.com/sshcv/sshcv/profiles/markdown"
)

// MaxFileSize is the largest profile file read (cv.MaxFileSize).
const MaxFileSize = cv.MaxFileSize

// bundledPrefix starts the Source of the CVs compiled into the binary.
const bundledPrefix = "bundled:"

// IsProfileFile reports whether a file of this name in a profiles folder is a profile:
// a .md, .json, .yaml or .yml file, other than a README and other than hidden (".")
// or parked ("_") files.
func IsProfileFile(name string) bool {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	if base == "" || strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") {
		return false
	}
	if strings.EqualFold(base, "README.md") {
		return false
	}
	switch strings.ToLower(path.Ext(base)) {
	case ".md", ".json", ".yaml", ".yml":
		return true
	}
	return false
}

// HandleFromPath returns the handle a profile file gives its CV: the file's name without
// folder and extension. A name that is not a valid handle is an error saying what a
// handle may contain.
func HandleFromPath(p string) (string, error) {
	base := path.Base(strings.ReplaceAll(strings.TrimPrefix(p, bundledPrefix), "\\", "/"))
	handle := strings.TrimSuffix(base, path.Ext(base))
	if cv.ValidHandle(handle) {
		return handle, nil
	}
	var why string
	switch n := utf8.RuneCountInString(handle); {
	case n == 0:
		why = "is empty"
	case n > 32:
		why = fmt.Sprintf("is %d characters long", n)
	case cv.ValidHandle(strings.ToLower(handle)):
		why = fmt.Sprintf("has capital letters (rename the file to %s)", strings.ToLower(handle)+path.Ext(base))
	default:
		why = "has characters a handle may not have"
	}
	return "", cv.Errorf(p, 0, 0, "the file name %q %s: it is the handle visitors type (ssh NAME@host), and %s", handle, why, cv.HandleRule)
}

// Parse reads one profile file: name is where it came from (its extension picks the
// format), data its bytes. It checks the size, the encoding and the handle, parses the
// Markdown or JSON Resume document, and fills in the file facts (Handle, Source,
// ModTime, Hash, Format).
func Parse(name string, data []byte, modTime time.Time) (*Profile, error) {
	if len(data) > MaxFileSize {
		return nil, sizeError(name, int64(len(data)))
	}
	if at := invalidUTF8At(data); at >= 0 {
		line, col := cv.OffsetPosition(data, at)
		return nil, cv.Errorf(name, line, col, "not valid UTF-8 (byte 0x%02x); save the file as UTF-8", data[at])
	}
	handle, err := HandleFromPath(name)
	if err != nil {
		return nil, err
	}
	text := data
	if rest, ok := strings.CutPrefix(string(data), "\ufeff"); ok { // a byte order mark some editors write
		text = []byte(rest)
	}
	var p *Profile
	switch strings.ToLower(path.Ext(name)) {
	case ".md":
		p, err = markdown.Parse(name, text)
		if p != nil {
			p.Format = FormatMarkdown
		}
	case ".json", ".yaml", ".yml":
		p, err = jsonresume.Parse(name, text)
	default:
		return nil, cv.Errorf(name, 0, 0, "not a profile file: use .md for Markdown, or .json, .yaml or .yml for JSON Resume")
	}
	if err != nil {
		return nil, err
	}
	if err := checkEmail(name, text, p); err != nil {
		return nil, err
	}
	p.Handle = handle
	p.Source = name
	p.ModTime = modTime
	p.Hash = hashOf(data)
	aliases, err := cleanAliases(name, handle, p.Aliases)
	if err != nil {
		return nil, err
	}
	p.Aliases = aliases
	return p, nil
}

// cleanAliases lowercases the aliases, checks each is a valid name, and drops repeats
// and the handle itself.
func cleanAliases(file, handle string, aliases []string) ([]string, error) {
	var out []string
	seen := map[string]bool{handle: true}
	for _, a := range aliases {
		a = strings.ToLower(strings.TrimSpace(a))
		if !cv.ValidHandle(a) {
			return nil, cv.Errorf(file, 0, 0, "aliases: %q is not a valid name; %s", a, cv.HandleRule)
		}
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	return out, nil
}

// hashOf is the hex SHA-256 of a file's bytes.
func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func sizeError(name string, size int64) error {
	return cv.Errorf(name, 0, 0, "file is %.1f MiB; the limit is 1 MiB", float64(size)/(1<<20))
}

// invalidUTF8At returns the offset of the first byte that is not UTF-8, or -1.
func invalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// LoadFS loads every profile file at the top of fsys (sub-folders are not read); dir
// names the folder in messages and Source ("profiles" gives "profiles/rohit.md"). It
// returns the valid profiles sorted by handle and one error per problem. Two files
// claiming one handle or alias is an error naming both; the later file (by name) is
// left out, and a handle wins over another file's alias.
func LoadFS(fsys fs.FS, dir string) ([]*Profile, []error) {
	return loadFS(fsys, func(name string) string { return path.Join(dir, name) })
}

// loadBundledProfiles loads the CVs compiled into the binary.
func loadBundledProfiles() ([]*Profile, []error) {
	return loadFS(Bundled(), bundledSource)
}

// loadBundledTranslations loads the translations of the bundled CVs.
func loadBundledTranslations() ([]*Profile, []error) {
	return loadTranslations(Bundled(), language.Make(DefaultLang), bundledSource)
}

func bundledSource(name string) string { return bundledPrefix + name }

func loadFS(fsys fs.FS, source func(name string) string) ([]*Profile, []error) {
	names, err := profileFileNames(fsys)
	if err != nil {
		return nil, []error{fmt.Errorf("%s: cannot read the folder: %w", strings.TrimSuffix(source("."), "/."), err)}
	}
	var (
		loaded []*Profile
		errs   []error
	)
	for _, name := range names {
		p, err := loadFile(fsys, name, source(name))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		loaded = append(loaded, p)
	}
	kept, _, conflicts := resolveNames(loaded)
	return sortByHandle(kept), append(errs, conflicts...)
}

// profileFileNames lists the profile files at the top of fsys, sorted by name. Symbolic
// links to files count (a Kubernetes ConfigMap mounts its files as links); folders do not.
func profileFileNames(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() || !IsProfileFile(e.Name()) {
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			// A link that leads out of the folder is listed, so that reading it fails
			// with a message saying why (see openInside); one to nothing is skipped.
			info, err := fs.Stat(fsys, e.Name())
			if err != nil && errors.Is(err, fs.ErrNotExist) || err == nil && !info.Mode().IsRegular() {
				continue
			}
		} else if !e.Type().IsRegular() {
			continue
		}
		names = append(names, e.Name())
	}
	return names, nil
}

// loadFile reads and parses one file, refusing an oversized one before reading it.
func loadFile(fsys fs.FS, name, source string) (*Profile, error) {
	data, modTime, err := readLimited(fsys, name, source)
	if err != nil {
		return nil, err
	}
	return Parse(source, data, modTime)
}

func readLimited(fsys fs.FS, name, source string) ([]byte, time.Time, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, time.Time{}, linkError(fsys, name, source, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, cv.Errorf(source, 0, 0, "cannot read: %v", unwrapPathError(err))
	}
	if info.Size() > MaxFileSize {
		return nil, time.Time{}, sizeError(source, info.Size())
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, time.Time{}, cv.Errorf(source, 0, 0, "cannot read: %v", unwrapPathError(err))
	}
	modTime := info.ModTime()
	if modTime.IsZero() { // embedded files have none
		modTime = time.Now()
	}
	return data, modTime, nil
}

// unwrapPathError drops the path from an fs error: messages already start with it.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// resolveNames keeps the profiles whose handle and aliases no earlier profile claims.
// profiles must be in file-name order. Handles are claimed first, so a file's handle
// always beats another file's alias. dropped[i] is the profile errs[i] is about.
func resolveNames(profiles []*Profile) (kept, dropped []*Profile, errs []error) {
	owner := map[string]*Profile{}
	var withHandle []*Profile
	for _, p := range profiles {
		if other, taken := owner[p.Handle]; taken {
			dropped = append(dropped, p)
			errs = append(errs, cv.Errorf(p.Source, 0, 0, "handle %q is already used by %s", p.Handle, other.Source))
			continue
		}
		owner[p.Handle] = p
		withHandle = append(withHandle, p)
	}
	for _, p := range withHandle {
		var conflict error
		for _, a := range p.Aliases {
			if other, taken := owner[a]; taken && other != p {
				conflict = cv.Errorf(p.Source, 0, 0, "alias %q is already used by %s", a, other.Source)
				break
			}
		}
		if conflict != nil {
			dropped = append(dropped, p)
			errs = append(errs, conflict)
			delete(owner, p.Handle)
			continue
		}
		for _, a := range p.Aliases {
			owner[a] = p
		}
		kept = append(kept, p)
	}
	return kept, dropped, errs
}

func sortByHandle(list []*Profile) []*Profile {
	out := slices.Clone(list)
	slices.SortFunc(out, func(a, b *Profile) int { return strings.Compare(a.Handle, b.Handle) })
	return out
}

// CheckDir validates every profile file in dir and its translations, as `sshcv check
// DIR` does: nil when all load, no two claim a name, and every translation is of a CV
// of the folder into a known language.
func CheckDir(dir string) []error {
	_, errs := CheckFolder(dir, "")
	return errs
}

// FolderSummary counts what a profiles folder holds.
type FolderSummary struct {
	Profiles     int // CVs at the top of the folder that load
	Translations int // translations that load and translate one of them
}

// CheckFolder validates dir as CheckDir does, the CVs at its top being in lang (""
// is DefaultLang), and counts what loads.
func CheckFolder(dir, lang string) (FolderSummary, []error) {
	base, err := parseBaseLang(lang)
	if err != nil {
		return FolderSummary{}, []error{err}
	}
	info, err := os.Stat(dir)
	if err != nil {
		return FolderSummary{}, []error{fmt.Errorf("%s: %v", dir, unwrapPathError(err))}
	}
	if !info.IsDir() {
		return FolderSummary{}, []error{fmt.Errorf("%s: not a folder", dir)}
	}
	fsys, closer, err := openInside(dir)
	if err != nil {
		return FolderSummary{}, []error{fmt.Errorf("%s: %v", dir, unwrapPathError(err))}
	}
	defer closer.Close()
	source := func(name string) string { return path.Join(dir, name) }
	list, errs := loadFS(fsys, source)
	translations, terrs := loadTranslations(fsys, base, source)
	sets, _, aerrs := attachTranslations(list, translations, base)
	n := 0
	for _, v := range sets {
		n += len(v.langs) - 1
	}
	return FolderSummary{Profiles: len(list), Translations: n}, slices.Concat(errs, terrs, aerrs)
}

// isTranslationPath reports whether a path inside a profiles folder is in a language
// folder ("de/rohit.md").
func isTranslationPath(name string) bool { return strings.Contains(name, "/") }

// folderFiles lists the profile files of a profiles folder: those at its top, then
// those of each language folder as "de/rohit.md"; dirErrs are the language folders that
// are not right (translationDirs).
func folderFiles(fsys fs.FS, base language.Tag, source func(string) string) (names []string, dirErrs []error, err error) {
	names, err = profileFileNames(fsys)
	if err != nil {
		return nil, nil, err
	}
	dirs, dirErrs := translationDirs(fsys, base, source, false)
	for _, d := range dirs {
		sub, err := fs.Sub(fsys, d)
		if err != nil {
			continue
		}
		inDir, err := profileFileNames(sub)
		if err != nil {
			dirErrs = append(dirErrs, cv.Errorf(source(d), 0, 0, "cannot read the language folder: %v", unwrapPathError(err)))
			continue
		}
		for _, n := range inDir {
			names = append(names, d+"/"+n)
		}
	}
	return names, dirErrs, nil
}

// loadTranslations loads the profile files of every language folder of fsys, in path
// order. It does not check what they translate (attachTranslations does).
func loadTranslations(fsys fs.FS, base language.Tag, source func(string) string) ([]*Profile, []error) {
	names, errs, err := folderFiles(fsys, base, source)
	if err != nil {
		return nil, nil // the caller has reported the folder
	}
	var out []*Profile
	for _, name := range names {
		if !isTranslationPath(name) {
			continue
		}
		p, err := loadFile(fsys, name, source(name))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, p)
	}
	return out, errs
}

// checkEmail refuses a profile whose Email is not an address, at the place the file
// gives it (where the text first appears; the file's start when it cannot be found).
func checkEmail(file string, data []byte, p *Profile) error {
	if p.Email == "" || cv.ValidEmail(p.Email) {
		return nil
	}
	line, col := 0, 0
	if at := bytes.Index(data, []byte(p.Email)); at >= 0 {
		line, col = cv.OffsetPosition(data, at)
	}
	return cv.Errorf(file, line, col, "email: %q is not an e-mail address (name@example.com): visitors copy it and write to it", p.Email)
}
