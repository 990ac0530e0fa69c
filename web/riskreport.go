package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"trustmark"
	thttp "trustmark/http"
	"trustmark/risk"
)

// The regulators' form for risk information (/work/risk/reports/new): a
// complaint, a failed product sampling of a certified product, a failed
// proficiency test of a laboratory. It records the report through the
// store's RecordRiskReport, the method behind POST /api/v1/risk/reports,
// under the same checks (thttp.MayReportRisk, thttp.RiskReportAllow); a
// refusal is shown next to the field it names, in the page's language.

func init() { pageTemplates = append(pageTemplates, "riskreport") }

// RiskReporter records risk reports (sqlstore.DB).
type RiskReporter interface {
	RecordRiskReport(ctx context.Context, req risk.ReportRequest, allow func(risk.ReportFacts) (string, error)) (risk.Report, error)
}

func (h *Handler) riskReportRoutes(mux *patternMux) {
	mux.HandleFunc("GET /work/risk/reports/new", h.riskReportForm)
	mux.HandleFunc("POST /work/risk/reports/new", h.riskReportPost)
}

// riskReportFields are the form's fields, named as the JSON request's.
var riskReportFields = []string{"kind", "subject_kind", "subject_id", "on", "source", "details"}

// RiskReportPage is the form, with what was typed and the refusals.
type RiskReportPage struct {
	WorkPage
	Kinds, Subjects []Option
	Values          map[string]string
	// Errors holds a refusal by field; Error one that names no field.
	Errors map[string]string
	Error  string
	// Done says a report was recorded; Scores link to the risk pages of
	// the parties it bears on.
	Done   string
	Scores []Option
	Today  string
}

// FieldError returns the refusal of field f, "" when none.
func (p *RiskReportPage) FieldError(f string) string { return p.Errors[f] }

// riskReportTools links a regulator's workbench home to the form.
func riskReportTools(t *Messages, c *thttp.Caller) []WorkTool {
	if thttp.MayReportRisk(c) != nil {
		return nil
	}
	return []WorkTool{{"/work/risk/reports/new", t.RiskReport.Title}}
}

func (h *Handler) riskReportPage(r *http.Request) (*RiskReportPage, *thttp.Caller) {
	wp, c := h.workPage(r, func(m *Messages) string { return m.RiskReport.Title })
	t := wp.T
	p := &RiskReportPage{WorkPage: wp, Values: map[string]string{}, Errors: map[string]string{}, Today: h.today().String()}
	for _, k := range risk.ReportKinds {
		p.Kinds = append(p.Kinds, Option{Value: string(k), Label: t.Risk.Kinds[string(k)]})
	}
	for _, k := range []string{risk.OnCertificate, risk.OnBody, risk.OnLab} {
		p.Subjects = append(p.Subjects, Option{Value: k, Label: t.RiskReport.Subjects[k]})
	}
	return p, c
}

func (h *Handler) riskReportForm(w http.ResponseWriter, r *http.Request) {
	p, c := h.riskReportPage(r)
	if err := thttp.MayReportRisk(c); err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	if id := q.Get("done"); id != "" {
		p.Done = fmt.Sprintf(p.T.RiskReport.Done, id)
		for _, s := range q["party"] {
			kind, id, ok := strings.Cut(s, ":")
			if ok && id != "" {
				p.Scores = append(p.Scores, Option{Value: "/work/risk/" + url.PathEscape(kind) + "/" + url.PathEscape(id), Label: s})
			}
		}
	}
	p.Values["on"] = p.Today
	h.render(w, r, http.StatusOK, "riskreport", p)
}

func (h *Handler) riskReportPost(w http.ResponseWriter, r *http.Request) {
	p, c := h.riskReportPage(r)
	if err := thttp.MayReportRisk(c); err != nil {
		h.fail(w, r, err)
		return
	}
	rr, ok := h.cfg.Store.(RiskReporter)
	if !ok {
		h.fail(w, r, trustmark.Errorf(trustmark.EUnavailable, "", "the portal does not keep risk reports"))
		return
	}
	for _, f := range riskReportFields {
		p.Values[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	req := risk.ReportRequest{Kind: risk.Kind(p.Values["kind"]), SubjectKind: p.Values["subject_kind"], SubjectID: p.Values["subject_id"],
		Source: p.Values["source"], Details: p.Values["details"]}
	var err error
	if s := p.Values["on"]; s != "" {
		if req.On, err = trustmark.ParseDate(s); err != nil {
			err = trustmark.Invalidf("field.date", "on", "%s %q is not a real date of the form YYYY-MM-DD", "on", s)
		}
	}
	var rep risk.Report
	if err == nil {
		rep, err = rr.RecordRiskReport(r.Context(), req, thttp.RiskReportAllow(c))
	}
	if err != nil {
		h.riskReportRefused(w, r, p, err)
		return
	}
	h.cfg.Logger.Info("risk report recorded on the workbench", "id", rep.ID, "kind", string(rep.Kind), "subject", rep.Subject(), "by", rep.RecordedBy)
	v := url.Values{"done": {rep.ID}}
	for _, party := range rep.Parties {
		v.Add("party", party.Subject.String())
	}
	h.redirect(w, r, &p.Page, "/work/risk/reports/new?"+v.Encode())
}

// riskReportRefused shows the form again with the refusal next to its
// field, or above the form when it names none (a region outside the
// regulator's).
func (h *Handler) riskReportRefused(w http.ResponseWriter, r *http.Request, p *RiskReportPage, err error) {
	h.refuse(w, r, err, "riskreport", p, func() {
		msg := p.T.Reason(err)
		if f := trustmark.ErrorField(err); f != "" && slices.Contains(riskReportFields, f) {
			p.Errors[f] = msg
		} else {
			p.Error = msg
		}
	})
}
