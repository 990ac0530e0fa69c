package risk

import (
	"context"

	"trustmark"
	"trustmark/credit"
)

// Record is a subject's stored score as the regulators' views read it: the
// score with its explanation (Score.Parts), the subject's region, and the
// event after which it was computed.
type Record struct {
	Subject credit.Subject `json:"subject"`
	Region  string         `json:"region"`
	Seq     int64          `json:"seq"`
	Score   Score          `json:"score"`
}

// Point is one change of a subject's score, caused by the event Seq.
type Point struct {
	Seq     int64          `json:"seq"`
	On      trustmark.Date `json:"on"`
	Class   Class          `json:"class"`
	Total   float64        `json:"total"`
	Version int            `json:"version"`
}

// Raised is a warning as stored, with the matter it opened and where that
// matter stands.
type Raised struct {
	Warning
	Matter string         `json:"matter"`
	Due    trustmark.Date `json:"due"`
	State  string         `json:"state"`
}

// Filter selects stored scores: subjects in Region (a GB/T 2260 code; its
// cities and counties too), of Kind and Class when set, ranked by total,
// highest first. Cursor is the NextCursor of the previous page.
type Filter struct {
	Region string
	Kind   credit.SubjectKind
	Class  Class
	Cursor string
	Limit  int
}

// Store is where the risk follower keeps its output; sqlstore.DB
// implements it.
type Store interface {
	// RiskSubjects returns the stored scores f selects and the next page's
	// cursor ("" at the end).
	RiskSubjects(ctx context.Context, f Filter) ([]Record, string, error)
	// RiskSubject returns a subject's stored score, its history (oldest
	// first) and its warnings (newest first); not_found when it has none.
	RiskSubject(ctx context.Context, s credit.Subject) (Record, []Point, []Raised, error)
	// RiskWarnings returns the warnings of region (and the regions within
	// it), newest first, at most limit.
	RiskWarnings(ctx context.Context, region string, limit int) ([]Raised, error)
	// RiskClasses returns the stored class ("A" … "D") of each of ids of
	// kind (a credit.SubjectKind: "body", "lab", "person", "org") that has a
	// score; a subject without one has no signal (class A), and a kind
	// without scores gives an empty map. It is the inspection draw's port
	// (campaign.RiskClasses), hence plain strings.
	RiskClasses(ctx context.Context, kind string, ids []string) (map[string]string, error)
}

// RulesOf returns the history made of versions as stored (oldest first,
// numbered from 1), or DefaultRules when there are none.
func RulesOf(versions []RuleSet) (*Rules, error) {
	if len(versions) == 0 {
		return DefaultRules(), nil
	}
	for i := range versions {
		if versions[i].Version != i+1 {
			return nil, trustmark.Invalidf("risk.version", "version", "stored rule versions must run 1, 2, …: found %d at place %d", versions[i].Version, i+1)
		}
		if err := versions[i].Validate(); err != nil {
			return nil, err
		}
	}
	return &Rules{versions: versions}, nil
}
