package http

import (
	"context"
	"encoding/json"
	"errors"
	nethttp "net/http"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/transparency-dev/tessera/api/layout"

	"trustmark"
	"trustmark/translog"
)

// Cache-Control values of the log's read API: tiles and entry bundles never
// change once the tree has reached them (a partial tile of width W is always
// the same W hashes); the checkpoint changes every second.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheNone      = "no-cache"
)

// LogHandler returns the traceability log's read API in the C2SP tlog-tiles
// layout, with paths relative to the log's root:
//
//	GET /checkpoint
//	GET /tile/<L>/<N>[.p/<W>]
//	GET /tile/entries/<N>[.p/<W>]
//
// MountLog serves it under /log/; the bench's file engine at its root.
func LogHandler(l *translog.Log) nethttp.Handler {
	lh := logHandler{l}
	mux := nethttp.NewServeMux()
	mux.HandleFunc("GET /checkpoint", lh.checkpoint)
	mux.HandleFunc("GET /tile/entries/{index...}", lh.entries)
	mux.HandleFunc("GET /tile/{level}/{index...}", lh.tile)
	return mux
}

type logHandler struct{ l *translog.Log }

var (
	octetStream = []string{"application/octet-stream"}
	immutable   = []string{cacheImmutable}
)

func (h logHandler) checkpoint(w nethttp.ResponseWriter, r *nethttp.Request) {
	cp := h.l.Published() // with the witnesses' cosignatures, if any
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", cacheNone)
	w.Write(cp.Signed)
}

func (h logHandler) tile(w nethttp.ResponseWriter, r *nethttp.Request) {
	level, index, p, err := layout.ParseTileLevelIndexPartial(r.PathValue("level"), r.PathValue("index"))
	if err != nil {
		Error(w, r, trustmark.Errorf(trustmark.EInvalid, "", "bad tile path: %v", err))
		return
	}
	t, err := h.l.Tile(r.Context(), level, index, p)
	serveImmutable(w, r, t, err)
}

func (h logHandler) entries(w nethttp.ResponseWriter, r *nethttp.Request) {
	index, p, err := layout.ParseTileIndexPartial(r.PathValue("index"))
	if err != nil {
		Error(w, r, trustmark.Errorf(trustmark.EInvalid, "", "bad entry bundle path: %v", err))
		return
	}
	b, err := h.l.EntryBundle(r.Context(), index, p)
	serveImmutable(w, r, b, err)
}

// serveImmutable answers a tile or an entry bundle. The headers are set
// without Header().Set's canonicalisation: tiles are the log's hot path.
func serveImmutable(w nethttp.ResponseWriter, r *nethttp.Request, b []byte, err error) {
	if err != nil {
		Error(w, r, logError(err))
		return
	}
	h := w.Header()
	h["Content-Type"] = octetStream
	h["Cache-Control"] = immutable
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	h["Date"] = nil // an immutable tile needs no date
	w.Write(b)
}

// logError gives the log engine's errors their code, so that the one
// table in error.go gives their status: a tile or bundle beyond the
// published tree is not found; anything else is internal (logged, not
// shown).
func logError(err error) error {
	if errors.Is(err, translog.ErrNotFound) {
		return &trustmark.Error{Code: trustmark.ENotFound, Message: err.Error()}
	}
	return err
}

// logHistory serves GET /api/v1/certificates/{number}/history from the log:
// the certificate's events with inclusion proofs (translog.History); with
// ?bundle=1 the offline proof bundle (tlog-proofs included) as a download.
func (s *Server) logHistory(l *translog.Log) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		number, err := pathValue(r, "number")
		if err != nil {
			Error(w, r, err)
			return
		}
		q := r.URL.Query().Get("bundle")
		bundle := q != "" && q != "0"
		h, err := l.CertificateHistory(r.Context(), s.cfg.Store, number, bundle)
		if err != nil {
			Error(w, r, logError(err))
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", cacheNone)
		if bundle {
			w.Header().Set("Content-Disposition", `attachment; filename="trustmark-proof-`+fileNamePart(number)+`.json"`)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(h)
	})
}

// fileNamePart makes s safe inside a quoted Content-Disposition file name.
func fileNamePart(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x21 || r > 0x7e || r == '"' || r == '/' || r == '\\' {
			return '_'
		}
		return r
	}, s)
}

// MountLog serves the traceability log l: its read API under /log/, the
// certificate history with proofs in place of the plain one, its metrics
// at /metrics, and in /healthz whether it publishes.
func (s *Server) MountLog(l *translog.Log) {
	s.Mount("/log/", nethttp.StripPrefix("/log", LogHandler(l)))
	s.Mount("GET /api/v1/certificates/{number}/history", s.logHistory(l))
	s.Mount("GET /api/v1/campaigns/{id}/history", s.campaignLogHistory(l))
	s.metrics.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "trustmark_log_witness_failures_total",
			Help: "Rounds of witnessing that ended without the witness policy satisfied; each published its checkpoint without the required cosignatures.",
		}, func() float64 { return float64(l.WitnessFailures()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "trustmark_log_published_size",
			Help: "Entries in the traceability log's published checkpoint.",
		}, func() float64 { return float64(l.Published().Size) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "trustmark_log_halted",
			Help: "1 while the traceability log does not publish because the database no longer holds what it published (restored from a backup?); see docs/LOG.md, After a restore.",
		}, func() float64 {
			if l.Halted() != nil {
				return 1
			}
			return 0
		}),
	)
	s.AddHealthCheck(func(context.Context) error {
		if err := l.Halted(); err != nil {
			return trustmark.Errorf(trustmark.EUnavailable, "", "the traceability log stopped publishing: %v", err)
		}
		return nil
	})
}
