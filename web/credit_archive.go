package web

import (
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

// The regulators' archive page (/work/credit/archive): look up a subject
// of the region, read its integrity archive, and record an entry through
// the same thttp.RecordArchiveEntry as POST /api/v1/credit/archive, so
// that access.CreditRecord and credit.Archive.RecordRequest decide alike.
// A refusal is shown next to the field it names.

func init() { pageTemplates = append(pageTemplates, "credit_archive") }

func (h *Handler) creditArchiveRoutes(mux *patternMux) {
	mux.HandleFunc("GET /work/credit/archive", h.creditArchivePage)
	mux.HandleFunc("POST /work/credit/archive", h.creditArchivePost)
}

// archiveFields are the form's fields, named as the JSON request's.
var archiveFields = []string{"subject_kind", "subject_id", "kind", "summary", "decision", "source", "legal_basis",
	"on", "valid_from", "valid_until", "kept", "supersedes", "withdrawn"}

// archiveEntryKinds are the kinds a regulator records here: a listing goes
// through the listing procedure.
var archiveEntryKinds = []credit.EntryKind{credit.Penalty, credit.Finding, credit.Commitment, credit.Commendation, credit.Revocation, credit.Ban}

// CreditArchivePage is /work/credit/archive.
type CreditArchivePage struct {
	WorkPage
	Kinds, EntryKinds []Option
	Values            map[string]string
	// Subject is the subject looked up ("" before a lookup); Region its
	// region's name; Entries its archive as known now.
	Subject, Region string
	Entries         []CreditArchiveEntryView
	// Errors holds a refusal by field; Error one that names no field.
	Errors      map[string]string
	Error, Done string
	Today       string
}

// CreditArchiveEntryView is one entry, with its id (a correction names it).
type CreditArchiveEntryView struct {
	CreditEntryView
	ID, Kept, Supersedes string
	Withdrawn            bool
}

// FieldError returns the refusal of field f, "" when none.
func (p *CreditArchivePage) FieldError(f string) string { return p.Errors[f] }

// mayRecordCredit returns nil when c is a regulator, who may record in the
// archives of the subjects of its region (access.Decide then checks the
// subject's region), else the matrix's refusal.
func mayRecordCredit(c *thttp.Caller) error {
	if slices.ContainsFunc(c.Roles, func(r account.Role) bool { return r.Kind == account.Regulator }) {
		return nil
	}
	_, _, err := c.Decide(access.CreditRecord, access.Target{})
	return err
}

func (h *Handler) archivePage(r *http.Request) (*CreditArchivePage, *thttp.Caller) {
	wp, c := h.workPage(r, func(m *Messages) string { return m.Credit.Record.Title })
	t := wp.T
	p := &CreditArchivePage{WorkPage: wp, Values: map[string]string{}, Errors: map[string]string{}, Today: h.today().String()}
	for _, k := range []credit.SubjectKind{credit.Body, credit.Lab, credit.Person, credit.Org} {
		p.Kinds = append(p.Kinds, Option{Value: string(k), Label: h.subjectKindName(t, k)})
	}
	for _, k := range archiveEntryKinds {
		p.EntryKinds = append(p.EntryKinds, Option{Value: string(k), Label: t.Credit.Work.EntryKinds[string(k)]})
	}
	return p, c
}

func (h *Handler) creditArchivePage(w http.ResponseWriter, r *http.Request) {
	p, c := h.archivePage(r)
	if err := mayRecordCredit(c); err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	p.Values["subject_kind"], p.Values["subject_id"] = q.Get("kind"), strings.TrimSpace(q.Get("id"))
	if q.Get("done") != "" {
		p.Done = p.T.Credit.Record.Done
	}
	if p.Values["subject_id"] != "" {
		if err := h.loadArchive(r, c, p); err != nil {
			h.refuse(w, r, err, "credit_archive", p, func() { p.showRefusal(err) })
			return
		}
	}
	h.render(w, r, http.StatusOK, "credit_archive", p)
}

// loadArchive fills in the archive of the subject p.Values names, when c
// may record in it.
func (h *Handler) loadArchive(r *http.Request, c *thttp.Caller, p *CreditArchivePage) error {
	as, ok := h.cfg.Store.(thttp.ArchiveStore)
	if !ok {
		return trustmark.Errorf(trustmark.EUnavailable, "", "the portal does not keep the integrity archives")
	}
	s, err := credit.ParseSubject(p.Values["subject_kind"], p.Values["subject_id"])
	if err != nil {
		return err
	}
	a, region, err := thttp.ReadArchive(r, as, h.personalLog(), c, h.cfg.Clock(), s)
	if err != nil {
		return err
	}
	p.Subject, p.Region = h.subjectKindName(p.T, s.Kind)+" "+s.ID, h.regionName(p.T, region)
	p.Values["subject_kind"], p.Values["subject_id"] = string(s.Kind), s.ID
	rec := p.T.Credit.Record
	for _, e := range a.Entries {
		v := CreditArchiveEntryView{CreditEntryView: h.entryView(p.T, e), ID: e.ID, Supersedes: e.Supersedes, Withdrawn: e.Withdrawn}
		if e.Kept != nil {
			v.Kept = map[bool]string{true: rec.KeptYes, false: rec.KeptNo}[*e.Kept]
		}
		p.Entries = append(p.Entries, v)
	}
	return nil
}

func (h *Handler) creditArchivePost(w http.ResponseWriter, r *http.Request) {
	p, c := h.archivePage(r)
	if err := mayRecordCredit(c); err != nil {
		h.fail(w, r, err)
		return
	}
	as, ok := h.cfg.Store.(thttp.ArchiveStore)
	if !ok {
		h.fail(w, r, trustmark.Errorf(trustmark.EUnavailable, "", "the portal does not keep the integrity archives"))
		return
	}
	form := url.Values{}
	for _, f := range archiveFields {
		p.Values[f] = strings.TrimSpace(r.PostFormValue(f))
		form.Set(f, p.Values[f])
	}
	req, err := ParseArchiveForm(form)
	var e credit.Entry
	if err == nil {
		e, err = thttp.RecordArchiveEntry(r.Context(), as, c, h.cfg.Clock(), req)
	}
	if err != nil {
		h.refuse(w, r, err, "credit_archive", p, func() {
			p.showRefusal(err)
			if lerr := h.loadArchive(r, c, p); lerr != nil && p.Error == "" && thttp.StatusCode(trustmark.ErrorCode(lerr)) < 500 {
				p.Error = p.T.Reason(lerr)
			}
		})
		return
	}
	h.cfg.Logger.Info("credit entry recorded on the workbench", "id", e.ID, "kind", string(e.Kind), "subject", e.Subject.String(), "by", e.RecordedBy)
	v := url.Values{"kind": {string(e.Subject.Kind)}, "id": {e.Subject.ID}, "done": {e.ID}}
	h.redirect(w, r, &p.Page, "/work/credit/archive?"+v.Encode())
}

// showRefusal puts err next to its field, or above the form when it
// names none.
func (p *CreditArchivePage) showRefusal(err error) {
	msg := p.T.Reason(err)
	if f := trustmark.ErrorField(err); f != "" && slices.Contains(archiveFields, f) {
		p.Errors[f] = msg
	} else {
		p.Error = msg
	}
}

// ParseArchiveForm reads the archive form's values into the API's request.
// Dates are YYYY-MM-DD or empty; kept is "", "true" or "false"; withdrawn
// is "on", "true" or empty. The refusal names the field.
func ParseArchiveForm(v url.Values) (thttp.ArchiveEntryRequest, error) {
	req := thttp.ArchiveEntryRequest{SubjectKind: v.Get("subject_kind"), SubjectID: v.Get("subject_id"), Kind: credit.EntryKind(v.Get("kind")),
		Summary: v.Get("summary"), Decision: v.Get("decision"), Source: v.Get("source"), LegalBasis: v.Get("legal_basis"),
		Supersedes: v.Get("supersedes")}
	for _, d := range []struct {
		field string
		dst   *trustmark.Date
	}{{"on", &req.On}, {"valid_from", &req.ValidFrom}, {"valid_until", &req.ValidUntil}} {
		s := strings.TrimSpace(v.Get(d.field))
		if s == "" {
			continue
		}
		t, err := trustmark.ParseDate(s)
		if err != nil {
			return req, trustmark.Invalidf("field.date", d.field, "%s %q is not a real date of the form YYYY-MM-DD", d.field, s)
		}
		*d.dst = t
	}
	switch v.Get("kept") {
	case "":
	case "true", "false":
		kept := v.Get("kept") == "true"
		req.Kept = &kept
	default:
		return req, trustmark.Invalidf("credit.entry_kept", "kept", "only a commitment is kept or broken, not a %s", req.Kind)
	}
	switch v.Get("withdrawn") {
	case "", "false":
	case "on", "true":
		req.Withdrawn = true
	default:
		return req, trustmark.Invalidf("credit.entry_withdrawn", "withdrawn", "a withdrawal names the entry it withdraws")
	}
	return req, nil
}
