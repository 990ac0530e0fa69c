package importer

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// zipFile is a workbook's zip archive opened within Limits: its directory
// checked before it is parsed, and every part read through a count of the
// bytes decompressed so far.
type zipFile struct {
	parts    map[string]*zip.File // by lower-case name
	lim      Limits
	unzipped int64 // bytes decompressed from all parts so far
}

// maxDirectoryBytes bounds the zip directory, which archive/zip reads whole
// into memory: ten thousand entries with long names.
const maxDirectoryBytes = 4 << 20

// openZip opens the zip archive in ra after checking, from its end record,
// that its directory is small enough to read, then that the parts it lists
// are not too many and do not declare more than UnzipBytes in all.
func openZip(ra io.ReaderAt, size int64, lim Limits) (*zipFile, error) {
	entries, dirBytes, err := zipDirectory(ra, size)
	if err != nil {
		return nil, err
	}
	if entries > uint64(lim.ZipEntries) {
		return nil, tooLarge("file", ReasonZipEntries, int64(lim.ZipEntries))
	}
	if dirBytes > maxDirectoryBytes {
		return nil, fmt.Errorf("the workbook's zip directory is %d bytes long, more than the %d allowed", dirBytes, maxDirectoryBytes)
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, fmt.Errorf("the workbook cannot be read as a zip archive (%v): save it again from Excel, or as CSV", err)
	}
	if len(zr.File) > lim.ZipEntries {
		return nil, tooLarge("file", ReasonZipEntries, int64(lim.ZipEntries))
	}
	z := &zipFile{parts: make(map[string]*zip.File, len(zr.File)), lim: lim}
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		if declared > uint64(lim.UnzipBytes) {
			return nil, tooLarge("file", ReasonUnzipBytes, lim.UnzipBytes)
		}
		name := strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/"))
		if _, dup := z.parts[name]; dup {
			return nil, fmt.Errorf("the workbook has two parts named %s: it is damaged", f.Name)
		}
		z.parts[name] = f
	}
	return z, nil
}

// zipDirectory reads the end of a zip archive (APPNOTE.TXT 4.3.16, and
// 4.3.14 for ZIP64) and returns the number of entries and the size of the
// central directory it declares.
func zipDirectory(ra io.ReaderAt, size int64) (entries, dirBytes uint64, err error) {
	const (
		eocdLen    = 22
		eocdSig    = "PK\x05\x06"
		locatorLen = 20
		locatorSig = "PK\x06\x07"
		eocd64Sig  = "PK\x06\x06"
	)
	// The end record is the last 22 bytes, or further back by the length
	// of a comment of at most 65,535 bytes.
	tail := min(size, eocdLen+0xFFFF)
	buf := make([]byte, tail)
	if _, err := ra.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return 0, 0, err
	}
	i := bytes.LastIndex(buf, []byte(eocdSig))
	if i < 0 || len(buf)-i < eocdLen {
		return 0, 0, errors.New("the workbook is not a complete zip archive (no end record): save it again from Excel, or as CSV")
	}
	end := buf[i:]
	entries = uint64(binary.LittleEndian.Uint16(end[10:]))
	dirBytes = uint64(binary.LittleEndian.Uint32(end[12:]))
	if entries != 0xFFFF && dirBytes != 0xFFFFFFFF {
		return entries, dirBytes, nil
	}
	// ZIP64: the locator just before the end record points to the ZIP64
	// end record, which holds the real counts.
	at := size - tail + int64(i) - locatorLen
	loc := make([]byte, locatorLen)
	if at < 0 {
		return 0, 0, errors.New("the workbook's ZIP64 end record is missing: it is damaged")
	}
	if _, err := ra.ReadAt(loc, at); err != nil || string(loc[:4]) != locatorSig {
		return 0, 0, errors.New("the workbook's ZIP64 end record is missing: it is damaged")
	}
	off := binary.LittleEndian.Uint64(loc[8:])
	rec := make([]byte, 56)
	if off > uint64(size) {
		return 0, 0, errors.New("the workbook's ZIP64 end record is out of the file: it is damaged")
	}
	if _, err := ra.ReadAt(rec, int64(off)); err != nil || string(rec[:4]) != eocd64Sig {
		return 0, 0, errors.New("the workbook's ZIP64 end record is missing: it is damaged")
	}
	return binary.LittleEndian.Uint64(rec[32:]), binary.LittleEndian.Uint64(rec[40:]), nil
}

// has reports whether the archive holds the part name (any case).
func (z *zipFile) has(name string) bool {
	_, ok := z.parts[strings.ToLower(name)]
	return ok
}

// open opens the part name for reading; every byte read from it counts
// against UnzipBytes.
func (z *zipFile) open(name string) (io.ReadCloser, error) {
	f, ok := z.parts[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("the workbook has no part %s: it is damaged", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("the workbook's part %s cannot be read (%v): save it again from Excel, or as CSV", name, err)
	}
	return &unzipCounter{rc: rc, z: z, name: name}, nil
}

// unzipCounter counts the bytes decompressed from one part into the
// archive's total. archive/zip already refuses a part that decompresses to
// more than its directory entry declares; the count holds the total to
// UnzipBytes whatever the entries say.
type unzipCounter struct {
	rc   io.ReadCloser
	z    *zipFile
	name string
}

func (u *unzipCounter) Read(p []byte) (int, error) {
	n, err := u.rc.Read(p)
	u.z.unzipped += int64(n)
	if u.z.unzipped > u.z.lim.UnzipBytes {
		return n, tooLarge("file", ReasonUnzipBytes, u.z.lim.UnzipBytes)
	}
	if err != nil && err != io.EOF {
		err = fmt.Errorf("the workbook's part %s cannot be read (%v): it is damaged", u.name, err)
	}
	return n, err
}

func (u *unzipCounter) Close() error { return u.rc.Close() }
