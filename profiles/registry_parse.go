package profiles

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Files are parsed outside the registry's lock, each in its own goroutine, and each
// publishes its result when it ends: a file that is slow to parse delays neither the
// start (OpenRegistry returns after startWait with what is ready) nor the reload of
// another file, and never blocks a lookup.

// parseSlots bounds the parses that run at once, and with them the memory they hold.
const parseSlots = 4

// startWait is how long OpenRegistry waits for every file to parse before it returns
// with the profiles that are ready; the others are served as their parses end.
const startWait = time.Second

// parseFile is Parse; tests slow it down for one file.
var parseFile = Parse

// startParse parses data, the bytes of the file name, in the background. The caller
// holds r.mu.
func (r *Registry) startParse(name string, st *fileState, source string, data []byte, modTime time.Time) {
	st.parsing = true
	go func() {
		r.slots <- struct{}{}
		p, err := parseFile(source, data, modTime)
		<-r.slots
		r.finishParse(name, st, source, p, err)
	}()
}

// finishParse records the result of a parse and, once the registry is open,
// publishes it. A file that was removed meanwhile is left alone; one that changed
// meanwhile is read again.
func (r *Registry) finishParse(name string, st *fileState, source string, p *Profile, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	defer r.parsed.Broadcast()
	st.parsing = false
	if r.files[name] != st {
		return
	}
	previous := r.goodVersions()
	ev := ReloadEvent{File: source, Handle: handleOf(name)}
	if err != nil {
		st.err, ev.Err = err, err
	} else {
		st.good, st.err = p, nil
		ev.Handle = p.Handle
	}
	if r.opened {
		r.publish([]ReloadEvent{ev}, previous)
	}
	if st.again {
		st.again = false
		previous = r.goodVersions()
		events, err := r.scan()
		if err == nil && len(events) > 0 && r.opened {
			r.publish(events, previous)
		}
	}
}

// waitForStart waits until every file is parsed, or until startWait has passed and
// there is something to serve, and builds the first snapshot. The caller holds r.mu.
// No profile loading is an error, as is an unknown default once every file is parsed.
func (r *Registry) waitForStart() (*snapshot, error) {
	late := false
	timer := time.AfterFunc(startWait, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		late = true
		r.parsed.Broadcast()
	})
	defer timer.Stop()
	for {
		busy := r.parsingCount() > 0
		if !busy && len(r.files) > 0 && r.goodCount() == 0 {
			return nil, fmt.Errorf("%s: no profile loads:\n%w", r.opts.Dir, errors.Join(r.fileErrors()...))
		}
		if !busy || late && r.goodCount() > 0 {
			snap, err := r.buildSnapshot(nil)
			if err == nil || !busy { // the default may be a file still parsing
				if busy {
					r.log.Warn("profiles still loading; serving the others meanwhile", "files", r.parsingNames())
				}
				return snap, err
			}
		}
		r.parsed.Wait()
	}
}

// goodVersions maps every file to its last good version. The caller holds r.mu.
func (r *Registry) goodVersions() map[string]*Profile {
	out := make(map[string]*Profile, len(r.files))
	for name, st := range r.files {
		out[name] = st.good
	}
	return out
}

func (r *Registry) parsingCount() int {
	return len(r.parsingNames())
}

// parsingNames lists the files being parsed. The caller holds r.mu.
func (r *Registry) parsingNames() []string {
	var out []string
	for name, st := range r.files {
		if st.parsing {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
