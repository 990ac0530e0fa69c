package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	"trustmark/credit"
	thttp "trustmark/http"
)

// The workbench's credit page (/work/credit): for a party, its integrity
// archive and its cases on the serious-violation list, with a form to object
// within the objection period and one to apply for credit repair with
// evidence; for a regulator, the open cases of its region with the forms to
// decide a listing and an application for repair. Each form takes the same
// step of credit.Rules as the JSON routes (POST /api/v1/credit/listings/…),
// after the same access.Decide check.

func init() { pageTemplates = append(pageTemplates, "credit_work") }

// CreditDesk is the store the credit page works on (sqlstore.DB).
type CreditDesk interface {
	CreditArchive(ctx context.Context, s credit.Subject) (credit.Archive, error)
	CreditListing(ctx context.Context, id string) (credit.Listing, error)
	CreditListingsOf(ctx context.Context, s credit.Subject) ([]credit.Listing, error)
	CreditListingsIn(ctx context.Context, region string, limit int) ([]credit.Listing, error)
	CreditStepWithFiles(ctx context.Context, id string, files []credit.File, step func(l credit.Listing, found bool) (credit.Listing, credit.Event, error)) (credit.Listing, error)
	CreditEvidence(ctx context.Context, id, sha string) (credit.File, error)
}

func (h *Handler) creditRoutes(mux *patternMux) {
	mux.HandleFunc("GET /work/credit", h.creditWorkPage)
	mux.HandleFunc("POST /work/credit/{id}/{step}", h.creditWorkPost)
	mux.HandleFunc("GET /work/credit/{id}/evidence/{sha}", h.creditEvidence)
}

// creditCases is how many open cases of a region the page lists.
const creditCases = 200

// CreditWorkPage is /work/credit.
type CreditWorkPage struct {
	WorkPage
	Parties []CreditPartyView // one per party role
	Regions []CreditRegionView
	// Done says a step was taken; Error is a refusal next to the form of
	// Form on listing Listing; Statement keeps what was typed.
	Done, Error, Form, Listing, Statement string
}

// CreditPartyView is a party's archive and cases.
type CreditPartyView struct {
	Kind, ID string
	Entries  []CreditEntryView
	Cases    []CreditCaseView
}

// CreditRegionView is a regulator's open cases.
type CreditRegionView struct {
	Region string
	Cases  []CreditCaseView
}

// CreditEntryView is one archive entry.
type CreditEntryView struct {
	Kind, Summary, Decision, Source, LegalBasis, Valid, Recorded string
}

// CreditCaseView is one listing with the forms the person may use.
type CreditCaseView struct {
	ID, Subject, State, Grounds, LegalBasis, Decision                   string
	Proposed, Notified, ObjectionDue, Listed, Until, Removed, Objection string
	Repairs                                                             []CreditRepairView
	CanObject, CanRepair, CanDecide, CanDecideRepair                    bool
	RepairFrom                                                          string
	Action                                                              string // the form's address, without the step
}

// CreditRepairView is one application for repair.
type CreditRepairView struct {
	Applied, Statement, Decided, Outcome, Reason string
	Evidence                                     []EvidenceView
}

// EvidenceView is one item of evidence: a text, or a filed document.
type EvidenceView struct{ Text, Name, URL string }

// creditTools are the links of the workbench's home to the credit page
// (every party and regulator) and the risk page (regulators).
func creditTools(t *Messages, c *thttp.Caller) []WorkTool {
	var out []WorkTool
	credit, risk := false, false
	for _, r := range c.Roles {
		_, party := creditSubjectKinds[r.Kind]
		credit = credit || party || r.Kind == account.Regulator
		risk = risk || r.Kind == account.Regulator
	}
	if credit {
		out = append(out, WorkTool{"/work/credit", t.Credit.Work.Title})
	}
	if risk {
		out = append(out, WorkTool{"/work/risk", t.Risk.Title})
	}
	return out
}

func (h *Handler) creditDesk() CreditDesk {
	d, _ := h.cfg.Store.(CreditDesk)
	return d
}

// partyKinds are the roles that act for a subject of the archives.
var creditSubjectKinds = map[account.Kind]credit.SubjectKind{account.Body: credit.Body, account.Lab: credit.Lab, account.Org: credit.Org, account.Auditor: credit.Person}

func (h *Handler) creditWorkPage(w http.ResponseWriter, r *http.Request) {
	p, err := h.buildCreditWork(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("done") != "" {
		p.Done = p.T.Credit.Work.Done
	}
	h.render(w, r, http.StatusOK, "credit_work", p)
}

func (h *Handler) buildCreditWork(r *http.Request) (*CreditWorkPage, error) {
	d := h.creditDesk()
	if d == nil {
		return nil, trustmark.Errorf(trustmark.EUnavailable, "", "the portal does not keep the credit archives")
	}
	wp, c := h.workPage(r, func(m *Messages) string { return m.Credit.Work.Title })
	p := &CreditWorkPage{WorkPage: wp}
	ctx := r.Context()
	rules := credit.DefaultRules()
	for _, role := range c.Roles {
		if role.Kind == account.Regulator {
			ls, err := d.CreditListingsIn(ctx, role.ID, creditCases)
			if err != nil {
				return nil, err
			}
			v := CreditRegionView{Region: h.regionName(p.T, role.ID)}
			for _, l := range ls {
				v.Cases = append(v.Cases, h.caseView(p.T, c, rules, l))
			}
			p.Regions = append(p.Regions, v)
			continue
		}
		kind, ok := creditSubjectKinds[role.Kind]
		if !ok {
			continue
		}
		s := credit.Subject{Kind: kind, ID: role.ID}
		a, err := d.CreditArchive(ctx, s)
		if err != nil {
			return nil, err
		}
		ls, err := d.CreditListingsOf(ctx, s)
		if err != nil {
			return nil, err
		}
		v := CreditPartyView{Kind: h.subjectKindName(p.T, kind), ID: s.ID}
		for _, e := range a.Known(h.cfg.Clock()) {
			v.Entries = append(v.Entries, h.entryView(p.T, e))
		}
		for _, l := range ls {
			v.Cases = append(v.Cases, h.caseView(p.T, c, rules, l))
		}
		p.Parties = append(p.Parties, v)
	}
	return p, nil
}

func (h *Handler) entryView(t *Messages, e credit.Entry) CreditEntryView {
	cw := t.Credit.Work
	v := CreditEntryView{Kind: cw.EntryKinds[string(e.Kind)], Summary: e.Summary, Decision: e.Decision, Source: e.Source,
		LegalBasis: e.LegalBasis, Recorded: matterTime(e.RecordedAt)}
	until := cw.NoEnd
	if !e.ValidUntil.IsZero() {
		until = e.ValidUntil.String()
	}
	v.Valid = e.ValidFrom.String() + " – " + until
	return v
}

// caseView shows l with the forms c may use today: the listed party's
// objection (while the period runs) and application for repair (from
// RepairAfterYears after listing, none pending), the region's regulator's
// decisions.
func (h *Handler) caseView(t *Messages, c *thttp.Caller, rules *credit.Rules, l credit.Listing) CreditCaseView {
	cw := t.Credit.Work
	v := CreditCaseView{ID: l.ID, Subject: h.subjectKindName(t, l.Subject.Kind) + " " + l.Subject.ID, State: cw.States[string(l.State)],
		Grounds: l.Grounds, LegalBasis: l.LegalBasis, Decision: l.Decision, Proposed: l.ProposedOn.String(), Notified: dateOr(l.NotifiedOn),
		ObjectionDue: dateOr(l.ObjectionDue.Date), Listed: dateOr(l.ListedOn), Until: dateOr(l.Until), Removed: dateOr(l.RemovedOn),
		Objection: l.Objection, Action: "/work/credit/" + url.PathEscape(l.ID) + "/"}
	for _, rp := range l.Repairs {
		rv := CreditRepairView{Applied: rp.AppliedOn.String(), Statement: rp.Statement, Decided: dateOr(rp.DecidedOn), Reason: rp.Reason}
		if !rp.Pending() {
			rv.Outcome = cw.Refused
			if rp.Granted {
				rv.Outcome = cw.Granted
			}
		}
		for _, ev := range rp.Evidence {
			if sha, name, ok := credit.ParseRef(ev); ok {
				rv.Evidence = append(rv.Evidence, EvidenceView{Name: name, URL: v.Action + "evidence/" + sha})
			} else {
				rv.Evidence = append(rv.Evidence, EvidenceView{Text: ev})
			}
		}
		v.Repairs = append(v.Repairs, rv)
	}
	today := h.today()
	_, _, errParty := c.Decide(access.CreditRepairApply, access.Target{Owner: thttp.SubjectUnit(l.Subject)})
	_, _, errList := c.Decide(access.CreditList, access.Target{Region: l.Region})
	_, _, errRepair := c.Decide(access.CreditRepairDecide, access.Target{Region: l.Region})
	pending := slices.ContainsFunc(l.Repairs, credit.Repair.Pending)
	from := l.ListedOn.AddDate(rules.RepairAfterYears.N, 0, 0)
	v.CanObject = errParty == nil && l.State == credit.Notified && !today.After(l.ObjectionDue.Date)
	v.CanRepair = errParty == nil && l.State == credit.Listed && !today.Before(from) && !today.After(l.Until) && !pending
	if errParty == nil && l.State == credit.Listed && today.Before(from) {
		v.RepairFrom = from.String()
	}
	v.CanDecide = errList == nil && (l.State == credit.Objected || (l.State == credit.Notified && today.After(l.ObjectionDue.Date)))
	v.CanDecideRepair = errRepair == nil && l.State == credit.Listed && pending
	return v
}

func dateOr(d trustmark.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// creditWorkPost takes the step the address names on listing id, if the
// caller may: objection and repair for the listed party, decision and
// repair-decision for the regulators of the listing's region.
func (h *Handler) creditWorkPost(w http.ResponseWriter, r *http.Request) {
	d := h.creditDesk()
	if d == nil {
		h.notFoundPage(w, r)
		return
	}
	id, stepName := r.PathValue("id"), r.PathValue("step")
	l, err := d.CreditListing(r.Context(), id)
	if trustmark.IsNotFound(err) {
		h.notFoundPage(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c := thttp.CallerOf(r)
	now := h.cfg.Clock()
	st := credit.Step{On: trustmark.DateOf(now), At: now.UTC(), Actor: c.Party.String()}
	s, ok := readCreditStep(r, credit.DefaultRules(), st, l, stepName)
	if !ok {
		h.notFoundPage(w, r)
		return
	}
	if _, _, err := c.Decide(s.need, s.target); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := s.readFile(r); err != nil {
		h.creditRefused(w, r, stepName, id, err)
		return
	}
	if _, err := d.CreditStepWithFiles(r.Context(), id, s.files, func(stored credit.Listing, _ bool) (credit.Listing, credit.Event, error) {
		return s.take(stored)
	}); err != nil {
		h.creditRefused(w, r, stepName, id, err)
		return
	}
	h.cfg.Logger.Info("credit step", "listing", id, "step", stepName, "actor", c.Party.String())
	wp := h.newPage(r, "")
	http.Redirect(w, r, wp.Link("/work/credit?done=1"), http.StatusSeeOther)
}

// creditStep is one step of the page's forms on a listing, as its form
// asks it: the action it needs on its target, and the rule of
// credit.Rules that takes it on the stored listing.
type creditStep struct {
	need   access.Action
	target access.Target
	take   func(credit.Listing) (credit.Listing, credit.Event, error)
	// A repair's evidence: its lines, then the reference of the filed
	// document readFile reads, which files holds.
	repair   bool
	evidence []string
	files    []credit.File
}

// readCreditStep reads the form of step name on listing l, to be taken
// as st under rules; false for a step the page does not have.
func readCreditStep(r *http.Request, rules *credit.Rules, st credit.Step, l credit.Listing, name string) (*creditStep, bool) {
	statement := strings.TrimSpace(r.PostFormValue("statement"))
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	s := &creditStep{target: access.Target{Region: l.Region}}
	switch name {
	case "objection":
		s.need, s.target = access.CreditRepairApply, access.Target{Owner: thttp.SubjectUnit(l.Subject)}
		s.take = func(l credit.Listing) (credit.Listing, credit.Event, error) { return rules.Object(l, st, statement) }
	case "repair":
		s.need, s.target = access.CreditRepairApply, access.Target{Owner: thttp.SubjectUnit(l.Subject)}
		s.repair = true
		for _, line := range strings.Split(r.PostFormValue("evidence"), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				s.evidence = append(s.evidence, line)
			}
		}
		s.take = func(l credit.Listing) (credit.Listing, credit.Event, error) {
			return rules.ApplyRepair(l, st, statement, s.evidence)
		}
	case "decision":
		s.need = access.CreditList
		list := r.PostFormValue("list") == "true"
		decision := strings.TrimSpace(r.PostFormValue("decision"))
		s.take = func(l credit.Listing) (credit.Listing, credit.Event, error) {
			return rules.Decide(l, st, list, decision, reason)
		}
	case "repair-decision":
		s.need = access.CreditRepairDecide
		grant := r.PostFormValue("grant") == "true"
		s.take = func(l credit.Listing) (credit.Listing, credit.Event, error) {
			return rules.DecideRepair(l, st, grant, reason)
		}
	default:
		return nil, false
	}
	return s, true
}

// readFile reads a repair's evidence file, when one was sent, as one more
// item of its evidence. It is read only once the caller may take the
// step.
func (s *creditStep) readFile(r *http.Request) error {
	if !s.repair {
		return nil
	}
	f, err := evidenceFile(r)
	if f != nil {
		s.files, s.evidence = append(s.files, *f), append(s.evidence, f.Ref())
	}
	return err
}

// evidenceFile reads the repair form's file, at most credit.MaxEvidenceBytes;
// nil when none was sent.
func evidenceFile(r *http.Request) (*credit.File, error) {
	f, fh, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil {
		return nil, trustmark.Invalidf("credit.evidence_size", "file", "an evidence file is at most %d bytes", credit.MaxEvidenceBytes)
	}
	defer f.Close()
	if fh.Size > credit.MaxEvidenceBytes {
		return nil, trustmark.Invalidf("credit.evidence_size", "file", "an evidence file is at most %d bytes", credit.MaxEvidenceBytes)
	}
	data, err := io.ReadAll(io.LimitReader(f, credit.MaxEvidenceBytes+1))
	if err != nil {
		return nil, err
	}
	file := credit.File{Name: fh.Filename, Data: data}
	return &file, credit.CheckFile(file)
}

// creditRefused shows the page again with the refusal next to its form.
func (h *Handler) creditRefused(w http.ResponseWriter, r *http.Request, form, id string, err error) {
	refuseRebuilt(h, w, r, err, "credit_work", h.buildCreditWork, func(p *CreditWorkPage) {
		p.Error, p.Form, p.Listing, p.Statement = p.T.Reason(err), form, id, r.PostFormValue("statement")
		h.cfg.Logger.Info("credit step refused", slog.String("listing", id), slog.String("step", form), slog.String("err", err.Error()))
	})
}

// creditEvidence serves a filed document to the listed party and the
// regulators of the listing's region, as a download.
func (h *Handler) creditEvidence(w http.ResponseWriter, r *http.Request) {
	d := h.creditDesk()
	if d == nil {
		h.notFoundPage(w, r)
		return
	}
	l, err := d.CreditListing(r.Context(), r.PathValue("id"))
	if err != nil {
		h.notFoundPage(w, r)
		return
	}
	c := thttp.CallerOf(r)
	_, _, errParty := c.Decide(access.CreditRepairApply, access.Target{Owner: thttp.SubjectUnit(l.Subject)})
	_, _, errReg := c.Decide(access.CreditRepairDecide, access.Target{Region: l.Region})
	if errParty != nil && errReg != nil {
		h.notFoundPage(w, r)
		return
	}
	f, err := d.CreditEvidence(r.Context(), l.ID, r.PathValue("sha"))
	if trustmark.IsNotFound(err) {
		h.notFoundPage(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(f.Data)
}
