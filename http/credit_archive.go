package http

import (
	"context"
	nethttp "net/http"
	"strings"
	"time"

	"trustmark"
	"trustmark/access"
	"trustmark/credit"
)

// ArchiveStore keeps the integrity archives; sqlstore.DB implements it.
type ArchiveStore interface {
	// CreditArchive returns every entry of s's archive in record order.
	CreditArchive(ctx context.Context, s credit.Subject) (credit.Archive, error)
	// CreditSubjectRegion returns s's region as the registry holds it, or
	// a not_found error when the registry does not hold s.
	CreditSubjectRegion(ctx context.Context, s credit.Subject) (string, error)
	// RecordCreditEntryBy records, in one transaction, the entry decide
	// returns given the subject's region and archive.
	RecordCreditEntryBy(ctx context.Context, s credit.Subject, decide func(region string, a credit.Archive) (credit.Entry, error)) (credit.Entry, error)
}

// ArchiveEntryRequest is a regulator's entry in a subject's integrity
// archive (POST /api/v1/credit/archive). On defaults to today, ValidFrom
// to On, Source to "decision:" + Decision; a ban has no ValidUntil; Kept
// is only for a commitment; Supersedes and Withdrawn correct an entry.
type ArchiveEntryRequest struct {
	SubjectKind string           `json:"subject_kind"`
	SubjectID   string           `json:"subject_id"`
	Kind        credit.EntryKind `json:"kind"`
	Summary     string           `json:"summary"`
	Decision    string           `json:"decision"`
	Source      string           `json:"source"`
	LegalBasis  string           `json:"legal_basis"`
	On          trustmark.Date   `json:"on"`
	ValidFrom   trustmark.Date   `json:"valid_from"`
	ValidUntil  trustmark.Date   `json:"valid_until"`
	Kept        *bool            `json:"kept"`
	Supersedes  string           `json:"supersedes"`
	Withdrawn   bool             `json:"withdrawn"`
}

// Entry returns the domain's request for subject s.
func (q ArchiveEntryRequest) Entry(s credit.Subject) credit.EntryRequest {
	return credit.EntryRequest{Subject: s, Kind: q.Kind, Summary: q.Summary, Decision: q.Decision, Source: q.Source,
		LegalBasis: q.LegalBasis, On: q.On, ValidFrom: q.ValidFrom, ValidUntil: q.ValidUntil, Kept: q.Kept,
		Supersedes: q.Supersedes, Withdrawn: q.Withdrawn}
}

// ArchiveJSON is GET /api/v1/credit/archive/{kind}/{id}: the entries as
// the record stood on AsOf (every entry in effect that day; all entries
// when AsOf is absent), as known at KnownAt.
type ArchiveJSON struct {
	Subject credit.Subject `json:"subject"`
	AsOf    trustmark.Date `json:"as_of,omitempty"`
	KnownAt time.Time      `json:"known_at"`
	Entries []credit.Entry `json:"entries"`
}

func (s *Server) archiveStore() (ArchiveStore, error) {
	return storeFor[ArchiveStore](s, "the integrity archives")
}

// RecordArchiveEntry records the entry req asks of caller c in the archive
// of the subject it names, at now: the subject's region comes from the
// registry, access.Decide says whether c may record there
// (access.CreditRecord), and credit.Archive.RecordRequest decides the
// entry. The workbench's form records through it too.
func RecordArchiveEntry(ctx context.Context, as ArchiveStore, c *Caller, now time.Time, req ArchiveEntryRequest) (credit.Entry, error) {
	subj, err := credit.ParseSubject(req.SubjectKind, req.SubjectID)
	if err != nil {
		return credit.Entry{}, err
	}
	rec := credit.Recording{ID: "E" + now.UTC().Format("20060102") + "-" + strings.ToUpper(randomHex(4)), At: now.UTC(), By: c.Party.String()}
	return as.RecordCreditEntryBy(ctx, subj, func(region string, a credit.Archive) (credit.Entry, error) {
		if _, _, err := c.Decide(access.CreditRecord, access.Target{Region: region}); err != nil {
			return credit.Entry{}, err
		}
		_, e, err := a.RecordRequest(req.Entry(subj), rec)
		return e, err
	})
}

func (s *Server) recordArchiveEntry(w nethttp.ResponseWriter, r *nethttp.Request) {
	as, err := s.archiveStore()
	if err != nil {
		Error(w, r, err)
		return
	}
	var req ArchiveEntryRequest
	if err := DecodeJSON(r, &req); err != nil {
		Error(w, r, err)
		return
	}
	c, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	e, err := RecordArchiveEntry(r.Context(), as, c, s.cfg.Clock(), req)
	if err != nil {
		Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/credit/archive/"+string(e.Subject.Kind)+"/"+e.Subject.ID)
	WriteJSON(w, nethttp.StatusCreated, e)
}

// getArchive answers GET /api/v1/credit/archive/{kind}/{id}: to the
// regulators of the subject's region (access.CreditRecord) and to the
// subject itself (access.CreditRepairApply, own unit). A person's entries
// describe the person, so a regulator's reading of them is written to the
// access log of personal data first.
func (s *Server) getArchive(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := parseQuery(r, "as_of", "known_at")
	asOf := q.date("as_of")
	knownAt := s.cfg.Clock().UTC()
	if v := q.str("known_at"); v != "" && q.err == nil {
		t, err := ParseKnownAt(v)
		if err != nil {
			q.fail(err)
		}
		knownAt = t
	}
	if q.err != nil {
		Error(w, r, q.err)
		return
	}
	subj, err := credit.ParseSubject(r.PathValue("kind"), r.PathValue("id"))
	if err != nil {
		Error(w, r, err)
		return
	}
	as, err := s.archiveStore()
	if err != nil {
		Error(w, r, err)
		return
	}
	c, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	a, _, err := ReadArchive(r, as, s.personalLog(), c, s.cfg.Clock(), subj)
	if err != nil {
		Error(w, r, err)
		return
	}
	out := ArchiveJSON{Subject: subj, AsOf: asOf, KnownAt: knownAt}
	if asOf.IsZero() {
		out.Entries = a.Known(knownAt)
	} else {
		out.Entries = a.AsOf(asOf, knownAt)
	}
	if out.Entries == nil {
		out.Entries = []credit.Entry{}
	}
	WriteJSON(w, nethttp.StatusOK, out)
}

// ReadArchive returns the archive of subj, and its region, to caller c:
// to the regulators of the region (access.CreditRecord) and to the subject
// itself (access.CreditRepairApply, own unit). A person's entries describe
// the person, so another's reading of them is written to the access log of
// personal data first. The API and the workbench read archives through it.
func ReadArchive(r *nethttp.Request, as ArchiveStore, log trustmark.PersonalAccessLog, c *Caller, now time.Time, subj credit.Subject) (credit.Archive, string, error) {
	region, err := as.CreditSubjectRegion(r.Context(), subj)
	if err != nil {
		return credit.Archive{}, "", err
	}
	_, _, errReg := c.Decide(access.CreditRecord, access.Target{Region: region})
	_, _, errOwn := c.Decide(access.CreditRepairApply, access.Target{Owner: SubjectUnit(subj)})
	if errReg != nil && errOwn != nil {
		return credit.Archive{}, "", errReg
	}
	a, err := as.CreditArchive(r.Context(), subj)
	if err != nil {
		return credit.Archive{}, "", err
	}
	if subj.Kind == credit.Person && len(a.Entries) > 0 && errOwn != nil {
		v := PersonalView{Subject: PersonSubject(subj.ID), Fields: []string{"credit_summary"}, Region: region, Context: "credit_archive"}
		if err := RecordPersonalAccess(log, r, c, now, v); err != nil {
			return credit.Archive{}, "", err
		}
	}
	return a, region, nil
}

// ParseKnownAt reads the known_at of an archive query: an RFC 3339 time,
// or a day (YYYY-MM-DD), which means the end of that day in China
// Standard Time, as the registry's days are.
func ParseKnownAt(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	d, err := trustmark.ParseDate(v)
	if err != nil {
		return time.Time{}, trustmark.Invalidf("credit.known_at", "known_at", "known_at %q is neither a time (2026-03-15T10:00:00+08:00) nor a day (2026-03-15)", v)
	}
	next := d.AddDate(0, 0, 1).Time()
	cst := time.FixedZone("CST", 8*3600)
	return time.Date(next.Year(), next.Month(), next.Day(), 0, 0, 0, 0, cst).Add(-time.Nanosecond).UTC(), nil
}
