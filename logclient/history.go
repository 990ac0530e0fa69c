package logclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/transparency-dev/tessera/client"

	"trustmark/translog"
)

// checkHistory checks the certificate's history as the API shows it: its
// checkpoint signed and consistent with the log's, and each of its events
// included in the log. It returns the log's checkpoint the events were
// proved in (a later one than cp when an event was not yet in cp), how many
// events were proved, and their log indices.
func (c *checker) checkHistory(cp *translog.Checkpoint) (latest *translog.Checkpoint, events int, shown map[uint64]bool, err error) {
	u := c.historyURL()
	h, raw, err := fetchHistory(c.ctx, c.o.HTTP, u)
	if err != nil {
		return nil, 0, nil, err
	}
	// The server's view: its history's checkpoint must be signed and
	// consistent with the log's.
	hcp, err := translog.ParseCheckpoint([]byte(h.Checkpoint), c.o.Verifier)
	if err != nil {
		return nil, 0, nil, failf("FAIL history: the checkpoint in the history of %s does not verify with key %s: %v", c.o.Cert, c.o.Verifier.Name(), err)
	}
	if cp, err = c.awaitEvents(h, cp); err != nil {
		return nil, 0, nil, err
	}
	older, newer := hcp, cp
	if hcp.Size > cp.Size {
		older, newer = cp, hcp
	}
	if err := c.consistent(older, newer, "history"); err != nil {
		return nil, 0, nil, err
	}
	if events, err = c.proveIncluded(h, cp); err != nil {
		return nil, 0, nil, err
	}
	if len(h.Items) == 0 {
		return nil, 0, nil, failf("FAIL history of %s: no events recorded", c.o.Cert)
	}
	if _, err := translog.VerifyHistory(raw, c.o.Verifier, true); err != nil {
		return nil, 0, nil, failf("FAIL history of %s: %v", c.o.Cert, err)
	}
	shown = make(map[uint64]bool, len(h.Items))
	for _, he := range h.Items {
		shown[he.LogIndex] = true
	}
	return cp, events, shown, nil
}

// historyURL is where the API serves the certificate's history.
func (c *checker) historyURL() string {
	api := c.o.APIURL
	if api == "" {
		api = trimLogPath(c.o.LogURL)
	}
	return api + "/api/v1/certificates/" + url.PathEscape(c.o.Cert) + "/history"
}

// awaitEvents returns a checkpoint, consistent with cp, that holds every
// event of h: an event just recorded may not be in a checkpoint yet, so
// the log's checkpoint is fetched again for up to o.Wait.
func (c *checker) awaitEvents(h *history, cp *translog.Checkpoint) (*translog.Checkpoint, error) {
	for _, he := range h.Items {
		if he.LogIndex < cp.Size {
			continue
		}
		deadline := time.Now().Add(c.o.Wait)
		for he.LogIndex >= cp.Size && time.Now().Before(deadline) {
			time.Sleep(500 * time.Millisecond)
			next, err := c.fetchCheckpoint()
			if err != nil {
				return nil, err
			}
			if err := c.consistent(cp, next, "consistency"); err != nil {
				return nil, err
			}
			cp = next
		}
		if he.LogIndex >= cp.Size {
			return nil, failf("FAIL event %d of %s: recorded but still not in a checkpoint after %s (the log has %d entries)", he.LogIndex, c.o.Cert, c.o.Wait, cp.Size)
		}
	}
	return cp, nil
}

// proveIncluded proves each event of h included in the tree of cp, with
// proofs built from the log's tiles, and returns how many it proved.
func (c *checker) proveIncluded(h *history, cp *translog.Checkpoint) (int, error) {
	pb, err := client.NewProofBuilder(c.ctx, cp.Size, c.f.ReadTile)
	if err != nil {
		return 0, err
	}
	n := 0
	for i, he := range h.Items {
		view := h.views[i]
		entry := []byte(he.Entry)
		p, err := pb.InclusionProof(c.ctx, he.LogIndex)
		if err != nil {
			return 0, failf("FAIL event %d of %s: cannot build its inclusion proof from the log's tiles: %v", he.LogIndex, c.o.Cert, err)
		}
		if err := translog.VerifyInclusion(he.LogIndex, cp.Size, translog.LeafHash(entry), p, cp.Root); err != nil {
			return 0, failf("FAIL event %d of %s (%s): the entry the server shows is not the log's entry %d: it was removed or rewritten (%v)", he.LogIndex, c.o.Cert, view.Action, he.LogIndex, err)
		}
		c.say("ok   event %d: %s %s %s at %s, included", he.LogIndex, he.Event.Entity, he.Event.Key, view.Action, he.Event.At)
		n++
	}
	return n, nil
}

// history is a History as fetched, with what each entry says (parsed here,
// not taken from the server's fields).
type history struct {
	translog.History
	views []*translog.EntryView
}

func fetchHistory(ctx context.Context, c *http.Client, u string) (*history, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("fetching the history: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode == http.StatusNotFound {
		return nil, nil, failf("FAIL history: %s: no such certificate (404)", u)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("fetching %s: %s: %s", u, resp.Status, bytes.TrimSpace(raw))
	}
	var h history
	if err := json.Unmarshal(raw, &h.History); err != nil {
		return nil, nil, failf("FAIL history: %s is not a history document: %v", u, err)
	}
	for i := range h.Items {
		v, err := translog.ParseEntry([]byte(h.Items[i].Entry))
		if err != nil {
			return nil, nil, failf("FAIL history: event %d: %v", h.Items[i].LogIndex, err)
		}
		h.views = append(h.views, v) // what the entry says, not what the server says it says
	}
	return &h, raw, nil
}
