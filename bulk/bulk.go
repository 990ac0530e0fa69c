// Package bulk answers bulk verification (联网核查): for each of up to a
// thousand identifiers at once, whether the registry knows it and in what
// status, and precisely why when it does not; and it reads the tables people
// upload to be verified. It is the service behind POST /api/v1/verify (http/)
// and the /verify page (web/), and does no HTTP itself. What an item is and
// why it matched nothing are the domain's decisions (trustmark.Identify,
// trustmark.Explain, Certificate.Standing); this package looks the items up
// in batches and says the answers in the reader's language (package locale).
package bulk

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"trustmark"
	"trustmark/locale"
)

// MaxItems is the most items one call may verify (CONTRACT.md).
const MaxItems = 1000

// Result is the answer for one item, in the shape of CONTRACT.md's
// POST /api/v1/verify. The fields after Reason are extensions.
type Result struct {
	Item  string `json:"item"`
	Found bool   `json:"found"`
	Kind  Kind   `json:"kind"`
	// Status is the effective status: a certificate's (expired by its date
	// even when the stored row still says valid), a body's or laboratory's
	// (a laboratory past its CMA validity is expired), a report's
	// conclusion (pass, fail). Empty when not found and for organisations,
	// which have no status of their own (see Certificates).
	Status string `json:"status"`
	Reason string `json:"reason"`

	Type         trustmark.CertType `json:"type,omitempty"`
	Name         string             `json:"name,omitempty"`       // holder, organisation, body or laboratory
	ExpiresOn    string             `json:"expires_on,omitempty"` // certificate expiry, laboratory CMA validity
	URL          string             `json:"url,omitempty"`        // the public page, relative to the site
	Certificates map[string]int     `json:"certificates,omitempty"`

	// Verdict is why an item was not found, as trustmark.Explain decided
	// it (the portal's not-found pages say the same); "" when found.
	Verdict trustmark.Verdict `json:"-"`
}

// Finder is the batch lookup verification needs: one query per kind per
// call instead of one per item. Each method returns the records that exist
// among the keys, in any order, and no error for keys that match nothing.
// sqlstore.DB implements it; NewStoreFinder adapts any trustmark.Store.
type Finder interface {
	// CertificatesByNumber returns every certificate, of any type, whose
	// number is one of numbers, with HolderName and BodyName filled. An
	// answer reads only number, type, holder, body, expiry, status (with
	// its date) and the body's standing; the other fields may be zero.
	CertificatesByNumber(ctx context.Context, numbers []string) ([]*trustmark.Certificate, error)
	OrgsByUSCC(ctx context.Context, usccs []trustmark.USCC) ([]*trustmark.Org, error)
	LabsByCMANo(ctx context.Context, cmaNos []string) ([]*trustmark.Lab, error)
	// ReportsByKey returns the reports with the given keys "CMA_NO/NUMBER".
	ReportsByKey(ctx context.Context, keys []string) ([]*trustmark.Report, error)
	// CertificateCounts counts the certificates of each holder by their
	// effective status on today.
	CertificateCounts(ctx context.Context, holders []trustmark.USCC, today trustmark.Date) (map[trustmark.USCC]map[trustmark.CertStatus]int, error)
}

// Service verifies items against the registry. It is safe for concurrent
// use.
type Service struct {
	find   Finder
	bodies *bodyCache
	clock  trustmark.Clock
	log    *slog.Logger
}

// Config configures a Service.
type Config struct {
	Store trustmark.Store
	// Finder does the batch lookups; when nil, Store is used if it
	// implements Finder, else one lookup per item (NewStoreFinder).
	Finder Finder
	Clock  trustmark.Clock // default time.Now
	// BodyTTL is how long the list of certification bodies (used to explain
	// unknown numbers) is kept before it is read again; default one minute.
	BodyTTL time.Duration
	Logger  *slog.Logger
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{find: cfg.Finder, clock: cfg.Clock, log: cfg.Logger}
	if s.find == nil {
		if f, ok := cfg.Store.(Finder); ok {
			s.find = f
		} else {
			s.find = NewStoreFinder(cfg.Store)
		}
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	ttl := cfg.BodyTTL
	if ttl <= 0 {
		ttl = time.Minute
	}
	s.bodies = &bodyCache{store: cfg.Store, ttl: ttl, clock: s.clock}
	return s
}

// Verify answers each item in order, its reason in the language of m. It
// fails only when the store does; a malformed or unknown item is an answer,
// not an error. Callers bound the number of items (MaxItems for the API).
func (s *Service) Verify(ctx context.Context, items []string, m *locale.Messages) ([]Result, error) {
	today := trustmark.DateOf(s.clock())
	ids := make([]trustmark.Identity, len(items))
	w := wanted{seen: map[string]bool{}}
	for i, raw := range items {
		ids[i] = trustmark.Identify(raw)
		w.add(ids[i])
	}
	f, err := s.lookup(ctx, today, w.certNos, w.usccs, w.cmaNos, w.reportKeys)
	if err != nil {
		return nil, err
	}
	a := answerer{m: m, b: &m.Bulk, today: today, bodies: f.bodies}
	out := make([]Result, len(items))
	for i, id := range ids {
		out[i] = a.answer(id, f)
	}
	return out, nil
}

// wanted is what the items of one call are looked up by: each key once, in
// the order the items first name it.
type wanted struct {
	certNos, cmaNos, reportKeys []string
	usccs                       []trustmark.USCC
	seen                        map[string]bool // by kind prefix and key
}

// add adds the keys of id: the certificate number it may be and, when it
// is well formed, its USCC, CMA number or report reference.
func (w *wanted) add(id trustmark.Identity) {
	if n := certNumberOf(id); n != "" {
		w.once(&w.certNos, "c:", string(n))
	}
	if id.Err != nil {
		return
	}
	switch id.Kind {
	case trustmark.IDUSCC:
		if !w.seen["o:"+string(id.USCC)] {
			w.seen["o:"+string(id.USCC)] = true
			w.usccs = append(w.usccs, id.USCC)
		}
	case trustmark.IDCMANo:
		w.once(&w.cmaNos, "l:", string(id.CMANo))
	case trustmark.IDReport:
		w.once(&w.cmaNos, "l:", string(id.CMANo))
		w.once(&w.reportKeys, "r:", id.Report.String())
	}
}

// once appends v to list unless it was added before under the same prefix.
func (w *wanted) once(list *[]string, prefix, v string) {
	if k := prefix + v; !w.seen[k] {
		w.seen[k] = true
		*list = append(*list, v)
	}
}

// answer returns the result of one item from what the lookups found: the
// record of its kind when a well-formed identifier names one, else the
// certificates of its number, else why nothing matched.
func (a answerer) answer(id trustmark.Identity, f *found) Result {
	r := Result{Item: id.Input, Kind: KindOf(id)}
	cs := certificatesOf(id, f.certs[string(certNumberOf(id))])
	wellFormed := id.Err == nil
	switch {
	case wellFormed && id.Kind == trustmark.IDUSCC && f.orgs[id.USCC] != nil:
		a.org(&r, f.orgs[id.USCC], f.counts[id.USCC])
	case wellFormed && id.Kind == trustmark.IDCMANo && f.labs[string(id.CMANo)] != nil:
		a.lab(&r, f.labs[string(id.CMANo)])
	case wellFormed && id.Kind == trustmark.IDReport && f.reports[id.Report.String()] != nil:
		a.report(&r, f.reports[id.Report.String()], f.labs[string(id.CMANo)])
	case wellFormed && id.Kind == trustmark.IDApprovalNo && f.bodies.byNo[string(id.ApprovalNo)] != nil:
		a.body(&r, f.bodies.byNo[string(id.ApprovalNo)])
	case len(cs) > 0:
		r.Kind = KindCertificate
		a.certificate(&r, cs)
	default:
		var lab *trustmark.Lab
		if wellFormed {
			lab = f.labs[string(id.CMANo)]
		}
		a.notFound(&r, id, trustmark.Explain(id, f.bodies.list, lab))
	}
	return r
}

// certNumberOf is the certificate number an item may be, in canonical form
// (one probe: the store keeps numbers so), or "".
func certNumberOf(id trustmark.Identity) trustmark.CertNumber {
	if id.Kind == trustmark.IDCertKey && id.Err == nil {
		return id.Key.Number
	}
	return id.CertNumber
}

// certificatesOf keeps, of the certificates with an item's number, those
// of the key's type when the item is a key.
func certificatesOf(id trustmark.Identity, cs []*trustmark.Certificate) []*trustmark.Certificate {
	if id.Kind != trustmark.IDCertKey {
		return cs
	}
	for _, c := range cs {
		if c.Type == id.Key.Type {
			return []*trustmark.Certificate{c}
		}
	}
	return nil
}

// found is what the batch lookups of one call found.
type found struct {
	certs   map[string][]*trustmark.Certificate // by number, in CertTypes order
	orgs    map[trustmark.USCC]*trustmark.Org
	counts  map[trustmark.USCC]map[trustmark.CertStatus]int
	labs    map[string]*trustmark.Lab
	reports map[string]*trustmark.Report // by Key
	bodies  *bodyIndex
}

// lookup runs the batch lookups of one call concurrently: they are
// independent, and on PostgreSQL each is a round trip.
func (s *Service) lookup(ctx context.Context, today trustmark.Date, certNos []string, usccs []trustmark.USCC, cmaNos, reportKeys []string) (*found, error) {
	f := &found{certs: map[string][]*trustmark.Certificate{}, orgs: map[trustmark.USCC]*trustmark.Org{},
		labs: map[string]*trustmark.Lab{}, reports: map[string]*trustmark.Report{}}
	g, ctx := errgroup.WithContext(ctx)
	// Each lookup fills fields of f that no other touches.
	if len(certNos) > 0 {
		g.Go(func() error { return s.findCertificates(ctx, f, certNos) })
	}
	if len(usccs) > 0 {
		g.Go(func() error { return s.findOrgs(ctx, f, usccs, today) })
	}
	if len(cmaNos) > 0 {
		g.Go(func() error { return s.findLabs(ctx, f, cmaNos) })
	}
	if len(reportKeys) > 0 {
		g.Go(func() error { return s.findReports(ctx, f, reportKeys) })
	}
	g.Go(func() error {
		var err error
		if f.bodies, err = s.bodies.get(ctx); err != nil {
			return fmt.Errorf("bulk: bodies: %w", err)
		}
		return nil
	})
	return f, g.Wait()
}

// findCertificates fills f.certs, each number's certificates in the order
// of trustmark.CertTypes.
func (s *Service) findCertificates(ctx context.Context, f *found, numbers []string) error {
	list, err := s.find.CertificatesByNumber(ctx, numbers)
	if err != nil {
		return fmt.Errorf("bulk: certificates: %w", err)
	}
	for _, c := range list {
		f.certs[c.Number] = append(f.certs[c.Number], c)
	}
	for _, cs := range f.certs {
		slices.SortFunc(cs, func(a, b *trustmark.Certificate) int {
			return slices.Index(trustmark.CertTypes, a.Type) - slices.Index(trustmark.CertTypes, b.Type)
		})
	}
	return nil
}

// findOrgs fills f.orgs, and f.counts with the certificates of the
// organisations found, counted by their status on today.
func (s *Service) findOrgs(ctx context.Context, f *found, usccs []trustmark.USCC, today trustmark.Date) error {
	list, err := s.find.OrgsByUSCC(ctx, usccs)
	if err != nil {
		return fmt.Errorf("bulk: orgs: %w", err)
	}
	known := make([]trustmark.USCC, 0, len(list))
	for _, o := range list {
		f.orgs[o.USCC] = o
		known = append(known, o.USCC)
	}
	if len(known) > 0 {
		if f.counts, err = s.find.CertificateCounts(ctx, known, today); err != nil {
			return fmt.Errorf("bulk: certificate counts: %w", err)
		}
	}
	return nil
}

// findLabs fills f.labs.
func (s *Service) findLabs(ctx context.Context, f *found, cmaNos []string) error {
	list, err := s.find.LabsByCMANo(ctx, cmaNos)
	if err != nil {
		return fmt.Errorf("bulk: labs: %w", err)
	}
	for _, l := range list {
		f.labs[l.CMANo] = l
	}
	return nil
}

// findReports fills f.reports.
func (s *Service) findReports(ctx context.Context, f *found, keys []string) error {
	list, err := s.find.ReportsByKey(ctx, keys)
	if err != nil {
		return fmt.Errorf("bulk: reports: %w", err)
	}
	for _, r := range list {
		f.reports[r.Key()] = r
	}
	return nil
}

// Kind is what an item was recognised as.
type Kind string

// Item kinds, as they appear in the "kind" field of a result.
const (
	KindCertificate Kind = "certificate"  // a certificate number of any type
	KindOrg         Kind = "org"          // a unified social credit code
	KindOrganicCode Kind = "organic_code" // a 17-digit organic label code (有机码)
	KindReport      Kind = "report"       // CMA_NO/REPORT_NO
	KindBody        Kind = "body"         // a certification-body approval number
	KindLab         Kind = "lab"          // a 12-digit laboratory CMA number
	KindUnknown     Kind = "unknown"      // not any identifier the registry uses
)

// kinds names each of the domain's identifier kinds as results do
// (CONTRACT.md): what an item is, is trustmark.Identify's decision, the
// same the portal's search box makes.
var kinds = map[trustmark.IDKind]Kind{
	trustmark.IDText:        KindUnknown,
	trustmark.IDCertificate: KindCertificate,
	trustmark.IDCertKey:     KindCertificate,
	trustmark.IDUSCC:        KindOrg,
	trustmark.IDApprovalNo:  KindBody,
	trustmark.IDCMANo:       KindLab,
	trustmark.IDReport:      KindReport,
	trustmark.IDOrganicCode: KindOrganicCode,
}

// KindOf returns the result kind of an identity.
func KindOf(id trustmark.Identity) Kind {
	if k, ok := kinds[id.Kind]; ok {
		return k
	}
	return KindUnknown
}
