package risk

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/credit"
	"trustmark/matter"
)

// Warning rules.
const (
	RuleClassUp        = "class_up"        // a subject crossed into a higher class
	RuleAnomalyCluster = "anomaly_cluster" // a region has far more audit anomalies than the others
	RuleSuspensionJump = "suspension_jump" // a body suspends or revokes far more than its peers
)

// Warning is something the regulators of Region must look into, with the
// evidence that raised it. Subject is zero for a pattern across subjects.
type Warning struct {
	Rule    string         `json:"rule"`
	Region  string         `json:"region"`
	Subject credit.Subject `json:"subject,omitzero"`
	On      trustmark.Date `json:"on"`
	Summary string         `json:"summary"`
	// Args are the figures of Summary in the order its rule's sentence
	// takes them, for the pages to word it in their language (Summary is
	// the English): class_up the subject, the class and score before, the
	// class and score after; anomaly_cluster the anomalies, the region,
	// the first and last day, the other regions' mean; suspension_jump the
	// subject, its share (%), its peer group, the peers, their median (%).
	Args     []string `json:"args,omitempty"`
	Evidence []string `json:"evidence"`
}

// Key names the warning for a matter's subject: the same pattern on the
// same day raises one matter, however often the analysis runs.
func (w Warning) Key() string {
	if w.Subject.ID != "" {
		return "risk:" + w.Rule + "/" + w.Subject.String() + "/" + w.On.String()
	}
	return "risk:" + w.Rule + "/" + w.Region + "/" + w.On.String()
}

// Opening is the matter the warning becomes: a risk_warning for the
// regulators of its region (matter_kinds.json).
func (w Warning) Opening(id string, at time.Time, actor string) matter.Opening {
	return matter.Opening{ID: id, Kind: "risk_warning", Subject: w.Key(),
		Party: account.Unit{Kind: account.Regulator, ID: w.Region}, Region: w.Region, From: w.On, At: at, Actor: actor}
}

// ClassUp returns a warning when next is in a higher class than prev, with
// the parts that contribute most as evidence. Region is the subject's.
func ClassUp(prev, next Score, region string) []Warning {
	if !next.Class.Higher(prev.Class) {
		return nil
	}
	w := Warning{Rule: RuleClassUp, Region: region, Subject: next.Subject, On: next.On,
		Summary: fmt.Sprintf("%s rose from class %s (%.1f) to %s (%.1f)", next.Subject, prev.Class, prev.Total, next.Class, next.Total),
		Args:    []string{next.Subject.String(), string(prev.Class), one(prev.Total), string(next.Class), one(next.Total)}}
	for _, p := range next.Parts[:min(5, len(next.Parts))] {
		w.Evidence = append(w.Evidence, fmt.Sprintf("%s %s on %s: %+.1f", p.Signal.Kind, p.Signal.Source, p.Signal.On, p.Contribution))
	}
	return []Warning{w}
}

// Patterns are the limits of the warnings across subjects. Like the
// weights they are data the national administrator sets.
type Patterns struct {
	ClusterWindowDays int     // anomalies of the last so many days count
	ClusterMin        int     // a region needs at least so many
	ClusterFactor     float64 // and so many times the mean of the other regions
	JumpMinShare      float64 // a body's share of suspended or revoked certificates must be at least this
	JumpFactor        float64 // and so many times its peers' median
	JumpMinPeers      int     // with at least so many peers to compare with
}

// DefaultPatterns are starting values, not values from any regulation.
var DefaultPatterns = Patterns{ClusterWindowDays: 30, ClusterMin: 10, ClusterFactor: 3, JumpMinShare: 0.05, JumpFactor: 3, JumpMinPeers: 3}

// AnomalyClusters returns a warning for each region whose audit anomalies
// in the window ending on day on reach ClusterMin and ClusterFactor times the
// mean of the other regions that had any.
func AnomalyClusters(signals []Signal, on trustmark.Date, p Patterns) []Warning {
	from := on.AddDate(0, 0, 1-p.ClusterWindowDays)
	count := map[string]int{}
	sources := map[string][]string{}
	for _, s := range signals {
		if (s.Kind == Anomaly || s.Kind == AnomalyEscalated) && !s.On.Before(from) && !s.On.After(on) {
			count[s.Region]++
			sources[s.Region] = append(sources[s.Region], s.Source)
		}
	}
	total := 0
	for _, n := range count {
		total += n
	}
	var out []Warning
	for _, region := range slices.Sorted(maps.Keys(count)) {
		n := count[region]
		others := 0.0
		if len(count) > 1 {
			others = float64(total-n) / float64(len(count)-1)
		}
		if n < p.ClusterMin || float64(n) < p.ClusterFactor*others {
			continue
		}
		ev := slices.Sorted(slices.Values(sources[region]))
		out = append(out, Warning{Rule: RuleAnomalyCluster, Region: region, On: on,
			Summary:  fmt.Sprintf("%d audit anomalies in %s from %s to %s, against %.1f on average in other regions", n, region, from, on, others),
			Args:     []string{strconv.Itoa(n), region, from.String(), on.String(), one(others)},
			Evidence: ev[:min(20, len(ev))]})
	}
	return out
}

// BodyRate is a body's share of certificates suspended or revoked in a
// period, and the peer group it is compared with (bodies of the same
// scopes).
type BodyRate struct {
	Body   credit.Subject
	Region string
	Peers  string  // the peer group: "QMS", "CCC/0901"
	Share  float64 // suspended or revoked ÷ certificates, in the period
}

// SuspensionJumps returns a warning for each body whose share reaches
// JumpMinShare and JumpFactor times the median of its peers (the others in
// its group), when it has at least JumpMinPeers of them.
func SuspensionJumps(rates []BodyRate, on trustmark.Date, p Patterns) []Warning {
	groups := map[string][]BodyRate{}
	for _, r := range rates {
		groups[r.Peers] = append(groups[r.Peers], r)
	}
	var out []Warning
	for _, g := range slices.Sorted(maps.Keys(groups)) {
		rs := groups[g]
		for i, r := range rs {
			var peers []float64
			for j, o := range rs {
				if j != i {
					peers = append(peers, o.Share)
				}
			}
			if len(peers) < p.JumpMinPeers {
				continue
			}
			m := median(peers)
			if r.Share < p.JumpMinShare || r.Share < p.JumpFactor*m {
				continue
			}
			out = append(out, Warning{Rule: RuleSuspensionJump, Region: r.Region, Subject: r.Body, On: on,
				Summary:  fmt.Sprintf("%s suspended or revoked %.1f%% of its %s certificates; its %d peers' median is %.1f%%", r.Body, 100*r.Share, g, len(peers), 100*m),
				Args:     []string{r.Body.String(), one(100 * r.Share), g, strconv.Itoa(len(peers)), one(100 * m)},
				Evidence: []string{fmt.Sprintf("share %.4f", r.Share), fmt.Sprintf("peer median %.4f", m), "peers " + g}})
		}
	}
	slices.SortStableFunc(out, func(a, b Warning) int {
		return cmp.Or(strings.Compare(a.Region, b.Region), strings.Compare(a.Subject.ID, b.Subject.ID))
	})
	return out
}

func median(xs []float64) float64 {
	xs = slices.Sorted(slices.Values(xs))
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// one writes x with one decimal, as the summaries do.
func one(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
