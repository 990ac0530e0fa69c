package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
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

// ResultView is one line of results. Issuer is a certificate's second
// badge when its issuing body is not in good standing (its approval
// suspended or revoked): the results never show one without the other.
type ResultView struct {
	KindLabel, Name, Number, URL, Extra string
	NameEn                              string // on English pages
	Status, Issuer                      StatusView
}

// StatusView is a status word with its colour class: ok, warn or bad.
type StatusView struct{ Label, Class string }

const resultsPerPage = 20

// maxResultPages bounds paging (1,000 results); narrower words or filters
// find the rest.
const maxResultPages = 50

func (h *Handler) search(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	form := r.URL.Query()
	q := strings.TrimSpace(form.Get("q"))
	p := &SearchPage{Page: h.newPage(r, ""), Q: q}
	p.Query = q
	p.Title = p.T.ResultsTitle
	p.Robots = "noindex"
	pageNo := p.readFilters(form)
	h.fillFilterOptions(p)
	if err := p.checkQuery(form); err != nil {
		h.fail(w, r, err)
		return
	}
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

// searchParams are the parameters /search takes: the words, the filters,
// the page of results and the language.
var searchParams = []string{"q", "kind", "type", "status", "province", "city", "page", "lang"}

// checkQuery refuses by name, as the region pages do (checkPageQuery), a
// parameter the search does not take, one given twice, a filter value its
// select boxes do not offer (fillFilterOptions made them; a city as
// checkCity says), and a page of results that is not a whole number from 1
// to maxResultPages. Each would otherwise be dropped and the results shown
// as if filtered.
func (p *SearchPage) checkQuery(form url.Values) error {
	known := map[string][]string{"kind": optionValues(p.KindOptions), "type": optionValues(p.TypeOptions), "status": optionValues(p.StatusOptions),
		"province": optionValues(p.ProvinceOptions)}
	if err := checkPageQuery(form, searchParams, known); err != nil {
		return err
	}
	if err := checkCity(p.T.Lang, p.City, p.CityOptions); err != nil {
		return err
	}
	if v := form.Get("page"); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > maxResultPages {
			return regionFilterError("page", v, []string{"1-" + strconv.Itoa(maxResultPages)})
		}
	}
	return nil
}

// optionValues are the values a select box offers, its "any" (the empty
// value) left out.
func optionValues(opts []Option) []string {
	var out []string
	for _, o := range opts {
		if o.Value != "" {
			out = append(out, o.Value)
		}
	}
	return out
}

// searchQuery is the name search p's words and filters ask for, for page
// pageNo of the results (checkQuery refused any value it does not know).
func (p *SearchPage) searchQuery(today trustmark.Date, pageNo int) trustmark.SearchQuery {
	sq := trustmark.SearchQuery{Text: p.Q, Status: p.Status, Type: trustmark.CertType(p.Type), Today: today, Limit: resultsPerPage, Offset: (pageNo - 1) * resultsPerPage}
	if p.Kind != "" {
		sq.Kinds = []trustmark.SearchKind{trustmark.SearchKind(p.Kind)}
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
	issued, err := h.certificatesOf(ctx, hits)
	if err != nil {
		return err
	}
	today := h.today()
	for i := range hits {
		d := &hits[i].SearchDoc
		v := h.resultView(&p.Page, d, today)
		if c := issued[certKeyOf(d).String()]; d.Kind == trustmark.SearchCertificate && c != nil {
			v.showIssuer(p.T, d, c, today)
		}
		p.Results = append(p.Results, v)
	}
	return nil
}

// certKeyOf is the key of the certificate d describes.
func certKeyOf(d *trustmark.SearchDoc) trustmark.CertKey {
	return trustmark.CertKey{Type: d.Type, Number: trustmark.CertNumber(d.Number)}
}

// certificatesReader reads many certificates, each with its issuing body's
// standing, in one query (sqlstore.DB, as bulk.Finder).
type certificatesReader interface {
	CertificatesByNumber(ctx context.Context, numbers []string) ([]*trustmark.Certificate, error)
}

// certificatesOf reads the certificates among hits from the store, by
// Certificate.Key, for their issuing body's standing, which the search
// index does not hold: in one query for the page when the store reads many
// at once, else one read each. A body whose standing a read left out is
// looked up once for the page, however many of its certificates it lists.
// A certificate the store does not hold is absent; any other failure is
// returned, as a result must not be shown without its body's standing.
func (h *Handler) certificatesOf(ctx context.Context, hits []trustmark.SearchHit) (map[string]*trustmark.Certificate, error) {
	var keys []trustmark.CertKey
	for i := range hits {
		if d := &hits[i].SearchDoc; d.Kind == trustmark.SearchCertificate {
			keys = append(keys, certKeyOf(d))
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	certs, err := h.readCertificates(ctx, keys)
	if err != nil {
		return nil, err
	}
	if err := h.fillBodyStanding(ctx, certs); err != nil {
		return nil, err
	}
	out := make(map[string]*trustmark.Certificate, len(certs))
	for _, c := range certs {
		out[c.Key()] = c
	}
	return out, nil
}

// readCertificates reads the certificates of keys: all in one query when
// the store reads many at once (certificatesReader), else one at a time.
func (h *Handler) readCertificates(ctx context.Context, keys []trustmark.CertKey) ([]*trustmark.Certificate, error) {
	if cr, ok := h.cfg.Store.(certificatesReader); ok {
		numbers := make([]string, 0, len(keys))
		for _, k := range keys {
			if !slices.Contains(numbers, string(k.Number)) {
				numbers = append(numbers, string(k.Number))
			}
		}
		return cr.CertificatesByNumber(ctx, numbers)
	}
	var out []*trustmark.Certificate
	for _, k := range keys {
		c, err := h.cfg.Store.CertificateByKey(ctx, k)
		if trustmark.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// fillBodyStanding gives each of certs read without its issuing body's
// standing the body's status (as the certificate page does, certBody),
// reading each body once.
func (h *Handler) fillBodyStanding(ctx context.Context, certs []*trustmark.Certificate) error {
	bodies := map[string]*trustmark.Body{}
	for _, c := range certs {
		if c.BodyStatus != "" {
			continue
		}
		b, read := bodies[c.BodyApprovalNo]
		if !read {
			var err error
			if b, err = h.cfg.Store.Body(ctx, c.BodyApprovalNo); trustmark.IsNotFound(err) {
				b = nil
			} else if err != nil {
				return err
			}
			bodies[c.BodyApprovalNo] = b
		}
		if b != nil {
			c.BodyStatus, c.BodyStatusSince = b.Status, b.StatusSince
		}
	}
	return nil
}

// showIssuer colours certificate d's result by its standing, the one rule
// of every answer about a certificate (trustmark.IssuerStanding over its
// status and its issuing body's, c as read from the store), and when the
// body is not in good standing says so in a second badge.
func (v *ResultView) showIssuer(t *Messages, d *trustmark.SearchDoc, c *trustmark.Certificate, today trustmark.Date) {
	st, issuer := certBadges(t, trustmark.CertStatus(d.EffectiveStatus(today)), c)
	v.Status.Class, v.Issuer = st.Class, issuer
}

// certBadges are the badges of a certificate c in status s: its status,
// coloured by its standing (trustmark.IssuerStanding over s and its
// issuing body's status, as read with c), and, when the body is not in
// good standing, a second badge saying so ("" Label otherwise).
func certBadges(t *Messages, s trustmark.CertStatus, c *trustmark.Certificate) (status, issuer StatusView) {
	standing := trustmark.IssuerStanding(s.Tone(), c.BodyStatus, c.BodyStatusSince)
	status = certStatusView(t, s)
	status.Class = certClass(s, standing.Tone)
	if standing.IssuerWarning {
		issuer = StatusView{Label: issuerNote(t, standing, t.IssuerBodyBadges), Class: partyStatusView(t, standing.IssuerStatus).Class}
	}
	return status, issuer
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

// checkCity refuses a city that none of the city select boxes offers (a
// prefecture-level division of a province, regionLists), naming the
// cities offered for the province chosen. A city of another province than
// the one chosen is not refused: the form sends it when the province was
// changed while a city of the old one was still selected. The province
// then governs (regionFilter), and the page offers its cities with none
// selected, so that the list does not read as filtered by that city.
func checkCity(lang, city string, offered []Option) error {
	if city == "" {
		return nil
	}
	if reg, ok := trustmark.DefaultRegions().Lookup(city); ok && len(city) == 6 {
		if slices.ContainsFunc(regionListsFor(lang).cities[reg.Province], func(o Option) bool { return o.Value == city }) {
			return nil
		}
	}
	return regionFilterError("city", city, optionValues(offered))
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
