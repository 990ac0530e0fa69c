package http

import (
	"cmp"
	"context"
	nethttp "net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
)

// The access log of personal data (issue 12). Every answer or page that
// shows a person's personal data (an auditor's check-in positions and
// photos, and any other personal field) to a signed-in caller goes through
// RecordPersonalAccess first: who, when, whose data, which fields, on which
// route. When the record cannot be written the data is not shown. The log
// is kept apart from the public log (trustmark.PersonalAccessLog) and read
// by the regulators of the data's region: GET /api/v1/personal-data-access
// and the workbench's /work/access-log.

// PersonalView is personal data about to be shown: whose (Subject, e.g.
// "person:2026-NQA-0001"), which fields, the region it belongs to and the
// record it is part of ("audit:ID").
type PersonalView struct {
	Subject string
	Fields  []string
	Region  string
	Context string
}

// PersonSubject names a registered person as the subject of the log.
func PersonSubject(registrationNo string) string { return "person:" + registrationNo }

// RecordPersonalAccess writes one record per view for caller c, who is
// served r at now. It returns an error, and the data must then not be
// shown, when there is no access log or it cannot be written.
func RecordPersonalAccess(log trustmark.PersonalAccessLog, r *nethttp.Request, c *Caller, now time.Time, views ...PersonalView) error {
	route := r.Pattern
	if route == "" {
		route = r.Method + " " + r.URL.Path
	}
	return RecordPersonalAccessOn(r.Context(), log, route, c, now, views...)
}

// RecordPersonalAccessOn is RecordPersonalAccess for a caller served on
// route (a pattern) where the request is not at hand.
func RecordPersonalAccessOn(ctx context.Context, log trustmark.PersonalAccessLog, route string, c *Caller, now time.Time, views ...PersonalView) error {
	if len(views) == 0 {
		return nil
	}
	if log == nil {
		return trustmark.Errorf(trustmark.EUnavailable, "", "this server keeps no access log of personal data, so it shows none")
	}
	rs := make([]trustmark.PersonalAccess, 0, len(views))
	for _, v := range views {
		rec := trustmark.PersonalAccess{At: now, Viewer: c.Party, Subject: v.Subject, Fields: v.Fields, Region: v.Region, Route: route, Context: v.Context}
		if role, _, err := c.Decide(access.PersonalView, personalTarget(v)); err == nil {
			rec.Role = role.String()
		} else if len(c.Roles) > 0 {
			rec.Role = c.Roles[0].String()
		}
		rs = append(rs, rec)
	}
	return log.RecordPersonalAccess(ctx, rs)
}

// personalTarget is what the matrix is asked about a view.
func personalTarget(v PersonalView) access.Target {
	t := access.Target{Region: v.Region}
	if id, ok := strings.CutPrefix(v.Subject, "person:"); ok {
		t.Owner = account.Unit{Kind: account.Auditor, ID: id}
	}
	return t
}

// personalLog returns the store's access log of personal data, or nil.
func (s *Server) personalLog() trustmark.PersonalAccessLog {
	l, _ := s.cfg.Store.(trustmark.PersonalAccessLog)
	return l
}

// PersonalAccessJSON is one record of the access log.
type PersonalAccessJSON struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Viewer  string    `json:"viewer"`
	Role    string    `json:"role"`
	Subject string    `json:"subject"`
	Fields  []string  `json:"fields"`
	Region  string    `json:"region"`
	Route   string    `json:"route"`
	Context string    `json:"context"`
}

// ParsePersonalSubject reads the subject of a query: "person:REG_NO" or a
// bare registration number.
func ParsePersonalSubject(s string) (string, error) {
	s = strings.TrimSpace(s)
	id, _ := strings.CutPrefix(s, "person:")
	u, err := account.ParseUnit(account.Auditor, id)
	if err != nil {
		return "", err
	}
	return PersonSubject(u.ID), nil
}

// PersonalAccesses returns the records of the access log that the caller's
// regulator roles may read (access.PersonalView in the record's region),
// newest first. A caller without a regulator role is refused.
func PersonalAccesses(log trustmark.PersonalAccessLog, r *nethttp.Request, c *Caller, f trustmark.PersonalAccessFilter) ([]trustmark.PersonalAccess, error) {
	var regs []account.Role
	for _, role := range c.Roles {
		if role.Kind == account.Regulator {
			regs = append(regs, role)
		}
	}
	if len(regs) == 0 {
		return nil, trustmark.Errorf(trustmark.EForbidden, "", "only regulators read the access log of personal data, each for its region")
	}
	if log == nil {
		return nil, trustmark.Errorf(trustmark.EUnavailable, "", "this server keeps no access log of personal data")
	}
	seen := map[int64]bool{}
	var out []trustmark.PersonalAccess
	for _, role := range regs {
		f.Region = role.ID
		rs, err := log.PersonalAccesses(r.Context(), f)
		if err != nil {
			return nil, err
		}
		for _, rec := range rs {
			if seen[rec.ID] {
				continue
			}
			if _, _, err := access.DecideAny(regs, access.PersonalView, access.Target{Region: rec.Region}); err != nil {
				continue
			}
			seen[rec.ID] = true
			out = append(out, rec)
		}
	}
	slices.SortFunc(out, func(a, b trustmark.PersonalAccess) int { return cmp.Compare(b.ID, a.ID) })
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// listPersonalAccess answers GET /api/v1/personal-data-access?subject=
// &before=&limit=.
func (s *Server) listPersonalAccess(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	q := parseQuery(r, "subject", "before", "limit")
	f := trustmark.PersonalAccessFilter{Limit: q.limit()}
	if sub := q.str("subject"); sub != "" {
		if f.Subject, err = ParsePersonalSubject(sub); err != nil {
			q.fail(fieldError("subject", err))
		}
	}
	if b := q.str("before"); b != "" {
		if f.Before, err = strconv.ParseInt(b, 10, 64); err != nil || f.Before <= 0 {
			q.fail(trustmark.Invalidf("query.before", "before", "before %q is not a record id", b))
		}
	}
	if q.err != nil {
		Error(w, r, q.err)
		return
	}
	rs, err := PersonalAccesses(s.personalLog(), r, c, f)
	if err != nil {
		Error(w, r, err)
		return
	}
	items := make([]PersonalAccessJSON, 0, len(rs))
	for _, rec := range rs {
		items = append(items, PersonalAccessJSON{ID: rec.ID, At: rec.At, Viewer: rec.Viewer.String(), Role: rec.Role, Subject: rec.Subject,
			Fields: rec.Fields, Region: rec.Region, Route: rec.Route, Context: rec.Context})
	}
	WriteJSON(w, nethttp.StatusOK, map[string]any{"items": items})
}

// auditViews are the personal data GET /api/v1/audits/{id} shows: each
// checked-in person's positions and photos.
func auditViews(auditID, region string, persons []string) []PersonalView {
	var out []PersonalView
	seen := map[string]bool{}
	for _, p := range persons {
		if seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, PersonalView{Subject: PersonSubject(p), Fields: []string{"position", "photos"}, Region: region, Context: "audit:" + auditID})
	}
	return out
}
