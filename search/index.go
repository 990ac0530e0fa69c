// Package search is Trustmark's full-text search over organisations,
// certification bodies, laboratories and certificates, built on bleve with
// CJK bigram analysis so that Chinese names are found by any two characters
// of them, in any order, written in simplified or (common) traditional
// characters.
//
// The index lives in a directory of its own beside the database (the serve command names it) and
// is kept current by following the registry's events in Seq order
// (Index.CatchUp, Index.Follow); the last indexed Seq is stored inside the
// index, so a restart indexes only what is new.
package search

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"trustmark"
)

// Kind, Doc, Query, Hit and Result are the domain's name-search types
// (trustmark.NameSearch, which Index implements); these are their names
// here.
type (
	Kind   = trustmark.SearchKind
	Doc    = trustmark.SearchDoc
	Query  = trustmark.SearchQuery
	Hit    = trustmark.SearchHit
	Result = trustmark.SearchResult
)

// Document kinds.
const (
	KindOrg         = trustmark.SearchOrg
	KindBody        = trustmark.SearchBody
	KindLab         = trustmark.SearchLab
	KindCertificate = trustmark.SearchCertificate
)

// indexed is the shape bleve sees.
type indexed struct {
	Name     string  `json:"name,omitempty"`
	NameEn   string  `json:"name_en,omitempty"`
	Product  string  `json:"product,omitempty"`
	All      string  `json:"all,omitempty"` // name, product and scope together
	Number   string  `json:"number"`
	Kind     string  `json:"kind"`
	Type     string  `json:"type,omitempty"`
	Status   string  `json:"status,omitempty"`
	Expires  float64 `json:"expires,omitempty"` // YYYYMMDD
	Province string  `json:"province,omitempty"`
	City     string  `json:"city,omitempty"`
	Region   string  `json:"region,omitempty"`
	Holder   string  `json:"holder,omitempty"`
	// HolderName is a certificate's holder name, in a field of its own so
	// that a name ranks the organisation above its certificates by field
	// weight alone (a "prefer organisations" clause cost 80% of query time
	// at national scale).
	HolderName string `json:"holder_name,omitempty"`
	// Lead holds the first two, three and four characters of the name after
	// its leading place name, Place that place's key, and Places the keys
	// of every place the name mentions (see nameParts): a query prefers
	// names whose brand starts with it; a query that is a place name alone
	// finds the names that mention it, those that start with it first.
	// HolderLead and HolderPlaces are the same for a certificate's holder
	// name, weighted lower like HolderName.
	Lead         []string `json:"lead,omitempty"`
	Place        string   `json:"place,omitempty"`
	Places       []string `json:"places,omitempty"`
	HolderLead   []string `json:"holder_lead,omitempty"`
	HolderPlaces []string `json:"holder_places,omitempty"`
}

// indexedOf is the shape bleve sees of d.
func indexedOf(d *Doc) indexed {
	x := indexed{Name: d.Name, NameEn: d.NameEn, Product: d.Product, Number: d.Number,
		Kind: string(d.Kind), Type: string(d.Type), Status: d.Status, Region: d.Region, Holder: string(d.HolderUSCC)}
	if d.Kind == KindCertificate {
		x.Name, x.HolderName = "", d.Name
		_, x.HolderPlaces, x.HolderLead = nameParts(d.Name)
	} else {
		x.Place, x.Places, x.Lead = nameParts(d.Name)
	}
	if d.NameEn != "" || d.Product != "" || d.Scope != "" {
		// Only documents with more than a name need the combined field: a
		// query matches names through the name field anyway, and copying
		// every name would double the indexing work.
		x.All = d.Name + "\n" + d.NameEn + "\n" + d.Product + "\n" + d.Scope
	}
	if len(d.Region) == 6 {
		x.Province, x.City = d.Region[:2], d.Region[:4]
	}
	if !d.ExpiresOn.IsZero() {
		x.Expires = dateNum(d.ExpiresOn)
	}
	return x
}

func dateNum(d trustmark.Date) float64 {
	t := d.Time()
	return float64(t.Year()*10000 + int(t.Month())*100 + t.Day())
}

// Index is an open search index. It is safe for concurrent use.
type Index struct {
	bleve   bleve.Index
	path    string
	pending sync.WaitGroup // batches not yet on disk (see scorchConfig)

	// broadLimit is how many records an unfiltered text query may match
	// before Search refuses it as too broad; 0 means DefaultBroadLimit.
	broadLimit uint64

	bounds bounds // matchBound's estimates until the next batch (bound.go)

	compacting atomic.Bool // a Compact is running (compact.go)
}

// DefaultBroadLimit: an unfiltered name search whose words are each in more
// names than this (有限公司, 科技) would score hundreds of thousands of
// records at national scale for a first page nobody can use; Search asks
// for more of the name instead (TooBroad). Filters lift the limit: a
// conjunction with a type, status or region is as cheap as its rarest part.
const DefaultBroadLimit = 50_000

// TooBroad is the error for a query whose words are in about n names.
func TooBroad(text string, n uint64) error {
	return trustmark.Invalidf("search.too_broad", "q", "%q is in about %d names: add more of the name, or choose a type, status or region", text, n)
}

// seqKey is the internal key under which the last indexed event Seq is kept.
var seqKey = []byte("trustmark.last_seq")

// indexVersion is the version of the mapping and of the documents this code
// writes, kept under versionKey in every batch. Open rebuilds an index of
// another version (or of none: those before version 2) from scratch, since
// its documents lack fields the queries rely on. Raise it whenever the
// mapping or what indexed() puts in a document changes.
//
//	1 (no key)  name, holder_name, name_en, all, filters
//	2           lead, place, places, holder_lead, holder_places (place.go)
const indexVersion = "2"

var versionKey = []byte("trustmark.index_version")

// scorchConfig lets a batch return once it is searchable, before it is
// fsynced: waiting for the disk on every batch slowed catching up by a
// quarter (docs/BENCHMARKS.md). It is safe because each batch
// carries its own last Seq (see put): after a crash the index holds a prefix
// of the batches with the Seq of the last one kept, and CatchUp redoes the
// rest. It returns a new map each time: bleve writes the index's path into
// the map it is given, and a shared one would make the next Open use the
// path of the index created before it.
func scorchConfig() map[string]interface{} { return map[string]interface{}{"unsafe_batch": true} }

// Open opens the index in dir, creating it when the directory does not
// exist. An index written by another version of this package is deleted and
// created anew, empty: its last Seq is then -1, so CatchUp indexes every
// event again.
func Open(dir string) (*Index, error) {
	if _, err := os.Stat(dir); err == nil {
		b, err := bleve.OpenUsing(dir, scorchConfig())
		if err != nil {
			return nil, fmt.Errorf("search: open %s: %w", dir, err)
		}
		v, err := b.GetInternal(versionKey)
		if err != nil {
			b.Close()
			return nil, fmt.Errorf("search: open %s: %w", dir, err)
		}
		if string(v) == indexVersion {
			return &Index{bleve: b, path: dir}, nil
		}
		if err := b.Close(); err != nil {
			return nil, fmt.Errorf("search: close %s: %w", dir, err)
		}
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("search: remove outdated index (version %q, want %s): %w", v, indexVersion, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("search: %w", err)
	}
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	b, err := bleve.NewUsing(dir, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, scorchConfig())
	if err != nil {
		return nil, fmt.Errorf("search: create %s: %w", dir, err)
	}
	if err := b.SetInternal(versionKey, []byte(indexVersion)); err != nil {
		b.Close()
		return nil, fmt.Errorf("search: create %s: %w", dir, err)
	}
	return &Index{bleve: b, path: dir}, nil
}

// OpenMem opens an index held in memory only, for tests.
func OpenMem() (*Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	b, err := bleve.NewMemOnly(m)
	if err != nil {
		return nil, err
	}
	return &Index{bleve: b}, nil
}

// Close waits (up to a minute) for written batches to reach the disk, then
// closes the index.
func (ix *Index) Close() error {
	done := make(chan struct{})
	go func() { ix.pending.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
	}
	return ix.bleve.Close()
}

// Count returns the number of documents in the index.
func (ix *Index) Count() (uint64, error) { return ix.bleve.DocCount() }

// Put indexes docs in one batch, replacing documents of the same identity.
func (ix *Index) Put(docs ...Doc) error {
	if len(docs) == 0 {
		return nil
	}
	return ix.put(docs, -1)
}

// put indexes docs and, when seq >= 0, records seq as the last indexed event
// in the same batch, so the two never disagree after a crash.
func (ix *Index) put(docs []Doc, seq int64) error {
	b := ix.bleve.NewBatch()
	for i := range docs {
		if err := b.Index(docs[i].ID(), indexedOf(&docs[i])); err != nil {
			return fmt.Errorf("search: index %s: %w", docs[i].ID(), err)
		}
	}
	persisted := func() {}
	if ix.path != "" {
		ix.pending.Add(1)
		var once sync.Once
		persisted = func() { once.Do(ix.pending.Done) }
		b.SetPersistedCallback(func(error) { persisted() })
	}
	b.SetInternal(versionKey, []byte(indexVersion))
	if seq >= 0 {
		var v [8]byte
		binary.BigEndian.PutUint64(v[:], uint64(seq))
		b.SetInternal(seqKey, v[:])
	}
	err := ix.bleve.Batch(b)
	ix.bounds.changed() // even a failed batch may have changed the index
	if err != nil {
		persisted() // a failed batch is never persisted: do not wait for it
		return err
	}
	return nil
}

// LastSeq returns the Seq of the last event indexed, or -1 when none has been.
func (ix *Index) LastSeq() (int64, error) {
	v, err := ix.bleve.GetInternal(seqKey)
	if err != nil {
		return -1, err
	}
	if len(v) != 8 {
		return -1, nil
	}
	return int64(binary.BigEndian.Uint64(v)), nil
}

// ErrEmptyQuery is returned for a query with no searchable text.
var ErrEmptyQuery = trustmark.Errorf(trustmark.EInvalid, "q", "the search has no words to look for")

// genericWords are parts of organisation names so common that searching for
// them alone finds most of the registry. They are dropped from a query that
// has other words, which keeps queries fast at national scale and ranking
// about the distinctive part of a name.
var genericWords = []string{"股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "股份", "有限"}

// Normalize prepares query text: traditional characters folded, full-width
// forms and surrounding space trimmed, generic company words dropped when
// other words remain.
func Normalize(s string) string {
	s = strings.TrimSpace(Simplify(s))
	if utf8.RuneCountInString(s) > 100 {
		s = string([]rune(s)[:100])
	}
	rest := s
	for _, w := range genericWords {
		rest = strings.ReplaceAll(rest, w, " ")
	}
	if hasWordRune(rest) {
		s = rest
	}
	return strings.Join(strings.Fields(s), " ")
}

func hasWordRune(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// Search runs q.
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	text := Normalize(q.Text)
	if !hasWordRune(text) {
		return nil, ErrEmptyQuery
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	if limit > 100 {
		limit = 100
	}
	offset := min(max(q.Offset, 0), 10_000) // bleve holds offset+limit hits in memory

	f := filters(q)
	if key, ok := placeTable().placeOnly(text); ok && len(f) == 0 {
		return ix.searchPlace(ctx, key, limit, offset)
	}
	if len(f) == 0 {
		n, err := ix.cachedBound(ctx, text)
		if err != nil {
			return nil, err
		}
		if limit := cmp.Or(ix.broadLimit, DefaultBroadLimit); n > limit {
			return nil, TooBroad(text, n)
		}
	}
	var top query.Query = ix.textQuery(text)
	if len(f) > 0 {
		top = bleve.NewConjunctionQuery(append([]query.Query{top}, f...)...)
	}
	res, err := ix.search(ctx, top, limit, offset)
	if err != nil {
		return nil, err
	}
	out := &Result{Total: res.Total, Took: res.Took}
	addHits(out, res)
	return out, nil
}

// filter is a term that does not score (boost 0).
func filter(field, v string) query.Query { return term(field, v, 0) }

func filters(q Query) []query.Query {
	var f []query.Query
	if len(q.Kinds) > 0 {
		var ks []query.Query
		for _, k := range q.Kinds {
			ks = append(ks, filter("kind", string(k)))
		}
		f = append(f, bleve.NewDisjunctionQuery(ks...))
	}
	if q.Type != "" {
		f = append(f, filter("type", string(q.Type)))
	}
	if r := trustmark.RegionPrefix(q.Region); r != "" {
		switch len(r) {
		case 2:
			f = append(f, filter("province", r))
		case 4:
			f = append(f, filter("city", r))
		default:
			f = append(f, filter("region", r))
		}
	}
	if q.Status != "" {
		f = append(f, statusQuery(q.Status, q.Today))
	}
	return f
}

// statusQuery matches the effective status (trustmark.Certificate.
// EffectiveStatus): a certificate whose status lapses has lapsed when its
// expiry date is on or before trustmark.ExpiryCutoff of today.
func statusQuery(status string, today trustmark.Date) query.Query {
	if today.IsZero() {
		return filter("status", status)
	}
	cut := dateNum(trustmark.ExpiryCutoff(today))
	yes, no := true, false
	notLapsed := bleve.NewNumericRangeInclusiveQuery(&cut, nil, &no, nil) // expires > cutoff
	notLapsed.SetField("expires")
	lapsedBy := bleve.NewNumericRangeInclusiveQuery(nil, &cut, nil, &yes) // expires <= cutoff
	lapsedBy.SetField("expires")
	st := trustmark.CertStatus(status)
	switch {
	case st.Lapses():
		return bleve.NewConjunctionQuery(filter("status", status), notLapsed)
	case st == trustmark.StatusExpired:
		var lapsing []query.Query
		for _, s := range trustmark.LapsingStatuses {
			lapsing = append(lapsing, filter("status", string(s)))
		}
		lapsed := bleve.NewConjunctionQuery(bleve.NewDisjunctionQuery(lapsing...), lapsedBy)
		return bleve.NewDisjunctionQuery(filter("status", status), lapsed)
	}
	return filter("status", status)
}

func docFromFields(f map[string]interface{}) Doc {
	s := func(k string) string { v, _ := f[k].(string); return v }
	name := s("name")
	if name == "" {
		name = s("holder_name")
	}
	d := Doc{Kind: Kind(s("kind")), Number: s("number"), Name: name, NameEn: s("name_en"), Product: s("product"),
		Type: trustmark.CertType(s("type")), Status: s("status"), Region: s("region"), HolderUSCC: trustmark.USCC(s("holder"))}
	if v, ok := f["expires"].(float64); ok && v > 0 {
		n := int(v)
		d.ExpiresOn = trustmark.NewDate(n/10000, time.Month(n/100%100), n%100)
	}
	return d
}

// String describes the index for logs.
func (ix *Index) String() string {
	n, _ := ix.Count()
	seq, _ := ix.LastSeq()
	return "search index " + ix.path + " (" + strconv.FormatUint(n, 10) + " documents, last seq " + strconv.FormatInt(seq, 10) + ")"
}
