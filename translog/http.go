package translog

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/transparency-dev/tessera/api/layout"
)

// Cache-Control values: tiles and entry bundles never change once the tree
// has reached them (a partial tile of width W is always the same W hashes);
// the checkpoint changes every second.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheNone      = "no-cache"
)

// Handler returns the log's read API in the C2SP tlog-tiles layout, with
// paths relative to the log's root:
//
//	GET /checkpoint
//	GET /tile/<L>/<N>[.p/<W>]
//	GET /tile/entries/<N>[.p/<W>]
//
// Mount it under /log/ with the prefix stripped:
//
//	mux.Handle("/log/", http.StripPrefix("/log", l.Handler()))
func (l *Log) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /checkpoint", l.serveCheckpoint)
	mux.HandleFunc("GET /tile/entries/{index...}", l.serveEntries)
	mux.HandleFunc("GET /tile/{level}/{index...}", l.serveTile)
	return mux
}

var (
	octetStream = []string{"application/octet-stream"}
	immutable   = []string{cacheImmutable}
)

func (l *Log) serveCheckpoint(w http.ResponseWriter, r *http.Request) {
	cp := l.published() // with the witnesses' cosignatures, if any
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", cacheNone)
	w.Write(cp.Signed)
}

func (l *Log) serveTile(w http.ResponseWriter, r *http.Request) {
	level, index, p, err := layout.ParseTileLevelIndexPartial(r.PathValue("level"), r.PathValue("index"))
	if err != nil {
		http.Error(w, "bad tile path: "+err.Error(), http.StatusBadRequest)
		return
	}
	t, err := l.tileAt(r.Context(), l.cur.Load(), level, index, p)
	l.serveBytes(w, r, t, err)
}

func (l *Log) serveEntries(w http.ResponseWriter, r *http.Request) {
	index, p, err := layout.ParseTileIndexPartial(r.PathValue("index"))
	if err != nil {
		http.Error(w, "bad entry bundle path: "+err.Error(), http.StatusBadRequest)
		return
	}
	b, err := l.EntryBundle(r.Context(), index, p)
	l.serveBytes(w, r, b, err)
}

func (l *Log) serveBytes(w http.ResponseWriter, r *http.Request, b []byte, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		http.Error(w, err.Error(), http.StatusNotFound)
	case err != nil:
		l.opts.Logger.Error("traceability log: serving "+r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	default:
		h := w.Header()
		h["Content-Type"] = octetStream
		h["Cache-Control"] = immutable
		h["Content-Length"] = []string{strconv.Itoa(len(b))}
		h["Date"] = nil // an immutable tile needs no date
		w.Write(b)
	}
}

// EntryBundle returns entry bundle index with p entries (0: a full bundle of
// 256) as served at /tile/entries/: each entry preceded by its length as a
// big-endian uint16. Only entries within the latest checkpoint are served.
func (l *Log) EntryBundle(ctx context.Context, index uint64, p uint8) ([]byte, error) {
	cp := l.cur.Load()
	if !tileInTree(cp.Size, 0, index, p) {
		return nil, fmt.Errorf("entry bundle %d.p/%d is beyond the tree of size %d: %w", index, p, cp.Size, ErrNotFound)
	}
	n := int(p)
	if n == 0 {
		n = layout.EntryBundleWidth
	}
	entries, err := l.src.Entries(ctx, index*layout.EntryBundleWidth, n)
	if err != nil {
		return nil, err
	}
	if len(entries) != n {
		return nil, fmt.Errorf("source holds %d entries from %d, want %d: entries below the published checkpoint are missing", len(entries), index*layout.EntryBundleWidth, n)
	}
	// The entries are derived from database rows: check them against the
	// published tree so that an edit behind the application's back raises
	// an alarm here, not only when a client notices.
	if leaves, err := l.storedTile(ctx, 0, index, p); err == nil {
		for i, e := range entries {
			if !bytes.Equal(hasher.HashLeaf(e), leaves[i*HashSize:(i+1)*HashSize]) {
				l.opts.Logger.Error("traceability log: an event no longer matches the published log; run `trustmark audit`", "seq", index*layout.EntryBundleWidth+uint64(i))
			}
		}
	}
	return MarshalBundle(entries), nil
}

// MarshalBundle encodes entries as a tlog-tiles entry bundle.
func MarshalBundle(entries [][]byte) []byte {
	size := 0
	for _, e := range entries {
		size += 2 + len(e)
	}
	b := make([]byte, 0, size)
	for _, e := range entries {
		b = binary.BigEndian.AppendUint16(b, uint16(len(e)))
		b = append(b, e...)
	}
	return b
}

// logError is how handlers report failures a client did not cause.
func logError(lg *slog.Logger, what string, err error) {
	lg.Error("traceability log: "+what, "err", err)
}

// trimLogPath strips a trailing "/log" or "/log/" from a URL, giving the
// server's root, where the JSON API lives.
func trimLogPath(u string) string {
	u = strings.TrimSuffix(u, "/")
	return strings.TrimSuffix(u, "/log")
}
