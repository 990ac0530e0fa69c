package filelog

import (
	"os"

	"golang.org/x/sys/unix"
)

// fdatasync makes f's data durable without forcing its metadata when only
// the size changed (which fdatasync covers).
func fdatasync(f *os.File) error { return unix.Fdatasync(int(f.Fd())) }

// SyncFS makes everything written to the file system holding dir durable,
// in one call (syncfs(2)): translog.DirStorage's SyncFS for the bench.
func SyncFS(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return unix.Syncfs(int(d.Fd()))
}
