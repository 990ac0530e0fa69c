package http

import (
	"encoding/json"
	nethttp "net/http"
	"strings"

	"trustmark"
	"trustmark/access"
	"trustmark/campaign"
	"trustmark/draw"
	"trustmark/translog"
)

// Inspection campaigns ("double random, one public"): the public reads of
// CONTRACT.md and a regulator's writes. Every write is decided by
// access.Decide and package campaign; the store keeps it with its events.

func (s *Server) registerCampaigns() {
	for _, rt := range []struct {
		pattern string
		h       nethttp.HandlerFunc
	}{
		{"GET /api/v1/campaigns", s.listCampaigns},
		{"POST /api/v1/campaigns", s.createCampaign},
		{"GET /api/v1/campaigns/{id}", s.getCampaign},
		{"GET /api/v1/campaigns/{id}/history", s.campaignHistory},
		{"POST /api/v1/campaigns/{id}/random", s.recordCampaignRandom},
		{"POST /api/v1/campaigns/{id}/draws", s.drawCampaign},
		{"POST /api/v1/campaigns/{id}/recusals", s.recuseCampaign},
		{"GET /api/v1/campaigns/{id}/commitment", s.campaignCommitment},
		{"POST /api/v1/campaigns/{id}/findings", s.recordFinding},
		{"GET /api/v1/campaigns/{id}/findings", s.campaignFindings},
		{"POST /api/v1/campaigns/{id}/publications", s.publishResults},
	} {
		s.handle(rt.pattern, rt.h)
	}
}

// campaigns returns the store's campaigns, or the refusal of a store that
// keeps none.
// pathCampaign loads the campaign the path's {id} names, with the store
// that holds it.
func (s *Server) pathCampaign(r *nethttp.Request) (campaign.Store, *campaign.Campaign, error) {
	id, err := pathValue(r, "id")
	if err != nil {
		return nil, nil, err
	}
	cs, err := s.campaigns()
	if err != nil {
		return nil, nil, err
	}
	c, err := cs.Campaign(r.Context(), id)
	return cs, c, err
}

func (s *Server) campaigns() (campaign.Store, error) {
	cs, ok := s.cfg.Store.(campaign.Store)
	if !ok {
		return nil, trustmark.Errorf(trustmark.EUnavailable, "", "this server keeps no inspection campaigns")
	}
	return cs, nil
}

// CampaignItemJSON is a campaign in a list.
type CampaignItemJSON struct {
	ID               string          `json:"id"`
	Name             string          `json:"name"`
	Region           string          `json:"region"`
	Status           campaign.Status `json:"status"`
	SubjectKind      string          `json:"subject_kind"`
	Method           string          `json:"method"`
	Deadline         trustmark.Date  `json:"deadline"`
	CreatedAt        string          `json:"created_at"`
	CommitmentSHA256 string          `json:"commitment_sha256"`
}

// CampaignListJSON is a page of campaigns.
type CampaignListJSON struct {
	Items      []CampaignItemJSON `json:"items"`
	NextCursor string             `json:"next_cursor,omitempty"`
}

// CampaignJSON is a published campaign: its definition, its commitment (the
// canonical bytes whose SHA-256 the log holds: in full up to
// campaign.InlineCommitment bytes, and always downloadable at
// commitment_url), the random value and where it came from, the draw with
// its teams and recusals, every draw attempt, and the inspection results as
// they are published.
type CampaignJSON struct {
	*campaign.Campaign
	CommitmentText string            `json:"commitment"`
	CommitmentURL  string            `json:"commitment_url"`
	Results        []campaign.Result `json:"results"`
	Verify         string            `json:"verify"`
}

func (s *Server) listCampaigns(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := parseQuery(r, "status", "limit", "cursor")
	status, limit, cursor := q.str("status"), q.limit(), q.str("cursor")
	if q.err != nil {
		Error(w, r, q.err)
		return
	}
	switch campaign.Status(status) {
	case "", campaign.Committed, campaign.Seeded, campaign.Drawn, campaign.Published:
	default:
		Error(w, r, trustmark.Errorf(trustmark.EInvalid, "status", "status %q is not committed, seeded, drawn or published", status))
		return
	}
	cs, err := s.campaigns()
	if err != nil {
		Error(w, r, err)
		return
	}
	page, next, err := cs.Campaigns(r.Context(), campaign.Filter{Status: campaign.Status(status), Limit: limit, Cursor: cursor})
	if err != nil {
		Error(w, r, err)
		return
	}
	out := CampaignListJSON{Items: make([]CampaignItemJSON, 0, len(page)), NextCursor: next}
	for _, c := range page {
		out.Items = append(out.Items, CampaignItemJSON{ID: c.ID, Name: c.Name, Region: c.Region, Status: c.Status,
			SubjectKind: c.SubjectKind, Method: c.Method, Deadline: c.Deadline,
			CreatedAt: c.CreatedAt.Format("2006-01-02T15:04:05.000000Z07:00"), CommitmentSHA256: c.CommitmentSHA256})
	}
	WriteJSON(w, nethttp.StatusOK, out)
}

func (s *Server) getCampaign(w nethttp.ResponseWriter, r *nethttp.Request) {
	cs, c, err := s.pathCampaign(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	id := c.ID
	fs, err := cs.Findings(r.Context(), id, true)
	if err != nil {
		Error(w, r, err)
		return
	}
	out := campaignJSON(c)
	for i := range fs {
		out.Results = append(out.Results, fs[i].Public())
	}
	WriteJSON(w, nethttp.StatusOK, out)
}

func campaignJSON(c *campaign.Campaign) CampaignJSON {
	return CampaignJSON{Campaign: c, CommitmentText: string(c.Commitment), CommitmentURL: campaign.CommitmentPath(c.ID),
		Results: []campaign.Result{}, Verify: "trustmark draw verify --log URL/log --key VKEY " + c.ID}
}

// campaignHistory answers from the store's events, without proofs; the log
// engine replaces it (MountLog) with one that adds inclusion proofs.
func (s *Server) campaignHistory(w nethttp.ResponseWriter, r *nethttp.Request) {
	id, err := pathValue(r, "id")
	if err != nil {
		Error(w, r, err)
		return
	}
	events, err := s.cfg.Store.Events(r.Context(), trustmark.EventFilter{Entity: campaign.EntityCampaign, Key: id, After: -1, Limit: maxHistory})
	if err != nil {
		Error(w, r, err)
		return
	}
	if len(events) == 0 {
		Error(w, r, trustmark.Errorf(trustmark.ENotFound, "id", "no campaign %s", id))
		return
	}
	out := HistoryJSON{Items: make([]EventJSON, 0, len(events))}
	for _, e := range events {
		out.Items = append(out.Items, EventJSON{LogIndex: e.Seq, Event: e})
	}
	WriteJSON(w, nethttp.StatusOK, out)
}

// campaignLogHistory serves a campaign's events with inclusion proofs
// (translog.History), what `trustmark draw verify` checks.
func (s *Server) campaignLogHistory(l *translog.Log) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		id, err := pathValue(r, "id")
		if err != nil {
			Error(w, r, err)
			return
		}
		h, err := l.History(r.Context(), s.cfg.Store, campaign.EntityCampaign, id, false)
		if err == nil && len(h.Items) == 0 {
			err = trustmark.Errorf(trustmark.ENotFound, "id", "no campaign %s", id)
		}
		if err != nil {
			Error(w, r, logError(err))
			return
		}
		w.Header().Set("Cache-Control", cacheNone)
		WriteJSON(w, nethttp.StatusOK, h)
	})
}

// CampaignRequest is a regulator's new campaign with its frozen inputs.
type CampaignRequest struct {
	ID          string                        `json:"id"`
	Name        string                        `json:"name"`
	Region      string                        `json:"region"`
	SubjectKind string                        `json:"subject_kind"`
	Filters     map[string]string             `json:"filters"`
	Rates       map[draw.Class]draw.Permyriad `json:"rates"`
	Checklist   []string                      `json:"checklist"`
	Method      string                        `json:"method"`
	TeamSize    int                           `json:"team_size"`
	Deadline    trustmark.Date                `json:"deadline"`
	RepeatDays  int                           `json:"repeat_days"`
	DrawnOn     trustmark.Date                `json:"drawn_on"`
	// Eligible is "registry" to take the eligible list and the inspector
	// pool from the registry as it stands (subjects and inspectors then
	// stay empty), "" to give them in the request. DefaultClass is the
	// class of registry subjects with neither a risk class nor adverse
	// credit (default A).
	Eligible     string     `json:"eligible"`
	DefaultClass draw.Class `json:"default_class"`
	Seed         struct {
		Kind    draw.SeedKind `json:"kind"`
		Round   uint64        `json:"round"`
		Lottery string        `json:"lottery"`
		Sources int           `json:"sources"`
	} `json:"seed"`
	Subjects []struct {
		ID     string     `json:"id"`
		Class  draw.Class `json:"class"`
		Region string     `json:"region"`
		Unit   string     `json:"unit"`
	} `json:"subjects"`
	Inspectors []struct {
		ID     string `json:"id"`
		Region string `json:"region"`
		Unit   string `json:"unit"`
		Banned bool   `json:"banned"`
	} `json:"inspectors"`
	Conflicts []struct {
		Inspector string `json:"inspector"`
		Subject   string `json:"subject"`
	} `json:"conflicts"`
	Past []struct {
		Inspector string         `json:"inspector"`
		Subject   string         `json:"subject"`
		On        trustmark.Date `json:"on"`
	} `json:"past"`
}

// parts returns the campaign and its commitment.
func (q *CampaignRequest) parts() (*campaign.Campaign, *draw.Commitment) {
	c := &campaign.Campaign{ID: q.ID, Name: q.Name, Region: q.Region, SubjectKind: q.SubjectKind, Filters: q.Filters,
		Rates: q.Rates, Checklist: q.Checklist, Method: q.Method, TeamSize: q.TeamSize, Deadline: q.Deadline}
	com := &draw.Commitment{Campaign: q.ID, TeamSize: q.TeamSize, RepeatDays: q.RepeatDays, DrawnOn: q.DrawnOn, Rates: q.Rates,
		Seed: draw.SeedSpec{Kind: q.Seed.Kind, Round: q.Seed.Round, Lottery: q.Seed.Lottery, Sources: q.Seed.Sources}}
	if q.Seed.Kind == draw.SeedDrand {
		com.Seed.Chain = draw.Quicknet().Hash
	}
	for _, x := range q.Subjects {
		com.Subjects = append(com.Subjects, draw.Subject{ID: x.ID, Class: x.Class, Region: x.Region, Unit: x.Unit})
	}
	for _, x := range q.Inspectors {
		com.Inspectors = append(com.Inspectors, draw.Inspector{ID: x.ID, Region: x.Region, Unit: x.Unit, Banned: x.Banned})
	}
	for _, x := range q.Conflicts {
		com.Conflicts = append(com.Conflicts, draw.Pair{Inspector: x.Inspector, Subject: x.Subject})
	}
	for _, x := range q.Past {
		com.Past = append(com.Past, draw.Past{Inspector: x.Inspector, Subject: x.Subject, On: x.On})
	}
	return c, com
}

// campaignCaller resolves the caller and asks access.Decide whether it may
// take action in region.
func (s *Server) campaignCaller(r *nethttp.Request, action access.Action, region string) (trustmark.Party, error) {
	c, err := s.auth.Resolve(r)
	if err != nil {
		return trustmark.Party{}, err
	}
	if _, _, err := c.Decide(action, access.Target{Region: region}); err != nil {
		return trustmark.Party{}, err
	}
	return c.Party, nil
}

func (s *Server) createCampaign(w nethttp.ResponseWriter, r *nethttp.Request) {
	cs, err := s.campaigns()
	if err != nil {
		Error(w, r, err)
		return
	}
	var req CampaignRequest
	if err := DecodeJSON(r, &req); err != nil {
		Error(w, r, err)
		return
	}
	actor, err := s.campaignCaller(r, access.CampaignCreate, req.Region)
	if err != nil {
		Error(w, r, err)
		return
	}
	if req.ID == "" {
		req.ID = "C" + s.cfg.Clock().UTC().Format("20060102") + "-" + strings.ToUpper(randomHex(4))
	}
	c, com := req.parts()
	switch req.Eligible {
	case "":
		err = cs.CreateCampaign(r.Context(), c, com, actor)
	case "registry":
		if len(req.Subjects) > 0 || len(req.Inspectors) > 0 {
			err = trustmark.Errorf(trustmark.EInvalid, "subjects", "a campaign whose eligible list comes from the registry gives no subjects or inspectors")
			break
		}
		err = cs.CreateFromRegistry(r.Context(), c, campaign.RegistrySpec{Seed: com.Seed, RepeatDays: com.RepeatDays,
			DrawnOn: com.DrawnOn, DefaultClass: req.DefaultClass, Conflicts: com.Conflicts}, actor)
	default:
		err = trustmark.Errorf(trustmark.EInvalid, "eligible", "eligible %q is not \"registry\" or empty", req.Eligible)
	}
	if err != nil {
		Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/campaigns/"+c.ID)
	WriteJSON(w, nethttp.StatusCreated, campaignJSON(c))
}

// RandomRequest is the public random value of a campaign: a drand beacon as
// a relay publishes it, or the lottery results, one list of numbers per
// source in the committed order.
type RandomRequest struct {
	Kind    draw.SeedKind   `json:"kind"`
	Beacon  json.RawMessage `json:"beacon"`
	Lottery [][]uint64      `json:"lottery"`
}

// campaignWrite runs a regulator's write on campaign id: the caller must be
// allowed action in the campaign's region.
func (s *Server) campaignWrite(w nethttp.ResponseWriter, r *nethttp.Request, action access.Action, body any,
	write func(cs campaign.Store, id string, actor trustmark.Party) (*campaign.Campaign, error)) {
	id, err := pathValue(r, "id")
	if err != nil {
		Error(w, r, err)
		return
	}
	cs, err := s.campaigns()
	if err != nil {
		Error(w, r, err)
		return
	}
	if body != nil {
		if err := DecodeJSON(r, body); err != nil {
			Error(w, r, err)
			return
		}
	}
	c, err := cs.Campaign(r.Context(), id)
	if err != nil {
		Error(w, r, err)
		return
	}
	actor, err := s.campaignCaller(r, action, c.Region)
	if err != nil {
		Error(w, r, err)
		return
	}
	if c, err = write(cs, id, actor); err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, campaignJSON(c))
}

func (s *Server) recordCampaignRandom(w nethttp.ResponseWriter, r *nethttp.Request) {
	var req RandomRequest
	s.campaignWrite(w, r, access.CampaignDraw, &req, func(cs campaign.Store, id string, actor trustmark.Party) (*campaign.Campaign, error) {
		return cs.RecordRandom(r.Context(), id, campaign.RandomData{Kind: req.Kind, Beacon: req.Beacon, Lottery: req.Lottery}, actor)
	})
}

func (s *Server) drawCampaign(w nethttp.ResponseWriter, r *nethttp.Request) {
	s.campaignWrite(w, r, access.CampaignDraw, nil, func(cs campaign.Store, id string, actor trustmark.Party) (*campaign.Campaign, error) {
		return cs.DrawCampaign(r.Context(), id, actor)
	})
}

// RecusalRequest is an inspector stepping down from a drawn subject.
type RecusalRequest struct {
	Subject   string `json:"subject"`
	Inspector string `json:"inspector"`
	Reason    string `json:"reason"`
}

func (s *Server) recuseCampaign(w nethttp.ResponseWriter, r *nethttp.Request) {
	var req RecusalRequest
	s.campaignWrite(w, r, access.CampaignDraw, &req, func(cs campaign.Store, id string, actor trustmark.Party) (*campaign.Campaign, error) {
		return cs.RecuseCampaign(r.Context(), id, req.Subject, req.Inspector, req.Reason, actor)
	})
}
