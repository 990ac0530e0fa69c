package web

import (
	"net/url"
	"strconv"
	"strings"

	"trustmark/audit"
)

// The sites of the audit plan form. The first group of fields is the
// principal site, named as before plans had several sites (site.address);
// further sites are named by their index in the plan's sites
// (sites[1].address), as the API's refusals name them. The form shows as
// many groups as its hidden field site_rows says; the button add_site
// sends the form back with one more group, so that no script is needed.
// Blank further groups are left out of the plan.

// siteFieldNames are the fields of one site group.
var siteFieldNames = []string{"address", "lat", "lng", "datum"}

// siteField returns the form's name of field name of site group i.
func siteField(i int, name string) string {
	if i == 0 {
		return "site." + name
	}
	return "sites[" + strconv.Itoa(i) + "]." + name
}

// SiteField returns the name of field name ("address", "lat", "lng",
// "datum") of site group i.
func (p *AuditPlanPage) SiteField(i int, name string) string { return siteField(i, name) }

// setSiteRows makes the page show n site groups, the principal first.
func (p *AuditPlanPage) setSiteRows(n int) {
	p.SiteRows = p.SiteRows[:0]
	for i := range max(1, min(n, audit.MaxSites)) {
		p.SiteRows = append(p.SiteRows, i)
	}
}

// formSiteRows is how many site groups the posted form showed, bounded by
// audit.MaxSites.
func formSiteRows(v url.Values) int {
	n, err := strconv.Atoi(strings.TrimSpace(v.Get("site_rows")))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, audit.MaxSites)
}

// wantsAnotherSite reports whether the form was sent with its add_site
// button: to be shown again with one more site group, not reported.
func wantsAnotherSite(v url.Values) bool { return v.Has("add_site") }

// siteFieldNamesOf are the names of the fields of rows site groups.
func siteFieldNamesOf(rows int) []string {
	var out []string
	for i := range rows {
		for _, n := range siteFieldNames {
			out = append(out, siteField(i, n))
		}
	}
	return out
}

// siteFormField reports whether f names a field of a further site group
// the page shows, or the sites as a whole.
func siteFormField(f string) bool {
	if f == "sites" {
		return true
	}
	idx, name, ok := strings.Cut(strings.TrimPrefix(f, "sites["), "].")
	i, err := strconv.Atoi(idx)
	return ok && strings.HasPrefix(f, "sites[") && err == nil && i > 0 && i < audit.MaxSites && isSiteFieldName(name)
}

func isSiteFieldName(name string) bool {
	for _, n := range siteFieldNames {
		if n == name {
			return true
		}
	}
	return false
}

// readSites reads the form's site groups into p: the principal site
// alone as site, as before plans had several sites; with further sites,
// all of them as sites, the blank groups left out, remembering the group
// each came from.
func (f *auditPlanForm) readSites(p *audit.Plan) error {
	val := f.Values
	var sites []audit.Site
	for i := range f.SiteRows {
		if i > 0 && val[siteField(i, "address")] == "" && val[siteField(i, "lat")] == "" && val[siteField(i, "lng")] == "" {
			continue // a blank further site
		}
		s := audit.Site{Address: val[siteField(i, "address")], Datum: audit.Datum(val[siteField(i, "datum")])}
		var err error
		if s.Lat, err = planNumber(val, siteField(i, "lat"), true); err != nil {
			return err
		}
		if s.Lng, err = planNumber(val, siteField(i, "lng"), true); err != nil {
			return err
		}
		sites = append(sites, s)
		f.sites = append(f.sites, i)
	}
	if len(sites) == 1 {
		p.Site = sites[0]
	} else {
		p.Sites = sites
	}
	return nil
}

// siteFieldOf names the form's field of a refusal of field sites[k].x:
// x of the group site k was typed in.
func (f auditPlanForm) siteFieldOf(field string) (string, bool) {
	idx, rest, ok := strings.Cut(strings.TrimPrefix(field, "sites["), "].")
	if !ok || !strings.HasPrefix(field, "sites[") {
		return "", false
	}
	if k, e := strconv.Atoi(idx); e == nil && k >= 0 && k < len(f.sites) {
		return siteField(f.sites[k], rest), true
	}
	return "", false
}

// siteValues sets the form's fields of the plan's sites, as reported.
func siteValues(v map[string]string, pl *audit.Plan) {
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	sites := pl.AllSites()
	for i, s := range sites {
		v[siteField(i, "address")], v[siteField(i, "lat")], v[siteField(i, "lng")], v[siteField(i, "datum")] =
			s.Address, num(s.Lat), num(s.Lng), string(s.Datum)
	}
	v["site_rows"] = strconv.Itoa(len(sites))
}

// MaxSites is the most sites a plan has: the form offers no more groups.
func (p *AuditPlanPage) MaxSites() int { return audit.MaxSites }
