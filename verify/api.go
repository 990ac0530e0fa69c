package verify

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"trustmark"
	thttp "trustmark/http"
	"trustmark/webhook"
)

// HandlerConfig configures the HTTP front end of verification.
type HandlerConfig struct {
	Service *Service
	// Store authenticates the tokens of the watch API (any party's token).
	Store trustmark.Store
	// Watches keeps watchlists; when nil the watch API answers 404.
	Watches WatchStore
	Clock   trustmark.Clock
	Logger  *slog.Logger
	// MaxUploadItems bounds the items of one upload on the page (default
	// 20,000); the server's body limit bounds its size.
	MaxUploadItems int
	// MaxUploads and MaxUploadsPerClient bound the uploads read at once, in
	// all and from one client (defaults DefaultUploads and
	// DefaultUploadsPerClient); ClientKey names a request's client (default
	// its connection's address; the server passes the rate limiter's, which
	// believes trusted proxies).
	MaxUploads          int
	MaxUploadsPerClient int
	ClientKey           func(*http.Request) string
}

// Handler serves bulk verification: the JSON API, the upload page and the
// watch API. Mount it on every pattern of Patterns.
type Handler struct {
	cfg     HandlerConfig
	mux     *http.ServeMux
	uploads *uploadGate
}

// NewHandler returns the handler.
func NewHandler(cfg HandlerConfig) *Handler {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxUploadItems <= 0 {
		cfg.MaxUploadItems = 20_000
	}
	if cfg.MaxUploads <= 0 {
		cfg.MaxUploads = DefaultUploads
	}
	if cfg.MaxUploadsPerClient <= 0 {
		cfg.MaxUploadsPerClient = DefaultUploadsPerClient
	}
	if cfg.ClientKey == nil {
		cfg.ClientKey = remoteHost
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux(), uploads: &uploadGate{perClient: cfg.MaxUploadsPerClient, total: cfg.MaxUploads}}
	h.mux.HandleFunc("POST /api/v1/verify", h.verifyAPI)
	h.mux.HandleFunc("GET /verify", h.page)
	h.mux.HandleFunc("POST /verify", h.upload)
	h.mux.HandleFunc("POST /api/v1/watches", h.createWatch)
	h.mux.HandleFunc("GET /api/v1/watches", h.listWatches)
	h.mux.HandleFunc("GET /api/v1/watches/{id}", h.getWatch)
	h.mux.HandleFunc("DELETE /api/v1/watches/{id}", h.deleteWatch)
	h.mux.HandleFunc("POST /api/v1/watches/{id}/items", h.updateWatchItems)
	h.mux.HandleFunc("GET /api/v1/watches/{id}/deliveries", h.watchDeliveries)
	return h
}

// Patterns lists the ServeMux patterns the handler serves, for
// http.Server.Mount.
func (h *Handler) Patterns() []string {
	return []string{
		"POST /api/v1/verify",
		"GET /verify",
		"POST /verify",
		"POST /api/v1/watches",
		"GET /api/v1/watches",
		"GET /api/v1/watches/{id}",
		"DELETE /api/v1/watches/{id}",
		"POST /api/v1/watches/{id}/items",
		"GET /api/v1/watches/{id}/deliveries",
	}
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// VerifyRequest is the body of POST /api/v1/verify.
type VerifyRequest struct {
	Items []string `json:"items"`
}

// VerifyResponse is its answer.
type VerifyResponse struct {
	Results []Result `json:"results"`
}

// ParseVerifyRequest decodes and checks the body of POST /api/v1/verify:
// strict JSON, 1 to MaxItems string items.
func ParseVerifyRequest(r *http.Request) (VerifyRequest, error) {
	var req VerifyRequest
	if err := thttp.DecodeJSON(r, &req); err != nil {
		return req, err
	}
	switch n := len(req.Items); {
	case req.Items == nil:
		return req, trustmark.Errorf(trustmark.EInvalid, "items", "items is required: a list of 1 to %d certificate numbers, USCCs, organic codes or CMA_NO/REPORT_NO references", MaxItems)
	case n == 0:
		return req, trustmark.Errorf(trustmark.EInvalid, "items", "items is empty; send 1 to %d items", MaxItems)
	case n > MaxItems:
		return req, trustmark.Errorf(trustmark.ETooLarge, "items", "items has %d entries; at most %d per call (split the list)", n, MaxItems)
	}
	return req, nil
}

func (h *Handler) verifyAPI(w http.ResponseWriter, r *http.Request) {
	req, err := ParseVerifyRequest(r)
	if err != nil {
		thttp.Error(w, r, err)
		return
	}
	lang := ParseLang(r.URL.Query().Get("lang"), "", English)
	res, err := h.cfg.Service.Verify(r.Context(), req.Items, lang)
	if err != nil {
		thttp.Error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	thttp.WriteJSON(w, http.StatusOK, VerifyResponse{Results: res})
}

// --- watches ---

// WatchRequest is the body of POST /api/v1/watches.
type WatchRequest struct {
	URL    string   `json:"url"`
	Secret string   `json:"secret"` // optional: generated when empty
	Items  []string `json:"items"`
}

func (h *Handler) party(w http.ResponseWriter, r *http.Request) (trustmark.Party, bool) {
	if h.cfg.Watches == nil {
		thttp.Error(w, r, trustmark.Errorf(trustmark.ENotFound, "", "watches are not enabled on this server"))
		return trustmark.Party{}, false
	}
	tok, ok := thttp.BearerToken(r)
	if !ok {
		thttp.Error(w, r, trustmark.Errorf(trustmark.EUnauthorized, "", "watches need an API token: send \"Authorization: Bearer TOKEN\""))
		return trustmark.Party{}, false
	}
	if len(tok) > 512 {
		thttp.Error(w, r, trustmark.Errorf(trustmark.EUnauthorized, "", "the API token is not valid"))
		return trustmark.Party{}, false
	}
	p, err := h.cfg.Store.Authenticate(r.Context(), tok)
	if err != nil {
		thttp.Error(w, r, err)
		return trustmark.Party{}, false
	}
	return p, true
}

// ParseWatchRequest checks a watch request and returns the watch it asks
// for (without ID, owner or time).
func ParseWatchRequest(req WatchRequest) (*Watch, error) {
	u, err := webhook.CheckURL(req.URL)
	if err != nil {
		return nil, err
	}
	wa := &Watch{URL: u, Secret: req.Secret}
	if n := len(req.Secret); n > 0 && (n < minSecretBytes || n > maxSecretBytes) {
		return nil, trustmark.Errorf(trustmark.EInvalid, "secret", "secret is %d bytes; want %d to %d (or none, and one is made for you)", n, minSecretBytes, maxSecretBytes)
	}
	switch n := len(req.Items); {
	case n == 0:
		return nil, trustmark.Errorf(trustmark.EInvalid, "items", "items is empty; list the certificate numbers and USCCs to watch")
	case n > MaxWatchItems:
		return nil, trustmark.Errorf(trustmark.ETooLarge, "items", "items has %d entries; at most %d per watch", n, MaxWatchItems)
	}
	items, err := parseWatchItems("items", req.Items)
	if err != nil {
		return nil, err
	}
	seen := map[WatchItem]bool{}
	for _, it := range items {
		if !seen[it] {
			seen[it] = true
			wa.Items = append(wa.Items, it)
		}
	}
	return wa, nil
}

func (h *Handler) createWatch(w http.ResponseWriter, r *http.Request) {
	p, ok := h.party(w, r)
	if !ok {
		return
	}
	var req WatchRequest
	if err := thttp.DecodeJSON(r, &req); err != nil {
		thttp.Error(w, r, err)
		return
	}
	wa, err := ParseWatchRequest(req)
	if err != nil {
		thttp.Error(w, r, err)
		return
	}
	existing, err := h.cfg.Watches.Watches(r.Context(), p.String())
	if err != nil {
		thttp.Error(w, r, err)
		return
	}
	if len(existing) >= MaxWatchesPerUser {
		thttp.Error(w, r, trustmark.Errorf(trustmark.EConflict, "", "%s already has %d watches, the most allowed; delete one first", p, len(existing)))
		return
	}
	wa.ID = "w_" + randomHex(12)
	wa.Owner = p.String()
	wa.CreatedAt = h.cfg.Clock().UTC().Truncate(time.Microsecond)
	if wa.Secret == "" {
		b := make([]byte, 24)
		rand.Read(b)
		wa.Secret = base64.RawURLEncoding.EncodeToString(b)
	}
	if err := h.cfg.Watches.CreateWatch(r.Context(), wa); err != nil {
		thttp.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/watches/"+wa.ID)
	thttp.WriteJSON(w, http.StatusCreated, wa)
}

func (h *Handler) listWatches(w http.ResponseWriter, r *http.Request) {
	p, ok := h.party(w, r)
	if !ok {
		return
	}
	list, err := h.cfg.Watches.Watches(r.Context(), p.String())
	if err != nil {
		thttp.Error(w, r, err)
		return
	}
	thttp.WriteJSON(w, http.StatusOK, struct {
		Items []*Watch `json:"items"`
	}{list})
}

// ownWatch returns the caller's watch; another party's watch is not found,
// so that IDs reveal nothing.
func (h *Handler) ownWatch(w http.ResponseWriter, r *http.Request) (*Watch, bool) {
	p, ok := h.party(w, r)
	if !ok {
		return nil, false
	}
	id := r.PathValue("id")
	wa, err := h.cfg.Watches.Watch(r.Context(), id)
	if err == nil && wa.Owner != p.String() {
		err = trustmark.Errorf(trustmark.ENotFound, "id", "no watch with id %q", id)
	}
	if err != nil {
		thttp.Error(w, r, err)
		return nil, false
	}
	return wa, true
}

func (h *Handler) getWatch(w http.ResponseWriter, r *http.Request) {
	if wa, ok := h.ownWatch(w, r); ok {
		thttp.WriteJSON(w, http.StatusOK, wa)
	}
}

func (h *Handler) deleteWatch(w http.ResponseWriter, r *http.Request) {
	wa, ok := h.ownWatch(w, r)
	if !ok {
		return
	}
	if err := h.cfg.Watches.DeleteWatch(r.Context(), wa.ID); err != nil {
		thttp.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// WatchItemsRequest is the body of POST /api/v1/watches/{id}/items.
type WatchItemsRequest struct {
	Add    []string `json:"add"`
	Remove []string `json:"remove"`
}

func parseWatchItems(field string, list []string) ([]WatchItem, error) {
	if len(list) > MaxWatchItems {
		return nil, trustmark.Errorf(trustmark.ETooLarge, field, "%s has %d entries; at most %d per call", field, len(list), MaxWatchItems)
	}
	out := make([]WatchItem, 0, len(list))
	for i, s := range list {
		it, err := ParseWatchItem(s)
		if err != nil {
			return nil, trustmark.Errorf(trustmark.EInvalid, field+"["+strconv.Itoa(i)+"]", "%s", trustmark.ErrorMessage(err))
		}
		out = append(out, it)
	}
	return out, nil
}

func (h *Handler) updateWatchItems(w http.ResponseWriter, r *http.Request) {
	wa, ok := h.ownWatch(w, r)
	if !ok {
		return
	}
	var req WatchItemsRequest
	if err := thttp.DecodeJSON(r, &req); err != nil {
		thttp.Error(w, r, err)
		return
	}
	add, err := parseWatchItems("add", req.Add)
	if err != nil {
		thttp.Error(w, r, err)
		return
	}
	remove, err := parseWatchItems("remove", req.Remove)
	if err != nil {
		thttp.Error(w, r, err)
		return
	}
	n, err := h.cfg.Watches.UpdateWatchItems(r.Context(), wa.ID, add, remove)
	if err != nil {
		thttp.Error(w, r, err)
		return
	}
	thttp.WriteJSON(w, http.StatusOK, struct {
		ID    string `json:"id"`
		Count int    `json:"count"`
	}{wa.ID, n})
}

func (h *Handler) watchDeliveries(w http.ResponseWriter, r *http.Request) {
	wa, ok := h.ownWatch(w, r)
	if !ok {
		return
	}
	list, err := h.cfg.Watches.Deliveries(r.Context(), wa.ID, 100)
	if err != nil {
		thttp.Error(w, r, err)
		return
	}
	thttp.WriteJSON(w, http.StatusOK, struct {
		Items []*Delivery `json:"items"`
	}{list})
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
