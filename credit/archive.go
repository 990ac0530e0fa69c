// Package credit keeps the integrity archives (诚信档案) of certification
// bodies, laboratories, persons and certified organisations, takes listings
// on the serious-violation list (严重违法失信名单) through their procedure,
// decides credit repair, records lifetime bans (终身禁入), and answers the
// one question every other workflow asks before a subject acts: Standing.
//
// Everything here is pure: a step takes the current state, the request and
// its dates, and returns the new state with its events, or a refusal that
// names the rule. Storage persists what these functions decide; the adapters
// never decide themselves.
//
// Archives are bitemporal. Each entry has a valid time (the period in which
// it has effect, ValidFrom through ValidUntil) and a record time
// (RecordedAt). An entry is never changed: a correction is a new entry that
// supersedes it. So "the record as it stood on date X, as known at time Y"
// is a query (Archive.AsOf), and a page can show exactly what a regulator
// saw when it decided.
package credit

import (
	"slices"
	"strings"
	"time"

	"trustmark"
)

// SubjectKind is what a subject of an archive is. The values are the
// registry's entity names, so a subject reads the same in the event log.
type SubjectKind string

// Kinds of subject.
const (
	Body   SubjectKind = trustmark.EntityBody   // a certification body, by approval number
	Lab    SubjectKind = trustmark.EntityLab    // a laboratory, by CMA number
	Person SubjectKind = trustmark.EntityPerson // an auditor or inspector, by registration number
	Org    SubjectKind = trustmark.EntityOrg    // a certified organisation, by USCC
)

// Valid reports whether k is one of the four kinds of subject.
func (k SubjectKind) Valid() bool { return k == Body || k == Lab || k == Person || k == Org }

// Subject names whose archive an entry belongs to. ID is the subject's
// identifier in canonical form (the adapters parse it with the root
// package's identifier types before it reaches here).
type Subject struct {
	Kind SubjectKind `json:"kind"`
	ID   string      `json:"id"`
}

// String returns "kind:id".
func (s Subject) String() string { return string(s.Kind) + ":" + s.ID }

// EntryKind is what an archive entry records.
type EntryKind string

// Kinds of entry. SeriousViolation and Ban entries are written by the listing
// procedure and Ban; the others by the regulator or workflow that learnt
// of them.
const (
	Penalty          EntryKind = "penalty"      // an administrative penalty (行政处罚)
	Finding          EntryKind = "finding"      // a finding of an inspection or audit
	Commitment       EntryKind = "commitment"   // a commitment under 告知承诺, and whether it was kept
	Commendation     EntryKind = "commendation" // a commendation (表彰)
	Revocation       EntryKind = "revocation"   // an approval or qualification revoked (撤销批准)
	SeriousViolation EntryKind = "listing"      // on the serious-violation list, for its period
	Ban              EntryKind = "ban"          // a lifetime ban (终身禁入): never expires
)

var entryKinds = []EntryKind{Penalty, Finding, Commitment, Commendation, Revocation, SeriousViolation, Ban}

// Entry is one fact in a subject's archive. Entries are immutable: a
// correction is a new entry whose Supersedes names the entry it replaces
// (Withdrawn when it retracts it altogether).
type Entry struct {
	ID      string    `json:"id"`
	Subject Subject   `json:"subject"`
	Kind    EntryKind `json:"kind"`
	Summary string    `json:"summary"`
	// Decision is the number of the decision the entry records (处罚决定书
	// 文号, listing decision), which a refusal quotes.
	Decision   string `json:"decision,omitempty"`
	Source     string `json:"source"`      // where it came from: "inspection:2026-031", "penalty:京市监罚〔2026〕12号"
	LegalBasis string `json:"legal_basis"` // the article it rests on
	RecordedBy string `json:"recorded_by"` // the account or workflow that recorded it

	On         trustmark.Date `json:"on"`                    // the day of the act (decision, finding, commitment)
	ValidFrom  trustmark.Date `json:"valid_from"`            // valid time: first day of effect
	ValidUntil trustmark.Date `json:"valid_until,omitempty"` // last day of effect; zero means no end
	RecordedAt time.Time      `json:"recorded_at"`           // record time

	// Kept says whether a commitment was kept; nil while it is not known.
	Kept *bool `json:"kept,omitempty"`

	Supersedes string `json:"supersedes,omitempty"`
	Withdrawn  bool   `json:"withdrawn,omitempty"`
}

// InEffect reports whether e has effect on day d (both ends counted).
func (e Entry) InEffect(d trustmark.Date) bool {
	return !d.Before(e.ValidFrom) && (e.ValidUntil.IsZero() || !d.After(e.ValidUntil))
}

// Archive is a subject's integrity archive: every entry ever recorded, in
// record order. The zero Archive of a subject is an empty archive.
type Archive struct {
	Subject Subject `json:"subject"`
	Entries []Entry `json:"entries"`
}

// Record returns the archive with e appended, or a refusal naming the rule
// it breaks. Record time only moves forward, so that "as known at" queries
// never change once answered.
func (a Archive) Record(e Entry) (Archive, error) {
	if err := a.check(e); err != nil {
		return a, err
	}
	out := a
	out.Entries = append(slices.Clip(a.Entries), e)
	return out, nil
}

func (a Archive) check(e Entry) error {
	switch {
	case !a.Subject.Kind.Valid() || a.Subject.ID == "":
		return trustmark.Invalidf("credit.subject_missing", "subject", "an archive needs a subject kind (body, lab, person, org) and id")
	case e.Subject != a.Subject:
		return trustmark.Invalidf("credit.subject", "subject", "entry %s is about %s, not %s", e.ID, e.Subject, a.Subject)
	case strings.TrimSpace(e.ID) == "":
		return trustmark.Invalidf("credit.entry_id", "id", "an entry needs an id")
	case !slices.Contains(entryKinds, e.Kind):
		return trustmark.Invalidf("credit.entry_kind", "kind", "%q is not a kind of archive entry", e.Kind)
	case e.Source == "" || e.RecordedBy == "":
		return trustmark.Invalidf("credit.entry_source", "source", "entry %s needs its source and who recorded it", e.ID)
	case e.On.IsZero() || e.ValidFrom.IsZero():
		return trustmark.Invalidf("credit.entry_dates_missing", "on", "entry %s needs the day of the act and the first day of effect", e.ID)
	case !e.ValidUntil.IsZero() && e.ValidUntil.Before(e.ValidFrom):
		return trustmark.Invalidf("credit.entry_dates", "valid_until", "entry %s ends %s, before it starts %s", e.ID, e.ValidUntil, e.ValidFrom)
	case e.Kind == Ban && !e.ValidUntil.IsZero():
		return trustmark.Invalidf("credit.ban_for_life", "valid_until", "a lifetime ban has no end date")
	case e.RecordedAt.IsZero():
		return trustmark.Invalidf("credit.entry_dates_missing", "recorded_at", "entry %s needs its record time", e.ID)
	}
	for _, old := range a.Entries {
		if old.ID == e.ID {
			return trustmark.Reasonf(trustmark.EConflict, "credit.entry_exists", "id", "entry %s is already recorded", e.ID)
		}
	}
	if n := len(a.Entries); n > 0 && e.RecordedAt.Before(a.Entries[n-1].RecordedAt) {
		return trustmark.Reasonf(trustmark.EConflict, "credit.record_time", "recorded_at", "entry %s is recorded at %s, before the last entry", e.ID, e.RecordedAt.Format(time.RFC3339))
	}
	if e.Supersedes != "" && !slices.ContainsFunc(a.Entries, func(o Entry) bool { return o.ID == e.Supersedes }) {
		return trustmark.Invalidf("credit.supersedes", "supersedes", "entry %s corrects %s, which is not in the archive", e.ID, e.Supersedes)
	}
	return nil
}

// Known returns the entries as known at time known: those recorded by then,
// each replaced by its latest correction recorded by then, withdrawn ones
// left out. The order is record order of the original entries.
func (a Archive) Known(known time.Time) []Entry {
	current := map[string]int{} // original id → index into out
	origin := map[string]string{}
	var out []Entry
	gone := map[string]bool{}
	for _, e := range a.Entries {
		if e.RecordedAt.After(known) {
			break // record time only moves forward
		}
		root := e.ID
		if e.Supersedes != "" {
			root = origin[e.Supersedes]
		}
		origin[e.ID] = root
		if i, ok := current[root]; ok {
			out[i] = e
		} else {
			current[root] = len(out)
			out = append(out, e)
		}
		gone[root] = e.Withdrawn
	}
	return slices.DeleteFunc(out, func(e Entry) bool { return gone[origin[e.ID]] })
}

// AsOf returns the record as it stood on day valid, as known at time known:
// the entries Known(known) returns that had effect on valid.
func (a Archive) AsOf(valid trustmark.Date, known time.Time) []Entry {
	return slices.DeleteFunc(a.Known(known), func(e Entry) bool { return !e.InEffect(valid) })
}
