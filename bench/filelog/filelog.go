// Package filelog is Trustmark's log engine (package translog) with its
// entries in an append-only file instead of the registry's events, behind
// POST /add: the surface Tessera's load tester, integration test and fsck
// expect. It exists to benchmark the engine against Tessera
// (bench/tessera.sh, command logserver); it is not part of the product.
package filelog

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	tmhttp "trustmark/http"
	"trustmark/translog"
)

// FileEntries is an append-only file of entries, each written as in a
// tlog-tiles entry bundle (a big-endian uint16 length, then the entry), so
// that a bundle is one contiguous read. It is the translog.Source of the
// bench's log engine.
// Append is for one writer; Entries is safe for concurrent use.
type FileEntries struct {
	f       *os.File
	mu      sync.RWMutex
	offsets []uint64 // offsets[i] is where entry i starts; the last is the end
}

// OpenFileEntries opens (creating) the entries file at path. A torn last
// record, left by a crash during a write that was never acknowledged, is cut
// off.
func OpenFileEntries(path string) (*FileEntries, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	offsets := []uint64{0}
	r := bufio.NewReaderSize(f, 1<<20)
	var off uint64
	var hdr [2]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			break
		}
		n := uint64(binary.BigEndian.Uint16(hdr[:]))
		if _, err := r.Discard(int(n)); err != nil {
			break
		}
		off += 2 + n
		offsets = append(offsets, off)
	}
	if err := f.Truncate(int64(off)); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(int64(off), io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &FileEntries{f: f, offsets: offsets}, nil
}

// Size returns the number of entries durably appended.
func (fe *FileEntries) Size() uint64 {
	fe.mu.RLock()
	defer fe.mu.RUnlock()
	return uint64(len(fe.offsets) - 1)
}

// Append writes entries at the end and makes them durable (fdatasync)
// before returning the index of the first: one sync for the whole batch.
func (fe *FileEntries) Append(entries [][]byte) (uint64, error) {
	var buf []byte
	for _, e := range entries {
		if len(e) > translog.MaxEntrySize {
			return 0, fmt.Errorf("entry of %d bytes, want at most %d", len(e), translog.MaxEntrySize)
		}
		buf = binary.BigEndian.AppendUint16(buf, uint16(len(e)))
		buf = append(buf, e...)
	}
	if _, err := fe.f.Write(buf); err != nil {
		return 0, err
	}
	if err := fdatasync(fe.f); err != nil {
		return 0, err
	}
	fe.mu.Lock()
	defer fe.mu.Unlock()
	first := uint64(len(fe.offsets) - 1)
	off := fe.offsets[len(fe.offsets)-1]
	for _, e := range entries {
		off += 2 + uint64(len(e))
		fe.offsets = append(fe.offsets, off)
	}
	return first, nil
}

// Entries implements translog.Source.
func (fe *FileEntries) Entries(ctx context.Context, from uint64, max int) ([][]byte, error) {
	fe.mu.RLock()
	n := uint64(len(fe.offsets) - 1)
	if from >= n {
		fe.mu.RUnlock()
		return nil, nil
	}
	to := min(n, from+uint64(max))
	start, end := fe.offsets[from], fe.offsets[to]
	fe.mu.RUnlock()
	buf := make([]byte, end-start)
	if _, err := fe.f.ReadAt(buf, int64(start)); err != nil {
		return nil, err
	}
	out := make([][]byte, 0, to-from)
	for len(buf) >= 2 {
		k := int(binary.BigEndian.Uint16(buf))
		out = append(out, buf[2:2+k:2+k])
		buf = buf[2+k:]
	}
	return out, nil
}

// Close closes the file.
func (fe *FileEntries) Close() error { return fe.f.Close() }

// ErrOverloaded is returned by Appender.Add when the log takes no more
// entries for now; HTTP answers it 503 with Retry-After.
var ErrOverloaded = errors.New("log overloaded, retry later")

// Appender sequences entries into a FileEntries with group commit: adds
// arriving while a batch is being synced wait for the next batch, so the
// disk sees one write and one fdatasync per batch, whatever the number of
// concurrent writers. An entry's index is answered once it is durable; the
// Log's integrator publishes it in a checkpoint at its next interval.
type Appender struct {
	fe         *FileEntries
	log        *translog.Log
	logger     *slog.Logger
	reqs       chan addReq
	maxBatch   int
	maxPending uint64

	// Batch statistics, logged every 10 s while adds arrive, so that a
	// benchmark shows whether the disk's syncs or the requests set the pace.
	stats appendStats
}

// appendStats accumulates the sequencer's batches over a period.
type appendStats struct {
	batches, entries int
	write, maxWrite  time.Duration // write and fdatasync of a batch
	since            time.Time
}

func (s *appendStats) add(n int, d time.Duration, lg *slog.Logger) {
	now := time.Now()
	if s.since.IsZero() {
		s.since = now
	}
	s.batches++
	s.entries += n
	s.write += d
	s.maxWrite = max(s.maxWrite, d)
	if el := now.Sub(s.since); el >= 10*time.Second {
		lg.Info("traceability log: appends",
			"entries_per_s", int(float64(s.entries)/el.Seconds()),
			"batches", s.batches, "mean_batch", s.entries/s.batches,
			"mean_sync", (s.write / time.Duration(s.batches)).Round(time.Microsecond),
			"max_sync", s.maxWrite.Round(time.Microsecond),
			"sync_busy", fmt.Sprintf("%.0f%%", 100*s.write.Seconds()/el.Seconds()))
		*s = appendStats{since: now}
	}
}

type addReq struct {
	entry []byte
	reply chan addResult
}

type addResult struct {
	index uint64
	err   error
}

// NewAppender returns an Appender over fe whose entries l integrates.
// maxPending bounds the entries durable but not yet in a checkpoint;
// beyond it Add answers ErrOverloaded.
// maxBatch bounds the entries written and synced together.
func NewAppender(fe *FileEntries, l *translog.Log, logger *slog.Logger, maxPending uint64, maxBatch int) *Appender {
	return &Appender{fe: fe, log: l, logger: logger, reqs: make(chan addReq, 1<<16), maxBatch: max(1, maxBatch), maxPending: maxPending}
}

// Run sequences until ctx is done.
func (a *Appender) Run(ctx context.Context) {
	batch := make([]addReq, 0, a.maxBatch)
	entries := make([][]byte, 0, a.maxBatch)
	for {
		batch, entries = batch[:0], entries[:0]
		select {
		case <-ctx.Done():
			return
		case r := <-a.reqs:
			batch = append(batch, r)
		}
	drain:
		for len(batch) < a.maxBatch {
			select {
			case r := <-a.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		for _, r := range batch {
			entries = append(entries, r.entry)
		}
		t0 := time.Now()
		first, err := a.fe.Append(entries)
		a.stats.add(len(entries), time.Since(t0), a.logger)
		for i, r := range batch {
			r.reply <- addResult{first + uint64(i), err}
		}
	}
}

// Add appends entry and returns its index once it is durable.
func (a *Appender) Add(ctx context.Context, entry []byte) (uint64, error) {
	if len(entry) > translog.MaxEntrySize {
		return 0, fmt.Errorf("entry of %d bytes, want at most %d", len(entry), translog.MaxEntrySize)
	}
	if n, done := a.fe.Size(), a.log.Latest().Size; n > done && n-done > a.maxPending {
		return 0, ErrOverloaded
	}
	r := addReq{entry: entry, reply: make(chan addResult, 1)}
	select {
	case a.reqs <- r:
	default:
		return 0, ErrOverloaded
	}
	select {
	case res := <-r.reply:
		return res.index, res.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

var textPlain = []string{"text/plain"}

// addAnswer is the HTTP answer to an add, for either front end: the
// entry's decimal index, or 503 (to be sent with Retry-After) when the log
// is overloaded, or 500.
func (a *Appender) addAnswer(i uint64, err error) (status int, body []byte) {
	switch {
	case errors.Is(err, ErrOverloaded):
		return http.StatusServiceUnavailable, []byte(err.Error() + "\n")
	case err != nil:
		a.logger.Error("traceability log: add", "err", err)
		return http.StatusInternalServerError, []byte("internal error\n")
	}
	return http.StatusOK, strconv.AppendUint(nil, i, 10)
}

// Handler serves POST /add (the body is the entry; the answer its decimal
// index, or 503 with Retry-After when overloaded) and the log's read API
// at the root, the surface Tessera's hammer and fsck expect.
func (a *Appender) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /add", func(w http.ResponseWriter, r *http.Request) {
		var b []byte
		var err error
		switch n := r.ContentLength; {
		case n > translog.MaxEntrySize:
			err = errors.New("too large")
		case n >= 0:
			b = make([]byte, n)
			_, err = io.ReadFull(r.Body, b)
		default:
			b, err = io.ReadAll(http.MaxBytesReader(w, r.Body, translog.MaxEntrySize))
		}
		if err != nil {
			http.Error(w, "entry too large or cut short", http.StatusBadRequest)
			return
		}
		status, body := a.addAnswer(a.Add(r.Context(), b))
		h := w.Header()
		if status == http.StatusServiceUnavailable {
			h.Set("Retry-After", "1")
		}
		h["Content-Type"] = textPlain
		h["Date"] = nil // not worth formatting 20,000 times a second
		w.WriteHeader(status)
		w.Write(body)
	})
	mux.Handle("/", tmhttp.LogHandler(a.log))
	return mux
}
