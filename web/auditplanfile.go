package web

import (
	"net/http"

	"trustmark"
	"trustmark/audit"
	thttp "trustmark/http"
)

// The plan file page of the workbench (/work/audits/import): a body's
// staff report many audit plans at once from a file of JSON Lines, one
// plan a line, each the body of POST /api/v1/audits, as `trustmark plans
// import` reads it. The lines go through the one loop both use
// (thttp.ReportPlanFile): each decoded as the API decodes its body and
// decided and stored by the store's ReportAudit, or refused with its line,
// field and reason; a refusal stops nothing after it. The page answers
// with the audits reported, linked, and the refused lines in the page's
// language.
//
// It is a page of its own rather than a kind of the upload-and-fix page
// (/work/import): that page reads tables of registry records under
// import.upload, checks them without committing and keys every row; a
// plan file is lines of JSON under audit.plan, with no check that
// commits nothing, keyed only by the request_id a line may carry (a line
// with one sent again answers its audit again and is listed as already
// reported; a line without one sent twice is two audits). It shares that
// page's bounds: the server's body
// limit and upload gate, the form's file waiting on disk, and the refused
// lines listed up to maxShownRejects.

// AuditPlanFilePage is the plan file page.
type AuditPlanFilePage struct {
	WorkPage
	Bodies []string // the bodies the person reports plans for
	Body   string   // the one chosen
	// After an upload: what happened to its lines.
	Uploaded          bool
	FileName          string
	Reported, Refused int
	Again             int             // of those reported, the lines reported before (their request_id)
	Audits            []PlanFileAudit // the first maxShownRejects reported
	MoreAudits        int
	Rejects           []ImportReject // the first maxShownRejects refused
	More              int
	// Stopped is set when the store failed (not a line's refusal): the
	// lines up to StoppedAfter are as listed, none after it was read.
	Stopped      bool
	StoppedAfter int
	Error        string
	lastLine     int
	// Example is the body's latest plan written as a line of a file
	// (thttp.PlanFileLine), a model to write one from; ExampleAudit its
	// audit and ExampleURL its page. All empty when the body has reported
	// none.
	Example, ExampleAudit, ExampleURL string
}

// PlanFileAudit is a line of the file reported as an audit, or answered
// with the audit its request_id reported before (Again).
type PlanFileAudit struct {
	Line      int
	ID, URL   string
	Anomalies int // those its report raised (a plan reported late)
	Again     bool
}

func (h *Handler) auditPlanFileRoutes(mux *patternMux) {
	mux.HandleFunc("GET /work/audits/import", h.auditPlanFileForm)
	mux.HandleFunc("POST /work/audits/import", h.auditPlanFileUpload)
}

// The page's template, parsed with the others.
func init() { pageTemplates = append(pageTemplates, "auditplanfile") }

func (h *Handler) auditPlanFilePage(r *http.Request) (*AuditPlanFilePage, *thttp.Caller) {
	wp, c := h.workPage(r, func(m *Messages) string { return m.AuditPlan.FileTitle })
	p := &AuditPlanFilePage{WorkPage: wp, Bodies: planningBodies(c)}
	if len(p.Bodies) > 0 {
		p.Body = p.Bodies[0]
	}
	return p, c
}

func (h *Handler) auditPlanFileForm(w http.ResponseWriter, r *http.Request) {
	p, _ := h.auditPlanFilePage(r)
	if len(p.Bodies) == 0 {
		h.fail(w, r, noPlanRight())
		return
	}
	if err := h.planFileExample(r, p); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "auditplanfile", p)
}

// planFileExample sets p's example: the latest plan of p.Body (the
// caller's own, by auditPlanFilePage) as a line of a file.
func (h *Handler) planFileExample(r *http.Request, p *AuditPlanFilePage) error {
	desk, err := h.auditDesk()
	if err != nil {
		return err
	}
	as, err := desk.FindAudits(r.Context(), audit.Query{Body: p.Body, Limit: 1})
	if err != nil || len(as) == 0 {
		return err
	}
	line, err := thttp.PlanFileLine(as[0].Plan)
	if err != nil {
		return err
	}
	p.Example, p.ExampleAudit, p.ExampleURL = string(line), as[0].ID, auditURL(as[0].ID)
	return nil
}

// auditPlanFileRefused shows the form with a refusal of the whole upload.
func (h *Handler) auditPlanFileRefused(w http.ResponseWriter, r *http.Request, p *AuditPlanFilePage, err error) {
	h.refuse(w, r, err, "auditplanfile", p, func() { p.Error = p.T.Reason(err) })
}

func (h *Handler) auditPlanFileUpload(w http.ResponseWriter, r *http.Request) {
	p, c := h.auditPlanFilePage(r)
	if len(p.Bodies) == 0 {
		h.fail(w, r, noPlanRight())
		return
	}
	done, err := h.receiveUpload(w, r)
	if err != nil {
		h.auditPlanFileRefused(w, r, p, err)
		return
	}
	defer done()
	// The body is one of the person's own, chosen on the form: access.Decide
	// on it as the one-plan form asks; the file cannot name another.
	if b := r.PostFormValue("body"); b != "" || len(p.Bodies) > 1 {
		p.Body = b
	}
	if err := mayPlanFor(c, p.Body); err != nil {
		h.auditPlanFileRefused(w, r, p, err)
		return
	}
	h.reportPlanFile(w, r, p, c)
}

// reportPlanFile reports the lines of the form's file for p.Body, the
// caller's own, and answers with what became of each.
func (h *Handler) reportPlanFile(w http.ResponseWriter, r *http.Request, p *AuditPlanFilePage, c *thttp.Caller) {
	desk, err := h.auditDesk()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		h.auditPlanFileRefused(w, r, p, trustmark.Invalidf("plans.no_file", "file", "no plan file: choose a file of plans, one JSON object a line"))
		return
	}
	defer f.Close()
	p.Uploaded, p.FileName = true, fh.Filename
	err = thttp.ReportPlanFile(r.Context(), desk, p.Body, c.Party.String(), f, p.add)
	switch {
	case err != nil && r.Context().Err() != nil:
		return // the person went away
	case err != nil:
		// The lines before are stored and listed: say so rather than
		// answer a bare error page.
		h.cfg.Logger.Error("plan file stopped", "actor", c.Party.String(), "body", p.Body, "after_line", p.lastLine, "err", err)
		p.Stopped, p.StoppedAfter = true, p.lastLine
		h.render(w, r, thttp.StatusCode(trustmark.ErrorCode(err)), "auditplanfile", p)
	case p.Reported+p.Refused == 0:
		h.auditPlanFileRefused(w, r, p, trustmark.Invalidf("plans.empty", "file", "the file holds no plan: want one JSON object a line"))
	default:
		h.cfg.Logger.Info("audit plans reported from a file on the workbench", "actor", c.Party.String(), "body", p.Body,
			"reported", p.Reported, "again", p.Again, "refused", p.Refused)
		h.render(w, r, http.StatusOK, "auditplanfile", p)
	}
}

// add takes a line as thttp.ReportPlanFile left it: the page lists the
// first maxShownRejects of the audits and of the refusals, and counts the
// rest, so that memory does not grow with the file.
func (p *AuditPlanFilePage) add(l thttp.PlanLine) error {
	p.lastLine = l.Line
	if l.Err != nil {
		p.Refused++
		if len(p.Rejects) == maxShownRejects {
			p.More++
			return nil
		}
		field := trustmark.ErrorField(l.Err)
		if field == "row" {
			field = "" // the reader's name for the whole line (too long, not UTF-8), as a JSON syntax error has none
		}
		p.Rejects = append(p.Rejects, ImportReject{Row: l.Line, Field: field, Reason: p.T.Reason(l.Err)})
		return nil
	}
	p.Reported++
	if l.Decision.Replayed {
		p.Again++
	}
	if len(p.Audits) == maxShownRejects {
		p.MoreAudits++
		return nil
	}
	id := l.Decision.Audit.ID
	p.Audits = append(p.Audits, PlanFileAudit{Line: l.Line, ID: id, URL: auditURL(id), Anomalies: len(l.Decision.Anomalies), Again: l.Decision.Replayed})
	return nil
}
