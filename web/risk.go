package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"trustmark"
	"trustmark/access"
	"trustmark/credit"
	thttp "trustmark/http"
	"trustmark/risk"
)

// The regulators' risk pages (/work/risk): the subjects of their region
// ranked by risk, filtered by kind and class, the explanation of each score
// (every signal's weight, decay and contribution), its history, and the
// warnings with their matters' deadlines. What a regulator may see is
// decided by thttp.RiskRegion and Caller.Decide (access.Decide with
// access.RiskView), the same checks as GET /api/v1/risk/subjects.

func init() { pageTemplates = append(pageTemplates, "risk", "risk_subject") }

func (h *Handler) riskRoutes(mux *patternMux) {
	mux.HandleFunc("GET /work/risk", h.riskPage)
	mux.HandleFunc("GET /work/risk/{kind}/{id}", h.riskSubjectPage)
}

// riskPageSize is how many subjects one page lists.
const riskPageSize = 50

// RiskPage is /work/risk.
type RiskPage struct {
	WorkPage
	Region, RegionName, Kind, Class string
	Kinds, Classes                  []Option
	Rows                            []RiskRow
	More                            string
	Warnings                        []RiskWarningRow
}

// RiskRow is one scored subject.
type RiskRow struct {
	Kind, ID, URL, Class, ClassName, Total, On, Top string
}

// RiskWarningRow is one warning with its matter.
type RiskWarningRow struct {
	Rule, Subject, On, Summary, MatterURL, Matter, Due, State string
	Evidence                                                  []string
}

func (h *Handler) riskStore(w http.ResponseWriter, r *http.Request) (risk.Store, bool) {
	rs, ok := h.cfg.Store.(risk.Store)
	if !ok {
		h.notFoundPage(w, r)
	}
	return rs, ok
}

func (h *Handler) riskPage(w http.ResponseWriter, r *http.Request) {
	rs, ok := h.riskStore(w, r)
	if !ok {
		return
	}
	wp, c := h.workPage(r, func(m *Messages) string { return m.Risk.Title })
	q := r.URL.Query()
	p := &RiskPage{WorkPage: wp, Kind: q.Get("kind"), Class: q.Get("class")}
	p.offerFilters()
	region, err := thttp.RiskRegion(c, q.Get("region"))
	if err == nil {
		err = p.checkQuery(q)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Region, p.RegionName = region, h.regionName(p.T, region)
	f := risk.Filter{Region: region, Kind: credit.SubjectKind(p.Kind), Class: risk.Class(p.Class), Cursor: q.Get("cursor"), Limit: riskPageSize}
	recs, next, err := rs.RiskSubjects(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Rows = h.riskRows(p.T, recs)
	if next != "" {
		v := url.Values{"region": {region}, "kind": {p.Kind}, "class": {p.Class}, "cursor": {next}}
		p.More = p.Link("/work/risk?" + v.Encode())
	}
	ws, err := rs.RiskWarnings(r.Context(), region, 50)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Warnings = h.warningRows(p.T, ws)
	h.render(w, r, http.StatusOK, "risk", p)
}

// riskParams are the parameters /work/risk takes: the region, the
// filters, the next page's cursor and the language.
var riskParams = []string{"region", "kind", "class", "cursor", "lang"}

// offerFilters fills in the page's select boxes: the kinds of subject and
// the risk classes, highest first.
func (p *RiskPage) offerFilters() {
	t := p.T
	p.Kinds = []Option{{Value: "", Label: t.Risk.AnyKind}, {Value: string(credit.Body), Label: t.Credit.KindBody}, {Value: string(credit.Lab), Label: t.Credit.KindLab},
		{Value: string(credit.Person), Label: t.Credit.KindPerson}, {Value: string(credit.Org), Label: t.Credit.KindOrg}}
	p.Classes = []Option{{Value: "", Label: t.Risk.AnyClass}}
	for _, cl := range []risk.Class{risk.D, risk.C, risk.B, risk.A} {
		p.Classes = append(p.Classes, Option{Value: string(cl), Label: t.Risk.Classes[string(cl)]})
	}
}

// checkQuery refuses by name, as the region pages do (checkPageQuery), a
// parameter the page does not take, one given twice, and a kind or class
// its select boxes (offerFilters) do not offer: each would otherwise be
// dropped and every subject ranked as if filtered.
func (p *RiskPage) checkQuery(q url.Values) error {
	return checkPageQuery(q, riskParams, map[string][]string{"kind": optionValues(p.Kinds), "class": optionValues(p.Classes)})
}

// riskRows are the scored subjects as the page lists them.
func (h *Handler) riskRows(t *Messages, recs []risk.Record) []RiskRow {
	var rows []RiskRow
	for _, rec := range recs {
		row := RiskRow{Kind: h.subjectKindName(t, rec.Subject.Kind), ID: rec.Subject.ID, URL: riskURL(rec.Subject),
			Class: string(rec.Score.Class), ClassName: t.Risk.Classes[string(rec.Score.Class)], Total: fmt.Sprintf("%.1f", rec.Score.Total), On: rec.Score.On.String()}
		if len(rec.Score.Parts) > 0 {
			row.Top = t.Risk.Kinds[string(rec.Score.Parts[0].Signal.Kind)]
		}
		rows = append(rows, row)
	}
	return rows
}

func riskURL(s credit.Subject) string {
	return "/work/risk/" + url.PathEscape(string(s.Kind)) + "/" + url.PathEscape(s.ID)
}

func (h *Handler) regionName(t *Messages, region string) string {
	if region == trustmark.NationalRegion {
		return t.Accounts.National
	}
	if n := trustmark.DefaultRegions().FullNameIn(region, t.Lang); n != "" {
		return n
	}
	return region
}

func (h *Handler) subjectKindName(t *Messages, k credit.SubjectKind) string {
	switch k {
	case credit.Body:
		return t.Credit.KindBody
	case credit.Lab:
		return t.Credit.KindLab
	case credit.Person:
		return t.Credit.KindPerson
	case credit.Org:
		return t.Credit.KindOrg
	}
	return string(k)
}

func (h *Handler) warningRows(t *Messages, ws []risk.Raised) []RiskWarningRow {
	var out []RiskWarningRow
	for _, w := range ws {
		row := RiskWarningRow{Rule: t.Risk.Rules[w.Rule], On: w.On.String(), Summary: h.warningSummary(t, w.Warning), Matter: w.Matter,
			MatterURL: matterURL(w.Matter), Due: w.Due.String(), State: t.Work.States[w.State], Evidence: w.Evidence}
		if row.Rule == "" {
			row.Rule = w.Rule
		}
		if w.Subject.ID != "" {
			row.Subject = w.Subject.String()
		}
		out = append(out, row)
	}
	return out
}

// RiskSubjectPage is /work/risk/{kind}/{id}: one score explained.
type RiskSubjectPage struct {
	WorkPage
	Kind, ID, Region, Class, ClassName, Total, On, Version string
	// ArchiveURL is the subject's page on the archive form (/work/credit/archive).
	ArchiveURL string
	Parts      []RiskPartRow
	History    []RiskPointRow
	Warnings   []RiskWarningRow
}

// RiskPartRow is one signal's part of a score.
type RiskPartRow struct {
	Kind, Source, Date, Weight, Age, HalfLife, Decay, Contribution string
}

// RiskPointRow is one change of the score.
type RiskPointRow struct{ Seq, On, Class, Total, Version string }

func (h *Handler) riskSubjectPage(w http.ResponseWriter, r *http.Request) {
	rs, ok := h.riskStore(w, r)
	if !ok {
		return
	}
	s := credit.Subject{Kind: credit.SubjectKind(r.PathValue("kind")), ID: r.PathValue("id")}
	if !s.Kind.Valid() {
		h.notFoundPage(w, r)
		return
	}
	wp, c := h.workPage(r, func(m *Messages) string { return m.Risk.Details })
	rec, hist, ws, err := rs.RiskSubject(r.Context(), s)
	if trustmark.IsNotFound(err) {
		h.notFoundPage(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, _, err := c.Decide(thttp.RiskAccess, access.Target{Region: rec.Region}); err != nil {
		h.fail(w, r, err)
		return
	}
	t := wp.T
	sc := rec.Score
	p := &RiskSubjectPage{WorkPage: wp, Kind: h.subjectKindName(t, s.Kind), ID: s.ID, ArchiveURL: "/work/credit/archive?" + url.Values{"kind": {string(s.Kind)}, "id": {s.ID}}.Encode(), Region: h.regionName(t, rec.Region),
		Class: string(sc.Class), ClassName: t.Risk.Classes[string(sc.Class)], Total: fmt.Sprintf("%.1f", sc.Total), On: sc.On.String()}
	p.Title = p.Kind + " " + s.ID
	if sc.Version > 0 {
		p.Version = fmt.Sprintf(t.Risk.Version, sc.Version)
	}
	for _, part := range sc.Parts {
		row := RiskPartRow{Kind: t.Risk.Kinds[string(part.Signal.Kind)], Source: part.Signal.Source, Date: part.Signal.On.String(),
			Weight: fmt.Sprintf("%g", part.Weight), Age: strconv.Itoa(part.AgeDays), HalfLife: t.Risk.NoDecay,
			Decay: fmt.Sprintf("%.3f", part.Decay), Contribution: fmt.Sprintf("%+.2f", part.Contribution)}
		if part.HalfLifeDays > 0 {
			row.HalfLife = strconv.Itoa(part.HalfLifeDays)
		}
		if part.Signal.Value != 0 && part.Signal.Value != 1 {
			row.Weight += fmt.Sprintf(" × %.2f", part.Signal.Value)
		}
		p.Parts = append(p.Parts, row)
	}
	for i := len(hist) - 1; i >= 0; i-- { // newest first
		pt := hist[i]
		p.History = append(p.History, RiskPointRow{Seq: strconv.FormatInt(pt.Seq, 10), On: pt.On.String(), Class: t.Risk.Classes[string(pt.Class)],
			Total: fmt.Sprintf("%.1f", pt.Total), Version: strconv.Itoa(pt.Version)})
	}
	p.Warnings = h.warningRows(t, ws)
	h.render(w, r, http.StatusOK, "risk_subject", p)
}

// warningSummary says warning w in the page's language from its figures
// (risk.Warning.Args), the region of an anomaly cluster by its name; a
// warning stored before it carried them keeps its English summary.
func (h *Handler) warningSummary(t *Messages, w risk.Warning) string {
	f, ok := t.Risk.Summaries[w.Rule]
	if !ok || len(w.Args) != 5 {
		return w.Summary
	}
	args := make([]any, len(w.Args))
	for i, a := range w.Args {
		args[i] = a
	}
	if w.Rule == risk.RuleAnomalyCluster {
		args[1] = h.regionName(t, w.Args[1])
	}
	return fmt.Sprintf(f, args...)
}
