package http

import (
	"bufio"
	nethttp "net/http"
	"strconv"

	"trustmark"
	"trustmark/access"
	"trustmark/campaign"
)

// A campaign's commitment as a document, and the findings and publication
// that follow its draw.

// campaignCommitment streams the commitment's canonical bytes, whose
// SHA-256 the log holds; a national campaign's are tens of megabytes and
// are never held whole.
func (s *Server) campaignCommitment(w nethttp.ResponseWriter, r *nethttp.Request) {
	cs, c, err := s.pathCampaign(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	id := c.ID
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.FormatInt(c.CommitmentBytes, 10))
	h.Set("ETag", `"`+c.CommitmentSHA256+`"`)
	h.Set("Content-Disposition", `attachment; filename="`+id+`.commitment.txt"`)
	if r.Header.Get("If-None-Match") == `"`+c.CommitmentSHA256+`"` {
		w.WriteHeader(nethttp.StatusNotModified)
		return
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := cs.WriteCommitment(r.Context(), id, bw); err != nil {
		logger(r).Error("stream commitment", "campaign", id, "err", err) // headers are gone: the client sees a short body
		return
	}
	bw.Flush()
}

// FindingRequest is a regulator's record of one drawn subject's inspection.
type FindingRequest struct {
	Subject      string                       `json:"subject"`
	Method       string                       `json:"method"`
	Items        []campaign.ItemResult        `json:"items"`
	Outcome      campaign.Outcome             `json:"outcome"`
	Attachments  []string                     `json:"attachments"`
	Certificates []campaign.CertificateAction `json:"certificates"`
	RectifyDays  int                          `json:"rectify_days"`
	ConcludedOn  trustmark.Date               `json:"concluded_on"`
}

// recordFinding records a finding: the caller must be a regulator of the
// subject's region (as the draw stored it).
func (s *Server) recordFinding(w nethttp.ResponseWriter, r *nethttp.Request) {
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
	var req FindingRequest
	if err := DecodeJSON(r, &req); err != nil {
		Error(w, r, err)
		return
	}
	if req.Subject == "" {
		Error(w, r, trustmark.Errorf(trustmark.EInvalid, "subject", "a finding names its subject"))
		return
	}
	region, err := cs.PickRegion(r.Context(), id, req.Subject)
	if err != nil {
		Error(w, r, err)
		return
	}
	actor, err := s.campaignCaller(r, access.CampaignDraw, region)
	if err != nil {
		Error(w, r, err)
		return
	}
	f, err := cs.RecordFinding(r.Context(), id, campaign.Finding{Subject: req.Subject, Method: req.Method, Items: req.Items,
		Outcome: req.Outcome, Attachments: req.Attachments, Certificates: req.Certificates, RectifyDays: req.RectifyDays,
		ConcludedOn: req.ConcludedOn}, actor)
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusCreated, f)
}

// FindingListJSON is a campaign's findings, published or not, for its
// regulators.
type FindingListJSON struct {
	Items []campaign.Finding `json:"items"`
}

func (s *Server) campaignFindings(w nethttp.ResponseWriter, r *nethttp.Request) {
	var out FindingListJSON
	s.campaignRead(w, r, func(cs campaign.Store, id string) (any, error) {
		fs, err := cs.Findings(r.Context(), id, false)
		out.Items = fs
		return out, err
	})
}

// campaignRead answers a regulator's read of campaign id: the caller must be
// allowed to run campaigns in its region.
func (s *Server) campaignRead(w nethttp.ResponseWriter, r *nethttp.Request, read func(cs campaign.Store, id string) (any, error)) {
	cs, c, err := s.pathCampaign(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	id := c.ID
	if _, err := s.campaignCaller(r, access.CampaignDraw, c.Region); err != nil {
		Error(w, r, err)
		return
	}
	v, err := read(cs, id)
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, v)
}

// publishResults publishes the campaign's recorded, unpublished results;
// the caller must be a regulator of the campaign's region. It answers the
// publication.
func (s *Server) publishResults(w nethttp.ResponseWriter, r *nethttp.Request) {
	cs, c, err := s.pathCampaign(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	id := c.ID
	actor, err := s.campaignCaller(r, access.CampaignDraw, c.Region)
	if err != nil {
		Error(w, r, err)
		return
	}
	p, err := cs.PublishResults(r.Context(), id, actor)
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusCreated, p)
}
