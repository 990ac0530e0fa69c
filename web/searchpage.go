package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"trustmark"
	"trustmark/search"
)

// SearchPage is the results of a name search, with its filters.
type SearchPage struct {
	Page
	Q                                       string
	Results                                 []ResultView
	Total                                   uint64
	Kind, Type, Status, Province, City      string
	KindOptions, TypeOptions, StatusOptions []Option
	ProvinceOptions, CityOptions            []Option
	PrevURL, NextURL                        string
	Fallback                                bool   // no index: store name-fragment results
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
	p.Kind, p.Type, p.Status = form.Get("kind"), form.Get("type"), form.Get("status")
	p.Province, p.City = form.Get("province"), form.Get("city")
	pageNo, _ := strconv.Atoi(form.Get("page"))
	// bleve keeps offset+limit hits in memory: cap how deep one can page.
	pageNo = min(max(pageNo, 1), maxResultPages)
	h.fillFilterOptions(p)

	sq := search.Query{Text: q, Status: p.Status, Today: h.today(), Limit: resultsPerPage, Offset: (pageNo - 1) * resultsPerPage}
	if t, err := trustmark.ParseCertType(p.Type); err == nil {
		sq.Type = t
	}
	switch search.Kind(p.Kind) {
	case search.KindOrg, search.KindBody, search.KindLab, search.KindCertificate:
		sq.Kinds = []search.Kind{search.Kind(p.Kind)}
	}
	sq.Region = regionFilter(p.Province, p.City)

	var hits []search.Hit
	if h.cfg.Search != nil {
		res, err := h.cfg.Search.Search(ctx, sq)
		switch {
		case trustmark.ErrorCode(err) == trustmark.EInvalid:
			p.Message = p.T.Reason(err)
		case err != nil:
			h.fail(w, r, err)
			return
		default:
			hits, p.Total = res.Hits, res.Total
		}
	} else {
		p.Fallback = true
		var err error
		if hits, err = h.fallbackSearch(ctx, sq); err != nil {
			h.fail(w, r, err)
			return
		}
		p.Total = uint64(len(hits))
	}
	today := h.today()
	for i := range hits {
		p.Results = append(p.Results, h.resultView(&p.Page, &hits[i].Doc, today))
	}
	if len(p.Results) == 0 && id.Kind != trustmark.IDText {
		// An identifier-shaped entry that is neither a record nor a name.
		nf, err := h.explain(ctx, r, id)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		nf.Query = q
		h.notFound(w, r, nf)
		return
	}
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
	h.render(w, r, http.StatusOK, "search", p)
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
func regionOptions(t *Messages, province, city string) (provinces, cities []Option) {
	provinces = []Option{{Value: "", Label: t.FilterAny}}
	cities = []Option{{Value: "", Label: t.FilterAny}}
	for _, reg := range trustmark.DefaultRegions().All() {
		switch {
		case reg.Level == 1:
			provinces = append(provinces, Option{Value: reg.Code, Label: reg.NameIn(t.Lang), Selected: reg.Code == province})
		case reg.Level == 2 && province != "" && reg.Province == province && reg.Name != "市辖区" && reg.Name != "县":
			cities = append(cities, Option{Value: reg.Code, Label: reg.NameIn(t.Lang), Selected: reg.Code == city})
		}
	}
	return provinces, cities
}

func (h *Handler) resultView(p *Page, d *search.Doc, today trustmark.Date) ResultView {
	t := p.T
	v := ResultView{Name: d.Name, Number: d.Number}
	if t.Lang == "en" {
		v.NameEn = d.NameEn
	}
	switch d.Kind {
	case search.KindOrg:
		v.KindLabel, v.URL = t.KindOrg, p.Link(orgURL(trustmark.USCC(d.Number)))
	case search.KindBody:
		v.KindLabel, v.URL = t.KindBody, p.Link(bodyURL(d.Number))
		v.Status = partyStatusView(t, trustmark.PartyStatus(d.Status))
	case search.KindLab:
		v.KindLabel, v.URL = t.KindLab, p.Link(labURL(d.Number))
		v.Status = partyStatusView(t, trustmark.PartyStatus(d.Status))
	case search.KindCertificate:
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
	return StatusView{Label: t.CertStatusNames[s], Class: toneClass(s.Tone())}
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
	return StatusView{Label: t.PartyStatusNames[s], Class: class}
}

// fallbackSearch answers a name search from the store's name-fragment
// listings when no index is configured (tests, or an index that failed to
// open): slower at scale and without ranking, but honest.
func (h *Handler) fallbackSearch(ctx context.Context, q search.Query) ([]search.Hit, error) {
	st := h.cfg.Store
	text := search.Simplify(strings.TrimSpace(q.Text))
	want := func(k search.Kind) bool {
		if len(q.Kinds) == 0 {
			return true
		}
		for _, x := range q.Kinds {
			if x == k {
				return true
			}
		}
		return false
	}
	var hits []search.Hit
	pf := trustmark.PartyFilter{Q: text, Region: q.Region, Limit: resultsPerPage}
	if want(search.KindOrg) && q.Type == "" && q.Status == "" {
		page, err := st.Orgs(ctx, pf)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Items {
			hits = append(hits, search.Hit{Doc: search.OrgDoc(o)})
		}
	}
	if want(search.KindBody) && q.Type == "" && q.Status == "" {
		page, err := st.Bodies(ctx, pf)
		if err != nil {
			return nil, err
		}
		for _, b := range page.Items {
			hits = append(hits, search.Hit{Doc: search.BodyDoc(b)})
		}
	}
	if want(search.KindLab) && q.Type == "" && q.Status == "" {
		page, err := st.Labs(ctx, pf)
		if err != nil {
			return nil, err
		}
		for _, l := range page.Items {
			hits = append(hits, search.Hit{Doc: search.LabDoc(l)})
		}
	}
	if want(search.KindCertificate) {
		page, err := st.Certificates(ctx, trustmark.CertificateFilter{Q: text, Type: q.Type, Status: trustmark.CertStatus(q.Status), Region: q.Region, Limit: resultsPerPage})
		if err != nil {
			return nil, err
		}
		for _, c := range page.Items {
			hits = append(hits, search.Hit{Doc: search.CertificateDoc(c, c.HolderUSCC.RegionCode())})
		}
	}
	return hits, nil
}
