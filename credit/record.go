package credit

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"trustmark"
)

// EntryRequest is what a regulator records in a subject's archive
// (POST /api/v1/credit/archive and the workbench's archive form): a
// penalty, a finding, a commitment and whether it was kept, a
// commendation, a revocation, a lifetime ban, or a correction of one of
// them (Supersedes, Withdrawn). Listings are not recorded this way: they
// go through the listing procedure (Rules.Propose and its steps).
type EntryRequest struct {
	Subject    Subject
	Kind       EntryKind
	Summary    string
	Decision   string // the decision's number; required where a refusal quotes it
	Source     string // defaults to "decision:" + Decision
	LegalBasis string
	On         trustmark.Date // the day of the act; defaults to the day of recording
	ValidFrom  trustmark.Date // defaults to On
	ValidUntil trustmark.Date // none for a ban
	Kept       *bool          // only for a commitment
	Supersedes string
	Withdrawn  bool
}

// Recording is who records an entry, when, and under which id.
type Recording struct {
	ID string
	At time.Time
	By string // the regulator, as a party ("regulator:110000")
}

// decided are the kinds of entry that rest on a decision, whose number
// and legal basis every refusal they cause (Verdict.Err) quotes.
var decided = []EntryKind{Penalty, Revocation, Ban}

// RecordRequest returns the archive with the regulator's entry r
// appended, and the entry, or a refusal naming the field and the rule:
// a listing (only the listing procedure lists), a summary missing, a
// decision number or legal basis missing where refusals will quote them,
// a ban with an end date, Kept on anything but a commitment, a
// withdrawal that names no entry, a correction of a listing's entry; and
// everything Record refuses.
func (a Archive) RecordRequest(r EntryRequest, rec Recording) (Archive, Entry, error) {
	if r.On.IsZero() {
		r.On = trustmark.DateOf(rec.At)
	}
	if r.ValidFrom.IsZero() {
		r.ValidFrom = r.On
	}
	if r.Source == "" && r.Decision != "" {
		r.Source = "decision:" + r.Decision
	}
	e := Entry{ID: rec.ID, Subject: r.Subject, Kind: r.Kind, Summary: strings.TrimSpace(r.Summary), Decision: strings.TrimSpace(r.Decision),
		Source: strings.TrimSpace(r.Source), LegalBasis: strings.TrimSpace(r.LegalBasis), RecordedBy: rec.By,
		On: r.On, ValidFrom: r.ValidFrom, ValidUntil: r.ValidUntil, RecordedAt: rec.At, Kept: r.Kept,
		Supersedes: strings.TrimSpace(r.Supersedes), Withdrawn: r.Withdrawn}
	if err := checkRequest(a, e); err != nil {
		return a, Entry{}, err
	}
	out, err := a.Record(e)
	return out, e, err
}

func checkRequest(a Archive, e Entry) error {
	switch {
	case !e.Subject.Kind.Valid() || e.Subject.ID == "":
		return trustmark.Invalidf("credit.subject_missing", "subject_kind", "an archive needs a subject kind (body, lab, person, org) and id")
	case e.Kind == SeriousViolation:
		return trustmark.Invalidf("credit.entry_by_listing", "kind", "a listing on the serious-violation list is recorded by the listing procedure, not as an archive entry")
	case !slices.Contains(entryKinds, e.Kind):
		return trustmark.Invalidf("credit.entry_kind", "kind", "%q is not a kind of archive entry", e.Kind)
	case e.Summary == "":
		return trustmark.Invalidf("credit.entry_summary", "summary", "an entry needs a summary of what it records")
	case slices.Contains(decided, e.Kind) && e.Decision == "":
		return trustmark.Invalidf("credit.entry_decision", "decision", "a %s needs the number of its decision, which every refusal it causes quotes", e.Kind)
	case slices.Contains(decided, e.Kind) && e.LegalBasis == "":
		return trustmark.Invalidf("credit.entry_legal_basis", "legal_basis", "a %s needs its legal basis, which every refusal it causes quotes", e.Kind)
	case e.Kind == Ban && !e.ValidUntil.IsZero():
		return trustmark.Invalidf("credit.ban_for_life", "valid_until", "a lifetime ban has no end date")
	case e.Kept != nil && e.Kind != Commitment:
		return trustmark.Invalidf("credit.entry_kept", "kept", "only a commitment is kept or broken, not a %s", e.Kind)
	case e.Withdrawn && e.Supersedes == "":
		return trustmark.Invalidf("credit.entry_withdrawn", "supersedes", "a withdrawal names the entry it withdraws")
	}
	if e.Supersedes != "" {
		i := slices.IndexFunc(a.Entries, func(o Entry) bool { return o.ID == e.Supersedes })
		if i >= 0 && a.Entries[i].Kind == SeriousViolation {
			return trustmark.Invalidf("credit.entry_by_listing", "supersedes", "entry %s records a listing, which only the listing procedure changes", e.Supersedes)
		}
	}
	return nil
}

// RegistrationRefused returns why a body's registration of person next
// (old as the registry holds it, nil when new) may not go ahead on day
// on, or nil. a is the person's archive (the zero Archive when it has no
// entries). A row that changes nothing, or records the person as no longer
// practising, is never refused: the file is the body's record of what
// happened. The archive comes first and its refusal names the decision (a
// ban's or a listing's number) and the field registration_no; then a
// person the registry itself holds as banned may not move to another body.
func RegistrationRefused(old, next *trustmark.Person, a Archive, on trustmark.Date) error {
	if next.Status == trustmark.PartyActive && (old == nil || !trustmark.SamePerson(old, next)) && a.Subject.ID != "" {
		if err := Standing(a, Register, on).Err(); err != nil {
			return trustmark.WithField(err, "registration_no")
		}
	}
	if old != nil && old.Status == trustmark.PartyBanned && next.BodyApprovalNo != old.BodyApprovalNo {
		return trustmark.Reasonf(trustmark.EForbidden, "credit.banned_person", "body_approval_no",
			"person %s is banned for life (registry status banned since %s, recorded by body %s) and may not be registered by body %s",
			next.RegistrationNo, old.StatusSince, old.BodyApprovalNo, next.BodyApprovalNo)
	}
	return nil
}

// maxPersonID bounds a person's registration number as outside input.
const maxPersonID = 64

// ParseSubject returns the subject of kind and id as an adapter receives
// them (a path, a form), with id in canonical form: an approval number, a
// CMA number, a USCC, or a person's registration number (trimmed, at most
// 64 characters, printable). The refusal names the field.
func ParseSubject(kind, id string) (Subject, error) {
	s := Subject{Kind: SubjectKind(kind), ID: strings.TrimSpace(id)}
	if !s.Kind.Valid() {
		return s, trustmark.Invalidf("credit.subject_kind", "subject_kind", "%q is not a kind of subject (body, lab, person, org)", kind)
	}
	var err error
	switch s.Kind {
	case Body:
		var n trustmark.ApprovalNo
		n, err = trustmark.ParseApprovalNo(s.ID)
		s.ID = string(n)
	case Lab:
		var n trustmark.CMANo
		n, err = trustmark.ParseCMANo(s.ID)
		s.ID = string(n)
	case Org:
		var n trustmark.USCC
		n, err = trustmark.ParseUSCC(s.ID)
		s.ID = string(n)
	case Person:
		if s.ID == "" || len(s.ID) > maxPersonID || strings.ContainsFunc(s.ID, func(r rune) bool { return r < ' ' || r == 0x7f || r == utf8.RuneError }) {
			err = trustmark.Invalidf("credit.subject_id", "subject_id", "a person is named by a registration number of 1 to %d printable characters", maxPersonID)
		}
	}
	if err != nil {
		return s, trustmark.WithField(err, "subject_id")
	}
	return s, nil
}
