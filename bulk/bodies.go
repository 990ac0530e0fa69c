package bulk

import (
	"context"
	"sync"
	"time"

	"trustmark"
)

// bodyIndex is a snapshot of every certification body, by approval number
// and as the list trustmark.Explain reads to name an unknown number's
// possible issuers.
type bodyIndex struct {
	list []*trustmark.Body
	byNo map[string]*trustmark.Body
}

// bodyCache keeps a bodyIndex for ttl: there are a few hundred bodies and
// they change rarely, so one read a minute serves every verification.
type bodyCache struct {
	store trustmark.Store
	ttl   time.Duration
	clock trustmark.Clock

	mu     sync.Mutex
	index  *bodyIndex
	loaded time.Time
}

func (c *bodyCache) get(ctx context.Context) (*bodyIndex, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock()
	if c.index != nil && now.Sub(c.loaded) < c.ttl && !now.Before(c.loaded) {
		return c.index, nil
	}
	idx := &bodyIndex{byNo: map[string]*trustmark.Body{}}
	f := trustmark.PartyFilter{Limit: 1000}
	for {
		page, err := c.store.Bodies(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, b := range page.Items {
			idx.list = append(idx.list, b)
			idx.byNo[b.ApprovalNo] = b
		}
		if page.NextCursor == "" || len(page.Items) == 0 {
			break
		}
		f.Cursor = page.NextCursor
	}
	c.index, c.loaded = idx, now
	return idx, nil
}
