package http

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	nethttp "net/http"
	"strconv"
	"time"

	"trustmark"
	"trustmark/webhook"
)

// Sizes of a watch's secret: long enough to sign with, short enough to
// store.
const (
	minSecretBytes = 16
	maxSecretBytes = 256
)

// WatchRequest is the body of POST /api/v1/watches.
type WatchRequest struct {
	URL    string   `json:"url"`
	Secret string   `json:"secret"` // optional: generated when empty
	Items  []string `json:"items"`
}

// WatchItemsRequest is the body of POST /api/v1/watches/{id}/items.
type WatchItemsRequest struct {
	Add    []string `json:"add"`
	Remove []string `json:"remove"`
}

// ParseWatchRequest checks a watch request and returns the watch it asks
// for (without ID, owner or time).
func ParseWatchRequest(req WatchRequest) (*trustmark.Watch, error) {
	u, err := webhook.CheckURL(req.URL)
	if err != nil {
		return nil, err
	}
	wa := &trustmark.Watch{URL: u, Secret: req.Secret}
	if n := len(req.Secret); n > 0 && (n < minSecretBytes || n > maxSecretBytes) {
		return nil, trustmark.Invalidf("watch.secret", "secret", "secret is %d bytes; want %d to %d (or none, and one is made for you)", n, minSecretBytes, maxSecretBytes)
	}
	switch n := len(req.Items); {
	case n == 0:
		return nil, trustmark.Invalidf("watch.items_empty", "items", "items is empty; list the certificate numbers and USCCs to watch")
	case n > trustmark.MaxWatchItems:
		return nil, trustmark.Reasonf(trustmark.ETooLarge, "watch.items_many", "items", "items has %d entries; at most %d per watch", n, trustmark.MaxWatchItems)
	}
	items, err := parseWatchItems("items", req.Items)
	if err != nil {
		return nil, err
	}
	seen := map[trustmark.WatchItem]bool{}
	for _, it := range items {
		if !seen[it] {
			seen[it] = true
			wa.Items = append(wa.Items, it)
		}
	}
	return wa, nil
}

// parseWatchItems reads the items of a list, each error naming its
// place in the list.
func parseWatchItems(field string, list []string) ([]trustmark.WatchItem, error) {
	if len(list) > trustmark.MaxWatchItems {
		return nil, trustmark.Reasonf(trustmark.ETooLarge, "watch.list_many", field, "%s has %d entries; at most %d per call", field, len(list), trustmark.MaxWatchItems)
	}
	out := make([]trustmark.WatchItem, 0, len(list))
	for i, s := range list {
		it, err := trustmark.ParseWatchItem(s)
		if err != nil {
			return nil, trustmark.WithField(err, field+"["+strconv.Itoa(i)+"]")
		}
		out = append(out, it)
	}
	return out, nil
}

// watchParty returns the party of a watch request: watches belong to the
// holder of an API token.
func (s *Server) watchParty(w nethttp.ResponseWriter, r *nethttp.Request) (trustmark.Party, bool) {
	if s.cfg.Watches == nil {
		Error(w, r, trustmark.Reasonf(trustmark.ENotFound, "watch.disabled", "", "watches are not enabled on this server"))
		return trustmark.Party{}, false
	}
	p, err := s.authenticate(r)
	if err != nil {
		Error(w, r, err)
		return trustmark.Party{}, false
	}
	return p, true
}

func (s *Server) createWatch(w nethttp.ResponseWriter, r *nethttp.Request) {
	p, ok := s.watchParty(w, r)
	if !ok {
		return
	}
	var req WatchRequest
	if err := DecodeJSON(r, &req); err != nil {
		Error(w, r, err)
		return
	}
	wa, err := ParseWatchRequest(req)
	if err != nil {
		Error(w, r, err)
		return
	}
	existing, err := s.cfg.Watches.Watches(r.Context(), p.String())
	if err != nil {
		Error(w, r, err)
		return
	}
	if len(existing) >= trustmark.MaxWatchesPerOwner {
		Error(w, r, trustmark.Reasonf(trustmark.EConflict, "watch.limit", "", "%s already has %d watches, the most allowed; delete one first", p, len(existing)))
		return
	}
	wa.ID = "w_" + randomHex(12)
	wa.Owner = p.String()
	wa.CreatedAt = s.cfg.Clock().UTC().Truncate(time.Microsecond)
	if wa.Secret == "" {
		b := make([]byte, 24)
		rand.Read(b)
		wa.Secret = base64.RawURLEncoding.EncodeToString(b)
	}
	if err := s.cfg.Watches.CreateWatch(r.Context(), wa); err != nil {
		Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/watches/"+wa.ID)
	WriteJSON(w, nethttp.StatusCreated, wa)
}

func (s *Server) listWatches(w nethttp.ResponseWriter, r *nethttp.Request) {
	p, ok := s.watchParty(w, r)
	if !ok {
		return
	}
	list, err := s.cfg.Watches.Watches(r.Context(), p.String())
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, struct {
		Items []*trustmark.Watch `json:"items"`
	}{list})
}

// ownWatch returns the caller's watch; another party's watch is not found,
// so that IDs reveal nothing.
func (s *Server) ownWatch(w nethttp.ResponseWriter, r *nethttp.Request) (*trustmark.Watch, bool) {
	p, ok := s.watchParty(w, r)
	if !ok {
		return nil, false
	}
	id := r.PathValue("id")
	wa, err := s.cfg.Watches.Watch(r.Context(), id)
	if err == nil && wa.Owner != p.String() {
		err = trustmark.Reasonf(trustmark.ENotFound, "watch.not_found", "id", "no watch with id %q", id)
	}
	if err != nil {
		Error(w, r, err)
		return nil, false
	}
	return wa, true
}

func (s *Server) getWatch(w nethttp.ResponseWriter, r *nethttp.Request) {
	if wa, ok := s.ownWatch(w, r); ok {
		WriteJSON(w, nethttp.StatusOK, wa)
	}
}

func (s *Server) deleteWatch(w nethttp.ResponseWriter, r *nethttp.Request) {
	wa, ok := s.ownWatch(w, r)
	if !ok {
		return
	}
	if err := s.cfg.Watches.DeleteWatch(r.Context(), wa.ID); err != nil {
		Error(w, r, err)
		return
	}
	w.WriteHeader(nethttp.StatusNoContent)
}

func (s *Server) updateWatchItems(w nethttp.ResponseWriter, r *nethttp.Request) {
	wa, ok := s.ownWatch(w, r)
	if !ok {
		return
	}
	var req WatchItemsRequest
	if err := DecodeJSON(r, &req); err != nil {
		Error(w, r, err)
		return
	}
	add, err := parseWatchItems("add", req.Add)
	if err != nil {
		Error(w, r, err)
		return
	}
	remove, err := parseWatchItems("remove", req.Remove)
	if err != nil {
		Error(w, r, err)
		return
	}
	n, err := s.cfg.Watches.UpdateWatchItems(r.Context(), wa.ID, add, remove)
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, struct {
		ID    string `json:"id"`
		Count int    `json:"count"`
	}{wa.ID, n})
}

func (s *Server) watchDeliveries(w nethttp.ResponseWriter, r *nethttp.Request) {
	wa, ok := s.ownWatch(w, r)
	if !ok {
		return
	}
	list, err := s.cfg.Watches.Deliveries(r.Context(), wa.ID, 100)
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, struct {
		Items []*trustmark.Delivery `json:"items"`
	}{list})
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
