package web

import (
	"context"
	"net/http"
	"net/url"

	"trustmark"
	"trustmark/campaign"
)

// The list of inspection campaigns (/campaigns): every campaign committed,
// newest first, each linked to its page (/campaigns/{id}), filtered by
// status, a page of campaignRows at a time. Like the API's GET
// /api/v1/campaigns it is public: a campaign is public from its
// commitment on.

// campaignRows is the number of campaigns a page lists.
const campaignRows = 50

// campaignLister lists campaigns; the store implements it.
type campaignLister interface {
	Campaigns(ctx context.Context, f campaign.Filter) ([]campaign.Campaign, string, error)
}

// CampaignsPage is the list of campaigns.
type CampaignsPage struct {
	Page
	Status   string
	Statuses []Option
	Rows     []CampaignRow
	Next     string // the next page's address, "" on the last
}

// CampaignRow is one campaign of the list.
type CampaignRow struct {
	ID, URL, Name, Region, Kind, Status, Deadline string
}

// campaignsParams are the parameters the list takes.
var campaignsParams = []string{"status", "cursor", "lang"}

func (h *Handler) campaignsPage(w http.ResponseWriter, r *http.Request) {
	src, ok := h.cfg.Store.(campaignLister)
	if !ok {
		h.fail(w, r, trustmark.Errorf(trustmark.EUnavailable, "", "the portal keeps no inspection campaigns"))
		return
	}
	p := &CampaignsPage{Page: h.newPage(r, "")}
	t := &p.T.Campaign
	p.Title = t.ListTitle
	q := r.URL.Query()
	p.Status = q.Get("status")
	p.Statuses = []Option{{Value: "", Label: t.AnyStatus}}
	for _, s := range []campaign.Status{campaign.Committed, campaign.Seeded, campaign.Drawn, campaign.Published} {
		p.Statuses = append(p.Statuses, Option{Value: string(s), Label: t.Statuses[string(s)], Selected: string(s) == p.Status})
	}
	if err := checkPageQuery(q, campaignsParams, map[string][]string{"status": optionValues(p.Statuses)}); err != nil {
		h.fail(w, r, err)
		return
	}
	cs, next, err := src.Campaigns(r.Context(), campaign.Filter{Status: campaign.Status(p.Status), Limit: campaignRows, Cursor: q.Get("cursor")})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, c := range cs {
		p.Rows = append(p.Rows, CampaignRow{ID: c.ID, URL: "/campaigns/" + url.PathEscape(c.ID), Name: c.Name,
			Region: trustmark.DefaultRegions().FullNameIn(c.Region, p.T.Lang), Kind: t.Kinds[c.SubjectKind],
			Status: t.Statuses[string(c.Status)], Deadline: c.Deadline.String()})
	}
	if next != "" {
		v := url.Values{"cursor": {next}}
		if p.Status != "" {
			v.Set("status", p.Status)
		}
		p.Next = "/campaigns?" + v.Encode()
	}
	h.render(w, r, http.StatusOK, "campaigns", p)
}

// The list's template, parsed with the others.
func init() { pageTemplates = append(pageTemplates, "campaigns") }
