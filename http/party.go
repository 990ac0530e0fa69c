package http

import (
	nethttp "net/http"
	"time"

	"trustmark"
)

// BodyJSON is a certification body as the API shows it. LastSubmission is
// when the body last sent data, so that a reader can tell a fake
// certificate from one not yet reported.
type BodyJSON struct {
	*trustmark.Body
	LastSubmission *time.Time `json:"last_submission,omitempty"`
}

// LabJSON is a laboratory as the API shows it.
type LabJSON struct {
	*trustmark.Lab
	LastSubmission *time.Time `json:"last_submission,omitempty"`
	// ScopeItems is Scope as items (trustmark.ParseLabScope); ScopeMatches
	// those a list's scope filter matched.
	ScopeItems   []trustmark.LabScopeItem `json:"scope_items,omitempty"`
	ScopeMatches []trustmark.LabScopeItem `json:"scope_matches,omitempty"`
}

func newBodyJSON(b *trustmark.Body) BodyJSON {
	return BodyJSON{Body: b, LastSubmission: timePtr(b.LastSubmission)}
}

func newLabJSON(l *trustmark.Lab) LabJSON {
	return LabJSON{Lab: l, LastSubmission: timePtr(l.LastSubmission), ScopeItems: l.ScopeItems()}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func (s *Server) getOrg(w nethttp.ResponseWriter, r *nethttp.Request) {
	v, err := pathValue(r, "uscc")
	if err != nil {
		Error(w, r, err)
		return
	}
	u, err := trustmark.ParseUSCC(v)
	if err != nil {
		Error(w, r, fieldError("uscc", err))
		return
	}
	o, err := s.cfg.Store.Org(r.Context(), u)
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, o)
}

func (s *Server) getBody(w nethttp.ResponseWriter, r *nethttp.Request) {
	v, err := pathValue(r, "approval_no")
	if err != nil {
		Error(w, r, err)
		return
	}
	no, err := trustmark.ParseApprovalNo(v)
	if err != nil {
		Error(w, r, err)
		return
	}
	b, err := s.cfg.Store.Body(r.Context(), string(no))
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, newBodyJSON(b))
}

func (s *Server) getLab(w nethttp.ResponseWriter, r *nethttp.Request) {
	v, err := pathValue(r, "cma_no")
	if err != nil {
		Error(w, r, err)
		return
	}
	no, err := trustmark.ParseCMANo(v)
	if err != nil {
		Error(w, r, err)
		return
	}
	l, err := s.cfg.Store.Lab(r.Context(), string(no))
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, newLabJSON(l))
}

func (s *Server) getPerson(w nethttp.ResponseWriter, r *nethttp.Request) {
	no, err := pathValue(r, "registration_no")
	if err != nil {
		Error(w, r, err)
		return
	}
	p, err := s.cfg.Store.Person(r.Context(), no)
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, p)
}

// partyFilter reads the common parameters of the party listings.
func partyFilter(q *query, allowBanned bool) trustmark.PartyFilter {
	return trustmark.PartyFilter{
		Q:      q.str("q"),
		Region: q.region("region"),
		Status: q.partyStatus("status", allowBanned),
		Limit:  q.limit(),
		Cursor: q.str("cursor"),
	}
}

func (s *Server) listOrgs(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := parseQuery(r, "q", "region", "limit", "cursor")
	f := trustmark.PartyFilter{Q: q.str("q"), Region: q.region("region"), Limit: q.limit(), Cursor: q.str("cursor")}
	if q.err != nil {
		Error(w, r, q.err)
		return
	}
	page, err := s.cfg.Store.Orgs(r.Context(), f)
	if err != nil {
		Error(w, r, listError(err))
		return
	}
	writePage(w, page, func(o *trustmark.Org) *trustmark.Org { return o })
}

func (s *Server) listBodies(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := parseQuery(r, "q", "region", "status", "limit", "cursor")
	f := partyFilter(q, false)
	if q.err != nil {
		Error(w, r, q.err)
		return
	}
	page, err := s.cfg.Store.Bodies(r.Context(), f)
	if err != nil {
		Error(w, r, listError(err))
		return
	}
	writePage(w, page, newBodyJSON)
}

func (s *Server) listLabs(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := parseQuery(r, "q", "region", "status", "scope", "limit", "cursor")
	f := partyFilter(q, false)
	f.Scope = q.str("scope")
	if q.err != nil {
		Error(w, r, q.err)
		return
	}
	page, err := s.cfg.Store.Labs(r.Context(), f)
	if err != nil {
		Error(w, r, listError(err))
		return
	}
	writePage(w, page, func(l *trustmark.Lab) LabJSON {
		j := newLabJSON(l)
		if f.Scope != "" {
			j.ScopeMatches = trustmark.MatchLabScope(j.ScopeItems, f.Scope)
		}
		return j
	})
}

func (s *Server) listPersons(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := parseQuery(r, "q", "body_approval_no", "status", "limit", "cursor")
	f := trustmark.PartyFilter{
		Q:              q.str("q"),
		BodyApprovalNo: q.approvalNo("body_approval_no"),
		Status:         q.partyStatus("status", true),
		Limit:          q.limit(),
		Cursor:         q.str("cursor"),
	}
	if q.err != nil {
		Error(w, r, q.err)
		return
	}
	page, err := s.cfg.Store.Persons(r.Context(), f)
	if err != nil {
		Error(w, r, listError(err))
		return
	}
	writePage(w, page, func(p *trustmark.Person) *trustmark.Person { return p })
}

// writePage answers a store page converted item by item.
func writePage[T, J any](w nethttp.ResponseWriter, page trustmark.Page[T], conv func(*T) J) {
	out := listJSON[J]{Items: make([]J, 0, len(page.Items)), NextCursor: page.NextCursor}
	for _, it := range page.Items {
		out.Items = append(out.Items, conv(it))
	}
	WriteJSON(w, nethttp.StatusOK, out)
}
