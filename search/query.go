package search

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"trustmark"
)

// Field weights. Organisations, bodies and labs rank above their
// certificates because a certificate's holder name is a field of its own
// with a lower weight; a name whose brand (the part after its leading place
// name, see place.go) starts with a query word ranks above one that only
// contains its characters, e.g. across the place boundary (上海|尔信 for
// 海尔).
const (
	boostName       = 5
	boostHolder     = 1
	boostNameEn     = 2
	boostAll        = 0.5
	boostNumber     = 10
	boostPhrase     = 2
	boostLead       = 8
	boostHolderLead = 2
	boostAtPlace    = 8
)

// storedFields are the fields docFromFields reads, loaded for the page of
// hits only: all that are stored. ("*" reads them in one pass over the
// stored document; a list of names makes bleve pass over it once per name.)
var storedFields = []string{"*"}

func (ix *Index) search(ctx context.Context, q query.Query, limit, offset int) (*bleve.SearchResult, error) {
	req := bleve.NewSearchRequestOptions(q, limit, offset, false)
	req.Fields = storedFields
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

func addHits(out *Result, res *bleve.SearchResult) {
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, Hit{SearchDoc: docFromFields(h.Fields), Score: h.Score})
	}
}

// textQuery matches every word of text (bigrams of CJK runs) in the name
// (organisations, bodies, labs), the holder name (certificates), or name,
// product and scope together. Among the matches it prefers, by field
// weight, organisations over their certificates, names whose brand starts
// with a query word (lead), and names that contain a single-word query as
// one phrase. A query that is a place name alone is placeQuery.
func (ix *Index) textQuery(text string) query.Query {
	if key, ok := placeTable().placeOnly(text); ok {
		return placeQuery(key)
	}
	terms := ix.terms(text)
	if len(terms) == 0 {
		return bleve.NewMatchNoneQuery()
	}
	d := bleve.NewDisjunctionQuery(fieldMatch(terms, "name", boostName), fieldMatch(terms, "holder_name", boostHolder),
		fieldMatch(terms, "all", boostAll))
	if hasASCIIWord(text) {
		// English names and record numbers are ASCII: a query without
		// ASCII letters or digits need not look there.
		d.AddQuery(fieldMatch(terms, "name_en", boostNameEn))
		number := bleve.NewTermQuery(numberTerm(text))
		number.SetField("number")
		number.SetBoost(boostNumber)
		d.AddQuery(number)
	}
	if len(terms) > 1 && !strings.Contains(text, " ") {
		// A phrase of two characters is one bigram, the match itself; one
		// of several words never matches across them.
		phrase := bleve.NewMatchPhraseQuery(text)
		phrase.SetField("name")
		phrase.SetBoost(boostPhrase)
		d.AddQuery(phrase)
	}
	var prefer []query.Query
	seen := map[string]bool{}
	for _, w := range strings.Fields(text) {
		if l := queryLead(w); l != "" && !seen[l] {
			seen[l] = true
			prefer = append(prefer, term("lead", l, boostLead), term("holder_lead", l, boostHolderLead))
		}
	}
	return preferring(d, prefer...)
}

// placeQuery is the query for a place name alone (深圳, 深圳市, 广东省),
// given by its key: the names that mention the place in any of its forms
// (深圳市 finds 深圳华泰… and 华为技术有限公司深圳分公司), organisations,
// bodies and labs above certificates, and among them those that start with
// the place first. Product and scope text is not searched for a place.
// Each name's places are terms of their own (see nameParts), so this is
// two term lookups however many names match.
func placeQuery(key string) query.Query {
	return preferring(bleve.NewDisjunctionQuery(term("places", key, boostName), term("holder_places", key, boostHolder)),
		atPlace(key))
}

// preferring returns a query that matches what must matches and scores
// higher what also matches one of prefer.
func preferring(must query.Query, prefer ...query.Query) query.Query {
	if len(prefer) == 0 {
		return must
	}
	b := bleve.NewBooleanQuery()
	b.Must = must // not AddMust: it would wrap must in a conjunction of one
	b.AddShould(prefer...)
	return b
}

func atPlace(key string) query.Query { return term("place", key, boostAtPlace) }

func term(field, v string, boost float64) *query.TermQuery {
	t := bleve.NewTermQuery(v)
	t.SetField(field)
	t.SetBoost(boost)
	return t
}

// fieldMatch matches documents whose field holds every one of terms.
func fieldMatch(terms []string, field string, boost float64) query.Query {
	if len(terms) == 1 {
		return term(field, terms[0], boost)
	}
	c := bleve.NewConjunctionQuery()
	for _, t := range terms {
		c.AddQuery(term(field, t, boost))
	}
	return c
}

// searchPlace answers a query that is a place name alone, with no filters,
// as placeQuery does. Such a query matches a large share of the registry
// (every name that mentions a big city), and scoring all of it made the
// slowest queries at national scale. Organisations, bodies and labs rank
// above every certificate (placeQuery's field weights), so the page is
// taken from them and the certificates only when it reaches past them, and
// the total is the length of the two posting lists, with no document
// visited.
func (ix *Index) searchPlace(ctx context.Context, key string, limit, offset int) (*Result, error) {
	start := time.Now()
	idx, err := ix.bleve.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	r, err := idx.Reader()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer r.Close()
	count := func(field string) (uint64, error) {
		tfr, err := r.TermFieldReader(ctx, []byte(key), field, false, false, false)
		if err != nil {
			return 0, fmt.Errorf("search: %w", err)
		}
		defer tfr.Close()
		return tfr.Count(), nil
	}
	names, err := count("places")
	if err != nil {
		return nil, err
	}
	holders, err := count("holder_places")
	if err != nil {
		return nil, err
	}
	out := &Result{Total: names + holders}
	if offset < int(names) {
		res, err := ix.search(ctx, preferring(term("places", key, boostName), atPlace(key)), limit, offset)
		if err != nil {
			return nil, err
		}
		addHits(out, res)
	}
	if len(out.Hits) < limit && holders > 0 {
		res, err := ix.search(ctx, term("holder_places", key, boostHolder), limit-len(out.Hits), max(0, offset-int(names)))
		if err != nil {
			return nil, err
		}
		addHits(out, res)
	}
	out.Took = time.Since(start)
	return out, nil
}

// terms returns the distinct terms the text analyzer makes of text.
func (ix *Index) terms(text string) []string {
	var out []string
	for _, tok := range ix.bleve.Mapping().AnalyzerNamed(textAnalyzer).Analyze([]byte(text)) {
		if t := string(tok.Term); !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// numberTerm is how the number field holds text that is a record number:
// the certificate number's canonical form (trustmark.ParseCertNumber), the
// one every writer stores.
func numberTerm(text string) string {
	if n, err := trustmark.ParseCertNumber(text); err == nil {
		return string(n)
	}
	return strings.ToUpper(text)
}

func hasASCIIWord(s string) bool {
	for _, r := range s {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r >= 0xFF10 && r <= 0xFF5A {
			return true
		}
	}
	return false
}

// matchBound estimates, from posting-list lengths alone, how many records
// a text query can match: in each field a record must hold every term, so
// the rarest term bounds that field's matches; the estimate is the largest
// of those bounds (the fields overlap: "all" holds the names too).
func (ix *Index) matchBound(ctx context.Context, text string) (uint64, error) {
	terms := ix.terms(text)
	if len(terms) == 0 {
		return 0, nil
	}
	idx, err := ix.bleve.Advanced()
	if err != nil {
		return 0, fmt.Errorf("search: %w", err)
	}
	r, err := idx.Reader()
	if err != nil {
		return 0, fmt.Errorf("search: %w", err)
	}
	defer r.Close()
	var bound uint64
	for _, field := range []string{"name", "holder_name", "all"} {
		rarest := uint64(math.MaxUint64)
		for _, t := range terms {
			tfr, err := r.TermFieldReader(ctx, []byte(t), field, false, false, false)
			if err != nil {
				return 0, fmt.Errorf("search: %w", err)
			}
			rarest = min(rarest, tfr.Count())
			tfr.Close()
		}
		bound = max(bound, rarest)
	}
	return bound, nil
}
