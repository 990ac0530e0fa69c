package web

import (
	"bufio"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"
)

// The refused rows of the upload-and-fix page (/work/import), kept for
// their download: spooled to a CSV file as they are refused, in a
// directory of the server's own (made on the first refusal, removed by
// Handler.Close), and turned into the XLSX workbook as it is sent. The
// page holds only the rows it lists (maxShownRejects), so memory stays
// bounded whatever the file holds; the disk is bounded by a size per
// spool and in all, and a spool lives an hour.

// Limits of the refused rows kept on disk.
const (
	refusedTTL        = time.Hour
	refusedFiles      = 200
	refusedFileBytes  = 32 << 20  // one upload's refused rows; later rows are left out
	refusedTotalBytes = 512 << 20 // every kept spool together
)

// refusedStore keeps the spools of recent uploads for the account that
// uploaded them. It is safe for concurrent use.
type refusedStore struct {
	maxFile, maxTotal int64
	ttl               time.Duration

	mu    sync.Mutex
	dir   string // made on first use
	files map[string]refusedFile
	total int64
}

type refusedFile struct {
	account, name, path string
	size                int64
	at                  time.Time
}

func newRefusedStore() *refusedStore {
	return &refusedStore{maxFile: refusedFileBytes, maxTotal: refusedTotalBytes, ttl: refusedTTL, files: map[string]refusedFile{}}
}

// refusedFiles returns the handler's store of refused rows.
func (h *Handler) refusedFiles() *refusedStore {
	h.refusedOnce.Do(func() { h.refused = newRefusedStore() })
	return h.refused
}

// Close removes the refused rows kept on disk.
func (h *Handler) Close() error {
	if h.refused == nil {
		return nil
	}
	return h.refused.close()
}

func (s *refusedStore) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" {
		return nil
	}
	err := os.RemoveAll(s.dir)
	s.dir, s.files, s.total = "", map[string]refusedFile{}, 0
	return err
}

// refusedSpool is one upload's refused rows being written: the header and
// a reason column, then a row per refusal, up to the store's size per
// spool.
type refusedSpool struct {
	f      *os.File
	bw     *bufio.Writer
	cw     *csv.Writer
	n      *countWriter
	max    int64
	header []string
	full   bool
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// create starts a spool of rows with header's columns.
func (s *refusedStore) create(header []string) (*refusedSpool, error) {
	s.mu.Lock()
	if s.dir == "" {
		dir, err := os.MkdirTemp("", "trustmark-refused-")
		if err != nil {
			s.mu.Unlock()
			return nil, err
		}
		s.dir = dir
	}
	dir := s.dir
	s.mu.Unlock()
	f, err := os.CreateTemp(dir, "spool-*.csv")
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriter(f)
	n := &countWriter{w: bw}
	sp := &refusedSpool{f: f, bw: bw, cw: csv.NewWriter(n), n: n, max: s.maxFile, header: header}
	if err := sp.cw.Write(append(append([]string(nil), header...), reasonColumn)); err != nil {
		sp.discard()
		return nil, err
	}
	return sp, nil
}

// add writes a refused row: its cells in the header's columns and the
// reason. Past the size per spool it writes nothing more.
func (sp *refusedSpool) add(cells []string, reason string) error {
	if sp.full {
		return nil
	}
	row := make([]string, len(sp.header)+1)
	copy(row, cells)
	row[len(sp.header)] = reason
	if err := sp.cw.Write(row); err != nil {
		return err
	}
	sp.cw.Flush()
	sp.full = sp.n.n >= sp.max
	return sp.cw.Error()
}

// discard removes the spool.
func (sp *refusedSpool) discard() {
	sp.f.Close()
	os.Remove(sp.f.Name())
}

// keep closes sp and keeps it for account's download under name; it
// returns the download's id. Expired spools go first; a spool that would
// pass the limits in all is not kept.
func (s *refusedStore) keep(sp *refusedSpool, account, name string, now time.Time) (string, error) {
	sp.cw.Flush()
	err := errors.Join(sp.cw.Error(), sp.bw.Flush())
	size := sp.n.n
	if cerr := sp.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(sp.f.Name())
		return "", err
	}
	var b [16]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	if len(s.files) >= refusedFiles || s.total+size > s.maxTotal || s.dir == "" {
		os.Remove(sp.f.Name())
		return "", fmt.Errorf("the refused rows of recent uploads fill the space kept for them (%d files, %d bytes)", len(s.files), s.total)
	}
	s.files[id] = refusedFile{account: account, name: name, path: sp.f.Name(), size: size, at: now}
	s.total += size
	return id, nil
}

// open returns the spool of id for account, and its download's name.
func (s *refusedStore) open(id, account string, now time.Time) (*os.File, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	f, ok := s.files[id]
	if !ok || f.account != account {
		return nil, "", os.ErrNotExist
	}
	r, err := os.Open(f.path)
	return r, f.name, err
}

// sweep removes the expired spools. The caller holds s.mu.
func (s *refusedStore) sweep(now time.Time) {
	for id, f := range s.files {
		if now.Sub(f.at) > s.ttl {
			os.Remove(f.path)
			delete(s.files, id)
			s.total -= f.size
		}
	}
}

// spoolToXLSX writes the spooled rows as an XLSX workbook of one sheet,
// through excelize's stream writer (which keeps large sheets on disk).
func spoolToXLSX(w io.Writer, spool io.Reader) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "rows"
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	cr := csv.NewReader(bufio.NewReader(spool))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for i := 1; ; i++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		row := make([]any, len(rec))
		for j, v := range rec {
			row[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
