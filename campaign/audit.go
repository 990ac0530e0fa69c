package campaign

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"trustmark"
	"trustmark/draw"
)

// The state audit's view of campaigns: a campaign's events, replayed in
// order (Replay), imply what its tables must hold, and Compare names every
// field where the stored campaign differs. Each step's event carries enough
// to check its rows: the definition and the commitment's hash, the random
// value, each attempt, the draw's hash (its picks are too many for the log),
// each recusal, each finding's result hash and each publication's results
// hash.

// Implied is the state a campaign's events imply.
type Implied struct {
	Committed    CommittedData
	Random       *RandomData
	Attempts     []Attempt
	Drawn        *DrawnData
	Recusals     []draw.Recusal
	Findings     map[string]FindingData
	Publications []Publication
	Status       Status
	Seq          int64 // the last event's
}

// Replay folds a campaign's events, in order, into the state they imply; it
// refuses events that do not follow the campaign's steps.
func Replay(evs []trustmark.Event) (*Implied, error) {
	im := &Implied{Findings: map[string]FindingData{}, Attempts: []Attempt{}, Recusals: []draw.Recusal{}, Publications: []Publication{}}
	published := 0
	for i, e := range evs {
		if e.Entity != EntityCampaign || (i > 0 && e.Key != evs[0].Key) {
			return nil, fmt.Errorf("event %d is about %s %s, not campaign %s", e.Seq, e.Entity, e.Key, evs[0].Key)
		}
		if (i == 0) != (e.Action == ActionCommitted) {
			return nil, fmt.Errorf("event %d (%s): a campaign begins with its commitment, and only once", e.Seq, e.Action)
		}
		var err error
		switch e.Action {
		case ActionCommitted:
			err = json.Unmarshal(e.Data, &im.Committed)
			im.Status = Committed
		case ActionRandom:
			im.Random = &RandomData{}
			err = json.Unmarshal(e.Data, im.Random)
			im.Status = Seeded
		case ActionDrawAttempted:
			var a Attempt
			err = json.Unmarshal(e.Data, &a)
			im.Attempts = append(im.Attempts, a)
		case ActionDrawn:
			im.Drawn = &DrawnData{}
			err = json.Unmarshal(e.Data, im.Drawn)
			im.Status = Drawn
		case ActionRecused:
			var r draw.Recusal
			err = json.Unmarshal(e.Data, &r)
			im.Recusals = append(im.Recusals, r)
		case ActionFinding:
			var f FindingData
			err = json.Unmarshal(e.Data, &f)
			im.Findings[f.Subject] = f
		case ActionPublished:
			var p PublishedData
			err = json.Unmarshal(e.Data, &p)
			im.Publications = append(im.Publications, p.Publication)
			if published += p.Subjects; im.Drawn != nil && published == cmp.Or(p.Inspectable, im.Drawn.Drawn) {
				im.Status = Published
			}
		default:
			err = fmt.Errorf("unknown action")
		}
		if err != nil || im.Committed.Campaign == nil {
			return nil, fmt.Errorf("event %d (%s): %v", e.Seq, e.Action, cmpOrErr(err, "no campaign in the commitment"))
		}
		im.Seq = e.Seq
	}
	return im, nil
}

func cmpOrErr(err error, s string) string {
	if err != nil {
		return err.Error()
	}
	return s
}

// Stored is a campaign as its tables hold it: the campaign with its draw,
// its findings, and the SHA-256 and length of the stored commitment
// document.
type Stored struct {
	Campaign         *Campaign
	Findings         []Finding
	CommitmentSHA256 string
	CommitmentBytes  int64
}

// FieldDiff is a field of a stored campaign that is not what its events
// imply.
type FieldDiff struct {
	Field, Stored, Implied string
}

// Compare names the fields of s that differ from im, in a fixed order.
func Compare(s *Stored, im *Implied) []FieldDiff {
	var out []FieldDiff
	eq := func(field string, stored, implied any) {
		a, b := jsonText(stored), jsonText(implied)
		if a != b {
			out = append(out, FieldDiff{field, a, b})
		}
	}
	c, d := s.Campaign, im.Committed.Campaign
	eq("name", c.Name, d.Name)
	eq("region", c.Region, d.Region)
	eq("subject_kind", c.SubjectKind, d.SubjectKind)
	eq("filters", c.Filters, d.Filters)
	eq("rates", c.Rates, d.Rates)
	eq("checklist", c.Checklist, d.Checklist)
	eq("method", c.Method, d.Method)
	eq("team_size", c.TeamSize, d.TeamSize)
	eq("deadline", c.Deadline, d.Deadline)
	eq("created_at", c.CreatedAt, d.CreatedAt)
	eq("created_by", c.CreatedBy, d.CreatedBy)
	eq("commitment_sha256", c.CommitmentSHA256, im.Committed.CommitmentSHA256)
	eq("commitment document", s.CommitmentSHA256, im.Committed.CommitmentSHA256)
	if im.Committed.CommitmentBytes > 0 {
		eq("commitment_bytes", s.CommitmentBytes, im.Committed.CommitmentBytes)
	}
	eq("status", c.Status, im.Status)
	eq("random", c.Random, im.Random)
	eq("attempts", c.Attempts, im.Attempts)
	out = append(out, compareDraw(c.Result, im)...)
	out = append(out, compareFindings(s.Findings, im)...)
	eq("publications", c.Publications, im.Publications)
	return out
}

// compareDraw compares the stored draw with the logged summary and hash.
func compareDraw(res *draw.Result, im *Implied) []FieldDiff {
	var out []FieldDiff
	eq := func(field string, stored, implied any) {
		if a, b := jsonText(stored), jsonText(implied); a != b {
			out = append(out, FieldDiff{field, a, b})
		}
	}
	if res == nil || im.Drawn == nil {
		eq("draw", res != nil, im.Drawn != nil)
		return out
	}
	d := im.Drawn
	eq("draw.seed", res.Seed, d.Seed)
	eq("draw.strata", res.Strata, d.Strata)
	eq("draw.drawn", len(res.Picks), cmpInt(d.Drawn, len(d.Picks)))
	want := d.ResultSHA256
	if want == "" { // logged with its picks
		want = (&draw.Result{Algorithm: d.Algorithm, Commitment: d.Commitment, Random: d.Random, Seed: d.Seed, Strata: d.Strata, Picks: d.Picks}).Hash()
	}
	eq("draw.picks (SHA-256)", res.Hash(), want)
	eq("recusals", res.Recusals, im.Recusals)
	return out
}

func cmpInt(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// compareFindings compares each stored finding with its logged result hash,
// and each publication's results with its logged hash.
func compareFindings(fs []Finding, im *Implied) []FieldDiff {
	var out []FieldDiff
	stored := map[string]Finding{}
	byPub := map[int][]Result{}
	for _, f := range fs {
		stored[f.Subject] = f
		if f.Publication > 0 {
			byPub[f.Publication] = append(byPub[f.Publication], f.Public())
		}
	}
	subjects := slices.Sorted(maps.Keys(stored))
	for s := range im.Findings {
		if _, ok := stored[s]; !ok {
			subjects = append(subjects, s)
		}
	}
	slices.Sort(subjects)
	for _, s := range subjects {
		f, have := stored[s]
		d, logged := im.Findings[s]
		field := "finding " + s
		switch {
		case !have:
			out = append(out, FieldDiff{field, "none", "recorded"})
		case !logged:
			out = append(out, FieldDiff{field, "recorded", "none"})
		default:
			if got := FindingEvent(&f).ResultSHA256; got != d.ResultSHA256 {
				out = append(out, FieldDiff{field + " result (SHA-256)", got, d.ResultSHA256})
			}
			if a, b := jsonText(f.DueOn), jsonText(d.DueOn); a != b {
				out = append(out, FieldDiff{field + " due_on", a, b})
			}
		}
	}
	for _, p := range im.Publications {
		rs := byPub[p.N]
		slices.SortFunc(rs, func(a, b Result) int { return cmpString(a.Subject, b.Subject) })
		if got := ResultsSHA256(rs); got != p.ResultsSHA256 {
			out = append(out, FieldDiff{fmt.Sprintf("publication %d results (SHA-256)", p.N), got, p.ResultsSHA256})
		}
	}
	return out
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
