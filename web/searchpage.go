package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"trustmark"
	"trustmark/locale"
)

// SearchPage is the results of a name search, with its filters.
type SearchPage struct {
	Page
	Q                                       string
	Results                                 []ResultView
	Total                                   uint64
	TotalText                               string // Total with thousands separators
	Kind, Type, Status, Province, City      string
	KindOptions, TypeOptions, StatusOptions Options
	ProvinceOptions, CityOptions            Options
	PrevURL, NextURL                        string
	Fallback                                bool   // name-fragment results, without an index (search.Fragments)
	Message                                 string // why nothing could be searched
}

// Option is one choice of a select box.
type Option struct {
	Value, Label string
	Selected     bool
}

// ResultView is one line of results.
type ResultView struct {
	KindLabel, Name, Number, URL, Extra string
	NameEn                              string // on English pages
	Status                              StatusView
}

// StatusView is a status word with its colour class: ok, warn or bad.
type StatusView struct{ Label, Class string }

const resultsPerPage = 20

// maxResultPages bounds paging (1,000 results); narrower words or filters
// find the rest.
const maxResultPages = 50

func (h *Handler) search(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := &SearchPage{Page: h.newPage(r, ""), Q: q}
	p.Query = q
	p.Title = p.T.ResultsTitle
	p.Robots = "noindex"
	if q == "" {
		h.redirect(w, r, &p.Page, "/")
		return
	}
	id := trustmark.Identify(q)
	if id.Kind != trustmark.IDText {
		done, err := h.lookupIdentifier(ctx, w, r, &p.Page, id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if done {
			return
		}
	}

	form := r.URL.Query()
	pageNo := p.readFilters(form)
	h.fillFilterOptions(p)
	if utf8.RuneCountInString(strings.TrimSpace(q)) < 2 {
		// One character is in too many names to mean anything: ask for two
		// rather than say that nothing matches.
		p.Message = p.T.SearchTooShort
		h.render(w, r, http.StatusOK, "search", p)
		return
	}
	if err := h.searchResults(ctx, p, pageNo); err != nil {
		h.fail(w, r, err)
		return
	}
	if len(p.Results) == 0 && id.Kind != trustmark.IDText {
		h.unknownIdentifier(w, r, id, q)
		return
	}
	p.pageLinks(form, pageNo)
	h.render(w, r, http.StatusOK, "search", p)
}

// unknownIdentifier answers q, shaped as the identifier id but neither a
// record nor in any name, with the not-found page that explains what it
// could be.
func (h *Handler) unknownIdentifier(w http.ResponseWriter, r *http.Request, id trustmark.Identity, q string) {
	nf, err := h.explain(r.Context(), r, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	nf.Query = q
	h.notFound(w, r, nf)
}

// readFilters takes the search's filters from the query form and returns
// the page of results it asks for, within 1 and maxResultPages.
func (p *SearchPage) readFilters(form url.Values) int {
	p.Kind, p.Type, p.Status = form.Get("kind"), form.Get("type"), form.Get("status")
	p.Province, p.City = form.Get("province"), form.Get("city")
	pageNo, _ := strconv.Atoi(form.Get("page"))
	// bleve keeps offset+limit hits in memory: cap how deep one can page.
	return min(max(pageNo, 1), maxResultPages)
}

// searchQuery is the name search p's words and filters ask for, for page
// pageNo of the results. A type or kind the search does not know searches
// every one.
func (p *SearchPage) searchQuery(today trustmark.Date, pageNo int) trustmark.SearchQuery {
	sq := trustmark.SearchQuery{Text: p.Q, Status: p.Status, Today: today, Limit: resultsPerPage, Offset: (pageNo - 1) * resultsPerPage}
	if t, err := trustmark.ParseCertType(p.Type); err == nil {
		sq.Type = t
	}
	switch k := trustmark.SearchKind(p.Kind); k {
	case trustmark.SearchOrg, trustmark.SearchBody, trustmark.SearchLab, trustmark.SearchCertificate:
		sq.Kinds = []trustmark.SearchKind{k}
	}
	sq.Region = regionFilter(p.Province, p.City)
	return sq
}

// searchResults runs the search and puts its results on p. Words the
// search cannot take (invalid) are said on the page, with no results; any
// other failure is returned.
func (h *Handler) searchResults(ctx context.Context, p *SearchPage, pageNo int) error {
	var hits []trustmark.SearchHit
	res, err := h.cfg.Search.Search(ctx, p.searchQuery(h.today(), pageNo))
	switch {
	case trustmark.ErrorCode(err) == trustmark.EInvalid:
		p.Message = p.T.Reason(err)
	case err != nil:
		return err
	default:
		hits, p.Total, p.Fallback = res.Hits, res.Total, res.Fragments
		p.TotalText = formatCount(int64(p.Total), p.T)
	}
	today := h.today()
	for i := range hits {
		p.Results = append(p.Results, h.resultView(&p.Page, &hits[i].SearchDoc, today))
	}
	return nil
}

// pageLinks links the pages before and after pageNo, keeping the filters
// of form; no next page after the last result, at maxResultPages, or on
// name-fragment results.
func (p *SearchPage) pageLinks(form url.Values, pageNo int) {
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range form {
			if k != "page" && k != "lang" && len(vs) > 0 && vs[0] != "" {
				v.Set(k, vs[0])
			}
		}
		v.Set("page", strconv.Itoa(n))
		return "/search?" + v.Encode()
	}
	if pageNo > 1 {
		p.PrevURL = link(pageNo - 1)
	}
	if uint64(pageNo*resultsPerPage) < p.Total && !p.Fallback && pageNo < maxResultPages {
		p.NextURL = link(pageNo + 1)
	}
}

// regionFilter returns the region code a province and city select stand for:
// the city when it is in the province (by the divisions' hierarchy), else the
// province.
func regionFilter(province, city string) string {
	if len(city) == 6 && (province == "" || trustmark.RegionCovers(province, city)) {
		return city
	}
	if len(province) == 6 {
		return province
	}
	return ""
}

func (h *Handler) fillFilterOptions(p *SearchPage) {
	t := p.T
	opt := func(v, label, cur string) Option { return Option{Value: v, Label: label, Selected: v == cur} }
	p.KindOptions = []Option{opt("", t.FilterAny, p.Kind), opt("org", t.KindOrg, p.Kind), opt("certificate", t.KindCertificate, p.Kind),
		opt("body", t.KindBody, p.Kind), opt("lab", t.KindLab, p.Kind)}
	p.TypeOptions = []Option{opt("", t.FilterAny, p.Type)}
	for _, ct := range trustmark.CertTypes {
		p.TypeOptions = append(p.TypeOptions, opt(string(ct), t.CertTypeName(ct), p.Type))
	}
	p.StatusOptions = []Option{opt("", t.FilterAny, p.Status)}
	for _, s := range trustmark.CertStatuses {
		p.StatusOptions = append(p.StatusOptions, opt(string(s), t.CertStatusNames[s], p.Status))
	}
	p.ProvinceOptions, p.CityOptions = regionOptions(t, p.Province, p.City)
}

// regionOptions lists the provinces, and the cities of the chosen province
// (the city box fills after the province is applied, which needs no script).
// The lists come from regionLists, made once per language, not from a walk
// over every division for each page.
func regionOptions(t *Messages, province, city string) (provinces, cities []Option) {
	l := regionListsFor(t.Lang)
	provinces = append([]Option{{Value: "", Label: t.FilterAny}}, l.provinces...)
	for i := range provinces {
		provinces[i].Selected = provinces[i].Value != "" && provinces[i].Value == province
	}
	cities = []Option{{Value: "", Label: t.FilterAny}}
	if province != "" {
		cities = append(cities, l.cities[province]...)
		for i := range cities {
			cities[i].Selected = cities[i].Value != "" && cities[i].Value == city
		}
	}
	return provinces, cities
}

// regionLists are a language's province options and, by province, its
// city options, none selected.
type regionLists struct {
	provinces []Option
	cities    map[string][]Option
}

var regionListCache sync.Map // language → *regionLists

func regionListsFor(lang string) *regionLists {
	if l, ok := regionListCache.Load(lang); ok {
		return l.(*regionLists)
	}
	l := &regionLists{cities: map[string][]Option{}}
	for _, reg := range trustmark.DefaultRegions().All() {
		switch {
		case reg.Level == 1:
			l.provinces = append(l.provinces, Option{Value: reg.Code, Label: reg.NameIn(lang)})
		case reg.Level == 2 && reg.Name != "市辖区" && reg.Name != "县":
			l.cities[reg.Province] = append(l.cities[reg.Province], Option{Value: reg.Code, Label: reg.NameIn(lang)})
		}
	}
	v, _ := regionListCache.LoadOrStore(lang, l)
	return v.(*regionLists)
}

func (h *Handler) resultView(p *Page, d *trustmark.SearchDoc, today trustmark.Date) ResultView {
	t := p.T
	v := ResultView{Name: d.Name, Number: d.Number}
	if t.Lang == "en" {
		v.NameEn = d.NameEn
	}
	switch d.Kind {
	case trustmark.SearchOrg:
		v.KindLabel, v.URL = t.KindOrg, p.Link(orgURL(trustmark.USCC(d.Number)))
	case trustmark.SearchBody:
		v.KindLabel, v.URL = t.KindBody, p.Link(bodyURL(d.Number))
		v.Status = partyStatusView(t, trustmark.PartyStatus(d.Status))
	case trustmark.SearchLab:
		v.KindLabel, v.URL = t.KindLab, p.Link(labURL(d.Number))
		v.Status = partyStatusView(t, trustmark.PartyStatus(d.Status))
	case trustmark.SearchCertificate:
		v.KindLabel, v.URL = t.CertTypeName(d.Type), p.Link(certURL(d.Number))
		v.Status = certStatusView(t, trustmark.CertStatus(d.EffectiveStatus(today)))
		v.Extra = d.Product
	}
	if d.Region != "" {
		if v.Extra != "" {
			v.Extra += " · "
		}
		v.Extra += trustmark.DefaultRegions().FullNameIn(d.Region, t.Lang)
	}
	return v
}

func certStatusView(t *Messages, s trustmark.CertStatus) StatusView {
	return StatusView{Label: locale.StatusLabel(t.CertStatusNames[s]), Class: certClass(s, s.Tone())}
}

func partyStatusView(t *Messages, s trustmark.PartyStatus) StatusView {
	if s == "" {
		return StatusView{}
	}
	class := "bad"
	switch s {
	case trustmark.PartyActive:
		class = "ok"
	case trustmark.PartySuspended:
		class = "warn"
	}
	return StatusView{Label: locale.StatusLabel(t.PartyStatusNames[s]), Class: class}
}
