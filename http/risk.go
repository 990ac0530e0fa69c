package http

import (
	nethttp "net/http"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	"trustmark/credit"
	"trustmark/risk"
)

// RiskAccess is the action every read of risk is decided under: scores,
// warnings, reports and the rules (access.Matrix has it for regulators of
// the region).
const RiskAccess = access.RiskView

// RiskSubjectJSON is a subject's score with its explanation, history and
// warnings (GET /api/v1/risk/subjects/{kind}/{id}).
type RiskSubjectJSON struct {
	risk.Record
	History  []risk.Point  `json:"history"`
	Warnings []risk.Raised `json:"warnings"`
}

func (s *Server) riskStore() (risk.Store, error) {
	return storeFor[risk.Store](s, "risk scores")
}

// RiskRegion returns the region a caller's risk view is of: region when
// given, else the region of the caller's first regulator role; and the
// refusal when the caller may not see it (ViewRegion with RiskAccess).
func RiskRegion(c *Caller, region string) (string, error) {
	return ViewRegion(c, RiskAccess, region)
}

// ViewRegion returns the region a caller's view of a region is of: region
// when given, else the region of the caller's first regulator role; and the
// refusal when the caller may not take action a on it (access.Decide,
// region scope). Risk views decide access.RiskView, the region pages
// access.StatisticsViewRegion.
func ViewRegion(c *Caller, a access.Action, region string) (string, error) {
	if region == "" {
		for _, r := range c.Roles {
			if r.Kind == account.Regulator {
				region = r.ID
				break
			}
		}
	}
	if _, _, err := c.Decide(a, access.Target{Region: region}); err != nil {
		return "", err
	}
	return region, nil
}

// riskSubjects answers GET /api/v1/risk/subjects?region=&kind=&class=: the
// scored subjects of a region the caller governs, highest risk first.
func (s *Server) riskSubjects(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := parseQuery(r, "region", "kind", "class", "limit", "cursor")
	f := risk.Filter{Region: q.region("region"), Kind: credit.SubjectKind(q.str("kind")), Class: risk.Class(q.str("class")),
		Cursor: q.str("cursor"), Limit: q.limit()}
	if q.err != nil {
		Error(w, r, q.err)
		return
	}
	if f.Kind != "" && !f.Kind.Valid() {
		Error(w, r, trustmark.Invalidf("risk.subject_kind", "kind", "%q is not a kind of subject (body, lab, person, org)", f.Kind))
		return
	}
	if f.Class != "" && !f.Class.Valid() {
		Error(w, r, trustmark.Invalidf("risk.class", "class", "%q is not a risk class (A, B, C, D)", f.Class))
		return
	}
	rs, err := s.riskStore()
	if err != nil {
		Error(w, r, err)
		return
	}
	c, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	if f.Region, err = RiskRegion(c, f.Region); err != nil {
		Error(w, r, err)
		return
	}
	items, next, err := rs.RiskSubjects(r.Context(), f)
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, listJSON[risk.Record]{Items: items, NextCursor: next})
}

// riskSubject answers GET /api/v1/risk/subjects/{kind}/{id}: one subject's
// score, every signal's weight, decay and contribution, its history and its
// warnings, to a regulator of the subject's region.
func (s *Server) riskSubject(w nethttp.ResponseWriter, r *nethttp.Request) {
	subj := credit.Subject{Kind: credit.SubjectKind(r.PathValue("kind")), ID: r.PathValue("id")}
	if !subj.Kind.Valid() {
		Error(w, r, trustmark.Invalidf("risk.subject_kind", "kind", "%q is not a kind of subject (body, lab, person, org)", subj.Kind))
		return
	}
	rs, err := s.riskStore()
	if err != nil {
		Error(w, r, err)
		return
	}
	c, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	rec, hist, warns, err := rs.RiskSubject(r.Context(), subj)
	if err != nil {
		Error(w, r, err)
		return
	}
	if _, _, err := c.Decide(RiskAccess, access.Target{Region: rec.Region}); err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, RiskSubjectJSON{Record: rec, History: hist, Warnings: warns})
}
