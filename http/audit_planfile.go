package http

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"trustmark"
	"trustmark/audit"
	"trustmark/importer"
)

// PlanReporter reports one audit plan for a body: AuditStore's
// ReportAuditOnce, the method behind POST /api/v1/audits.
type PlanReporter interface {
	ReportAuditOnce(ctx context.Context, body, actor, requestKey string, p audit.Plan) (audit.Decision, error)
}

// PlanLine is one line of a plan file as ReportPlanFile left it: the
// audit its plan became, or its refusal.
type PlanLine struct {
	Line int // numbered from 1, as an editor numbers lines
	// Decision is the plan reported, when Err is nil; Decision.Replayed
	// when the line's request_id had already reported it (a file sent
	// again), and nothing was reported now.
	Decision audit.Decision
	// Err is the line's refusal: a client error (trustmark.IsClientError)
	// naming the plan's field where there is one, nothing of it stored.
	Err error
}

// ReportPlanFile reports the audit plans of a plan file for body, as
// actor: one JSON object a line, each the body of POST /api/v1/audits,
// read by importer.ReadJSONLines and decoded by DecodeAuditPlan, then
// decided and stored on its own by st as the API's route does it, under
// the line's request_id when it has one: a file whose lines carry them
// may be sent again, and each line already reported answers its audit
// again (Decision.Replayed) rather than reporting another. Each
// line that holds something is handed to each, in order, reported or
// refused; a refusal stops nothing after it. Reading stops at the first
// error of each, of r, or of the store (its own failure, not a client's
// refusal), which is returned naming its line: nothing of that line, and
// nothing after it, was stored.
//
// The body is the caller's to authorize (access.AuditPlan on its own
// unit): a line cannot name another, as DecodeAuditPlan refuses a field
// the API does not take. Both the plans command and the workbench's plan
// file page report through here, so a file is decided the same wherever
// it is sent.
func ReportPlanFile(ctx context.Context, st PlanReporter, body, actor string, r io.Reader, each func(PlanLine) error) error {
	return importer.ReadJSONLines(r, func(n int, data []byte, err error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		l := PlanLine{Line: n, Err: err}
		if l.Err == nil {
			p, key, err := DecodeAuditPlan(data)
			if l.Err = err; err == nil {
				l.Decision, l.Err = st.ReportAuditOnce(ctx, body, actor, key, p)
			}
		}
		if l.Err != nil && !trustmark.IsClientError(l.Err) {
			return fmt.Errorf("line %d: %w", n, l.Err)
		}
		return each(l)
	})
}

// planFileTime is the zone a plan file's times are written in: China
// time, as a body's staff read them.
var planFileTime = time.FixedZone("CST", 8*3600)

// PlanFileLine returns plan p as a line of a plan file, without its
// newline: the body of POST /api/v1/audits that reports it, its times in
// China time, with no request_id (a line sent is a new plan, unless one is
// added). DecodeAuditPlan reads it back as p. The plan file page offers a
// body's latest plan so, as a line to start a file from.
func PlanFileLine(p audit.Plan) ([]byte, error) {
	site := func(s audit.Site) SiteJSON {
		return SiteJSON{Address: s.Address, Lat: s.Lat, Lng: s.Lng, Datum: string(s.Datum)}
	}
	in := func(t time.Time) time.Time {
		if c := t.In(planFileTime); !t.IsZero() && c.Year() <= 9999 { // JSON's times have four-digit years
			return c
		}
		return t
	}
	req := AuditRequest{Certificate: p.Certificate, HolderUSCC: string(p.HolderUSCC), Type: p.Type, Kind: p.Kind,
		Complexity: p.Complexity, Site: site(p.Site), OpeningAt: in(p.OpeningAt), ClosingAt: in(p.ClosingAt),
		ClosingEndsAt: in(p.ClosingEndsAt), Team: p.Team, AuditorDays: p.AuditorDays, EffectivePersonnel: p.EffectivePersonnel}
	for _, s := range p.Sites {
		req.Sites = append(req.Sites, site(s))
	}
	data, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("http: a plan as a line: %w", err)
	}
	return data, nil
}
