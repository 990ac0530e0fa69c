package web

import (
	"errors"
	"fmt"
	"mime/multipart"
	"net"
	"net/http"
	"sync"

	"trustmark"
	"trustmark/bulk"
)

// Defaults of the upload gate: how many uploads are read at once from one
// client and in all. Each costs at most about 40 MB while it is read
// (bulk's limits on a table), so the server's uploads stay within a few hundred MB
// whatever arrives; the rest are refused at once, before their body is
// read, and told when to come back.
const (
	DefaultUploadsPerClient = 2
	DefaultUploads          = 8
)

// uploadGate bounds the uploads being read at once, per client and in all.
type uploadGate struct {
	perClient, total int
	mu               sync.Mutex
	n                int
	by               map[string]int
}

// Reasons of an upload refused by the gate or by a body over the server's
// limit (each error's Args hold the limit); package locale says them.
const (
	reasonBusyClient = "upload.busy_client"
	reasonBusyServer = "upload.busy_server"
	reasonBody       = "upload.body"
)

// enter admits an upload of client, or refuses it: rate_limited when the
// client has perClient uploads being read, unavailable when the server has
// total. Call leave when the upload is read.
func (g *uploadGate) enter(client string) (leave func(), err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.by[client] >= g.perClient:
		return nil, &trustmark.Error{Code: trustmark.ERateLimited, Field: "file", Reason: reasonBusyClient, Args: []any{g.perClient},
			Message: fmt.Sprintf("%d uploads from this address are being read; send the next when one has finished", g.perClient)}
	case g.n >= g.total:
		return nil, &trustmark.Error{Code: trustmark.EUnavailable, Field: "file", Reason: reasonBusyServer, Args: []any{g.total},
			Message: fmt.Sprintf("the server is reading %d uploads, as many as it reads at once; try again in a moment", g.total)}
	}
	if g.by == nil {
		g.by = map[string]int{}
	}
	g.n++
	g.by[client]++
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		g.n--
		if g.by[client]--; g.by[client] == 0 {
			delete(g.by, client)
		}
	}, nil
}

// remoteHost is the default client of an upload: the connection's address.
func remoteHost(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// readUpload reads an uploaded table, every row of it, streaming it (a
// part larger than the form's memory is on disk, and read from there).
func readUpload(f multipart.File, max int) (*bulk.Upload, error) {
	items, err := bulk.ReadUploadFrom(f, max)
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return nil, bodyTooLarge(maxErr.Limit)
	}
	return items, err
}

func bodyTooLarge(limit int64) error {
	return &trustmark.Error{Code: trustmark.ETooLarge, Field: "file", Reason: reasonBody, Args: []any{limit},
		Message: fmt.Sprintf("the upload is larger than the %d bytes allowed", limit)}
}

// receiveUpload takes one of the upload places for the request's client
// and reads its form, files waiting on disk (parseForm). done gives the
// place back and removes the files. On an error nothing is held, and the
// connection is closed after the answer: the body is left unread.
func (h *Handler) receiveUpload(w http.ResponseWriter, r *http.Request) (done func(), err error) {
	leave, err := h.uploads.enter(h.cfg.ClientKey(r))
	if err != nil {
		w.Header().Set("Connection", "close")
		return nil, err
	}
	if err := parseForm(r); err != nil {
		leave()
		return nil, err
	}
	return func() {
		if r.MultipartForm != nil {
			r.MultipartForm.RemoveAll()
		}
		leave()
	}, nil
}
