package search

import (
	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk" // cjk_width, cjk_bigram
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names under which the package registers its analysis parts with bleve.
// bleve keeps analysis components in a process-wide registry by name, and an
// index stores the names in its mapping, so they must be registered before
// an index is opened: this package's init does it.
const (
	t2sFilterName = "trustmark_t2s"
	textAnalyzer  = "trustmark_cjk"
)

// t2sCharFilter folds traditional characters to simplified ones before
// tokenising, on documents and queries alike.
type t2sCharFilter struct{}

func (t2sCharFilter) Filter(in []byte) []byte { return []byte(Simplify(string(in))) }

func init() {
	err := registry.RegisterCharFilter(t2sFilterName, func(map[string]interface{}, *registry.Cache) (analysis.CharFilter, error) {
		return t2sCharFilter{}, nil
	})
	if err != nil {
		panic(err)
	}
}

// newMapping returns the index mapping: one document type whose text fields
// use bleve's CJK bigram analysis behind the traditional→simplified fold, and
// whose identifiers and filters are single keyword terms.
func newMapping() (*mapping.IndexMappingImpl, error) {
	m := mapping.NewIndexMapping()
	err := m.AddCustomAnalyzer(textAnalyzer, map[string]interface{}{
		"type":          "custom",
		"char_filters":  []string{t2sFilterName},
		"tokenizer":     unicode.Name,
		"token_filters": []string{"cjk_width", lowercase.Name, "cjk_bigram"},
	})
	if err != nil {
		return nil, err
	}
	m.DefaultAnalyzer = textAnalyzer

	text := func(store bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = textAnalyzer
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = true // phrase queries need positions
		f.DocValues = false
		return f
	}
	keyword := func(store bool) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	stored := func() *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}

	d := mapping.NewDocumentStaticMapping()
	d.AddFieldMappingsAt("name", text(true))
	d.AddFieldMappingsAt("holder_name", text(true))
	d.AddFieldMappingsAt("name_en", text(true))
	d.AddFieldMappingsAt("product", text(true))
	d.AddFieldMappingsAt("all", text(false))
	d.AddFieldMappingsAt("number", keyword(true))
	d.AddFieldMappingsAt("kind", keyword(true))
	d.AddFieldMappingsAt("type", keyword(true))
	d.AddFieldMappingsAt("status", keyword(true))
	expires := mapping.NewNumericFieldMapping()
	expires.IncludeInAll = false
	expires.DocValues = false
	d.AddFieldMappingsAt("expires", expires)
	d.AddFieldMappingsAt("province", keyword(false))
	d.AddFieldMappingsAt("city", keyword(false))
	d.AddFieldMappingsAt("region", keyword(true))
	d.AddFieldMappingsAt("holder", stored())
	d.AddFieldMappingsAt("lead", keyword(false))
	d.AddFieldMappingsAt("place", keyword(false))
	d.AddFieldMappingsAt("places", keyword(false))
	d.AddFieldMappingsAt("holder_lead", keyword(false))
	d.AddFieldMappingsAt("holder_places", keyword(false))
	m.DefaultMapping = d
	m.TypeField = "_none" // one document type
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m, nil
}
