package stateaudit

import (
	"context"

	"trustmark"
	"trustmark/campaign"
)

// Campaigns of inspections are audited like the registry's tables: each
// campaign's events, replayed by campaign.Replay, imply its rows (the
// campaign, its draw's picks, recusals and attempts, its commitment
// document, its findings and publications), and campaign.Compare names each
// field that differs. A campaign is one record: one pass walks the ids that
// have a row or an event, a few campaigns per snapshot, so that a row with
// no event (Unexplained) and events with no row (Missing) are both found.

// CampaignTable is the campaigns' line in Tables.
var CampaignTable = Table{"campaigns", campaign.EntityCampaign}

// campaignChunk is how many campaigns one snapshot reads: a national
// campaign's draw is tens of thousands of rows.
const campaignChunk = 10

// CampaignSnapshot is a snapshot that keeps campaigns.
type CampaignSnapshot interface {
	// CampaignKeys returns the ids after after, at most max, in order, of
	// the campaigns with a row or an event.
	CampaignKeys(ctx context.Context, after string, max int) ([]string, error)
	// CampaignEvents returns campaign id's events in order.
	CampaignEvents(ctx context.Context, id string) ([]trustmark.Event, error)
	// StoredCampaign returns campaign id as its tables hold it, nil when it
	// has no row.
	StoredCampaign(ctx context.Context, id string) (*campaign.Stored, error)
}

// auditCampaigns checks the next campaigns after after; a snapshot that
// keeps no campaigns has none to check.
func auditCampaigns(ctx context.Context, s trustmark.StateSnapshot, t Table, after string) (result, string, error) {
	cs, ok := s.(CampaignSnapshot)
	if !ok {
		return result{end: true}, "", nil
	}
	ids, err := cs.CampaignKeys(ctx, after, campaignChunk)
	if err != nil {
		return result{}, "", err
	}
	res := result{checked: len(ids), end: len(ids) < campaignChunk}
	for _, id := range ids {
		after = id
		res.keys = append(res.keys, id)
		found, err := auditCampaign(ctx, cs, t, id)
		if err != nil {
			return result{}, "", err
		}
		res.found = append(res.found, found...)
	}
	return res, after, nil
}

func auditCampaign(ctx context.Context, cs CampaignSnapshot, t Table, id string) ([]Difference, error) {
	evs, err := cs.CampaignEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	stored, err := cs.StoredCampaign(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case len(evs) == 0:
		return []Difference{{Table: t.Name, Key: id, Kind: Unexplained, Seq: -1}}, nil
	case stored == nil:
		return []Difference{{Table: t.Name, Key: id, Kind: Missing, Seq: evs[len(evs)-1].Seq}}, nil
	}
	im, err := campaign.Replay(evs)
	if err != nil {
		return []Difference{{Table: t.Name, Key: id, Kind: Unreadable, Seq: evs[len(evs)-1].Seq, Detail: err.Error()}}, nil
	}
	var out []Difference
	for _, d := range campaign.Compare(stored, im) {
		out = append(out, Difference{Table: t.Name, Key: id, Kind: Changed, Field: d.Field, Stored: d.Stored, Implied: d.Implied, Seq: im.Seq})
	}
	return out, nil
}
