package profiles

import (
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/sshcv/sshcv/profiles/cv"
)

// This file keeps the loader inside the profiles folder. The checks that refuse inputs
// whose parsing costs far more than their size belong to each format's loader: the
// bound on inline marks in package markdown, the refusal of YAML aliases in package
// jsonresume.

// openInside opens a profiles folder as a file system in which links are followed only
// while they stay inside it: a link to /etc/passwd, or up and out with "..", fails to
// open instead of being read. Links inside the folder still work (a Kubernetes
// ConfigMap mounts each file as a link into a hidden "..data" folder beside it).
func openInside(dir string) (fs.FS, io.Closer, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, err
	}
	return root.FS(), root, nil
}

// linkError says why name could not be opened, naming the target of a link that
// leaves the folder.
func linkError(fsys fs.FS, name, source string, err error) error {
	if !errors.Is(err, fs.ErrNotExist) {
		if target, lerr := fs.ReadLink(fsys, name); lerr == nil {
			return cv.Errorf(source, 0, 0, "a link to %s, outside the profiles folder: links are followed only inside the folder; copy the file in instead", target)
		}
	}
	return cv.Errorf(source, 0, 0, "cannot read: %v", unwrapPathError(err))
}
