// Package demo generates Trustmark's demo data set: certification bodies,
// laboratories, auditors, organisations, certificates and test reports that a
// regulator would believe, deterministically from a seed, loaded through
// Store.Import like any other data.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"trustmark"
)

// Scales of the demo data set.
const (
	ScaleTiny     = "tiny"     // for tests: a few hundred records
	ScaleSmall    = "small"    // the default of serve --demo
	ScaleNational = "national" // the national shape
)

// Sizes are the numbers of records of each kind to generate. Certificates are
// approached, not met exactly; reports stop early when the report budget runs
// out.
type Sizes struct {
	Orgs, Bodies, Labs, Persons, Certificates, Reports int
}

// ScaleSizes returns the sizes of a named scale.
func ScaleSizes(scale string) (Sizes, error) {
	switch scale {
	case ScaleTiny:
		return Sizes{Orgs: 400, Bodies: 24, Labs: 12, Persons: 80, Certificates: 900, Reports: 1500}, nil
	case ScaleSmall, "":
		return Sizes{Orgs: 30_000, Bodies: 60, Labs: 300, Persons: 3_000, Certificates: 60_000, Reports: 200_000}, nil
	case ScaleNational:
		// 认监委 2022: 1,128 bodies, 3.366 million valid certificates held by
		// 939,000 enterprises (../shared/seeds/000); about 49,000 laboratories.
		return Sizes{Orgs: 940_000, Bodies: 1_100, Labs: 49_000, Persons: 120_000, Certificates: 3_400_000, Reports: 1 << 40}, nil
	}
	return Sizes{}, fmt.Errorf("demo: scale %q is not one of tiny, small, national", scale)
}

// Options control a generation.
type Options struct {
	Scale string // ScaleSmall when empty
	Sizes *Sizes // overrides the scale's sizes when set
	Seed  int64
	// Today is the day the data set describes: dates of issue, expiry and
	// status changes are relative to it. It must not be after the store's
	// today (status changes may not take effect in the future). Default: today
	// in China.
	Today trustmark.Date
	// Progress receives a progress bar when it is a terminal, periodic log
	// lines otherwise; nil is quiet.
	Progress io.Writer
	// ReportBudget bounds the time spent loading reports (default 20 minutes).
	ReportBudget time.Duration
	// BatchSize is the number of records per Store.Import call (default 5000).
	BatchSize int
}

// Summary says what a generation did.
type Summary struct {
	Scale        string
	Seed         int64
	Today        trustmark.Date
	Counts       map[trustmark.Kind]int       // records loaded, by kind
	Certificates map[trustmark.CertStatus]int // certificates by final status
	Types        map[trustmark.CertType]int   // certificates by type
	Changes      int                          // status changes of bodies, labs, persons and certificates
	Phases       []Phase                      // time taken by each step
	Duration     time.Duration
	Examples     Examples
}

// WriteTo prints the summary: what was loaded, how long it took, and
// identifiers to try.
func (s Summary) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "demo data set %q (seed %d, as of %s) loaded in %s:\n", s.Scale, s.Seed, s.Today, s.Duration.Round(time.Millisecond))
	for _, k := range trustmark.Kinds {
		fmt.Fprintf(&b, "  %-13s %9d\n", k, s.Counts[k])
	}
	b.WriteString("  certificates by status:")
	for _, st := range trustmark.CertStatuses {
		fmt.Fprintf(&b, " %s %d", st, s.Certificates[st])
	}
	fmt.Fprintf(&b, "\n  status changes %d\n", s.Changes)
	for _, p := range s.Phases {
		fmt.Fprintf(&b, "  %-15s %9d records in %s\n", p.Name, p.Records, p.Duration.Round(time.Millisecond))
	}
	b.WriteString("try:\n")
	n, err := io.WriteString(w, b.String())
	if err != nil {
		return int64(n), err
	}
	m, err := s.Examples.WriteTo(w)
	return int64(n) + m, err
}

// Phase is one step of a generation and how long it took.
type Phase struct {
	Name     string
	Records  int
	Duration time.Duration
}

// Examples are identifiers worth trying in the demo: each names a record of
// the kind its field says, or is empty when the data set has none.
type Examples struct {
	ValidCCC       string         // a valid CCC certificate number
	ValidQMS       string         // a valid quality-management certificate
	Organic        string         // a valid organic-product certificate
	Suspended      string         // a suspended certificate
	Revoked        string         // a revoked certificate
	Withdrawn      string         // a withdrawn certificate
	Expired        string         // a certificate past its expiry date
	OrgUSCC        trustmark.USCC // an organisation holding several certificates
	OrgName        string
	BodyApprovalNo string
	LabCMANo       string
	ReportNo       string // a report of LabCMANo
	PersonRegNo    string

	// Certificates expiring the day before the demo's day, on it and the
	// day after (expiringDays): a certificate is valid through its expiry
	// date and expired from the day after. Only a generation knows them
	// (FindExamples leaves them empty).
	ExpiredYesterday string
	ExpiresToday     string
	ExpiresTomorrow  string
}

// WriteTo prints the examples as a short list a person can copy from.
func (e Examples) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	line := func(label, v string) {
		if v != "" {
			fmt.Fprintf(&b, "  %-22s %s\n", label, v)
		}
	}
	line("valid CCC certificate", e.ValidCCC)
	line("valid QMS certificate", e.ValidQMS)
	line("organic certificate", e.Organic)
	line("suspended certificate", e.Suspended)
	line("revoked certificate", e.Revoked)
	line("withdrawn certificate", e.Withdrawn)
	line("expired certificate", e.Expired)
	line("expired yesterday", e.ExpiredYesterday)
	line("expires today (valid)", e.ExpiresToday)
	line("expires tomorrow", e.ExpiresTomorrow)
	if e.OrgUSCC != "" {
		line("organisation", string(e.OrgUSCC)+" "+e.OrgName)
	}
	line("certification body", e.BodyApprovalNo)
	if e.ReportNo != "" {
		line("test report", e.LabCMANo+"/"+e.ReportNo)
	} else {
		line("laboratory", e.LabCMANo)
	}
	line("auditor", e.PersonRegNo)
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// Actors of the demo's writes: the bulk loads are an operator's import; the
// later status changes of bodies, laboratories and persons are the national
// regulator's.
var (
	importer  = trustmark.Party{Kind: trustmark.PartyImport, ID: "demo"}
	regulator = trustmark.Party{Kind: trustmark.PartyRegulator, ID: "000000"}
)

// Generate fills store with the demo data set. It is deterministic: the same
// options give the same records (reports stop where the budget runs out).
// Every record goes through Store.Import; a record the store rejects is a bug
// in the generator, and Generate returns an error naming it. A store that
// keeps the serious-violation list gets listed, repaired and banned
// subjects (addCredit).
func Generate(ctx context.Context, store trustmark.Store, opts Options) (Summary, error) {
	g, err := newGen(opts)
	if err != nil {
		return Summary{}, err
	}
	sum, err := g.run(ctx, &storeSink{store: store})
	if cs, ok := store.(creditStore); ok && err == nil {
		err = g.addCredit(ctx, cs)
	}
	return sum, err
}

// FillIfEmpty generates the demo data set when store holds no registry data
// at all (the serve --demo case) and reports whether it did.
func FillIfEmpty(ctx context.Context, store trustmark.Store, opts Options) (Summary, bool, error) {
	st, err := store.Stats(ctx)
	if err != nil {
		return Summary{}, false, fmt.Errorf("demo: %w", err)
	}
	n := st.Orgs + st.Bodies + st.Labs + st.Persons + st.Reports
	for _, c := range st.Certificates {
		n += c
	}
	if n > 0 {
		return Summary{}, false, nil
	}
	s, err := Generate(ctx, store, opts)
	return s, err == nil, err
}

// gen holds the state of one generation.
type gen struct {
	opts   Options
	sizes  Sizes
	seed   uint64
	today  trustmark.Date
	policy *trustmark.Policy
	geo    *geography

	nextOrg      int // organisation-code index
	bodies       []*bodyInfo
	byType       map[trustmark.CertType]*weighted
	byCCC        map[string]*weighted
	cccByCode    map[string]*cccCategory
	personBodies *weighted
	labs         []*labInfo
	labPick      *weighted
	orgs         []orgInfo
	names        map[string]bool    // organisation names taken
	clients      map[string][]int32 // report prefix → organisations it tests for
	byProduct    map[string][]int32 // product → organisations that would commission its test
	famousCCC    bool

	counters map[string]*int // number prefix → last serial
	expiring int             // expiring certificates made so far (expire)
	plans    []statusPlan
	changed  struct {
		bodies  []*trustmark.Body
		labs    []*trustmark.Lab
		persons []*trustmark.Person
	}

	sb  strings.Builder
	nb  []byte
	sum Summary
	pr  *progress
}

func newGen(opts Options) (*gen, error) {
	if opts.Scale == "" {
		opts.Scale = ScaleSmall
	}
	sizes, err := ScaleSizes(opts.Scale)
	if err != nil {
		return nil, err
	}
	if opts.Sizes != nil {
		sizes = *opts.Sizes
		if sizes.Orgs < 1 || sizes.Bodies < 1 || sizes.Labs < 1 || sizes.Persons < 0 || sizes.Certificates < 0 || sizes.Reports < 0 {
			return nil, fmt.Errorf("demo: sizes %+v: want at least one organisation, body and laboratory", sizes)
		}
	}
	if opts.Today.IsZero() {
		opts.Today = trustmark.DateOf(time.Now())
	}
	if opts.ReportBudget <= 0 {
		opts.ReportBudget = 20 * time.Minute
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 5000
	}
	g := &gen{opts: opts, sizes: sizes, seed: splitmix(uint64(opts.Seed)), today: opts.Today, policy: trustmark.DefaultPolicy(),
		geo: newGeography(), counters: map[string]*int{}, names: map[string]bool{}, cccByCode: map[string]*cccCategory{}, nb: make([]byte, 0, 64)}
	for i := range cccCategories {
		g.cccByCode[cccCategories[i].code] = &cccCategories[i]
	}
	g.sum = Summary{Scale: opts.Scale, Seed: opts.Seed, Today: opts.Today, Counts: map[trustmark.Kind]int{},
		Certificates: map[trustmark.CertStatus]int{}, Types: map[trustmark.CertType]int{}}
	return g, nil
}

// splitmix scrambles a seed (SplitMix64's finaliser) so that neighbouring
// seeds give unrelated identifiers.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// rng returns the random source of one phase, so that each phase's records
// depend only on the seed and the phases before it.
func (g *gen) rng(phase uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed, 0x9e3779b97f4a7c15^phase))
}

// sink is where generated records go: the store, or a test's recorder.
type sink interface {
	load(ctx context.Context, actor trustmark.Party, kind trustmark.Kind, recs []trustmark.Record) error
	transition(ctx context.Context, actor trustmark.Party, number string, t trustmark.Transition) error
	expire(ctx context.Context, today trustmark.Date) (int, error)
}

type storeSink struct{ store trustmark.Store }

func (s *storeSink) load(ctx context.Context, actor trustmark.Party, kind trustmark.Kind, recs []trustmark.Record) error {
	out, err := s.store.Import(ctx, actor, kind, recs)
	if err != nil {
		return fmt.Errorf("demo: importing %s: %w", kind, err)
	}
	var rejected []string
	n := 0
	for i, o := range out {
		if o.Result == trustmark.Rejected {
			n++
			if len(rejected) < 5 {
				rejected = append(rejected, fmt.Sprintf("%s %s: %v", kind, recs[i].RecordKey(), o.Err))
			}
		}
	}
	if n > 0 {
		return fmt.Errorf("demo: the store rejected %d generated %s record(s), a bug in the generator: %s", n, kind, strings.Join(rejected, "; "))
	}
	return nil
}

func (s *storeSink) transition(ctx context.Context, actor trustmark.Party, number string, t trustmark.Transition) error {
	_, err := s.store.TransitionCertificate(ctx, actor, number, t)
	return err
}

func (s *storeSink) expire(ctx context.Context, today trustmark.Date) (int, error) {
	total := 0
	for {
		n, err := s.store.ExpireCertificates(ctx, today, 10_000)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

var errBudget = errors.New("report budget spent")
