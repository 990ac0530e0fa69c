package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"trustmark"
)

// orgInfo is what later phases need to know about an organisation.
type orgInfo struct {
	uscc      trustmark.USCC
	trade     string // 字号, the brand on its products
	industry  uint8
	employees int32
	famous    bool
}

// bodyInfo is a certification body with its share of the market.
type bodyInfo struct {
	body    *trustmark.Body
	code3   string // last three digits of the approval number, in certificate numbers
	cccCode string // two-digit body code in CCC numbers
	weight  float64
}

// labInfo is a laboratory and its report numbering.
type labInfo struct {
	lab    *trustmark.Lab
	kind   uint8
	style  uint8
	weight float64
	serial map[int]int // year → last report serial
}

// weighted picks among n items by cumulative weight.
type weighted struct {
	idx []int
	cum []float64
}

func (w *weighted) add(i int, weight float64) {
	sum := weight
	if n := len(w.cum); n > 0 {
		sum += w.cum[n-1]
	}
	w.idx = append(w.idx, i)
	w.cum = append(w.cum, sum)
}

func (w *weighted) pick(r *rand.Rand) int { return w.idx[pickCum(r, w.cum)] }

func (w *weighted) empty() bool { return w == nil || len(w.idx) == 0 }

// orgCode returns the unique 8-character organisation-code body of the i-th
// organisation: mostly the "MA" codes issued since 2015, some older 8-digit
// ones. Both are bijections of i, and the two shapes cannot collide.
func (g *gen) orgCode(i int, old bool, r *rand.Rand, dst []byte) []byte {
	if !old && r.IntN(100) < 78 {
		const mod = 31 * 31 * 31 * 31 * 31 * 31
		x := (uint64(i)*594_823_321 + g.seed%mod) % mod
		dst = append(dst, 'M', 'A')
		var buf [6]byte
		for k := 5; k >= 0; k-- {
			buf[k] = usccChars[x%31]
			x /= 31
		}
		return append(dst, buf[:]...)
	}
	x := (uint64(i)*7_654_321 + g.seed%100_000_000) % 100_000_000
	return appendPadded(dst, int(x), 8)
}

const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// newUSCC makes the code of a new organisation registered in region by the
// given authority and type pair ("91" enterprise, "12" public institution...).
// Organisations older than the 2015 codes (old) keep their 8-digit
// organisation code inside the new one.
func (g *gen) newUSCC(pair, region string, old bool, r *rand.Rand) trustmark.USCC {
	var buf [16]byte
	b := append(buf[:0], pair...)
	b = append(b, region...)
	b = g.orgCode(g.nextOrg, old, r, b)
	g.nextOrg++
	return trustmark.MakeUSCC(string(b))
}

// bodyPlan is a certification body decided but not yet approved: its
// approval number depends on the year order of all of them.
type bodyPlan struct {
	year   int
	name   string
	en     string
	pl     place
	scopes []trustmark.CertType
	ccc    []string
	weight float64
	pair   string
}

// Endings of generated bodies' names, in Chinese and in English.
var (
	bodySuffixes   = []string{"认证有限公司", "检验认证有限公司", "质量认证有限公司", "认证服务有限公司", "国际认证有限公司", "标准认证有限公司", "质量认证中心有限公司"}
	bodySuffixesEn = []string{"Certification Co., Ltd.", "Inspection & Certification Co., Ltd.", "Quality Certification Co., Ltd.",
		"Certification Services Co., Ltd.", "International Certification Co., Ltd.", "Standard Certification Co., Ltd.", "Quality Certification Center Co., Ltd."}
)

// planBodies decides the certification bodies: the famous ones first, then
// generated ones, approval numbers unique, scopes realistic.
func (g *gen) planBodies(r *rand.Rand) {
	n := g.sizes.Bodies
	plans := g.famousBodyPlans(n)
	var b strings.Builder
	for len(plans) < n {
		plans = append(plans, g.newBodyPlan(r, &b))
	}
	g.approveBodies(plans, r)
	g.indexBodies()
}

// famousBodyPlans plans the first of the n bodies from the real ones, in
// their order, approved four a year from 2002.
func (g *gen) famousBodyPlans(n int) []bodyPlan {
	plans := make([]bodyPlan, 0, n)
	for i := 0; i < n && i < len(famousBodies); i++ {
		f := famousBodies[i]
		year := 2002 + i/4
		cats := f.ccc
		if len(cats) == 1 && cats[0] == "*" {
			cats = nil
			for _, c := range cccCategories {
				cats = append(cats, c.code)
			}
		}
		pair := "91"
		if strings.HasSuffix(f.name, "中心") {
			pair = "12"
		}
		plans = append(plans, bodyPlan{year, f.name, f.en, g.geo.at(f.region), f.scopes, cats, f.weight, pair})
		g.names[f.name] = true
	}
	return plans
}

// newBodyPlan draws a generated body: a name not taken, the year it was
// approved, its share of the market and its scopes.
func (g *gen) newBodyPlan(r *rand.Rand, b *strings.Builder) bodyPlan {
	pl := g.geo.pick(r)
	tn := newTradeName(r, b)
	k := r.IntN(len(bodySuffixes))
	p := bodyPlan{pl: pl, pair: "91"}
	p.name = pl.prefix + tn.han + bodySuffixes[k]
	for try := 0; g.names[p.name] && try < 5; try++ {
		tn = newTradeName(r, b)
		p.name = pl.prefix + tn.han + bodySuffixes[k]
	}
	g.names[p.name] = true
	if r.IntN(3) == 0 {
		p.en = tn.pinyin + " " + bodySuffixesEn[k]
		if pl.prefix == pl.prov.short {
			p.en = pl.prov.pinyin + " " + p.en
		}
	}
	// Most bodies came with the 2016-2020 opening of the market.
	switch x := r.IntN(100); {
	case x < 8:
		p.year = 2003 + r.IntN(10)
	case x < 20:
		p.year = 2013 + r.IntN(3)
	default:
		p.year = 2016 + r.IntN(max(1, g.today.Time().Year()-2016))
	}
	p.weight = math.Exp(r.NormFloat64()*1.1) * 0.8
	p.scopes = g.bodyScopes(r)
	if slices.Contains(p.scopes, ccc) {
		// A generated CCC body is designated for one product family.
		ind := industries[r.IntN(7)] // the first seven industries have CCC products
		for _, c := range ind.ccc {
			if r.IntN(3) > 0 || len(p.ccc) == 0 {
				p.ccc = append(p.ccc, c)
			}
		}
	}
	return p
}

// approveBodies makes the planned bodies, numbering their approvals: the
// serials run per year in order of approval, so the bodies are numbered in
// year order, and g.bodies keeps the order of the plans.
func (g *gen) approveBodies(plans []bodyPlan, r *rand.Rand) {
	order := make([]int, len(plans))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return plans[a].year - plans[b].year })
	serial := map[int]int{}
	cccCode := 1
	g.bodies = make([]*bodyInfo, len(plans))
	for _, i := range order {
		p := plans[i]
		serial[p.year]++
		bi := g.newBody(p, approvalNo(p.year, serial[p.year]), r)
		designateCCC(bi, p, &cccCode)
		g.bodies[i] = bi
	}
}

// approvalNo is the approval number CNCA-R-<year>-<serial>.
func approvalNo(year, serial int) []byte {
	no := make([]byte, 0, 15)
	no = append(no, "CNCA-R-"...)
	no = appendPadded(no, year, 4)
	no = append(no, '-')
	return appendPadded(no, serial, 3)
}

// newBody makes the body of plan p, approved in its year under number no.
func (g *gen) newBody(p bodyPlan, no []byte, r *rand.Rand) *bodyInfo {
	approved := trustmark.NewDate(p.year, 1, 1).AddDate(0, 0, r.IntN(360))
	if approved.After(g.today) {
		approved = g.today
	}
	body := &trustmark.Body{ApprovalNo: string(no), USCC: g.newUSCC(p.pair, p.pl.area.code, p.year < 2015, r), Name: p.name, NameEn: p.en,
		RegionCode: p.pl.area.code, Scopes: p.scopes, Status: trustmark.PartyActive, ApprovedOn: approved}
	if len(p.ccc) > 0 {
		body.CCCCategories = slices.Clone(p.ccc)
		slices.Sort(body.CCCCategories)
		body.CCCCategories = slices.Compact(body.CCCCategories)
	}
	return &bodyInfo{body: body, code3: string(no[12:15]), weight: p.weight}
}

// designateCCC gives a body approved for CCC the next free two-digit code
// (*next), or takes CCC out of its scopes when none is left.
func designateCCC(bi *bodyInfo, p bodyPlan, next *int) {
	body := bi.body
	switch {
	case slices.Contains(p.scopes, ccc) && *next <= 99:
		// The registry refuses CCC certificates whose positions 5-6 are
		// not their body's code, and a code names one body.
		bi.cccCode = string(appendPadded(nil, *next, 2))
		body.CCCCode = bi.cccCode
		*next++
	case slices.Contains(p.scopes, ccc):
		// Every code is taken (only with far more bodies than the
		// scales have): this body is not designated for CCC.
		body.Scopes = slices.DeleteFunc(slices.Clone(body.Scopes), func(t trustmark.CertType) bool { return t == ccc })
		body.CCCCategories = nil
	}
}

// indexBodies builds the weighted picks over the bodies: by certificate
// type, by CCC category, and for auditors' employers.
func (g *gen) indexBodies() {
	g.byType = map[trustmark.CertType]*weighted{}
	g.byCCC = map[string]*weighted{}
	for i, bi := range g.bodies {
		for _, t := range bi.body.Scopes {
			if g.byType[t] == nil {
				g.byType[t] = &weighted{}
			}
			g.byType[t].add(i, bi.weight)
		}
		for _, c := range bi.body.CCCCategories {
			if g.byCCC[c] == nil {
				g.byCCC[c] = &weighted{}
			}
			w := bi.weight
			if i == 0 {
				w *= 4 // CQC certifies most CCC products
			}
			g.byCCC[c].add(i, w)
		}
	}
	g.personBodies = &weighted{}
	for i, bi := range g.bodies {
		g.personBodies.add(i, math.Sqrt(bi.weight))
	}
}

// bodyScopes draws the approved scopes of a generated body: nearly all do
// management systems, few anything else.
func (g *gen) bodyScopes(r *rand.Rand) []trustmark.CertType {
	var s []trustmark.CertType
	p := func(pct int) bool { return r.IntN(100) < pct }
	if p(92) {
		s = append(s, qms)
		if p(80) {
			s = append(s, ems)
		}
		if p(75) {
			s = append(s, ohs)
		}
	}
	if p(18) {
		s = append(s, fsms)
		if p(70) {
			s = append(s, haccp)
		}
	}
	if p(14) {
		s = append(s, isms)
	}
	if p(40) {
		s = append(s, svc)
	}
	if p(12) {
		s = append(s, product)
	}
	if p(6) {
		s = append(s, green)
	}
	if p(7) {
		s = append(s, organic)
		if p(40) {
			s = append(s, gap)
		}
	}
	if p(3) {
		s = append(s, ccc)
	}
	if len(s) == 0 {
		s = append(s, qms)
	}
	return s
}

// planLabs decides the laboratories with their CMA numbers.
func (g *gen) planLabs(r *rand.Rand) {
	cum := make([]float64, len(labKinds))
	sum := 0.0
	for i, k := range labKinds {
		sum += k.weight
		cum[i] = sum
	}
	serial := map[string]int{}
	var b strings.Builder
	g.labs = make([]*labInfo, 0, g.sizes.Labs)
	year := g.today.Time().Year()
	for i := 0; i < g.sizes.Labs; i++ {
		g.labs = append(g.labs, g.newLab(r, cum, serial, year, &b))
	}
	g.labPick = &weighted{}
	for i, l := range g.labs {
		g.labPick.add(i, l.weight)
	}
}

// newLab draws one laboratory of a kind picked by the cumulative weights
// cum, its CMA number issued in the last six years up to year; serial keeps
// the last serial of each CMA number prefix.
func (g *gen) newLab(r *rand.Rand, cum []float64, serial map[string]int, year int, b *strings.Builder) *labInfo {
	ki, pl, name := g.nameLab(pickCum(r, cum), r, b)
	k := labKinds[ki]
	authority := pl.prov.cma
	if !k.company && r.IntN(40) == 0 {
		authority = "00" // a national-level laboratory accredited by CNCA itself
		if n := "国家" + strings.TrimSuffix(strings.TrimSuffix(k.name, "研究院"), "所") + "质量检验检测中心(" + pl.prov.short + ")"; !g.names[n] {
			name = n
		}
	}
	g.names[name] = true
	issued := year - r.IntN(6)
	cma := cmaNo(k, issued, authority, serial, r)
	pair := "12"
	if k.company {
		pair = "91"
	}
	until := g.accreditedUntil(issued, r)
	lab := &trustmark.Lab{CMANo: cma, USCC: g.newUSCC(pair, pl.area.code, !k.company, r), Name: name, RegionCode: pl.area.code,
		Status: trustmark.PartyActive, ValidUntil: until, StatusSince: until.AddDate(-6, 0, 0), Scope: labScope(k)} // accredited for 6 years
	return &labInfo{lab: lab, kind: uint8(ki), style: uint8(r.IntN(3)),
		weight: math.Exp(r.NormFloat64()), serial: map[int]int{}}
}

// nameLab finds a name not yet taken for a laboratory of kind ki, and the
// place it is in. A public institute already named in its city moves to
// another city; after six tries the laboratory becomes a company of the
// same trade, so the kind returned may differ from ki.
func (g *gen) nameLab(ki int, r *rand.Rand, b *strings.Builder) (int, place, string) {
	k := labKinds[ki]
	pl := g.geo.pick(r)
	var name string
	for try := 0; ; try++ {
		if try > 0 && !k.company {
			pl = g.geo.pick(r) // another city's institute of the kind
		}
		if try == 6 {
			// Every city has one: this one is a company of the same trade.
			ki = len(labKinds) - 6 + r.IntN(6)
			k = labKinds[ki]
		}
		name = labName(k, pl, r, b)
		if !g.names[name] {
			return ki, pl, name
		}
	}
}

// cmaNo numbers a laboratory of kind k accredited in year issued by
// authority: year, authority, field, department and a serial that
// continues serial's count for the prefix, or starts where the authority's
// earlier (unseen) laboratories left it.
func cmaNo(k labKind, issued int, authority string, serial map[string]int, r *rand.Rand) string {
	field, dept := k.field, k.dept
	if k.company && k.field == 20 {
		field = []int{9, 8, 10, 11, 14, 20, 21}[r.IntN(7)]
	}
	prefix := make([]byte, 0, 12)
	prefix = appendPadded(prefix, issued%100, 2)
	prefix = append(prefix, authority...)
	prefix = appendPadded(prefix, field, 2)
	prefix = appendPadded(prefix, dept, 2)
	s, ok := serial[string(prefix)]
	if !ok {
		s = r.IntN(400) // the authority has numbered others before
	}
	s++
	serial[string(prefix)] = s
	return string(appendPadded(prefix, s, 4))
}

// accreditedUntil is the end of the six years of an accreditation given in
// the year of its number, issued, on a day no later than today.
func (g *gen) accreditedUntil(issued int, r *rand.Rand) trustmark.Date {
	day := r.IntN(360) // of the year of its number: accredited then, for 6 years
	if soFar := int(g.today.Time().Sub(trustmark.NewDate(issued, 1, 1).Time()).Hours() / 24); day > soFar {
		day = day * max(soFar, 0) / 360 // this year's laboratories were accredited by today
	}
	return trustmark.NewDate(issued, 1, 1).AddDate(6, 0, day)
}

// labName names a laboratory of kind k in a place.
func labName(k labKind, pl place, r *rand.Rand, b *strings.Builder) string {
	if k.company {
		tn := newTradeName(r, b)
		return pl.prefix + tn.han + k.name
	}
	// Public institutions are named after their city (or province).
	b.Reset()
	switch {
	case r.IntN(5) > 0 && pl.city.short != "" && pl.city.short != pl.prov.short:
		b.WriteString(strings.TrimSuffix(pl.city.short, "市"))
		b.WriteString("市")
	default:
		b.WriteString(pl.prov.full)
	}
	b.WriteString(k.name)
	return b.String()
}

// partyOrg is the organisation record of a body or laboratory.
func partyOrg(u trustmark.USCC, name, nameEn, region string) *trustmark.Org {
	return &trustmark.Org{USCC: u, Name: name, NameEn: nameEn, RegionCode: region}
}
