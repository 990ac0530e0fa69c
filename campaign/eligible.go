package campaign

import (
	"context"
	"maps"
	"slices"
	"strings"

	"trustmark"
	"trustmark/credit"
	"trustmark/draw"
)

// A campaign's eligible list and inspector pool can be taken from the
// registry as it stands when the campaign is committed: the subjects of its
// kind in its region that its filters select, each with its risk or credit
// class, and the registered persons of the region's bodies, those whose
// credit bars them from being drawn kept in the pool marked banned (so the
// exclusion is public). The functions here decide; storage reads the rows.

// Filters a registry campaign understands.
const (
	FilterCertType   = "cert_type"   // certificates of this type (certificate and org campaigns)
	FilterCertStatus = "cert_status" // certificates in this status (default valid)
	FilterStatus     = "status"      // bodies or laboratories in this status (default active)
)

// Selection is what a registry campaign asks storage for.
type Selection struct {
	Kind       string // body, lab, org, certificate
	Region     string // a GB/T 2260 code or the nation: covered by trustmark.Regions.Covers
	CertType   string
	CertStatus string
	Status     string
}

// SelectionOf reads c's filters; an unknown filter is refused, not ignored,
// so that nobody believes a list was narrowed when it was not.
func SelectionOf(c *Campaign) (Selection, error) {
	s := Selection{Kind: c.SubjectKind, Region: c.Region, CertStatus: string(trustmark.StatusValid), Status: "active"}
	for _, k := range slices.Sorted(maps.Keys(c.Filters)) {
		v := strings.TrimSpace(c.Filters[k])
		switch k {
		case FilterCertType:
			s.CertType = v
		case FilterCertStatus:
			s.CertStatus = v
		case FilterStatus:
			s.Status = v
		default:
			return s, trustmark.Reasonf(trustmark.EInvalid, "campaign.filter", "filters", "filter %q is not one of cert_type, cert_status, status", k)
		}
	}
	if (s.Kind == "body" || s.Kind == "lab") && s.CertType != "" {
		return s, trustmark.Reasonf(trustmark.EInvalid, "campaign.filter", "filters", "a %s campaign cannot filter on certificates", s.Kind)
	}
	return s, nil
}

// Candidate is a registry row that the selection matched: its id, region
// and the unit an inspector must not belong to ("-" for none), and whose
// credit archive gives its credit class (Credit: its own id, or for a
// certificate its holder's USCC).
type Candidate struct {
	ID, Region, Unit, Credit string
}

// Person is a registered person who may be drawn as an inspector: its
// employer (a body) and that body's region, its status, and its credit
// archive (empty when it has none).
type Person struct {
	ID, Body, Region, Status string
	Archive                  credit.Archive
}

// RiskClasses is a store that keeps risk scores and answers each subject's
// risk class; a subject it has no score for has no risk signal, and gets
// its credit class (the default class, A, unless its archive says worse).
type RiskClasses interface {
	RiskClasses(ctx context.Context, kind string, ids []string) (map[string]string, error)
}

// CreditClass is a subject's class from its credit archive, for subjects
// without a risk class: D while a ban, a serious-violation listing or a
// revocation is in effect, C while any other adverse entry (a penalty, a
// finding, a broken commitment) is, and def otherwise.
func CreditClass(a credit.Archive, on trustmark.Date, def draw.Class) draw.Class {
	class := def
	for _, e := range a.Entries {
		if e.Withdrawn || !e.InEffect(on) {
			continue
		}
		switch e.Kind {
		case credit.Ban, credit.SeriousViolation, credit.Revocation:
			return "D"
		case credit.Penalty, credit.Finding:
			class = "C"
		case credit.Commitment:
			if e.Kept != nil && !*e.Kept {
				class = "C"
			}
		}
	}
	return class
}

// Eligible builds the frozen subject list: each candidate with its class,
// the risk class where risk gives one, else its credit class (archives by
// id; a subject without an archive has def).
func Eligible(cands []Candidate, risk map[string]string, archives map[string]credit.Archive, on trustmark.Date, def draw.Class) []draw.Subject {
	out := make([]draw.Subject, 0, len(cands))
	for _, c := range cands {
		class := draw.Class(risk[c.ID])
		if class == "" {
			class = CreditClass(archives[cmpOr(c.Credit, c.ID)], on, def)
		}
		unit := c.Unit
		if unit == "" {
			unit = "-"
		}
		out = append(out, draw.Subject{ID: c.ID, Class: class, Region: Province(c.Region), Unit: unit})
	}
	return out
}

// Pool builds the inspector pool from registered persons: each with its
// body as its unit (so that nobody inspects their own employer) and its
// body's region; a person who is not active, or whom credit bars from
// being drawn on day on (credit.Excluded), is in the pool marked banned.
func Pool(persons []Person, on trustmark.Date) []draw.Inspector {
	out := make([]draw.Inspector, 0, len(persons))
	for _, p := range persons {
		banned := p.Status != string(trustmark.PartyActive)
		if ex, _ := credit.Excluded(p.Archive, on); ex {
			banned = true
		}
		out = append(out, draw.Inspector{ID: p.ID, Region: Province(p.Region), Unit: p.Body, Banned: banned})
	}
	return out
}

// Province is the province of a GB/T 2260 code, the level that carries
// out a registry campaign's inspections (总局统一抽取、分级实施): a subject's
// team is drawn from the inspectors of its province, and the province's
// regulators record its finding. A code that is not six digits is kept.
func Province(code string) string {
	if len(code) != 6 || code == trustmark.NationalRegion {
		return code
	}
	return code[:2] + "0000"
}

// RegistrySpec is what a registry campaign's commitment takes besides the
// registry: the seed, the repeat period, the draw day, the class of
// subjects with neither risk class nor adverse credit, and the conflicts
// inspectors declared.
type RegistrySpec struct {
	Seed         draw.SeedSpec
	RepeatDays   int
	DrawnOn      trustmark.Date
	DefaultClass draw.Class
	Conflicts    []draw.Pair
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
