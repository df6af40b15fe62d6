package profiles

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// reloadDelay is how long the folder must be quiet before it is read again: an editor's
// save is a burst of events (write a temporary file, rename it, change its mode), and
// reading in the middle of one would see half a file.
const reloadDelay = 100 * time.Millisecond

// Watch follows the profiles folder until ctx ends, applying every change within about
// a second: a changed file is reloaded (if it no longer loads, its last good version
// stays served and the error is logged and reported to OnReload), a deleted file's
// profile is removed, a new file's added, and names claimed twice are checked again.
// Profiles already handed out stay valid. Watch returns nil when ctx ends, and at once
// when the registry serves the bundled CVs of no folder.
func (r *Registry) Watch(ctx context.Context) error {
	if r.opts.Dir == "" {
		return nil
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watching %s: %w", r.opts.Dir, err)
	}
	defer w.Close()
	// The folder, not the files: editors that save by renaming a temporary file over
	// the old one, and Kubernetes ConfigMaps that swap a link, replace the watched
	// inode, and a file added later has nothing to watch yet.
	if err := w.Add(r.opts.Dir); err != nil {
		return fmt.Errorf("watching %s: %w", r.opts.Dir, err)
	}
	watched := map[string]bool{}
	r.watchLanguageDirs(w, watched)
	// Changes made between OpenRegistry and now were not seen by the watcher.
	r.reload(false)

	timer := time.NewTimer(reloadDelay)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-w.Events:
			if !ok {
				return nil
			}
			// Any event may matter, whatever its name: a renamed temporary file, a
			// ConfigMap's "..data" link. Reading is cheap: unchanged files are skipped
			// by their hash.
			timer.Reset(reloadDelay)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			r.log.Error("watching the profiles folder", "dir", r.opts.Dir, "err", err)
			// Events may have been lost (a full queue): read everything again.
			timer.Reset(reloadDelay)
		case <-timer.C:
			// A language folder just made is watched before it is read, so that
			// nothing written into it afterwards is missed.
			r.watchLanguageDirs(w, watched)
			r.reload(false)
		}
	}
}

// Reload reads the profiles folder again now and publishes the result, as Watch does
// after a change, returning once every changed file is parsed. It is exported for a
// reload on demand (a signal, a test); with no folder it does nothing.
func (r *Registry) Reload() { r.reload(true) }

// reload reads the folder and starts a parse of each changed file; with wait, it
// returns once no parse runs. A file's result is published as soon as its parse ends,
// so a slow file never holds back the others.
func (r *Registry) reload(wait bool) {
	if r.opts.Dir == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	previous := r.goodVersions()
	events, err := r.scan()
	if err != nil {
		r.log.Error("cannot read the profiles folder; still serving the last good profiles", "err", err)
		r.report(ReloadEvent{File: r.opts.Dir, Err: err})
		return
	}
	if len(events) > 0 {
		r.publish(events, previous)
	}
	for wait && r.parsingCount() > 0 {
		r.parsed.Wait()
	}
}

// publish builds and stores a snapshot after the files of events changed (previous
// holds every file's last good version from before), then logs and reports the events.
// The caller holds r.mu.
func (r *Registry) publish(events []ReloadEvent, previous map[string]*Profile) {
	wasBundled := r.snap.Load().bundled
	snap, err := r.buildSnapshot(previous)
	if snap == nil {
		r.log.Error("cannot reload the profiles; still serving the last good ones", "err", err)
		return
	}
	if err != nil {
		r.log.Warn("the default profile is not loaded; using the other rules", "err", err)
	}
	// A file whose new version was put back because of a name conflict failed.
	for i, ev := range events {
		if st := r.files[r.fileKey(ev.File)]; st != nil && ev.Err == nil && !ev.Removed && st.problem() != nil {
			events[i].Err = st.problem()
		}
	}
	r.snap.Store(snap)
	for _, ev := range events {
		switch {
		case ev.Removed:
			r.log.Info("profile removed", "file", ev.File, "handle", ev.Handle)
		case ev.Err != nil:
			r.log.Error("profile not reloaded; serving its last good version", "file", ev.File, "err", ev.Err)
		default:
			r.log.Info("profile reloaded", "file", ev.File, "handle", ev.Handle)
		}
		r.report(ev)
	}
	switch {
	case snap.bundled && !wasBundled:
		r.log.Warn("no profile loads from the profiles folder; serving the bundled profiles", "dir", r.opts.Dir)
	case !snap.bundled && wasBundled:
		r.log.Info("serving the profiles folder", "dir", r.opts.Dir, "profiles", handles(snap.list))
	}
}

func (r *Registry) report(ev ReloadEvent) {
	if r.opts.OnReload != nil {
		r.opts.OnReload(ev)
	}
}

// watchLanguageDirs watches every language folder of the profiles folder (translations,
// see translations.go) that is not watched yet, and forgets those that are gone.
func (r *Registry) watchLanguageDirs(w *fsnotify.Watcher, watched map[string]bool) {
	fsys, closer, err := openInside(r.opts.Dir)
	if err != nil {
		return // the reload reports it
	}
	dirs, _ := translationDirs(fsys, r.base, func(name string) string { return name }, true)
	closer.Close()
	current := map[string]bool{}
	for _, d := range dirs {
		current[d] = true
		if !watched[d] {
			if err := w.Add(filepath.Join(r.opts.Dir, d)); err != nil {
				r.log.Error("watching a language folder", "dir", filepath.Join(r.opts.Dir, d), "err", err)
				continue
			}
			watched[d] = true
		}
	}
	for d := range watched {
		if !current[d] {
			_ = w.Remove(filepath.Join(r.opts.Dir, d)) // already gone with the folder, mostly
			delete(watched, d)
		}
	}
}
