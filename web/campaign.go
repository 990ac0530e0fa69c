package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"trustmark"
	"trustmark/campaign"
	"trustmark/draw"
	"trustmark/locale"
)

// campaignSource reads published campaigns; the store implements it.
type campaignSource interface {
	Campaign(ctx context.Context, id string) (*campaign.Campaign, error)
	Findings(ctx context.Context, id string, published bool) ([]campaign.Finding, error)
}

// CampaignPage is a published inspection campaign (/campaigns/{id}): its
// definition, commitment, random source, draw and how to verify it.
type CampaignPage struct {
	Page
	C                          *campaign.Campaign
	Region, Kind, Method       string
	Status, Random             string
	Rates, Strata, Recusals    []string
	Attempts                   []string
	Picks                      []CampaignPick
	VerifyCommand, HistoryLink string
	// DownloadLink is the commitment document and DownloadSize its size.
	DownloadLink, DownloadSize string
	Results                    []CampaignResult
	Publications               []string
	// OpenDataLink is the published results as CSV, in the page's language.
	OpenDataLink string
}

// CampaignResult is one subject's published result: no personal data, the
// team being public in the draw and documents only by hash.
type CampaignResult struct {
	Subject, Class, Region, Method, Outcome, Items, Certificates string
	Concluded, Published, Due                                    string
	Problem                                                      bool
}

// CampaignPick is a drawn subject with its current team.
type CampaignPick struct {
	Subject, Class, Team string
}

func (h *Handler) campaignPage(w http.ResponseWriter, r *http.Request) {
	src, ok := h.cfg.Store.(campaignSource)
	if !ok {
		h.fail(w, r, trustmark.Errorf(trustmark.EUnavailable, "", "the portal keeps no inspection campaigns"))
		return
	}
	c, err := src.Campaign(r.Context(), r.PathValue("id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cp := h.campaignHead(r, c)
	t := &cp.T.Campaign
	results, err := src.Findings(r.Context(), c.ID, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	cp.Results = campaignResults(results, t, cp.T.Lang)
	cp.Publications = publicationLines(c.Publications, t)
	cp.Rates = rateLines(c.Rates)
	for _, a := range c.Attempts {
		cp.Attempts = append(cp.Attempts, fmt.Sprintf(t.AttemptFormat, a.N, a.At.Format("2006-01-02 15:04:05Z"), a.ResultSHA256))
	}
	if res := c.Result; res != nil {
		cp.describeDraw(res, t)
	}
	h.render(w, r, http.StatusOK, "campaign", cp)
}

// campaignHead is campaign c's page with its definition and the
// addresses to download and verify it from.
func (h *Handler) campaignHead(r *http.Request, c *campaign.Campaign) *CampaignPage {
	p := h.newPage(r, "")
	t := &p.T.Campaign
	p.Title = c.Name
	return &CampaignPage{Page: p, C: c, Region: trustmark.DefaultRegions().FullNameIn(c.Region, p.T.Lang),
		Kind: t.Kinds[c.SubjectKind], Method: t.Methods[c.Method], Status: t.Statuses[string(c.Status)],
		Random:        randomText(c.Random),
		VerifyCommand: "trustmark draw verify --log " + h.site.absolute(r, "/log") + " --key VKEY " + c.ID,
		HistoryLink:   "/api/v1/campaigns/" + c.ID + "/history",
		DownloadLink:  campaign.CommitmentPath(c.ID),
		DownloadSize:  strconv.FormatInt(c.CommitmentBytes, 10),
		OpenDataLink:  "/campaigns/" + url.PathEscape(c.ID) + "/results.csv?lang=" + url.QueryEscape(p.T.Lang),
	}
}

// publicationLines says what each publication of results held, and how
// late it came when it did.
func publicationLines(pubs []campaign.Publication, t *locale.CampaignMessages) []string {
	var lines []string
	for _, pb := range pubs {
		line := fmt.Sprintf(t.PublicationFormat, pb.N, pb.PublishedOn, pb.Subjects, pb.ResultsSHA256)
		if pb.Late > 0 {
			line += fmt.Sprintf(t.LateFormat, pb.Late)
		}
		lines = append(lines, line)
	}
	return lines
}

// rateLines are the sampling rates by class, in the order of the classes'
// names (a map has none of its own).
func rateLines(rates map[draw.Class]draw.Permyriad) []string {
	classes := make([]string, 0, len(rates))
	for cl := range rates {
		classes = append(classes, string(cl))
	}
	slices.Sort(classes)
	var lines []string
	for _, cl := range classes {
		lines = append(lines, cl+": "+percent(rates[draw.Class(cl)]))
	}
	return lines
}

// describeDraw adds what the draw gave: each stratum's counts, the drawn
// subjects with their teams, and the inspectors recused.
func (cp *CampaignPage) describeDraw(res *draw.Result, t *locale.CampaignMessages) {
	for _, s := range res.Strata {
		cp.Strata = append(cp.Strata, fmt.Sprintf(t.StratumFormat, s.Class, s.Eligible, s.Drawn, percent(s.Rate)))
	}
	for _, pk := range res.Picks {
		cp.Picks = append(cp.Picks, CampaignPick{Subject: pk.Subject, Class: string(pk.Class), Team: strings.Join(res.Team(pk.Subject), "、")})
	}
	for _, x := range res.Recusals {
		cp.Recusals = append(cp.Recusals, fmt.Sprintf(t.RecusalFormat, x.Subject, x.Inspector, x.Reason, x.Replacement))
	}
}

// campaignResults are the rows of the results table.
func campaignResults(fs []campaign.Finding, t *locale.CampaignMessages, lang string) []CampaignResult {
	out := make([]CampaignResult, 0, len(fs))
	for _, f := range fs {
		passed := 0
		for _, it := range f.Items {
			if it.Pass {
				passed++
			}
		}
		var certs []string
		for _, ca := range f.Certificates {
			certs = append(certs, ca.Certificate+" "+t.CertStatuses[string(ca.To)])
		}
		out = append(out, CampaignResult{Subject: f.Subject, Class: string(f.Class),
			Region: trustmark.DefaultRegions().FullNameIn(f.Region, lang), Method: t.Methods[f.Method],
			Outcome: t.Outcomes[string(f.Outcome)], Items: fmt.Sprintf(t.ItemsFormat, len(f.Items), passed),
			Certificates: strings.Join(certs, "、"), Concluded: f.ConcludedOn.String(), Published: f.PublishedOn.String(),
			Due: f.DueOn.String(), Problem: f.Outcome != campaign.NoProblem})
	}
	return out
}

// percent writes a rate in parts per ten thousand as a percentage.
func percent(p draw.Permyriad) string {
	s := fmt.Sprintf("%d.%02d", p/100, p%100)
	return strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(s, "0"), "0"), ".") + "%"
}

// randomText says where the random value came from and what it is.
func randomText(rd *campaign.RandomData) string {
	switch {
	case rd == nil:
		return ""
	case rd.Kind == draw.SeedDrand:
		return fmt.Sprintf("drand quicknet #%d · %s", rd.Round, rd.Value)
	}
	return fmt.Sprintf("RFC 3797 %s · %s", rd.Key, rd.Value)
}
