package profiles

import (
	"embed"
	"io/fs"
)

// bundledCVs holds the CVs that ship inside the binary: served when no profiles folder
// is given. An embed.FS is read-only, so sharing it between sessions is safe.
//
//go:embed rohit.md ankush.md de/rohit.md
var bundledCVs embed.FS

// Bundled returns the bundled CVs (rohit.md and ankush.md, and the German rohit in
// de/rohit.md) as a read-only file system, laid out like a profiles folder.
func Bundled() fs.FS {
	return bundledCVs
}
