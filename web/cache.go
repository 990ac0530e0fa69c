package web

import (
	"context"
	"sync"
	"time"

	"trustmark"
)

// cacheTTL is how long the list of bodies and the headline counts are
// reused. Both change rarely and are costly to compute at national scale.
const cacheTTL = time.Minute

// registryCache keeps the few registry-wide answers the pages need often.
type registryCache struct {
	mu       sync.Mutex // guards bodies and stats, held while one reloads
	bodies   []*trustmark.Body
	bodiesAt time.Time
	stats    *trustmark.Stats
	statsAt  time.Time

	// The QR codes have a lock of their own (qr.go): certificate pages must
	// not wait behind a reload of the bodies or the counts.
	qr qrCache
}

// allBodies returns every certification body (about a thousand nationally).
func (h *Handler) allBodies(ctx context.Context) ([]*trustmark.Body, error) {
	c := h.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	now := h.cfg.Clock()
	if c.bodies != nil && now.Sub(c.bodiesAt) < cacheTTL && !now.Before(c.bodiesAt) {
		return c.bodies, nil
	}
	var all []*trustmark.Body
	f := trustmark.PartyFilter{Limit: 1000}
	for {
		page, err := h.cfg.Store.Bodies(ctx, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	c.bodies, c.bodiesAt = all, now
	return all, nil
}

func (h *Handler) stats(ctx context.Context) (*trustmark.Stats, error) {
	c := h.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	now := h.cfg.Clock()
	if c.stats != nil && now.Sub(c.statsAt) < cacheTTL && !now.Before(c.statsAt) {
		return c.stats, nil
	}
	s, err := h.cfg.Store.Stats(ctx)
	if err != nil {
		return nil, err
	}
	c.stats, c.statsAt = &s, now
	return &s, nil
}
