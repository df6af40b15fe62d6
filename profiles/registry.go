package profiles

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/text/language"
)

// RegistryOptions configures OpenRegistry.
type RegistryOptions struct {
	Dir      string            // folder to load and watch; "" serves Bundled()
	Default  string            // handle or alias of the default profile ("" = none)
	Lang     string            // BCP 47 tag of the CVs at the top of Dir; "" is DefaultLang
	Logger   *slog.Logger      // start/reload/error lines; nil discards
	OnReload func(ReloadEvent) // optional hook (metrics), called after each reload attempt
}

// ReloadEvent reports what happened to one file when the folder changed: it was
// (re)loaded, it failed to load (Err; the last good version stays served), or it was
// removed.
type ReloadEvent struct {
	File    string // the file, as in Profile.Source
	Handle  string // the handle it gives, when known
	Err     error  // why the new version was rejected
	Removed bool   // the file is gone, and its profile with it
}

// Registry is the set of profiles a server serves, found by handle or alias. It is safe
// for concurrent use: readers see an immutable snapshot through an atomic pointer, so
// a lookup never waits for a reload, and a *Profile handed out stays valid after it.
type Registry struct {
	opts RegistryOptions
	log  *slog.Logger
	snap atomic.Pointer[snapshot]

	base language.Tag // the language of the CVs at the top of the folder (opts.Lang)

	mu      sync.Mutex            // guards files, dirErrs, opened and parsed; never held while parsing
	files   map[string]*fileState // by path in opts.Dir: "rohit.md", "de/rohit.md"
	dirErrs []error               // language folders that are not right (translationDirs)

	opened bool          // OpenRegistry published the first snapshot: parses publish theirs
	parsed *sync.Cond    // on mu: broadcast when a parse ends
	slots  chan struct{} // bounds the parses that run at once
}

// fileState is what the registry knows of one file of the folder.
type fileState struct {
	hash string   // the bytes last read, good or bad ("" when they could not be read)
	good *Profile // the last version that loaded; nil if none ever did
	err  error    // why the current bytes do not load; nil when they do

	// unattached: why a translation that loads is not served (it translates no CV,
	// or a second one into its language); set at each snapshot.
	unattached error

	// conflict: the file claims a name another file holds. Its bytes are parsed again
	// at every scan, so that it is served as soon as the other file lets go of the name.
	conflict bool

	parsing bool // a parse of its bytes is running (registry_parse.go)
	again   bool // the file changed while it was parsed: scan again when it ends
}

// snapshot is one consistent view of the profiles. Never modified once published.
type snapshot struct {
	byName   map[string]*Profile // handles and aliases, lowercase
	list     []*Profile          // sorted by handle
	def      *Profile
	problems []error
	bundled  bool // serving the built-in CVs

	lang     string               // the language of the CVs of list
	variants map[string]*variants // the languages of each CV with translations, by handle
}

// OpenRegistry loads the profiles of opts.Dir (or the bundled CVs when it is empty).
// Only what leaves nothing to serve is an error: an unreadable folder, a folder whose
// files all fail to load, an unknown opts.Default. A file that fails to load is logged
// and reported by Problems while the others are served. A folder with no profile file
// at all serves the bundled CVs until one is added (see Watch).
func OpenRegistry(opts RegistryOptions) (*Registry, error) {
	r := &Registry{opts: opts, log: opts.Logger, files: map[string]*fileState{}, slots: make(chan struct{}, parseSlots)}
	r.parsed = sync.NewCond(&r.mu)
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	base, err := parseBaseLang(opts.Lang)
	if err != nil {
		return nil, err
	}
	r.base = base
	if opts.Dir == "" {
		snap, err := r.bundledSnapshot()
		if err != nil {
			return nil, err
		}
		r.snap.Store(snap)
		r.log.Info("serving the bundled profiles", "profiles", handles(snap.list))
		return r, nil
	}
	info, err := os.Stat(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("profiles folder %s: %w", opts.Dir, unwrapPathError(err))
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("profiles folder %s: not a folder", opts.Dir)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.scan(); err != nil {
		return nil, err
	}
	snap, err := r.waitForStart()
	if err != nil {
		return nil, err
	}
	r.snap.Store(snap)
	r.opened = true
	if snap.bundled {
		r.log.Warn("no profile files in the profiles folder; serving the bundled profiles until one is added", "dir", opts.Dir)
	} else {
		r.log.Info("profiles loaded", "dir", opts.Dir, "profiles", handles(snap.list))
	}
	for _, p := range snap.problems {
		r.log.Error("profile not loaded", "err", p)
	}
	return r, nil
}

// Lookup finds a profile by handle or alias, ignoring ASCII case. It only reads the
// in-memory snapshot: whatever name says, no file is opened for it.
func (r *Registry) Lookup(name string) (*Profile, bool) {
	_, p, ok := r.find(name)
	return p, ok
}

// lookupKey lowercases name for the name map, rejecting at once what no handle can be.
// Only ASCII letters are folded, so that no Unicode look-alike reaches a handle.
func lookupKey(name string) (string, bool) {
	if name == "" || len(name) > 32 {
		return "", false
	}
	b := []byte(name)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	return string(b), true
}

// Default returns the profile shown to visitors who name none: opts.Default, else the
// profile marked default, else the only profile.
func (r *Registry) Default() (*Profile, bool) {
	p := r.snap.Load().def
	return p, p != nil
}

// List returns every profile, sorted by handle.
func (r *Registry) List() []*Profile {
	return slices.Clone(r.snap.Load().list)
}

// Problems returns why files of the folder are not (or no longer) served as written:
// parse errors, with the last good version of the file served meanwhile, and names
// claimed twice.
func (r *Registry) Problems() []error {
	return slices.Clone(r.snap.Load().problems)
}

// bundledSnapshot loads the CVs compiled into the binary.
func (r *Registry) bundledSnapshot() (*snapshot, error) {
	list, errs := loadBundledProfiles()
	translations, terrs := loadBundledTranslations()
	sets, _, aerrs := attachTranslations(list, translations, language.Make(DefaultLang))
	if errs = slices.Concat(errs, terrs, aerrs); len(errs) > 0 {
		return nil, fmt.Errorf("bundled profiles: %w", errors.Join(errs...))
	}
	return newSnapshot(list, nil, r.opts.Default, true, DefaultLang, sets)
}

// scan reads every profile file of the folder, starts a parse of each whose bytes
// changed since the last scan (each publishes its result when it ends, see
// registry_parse.go), and returns what happened to the files that are gone or cannot be
// read. The caller holds r.mu.
func (r *Registry) scan() ([]ReloadEvent, error) {
	fsys, closer, err := openInside(r.opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("profiles folder %s: %w", r.opts.Dir, unwrapPathError(err))
	}
	defer closer.Close()
	names, dirErrs, err := folderFiles(fsys, r.base, func(name string) string { return filepath.Join(r.opts.Dir, name) })
	if err != nil {
		return nil, fmt.Errorf("profiles folder %s: %w", r.opts.Dir, unwrapPathError(err))
	}
	r.dirErrs = dirErrs
	var events []ReloadEvent
	present := map[string]bool{}
	for _, name := range names {
		present[name] = true
		source := filepath.Join(r.opts.Dir, filepath.FromSlash(name))
		st := r.files[name]
		if st == nil {
			st = &fileState{}
			r.files[name] = st
		}
		data, modTime, err := readLimited(fsys, name, source)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				delete(present, name) // gone between listing and reading
				continue
			}
			if st.parsing {
				st.again = true // said once the running parse ends
				continue
			}
			if st.hash == "" && st.err != nil && st.err.Error() == err.Error() {
				continue // the same problem as last time
			}
			st.hash, st.err = "", err
			events = append(events, ReloadEvent{File: source, Handle: handleOf(name), Err: err})
			continue
		}
		hash := hashOf(data)
		if hash == st.hash && !st.conflict {
			continue
		}
		if st.parsing {
			st.again = true // this version is read again once the running parse ends
			continue
		}
		st.conflict = false
		st.hash = hash
		r.startParse(name, st, source, data, modTime)
	}
	for _, name := range slices.Sorted(maps.Keys(r.files)) {
		if !present[name] {
			delete(r.files, name)
			events = append(events, ReloadEvent{File: filepath.Join(r.opts.Dir, filepath.FromSlash(name)), Handle: handleOf(name), Removed: true})
		}
	}
	return events, nil
}

// buildSnapshot assembles the last good version of every file into a snapshot. A new
// version that claims a name another file holds is a file that stops validating: when
// it changed in this scan (previous holds the versions from before), its previous
// version is put back. The caller holds r.mu. The error is an unknown opts.Default;
// the snapshot is usable even then.
func (r *Registry) buildSnapshot(previous map[string]*Profile) (*snapshot, error) {
	kept, dropped, conflicts := r.resolve()
	reverted := false
	for i, p := range dropped {
		name := r.fileKey(p.Source)
		st := r.files[name]
		if st == nil {
			continue
		}
		st.err, st.conflict = conflicts[i], true
		if old := previous[name]; old != nil && st.good == p && old != p {
			st.good = old
			reverted = true
		}
	}
	if reverted {
		kept, _, _ = r.resolve()
	}
	sets := r.attach(kept)
	problems := r.fileErrors()
	if len(kept) == 0 {
		snap, err := r.bundledSnapshot()
		if snap != nil {
			snap.problems = problems
		}
		return snap, err
	}
	return newSnapshot(sortByHandle(kept), problems, r.opts.Default, false, r.base.String(), sets)
}

// attach groups the last good version of every translation by the CV it translates,
// one of kept, marking those it cannot place. The caller holds r.mu.
func (r *Registry) attach(kept []*Profile) map[string]*variants {
	var translations []*Profile
	for _, name := range slices.Sorted(maps.Keys(r.files)) {
		st := r.files[name]
		st.unattached = nil
		if isTranslationPath(name) && st.good != nil {
			translations = append(translations, st.good)
		}
	}
	sets, dropped, errs := attachTranslations(kept, translations, r.base)
	for i, t := range dropped {
		if st := r.files[r.fileKey(t.Source)]; st != nil {
			st.unattached = errs[i]
		}
	}
	return sets
}

// fileKey is the key in r.files of a file of the folder: its path inside it.
func (r *Registry) fileKey(source string) string {
	rel, err := filepath.Rel(r.opts.Dir, source)
	if err != nil {
		return filepath.Base(source)
	}
	return filepath.ToSlash(rel)
}

// resolve checks the names claimed by the last good version of every CV at the top of
// the folder (translations claim none).
func (r *Registry) resolve() (kept, dropped []*Profile, errs []error) {
	var loaded []*Profile
	for _, name := range slices.Sorted(maps.Keys(r.files)) {
		if p := r.files[name].good; p != nil && !isTranslationPath(name) {
			loaded = append(loaded, p)
		}
	}
	return resolveNames(loaded)
}

// newSnapshot indexes list (in language lang, with the translations of sets) by handle
// and alias and picks the default profile:
// defaultName, else the profile marked default, else the only one. An unknown
// defaultName is an error, returned with a snapshot that uses the other rules.
func newSnapshot(list []*Profile, problems []error, defaultName string, bundled bool, lang string, sets map[string]*variants) (*snapshot, error) {
	s := &snapshot{byName: map[string]*Profile{}, list: list, problems: problems, bundled: bundled, lang: lang, variants: sets}
	for _, p := range list {
		for _, n := range p.Names() {
			s.byName[n] = p
		}
	}
	var err error
	if defaultName != "" {
		key, _ := lookupKey(defaultName)
		if p, ok := s.byName[key]; ok {
			s.def = p
			return s, nil
		}
		err = fmt.Errorf("default profile %q: no such handle or alias (the profiles are %s)", defaultName, strings.Join(handles(list), ", "))
	}
	for _, p := range list {
		if p.Default {
			s.def = p
			return s, err
		}
	}
	if len(list) == 1 {
		s.def = list[0]
	}
	return s, err
}

func (r *Registry) goodCount() int {
	n := 0
	for _, st := range r.files {
		if st.good != nil {
			n++
		}
	}
	return n
}

// fileErrors returns the language folders that are not right, then the current
// problem of each file, in file-name order.
func (r *Registry) fileErrors() []error {
	errs := slices.Clone(r.dirErrs)
	for _, name := range slices.Sorted(maps.Keys(r.files)) {
		if err := r.files[name].problem(); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// problem is why the file is not served as written, or nil.
func (st *fileState) problem() error {
	if st.err != nil {
		return st.err
	}
	return st.unattached
}

func handles(list []*Profile) []string {
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = p.Handle
	}
	return out
}

// handleOf is the handle a file name gives, or "" when it gives none.
func handleOf(name string) string {
	h, err := HandleFromPath(name)
	if err != nil {
		return ""
	}
	return h
}
