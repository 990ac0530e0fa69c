package translog

import (
	"os"

	"golang.org/x/sys/unix"
)

// fdatasync makes f's data durable without forcing its metadata when only
// the size changed (which fdatasync covers).
func fdatasync(f *os.File) error { return unix.Fdatasync(int(f.Fd())) }

// syncFS makes everything written to the file system holding dir durable,
// in one call (syncfs(2)).
func syncFS(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return unix.Syncfs(int(d.Fd()))
}
