package audit

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"trustmark"
)

// MaxSites bounds the sites of one plan. IAF MD 1 samples the sites of a
// multi-site organisation; a plan names those the team visits, and more
// than fifty in one audit is a typing error, not an audit.
const MaxSites = 50

// AllSites returns the plan's sites, the principal one first: Sites, or
// for a plan decided before plans had several sites, Site alone.
func (p *Plan) AllSites() []Site {
	if len(p.Sites) > 0 {
		return p.Sites
	}
	return []Site{p.Site}
}

// Nearest returns which of the plan's sites is nearest to pt (its index
// in AllSites), that site, and its distance from pt in metres: the site a
// check-in at pt was made to.
func (p *Plan) Nearest(pt Point) (int, Site, float64) {
	if len(p.Sites) == 0 {
		return 0, p.Site, DistanceM(p.Site.WGS84, pt)
	}
	sites := p.Sites
	best, bestD := 0, math.Inf(1)
	for i, s := range sites {
		if d := DistanceM(s.WGS84, pt); d < bestD {
			best, bestD = i, d
		}
	}
	return best, sites[best], bestD
}

// SiteOf returns the WGS-84 position of the site check-in c was made to:
// the nearest of the plan's sites. The public log's distance is from it.
func (a *Audit) SiteOf(c CheckIn) Point {
	_, s, _ := a.Plan.Nearest(c.Position)
	return s.WGS84
}

// normalizeSites reads the plan's sites as a body gave them: site alone
// (one site, as before plans had several), sites alone, or both when site
// is sites[0]. It refuses more than MaxSites, a site without an address
// or with a position that is not one, naming the site as it was given
// (site.lat, or sites[2].lat), and fills each site's WGS-84 position, then
// Sites with every site and Site with the principal one.
func normalizeSites(p *Plan) error {
	given, prefix := p.Sites, "site"
	if len(given) == 0 {
		given = []Site{p.Site}
	} else if p.Site != (Site{}) {
		if f := siteMismatch(p.Site, given[0]); f != "" {
			return trustmark.Invalidf("audit.site_mismatch", "sites[0]."+f,
				"site is the principal site and must be sites[0]; they differ in %s", f)
		}
	}
	if len(given) > MaxSites {
		return trustmark.Invalidf("audit.sites_count", "sites", "a plan has at most %d sites, not %d", MaxSites, len(given))
	}
	out := make([]Site, len(given))
	for i, s := range given {
		if len(p.Sites) > 0 {
			prefix = "sites[" + strconv.Itoa(i) + "]"
		}
		w, d, err := ParsePosition(s.Lat, s.Lng, string(s.Datum))
		if err != nil {
			return trustmark.WithField(err, prefix+"."+trustmark.ErrorField(err))
		}
		if strings.TrimSpace(s.Address) == "" {
			return trustmark.Invalidf("audit.address", prefix+".address", "the site's address is required")
		}
		s.Datum, s.WGS84 = d, w
		out[i] = s
	}
	p.Sites, p.Site = out, out[0]
	return nil
}

// siteMismatch names the first field in which site differs from first as
// the body reported them ("" when they agree): a datum is compared as
// read, so that "WGS-84" and "wgs84" agree; the WGS-84 position is
// derived, not reported, and is not compared.
func siteMismatch(site, first Site) string {
	switch {
	case strings.TrimSpace(site.Address) != strings.TrimSpace(first.Address):
		return "address"
	case site.Lat != first.Lat:
		return "lat"
	case site.Lng != first.Lng:
		return "lng"
	case datumAsRead(site.Datum) != datumAsRead(first.Datum):
		return "datum"
	}
	return ""
}

func datumAsRead(d Datum) string {
	if p, err := ParseDatum(string(d)); err == nil {
		return string(p)
	}
	return string(d)
}

// sameSites reports whether two plans name the same sites in the same
// order, as reported.
func sameSites(a, b *Plan) bool {
	return slices.Equal(a.AllSites(), b.AllSites())
}
