package demo

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"trustmark"
)

// statusPlan is the story of one certificate after it is issued: the
// transitions it goes through, in order, with their dates and reasons.
type statusPlan struct {
	cert  *trustmark.Certificate
	steps []step
}

type step struct {
	to     trustmark.CertStatus
	on     trustmark.Date
	reason string
	actor  trustmark.Party
}

// Final statuses and how often a certificate ends in each (per mille).
var finalMix = []struct {
	s  trustmark.CertStatus
	pm int
}{
	{trustmark.StatusExpired, 55}, {trustmark.StatusSuspended, 35}, {trustmark.StatusWithdrawn, 40},
	{trustmark.StatusRevoked, 25}, // the rest stays valid
}

var (
	suspendReasons = []string{"未按规定接受监督审核", "监督审核发现严重不符合,未在规定期限内完成整改", "获证组织主动申请暂停",
		"监督抽查产品不合格", "获证组织停产整顿", "获证组织发生重大质量安全事故"}
	revokeReasons = []string{"暂停期满未能恢复认证", "监督检查发现获证组织提供虚假材料", "获证产品存在严重缺陷且拒不整改",
		"获证组织被列入严重违法失信名单", "市场监管部门双随机检查发现认证证书使用违规"}
	withdrawReasons = []string{"获证组织申请注销", "获证组织已注销或停止经营", "获证产品停止生产", "认证范围内产品不再生产,申请注销",
		"获证组织转换认证机构"}
	restoreReason = "整改完成,经验证恢复认证"
)

// certsFor issues n certificates to one organisation: a management-system
// bundle from one body, product certificates from bodies designated for them.
func (g *gen) certsFor(o *orgInfo, n int, r *rand.Rand, emit func(*trustmark.Certificate, trustmark.CertStatus)) {
	in := &industries[o.industry]
	var seen [16]bool
	msBody := -1
	// An organisation holds mostly one certificate of each management-system
	// type (a few, for other sites or product lines, from another body) and
	// any number of product certificates.
	for k := 0; k < n; k++ {
		t := in.types[pickTW(r, in.types)].t
		for try := 0; try < 2 && seen[typeIndex(t)] && t != ccc && t != product; try++ {
			t = in.types[pickTW(r, in.types)].t
		}
		again := seen[typeIndex(t)] && t != ccc && t != product
		seen[typeIndex(t)] = true
		c := &trustmark.Certificate{Type: t, HolderUSCC: o.uscc, Status: trustmark.StatusValid}
		var w *weighted
		var cat *cccCategory
		if t == ccc {
			cat = g.cccByCode[in.ccc[r.IntN(len(in.ccc))]]
			c.CCCCategory = cat.code
			w = g.byCCC[cat.code]
		} else {
			w = g.byType[t]
		}
		if w.empty() {
			continue
		}
		final := g.dates(c, o, r)
		bi := w.pick(r)
		if t != ccc && !again && msBody >= 0 && containsType(g.bodies[msBody].body.Scopes, t) && r.IntN(10) < 8 {
			bi = msBody // integrated audits: one body for the whole bundle
		}
		// No certificate predates its body's approval: pick again, and
		// fall back on the oldest body, approved for everything.
		for try := 0; g.bodies[bi].body.ApprovedOn.After(c.IssuedOn); try++ {
			if try == 4 {
				bi = 0
				break
			}
			bi = w.pick(r)
		}
		if msBody < 0 && (t == qms || t == ems || t == ohs) {
			msBody = bi
		}
		body := g.bodies[bi]
		c.BodyApprovalNo = body.body.ApprovalNo
		g.story(c, o, final, r)
		g.number(c, body, cat, o, r)
		g.describe(c, in, cat, o, r)
		emit(c, final)
	}
}

func pickTW(r *rand.Rand, tws []typeWeight) int {
	sum := 0.0
	for _, t := range tws {
		sum += t.w
	}
	x := r.Float64() * sum
	for i, t := range tws {
		if x < t.w {
			return i
		}
		x -= t.w
	}
	return len(tws) - 1
}

func typeIndex(t trustmark.CertType) int {
	for i, v := range trustmark.CertTypes {
		if v == t {
			return i
		}
	}
	return 15
}

// dates chooses the final status of a certificate and then issue and expiry
// dates that fit it.
func (g *gen) dates(c *trustmark.Certificate, o *orgInfo, r *rand.Rand) trustmark.CertStatus {
	years := g.policy.MaxValidity(c.Type)
	if years == 0 {
		years = 3
	}
	span := years * 365
	final := trustmark.StatusValid
	if !o.famous {
		x := r.IntN(1000)
		for _, f := range finalMix {
			if x < f.pm {
				final = f.s
				break
			}
			x -= f.pm
		}
	}
	var issued trustmark.Date
	switch final {
	case trustmark.StatusValid:
		issued = g.today.AddDate(0, 0, -r.IntN(span-2))
	case trustmark.StatusExpired:
		issued = g.today.AddDate(-years, 0, -1-r.IntN(min(span, 720)))
	default:
		issued = g.today.AddDate(0, 0, -60-r.IntN(span-90))
	}
	c.IssuedOn = issued
	c.ExpiresOn = issued.AddDate(years, 0, -1)
	c.StatusSince = issued
	return final
}

// story plans the status changes that lead a certificate to its final
// status, done by its issuing body once the certificates are loaded.
func (g *gen) story(c *trustmark.Certificate, o *orgInfo, final trustmark.CertStatus, r *rand.Rand) {
	if final == trustmark.StatusValid || final == trustmark.StatusExpired {
		if final == trustmark.StatusValid && !o.famous && r.IntN(100) == 0 && g.today.Time().Sub(c.IssuedOn.Time()) > 90*24*time.Hour {
			// A suspension that was lifted: the history shows both.
			g.plan(c, r, trustmark.StatusSuspended, trustmark.StatusValid)
		}
		return
	}
	switch final {
	case trustmark.StatusSuspended:
		g.plan(c, r, trustmark.StatusSuspended)
	case trustmark.StatusRevoked:
		if r.IntN(10) < 6 {
			g.plan(c, r, trustmark.StatusSuspended, trustmark.StatusRevoked)
		} else {
			g.plan(c, r, trustmark.StatusRevoked)
		}
	case trustmark.StatusWithdrawn:
		if r.IntN(10) < 3 {
			g.plan(c, r, trustmark.StatusSuspended, trustmark.StatusWithdrawn)
		} else {
			g.plan(c, r, trustmark.StatusWithdrawn)
		}
	}
}

// plan records the transitions a certificate will go through once imported,
// dated between its issue and today.
func (g *gen) plan(c *trustmark.Certificate, r *rand.Rand, to ...trustmark.CertStatus) {
	age := int(g.today.Time().Sub(c.IssuedOn.Time()).Hours() / 24)
	p := statusPlan{cert: c}
	on := c.IssuedOn.AddDate(0, 0, 30+r.IntN(max(1, age-40)))
	for i, s := range to {
		if i > 0 {
			// Within 90 days of the step before and by today, spread
			// over that span: not all on today when the span is short.
			left := int(g.today.Time().Sub(on.Time()).Hours() / 24)
			on = on.AddDate(0, 0, min(left, 1+r.IntN(max(1, min(left, 90)))))
		}
		st := step{to: s, on: on, actor: trustmark.Party{Kind: trustmark.PartyBody, ID: c.BodyApprovalNo}}
		switch s {
		case trustmark.StatusSuspended:
			st.reason = suspendReasons[r.IntN(len(suspendReasons))]
		case trustmark.StatusRevoked:
			st.reason = revokeReasons[r.IntN(len(revokeReasons))]
			if r.IntN(4) == 0 {
				// Revoked by the regulator after a random inspection.
				st.actor = trustmark.Party{Kind: trustmark.PartyRegulator, ID: "000000"}
			}
		case trustmark.StatusWithdrawn:
			st.reason = withdrawReasons[r.IntN(len(withdrawReasons))]
		case trustmark.StatusValid:
			st.reason = restoreReason
		}
		p.steps = append(p.steps, st)
	}
	g.plans = append(g.plans, p)
}

// number gives the certificate its number in its type's format.
func (g *gen) number(c *trustmark.Certificate, body *bodyInfo, cat *cccCategory, o *orgInfo, r *rand.Rand) {
	y := c.IssuedOn.Time().Year()
	b := g.nb[:0]
	switch c.Type {
	case ccc: // YYYY + body code + category + serial (cert_number_formats.json)
		b = appendPadded(b, y, 4)
		b = append(b, body.cccCode...)
		b = append(b, cat.code...)
		n := g.next(b)
		b = appendPadded(b, (n*7919+104729)%1_000_000, 6)
	case organic: // body serial + OP + YY + serial (2019 rule)
		b = append(b, body.code3...)
		b = append(b, "OP"...)
		b = appendPadded(b, y%100, 2)
		b = appendPadded(b, g.next(b), 5)
	case gap:
		b = append(b, body.code3...)
		b = append(b, "GAP"...)
		b = appendPadded(b, y%100, 2)
		b = appendPadded(b, g.next(b), 5)
	case product, green:
		b = append(b, body.code3...)
		b = appendPadded(b, y%100, 2)
		b = append(b, certInfos[c.Type].letter...)
		b = appendPadded(b, g.next(b), 6)
	default: // body style, e.g. 00121Q34567R1M: body, year, type, serial, recertification round, size
		b = append(b, body.code3...)
		b = appendPadded(b, y%100, 2)
		b = append(b, certInfos[c.Type].letter...)
		b = appendPadded(b, g.next(b), 5)
		b = append(b, 'R')
		b = strconv.AppendInt(b, int64(r.IntN(4)), 10)
		switch {
		case o.employees < 50:
			b = append(b, 'S')
		case o.employees < 1000:
			b = append(b, 'M')
		default:
			b = append(b, 'L')
		}
	}
	g.nb = b
	c.Number = string(b)
}

// next returns the next serial for a number prefix; serials of one prefix
// never repeat, so numbers are unique per type. A new prefix starts at an
// arbitrary point, as a body's numbering would be mid-way through a year.
func (g *gen) next(prefix []byte) int {
	if p, ok := g.counters[string(prefix)]; ok {
		*p++
		return *p
	}
	h := g.seed
	for _, c := range prefix {
		h = (h ^ uint64(c)) * 0x100000001b3
	}
	n := int(h%2000) + 1
	g.counters[string(prefix)] = &n
	return n
}

// describe writes the scope, standard and product in the words of the type
// and the holder's industry.
func (g *gen) describe(c *trustmark.Certificate, in *industry, cat *cccCategory, o *orgInfo, r *rand.Rand) {
	b := &g.sb
	b.Reset()
	p := in.products[r.IntN(len(in.products))]
	info := certInfos[c.Type]
	c.Standard = info.standard
	switch c.Type {
	case qms, ems, ohs:
		describeSystem(b, c, in, p, r)
	case fsms, haccp:
		if in.kind != "food" && in.kind != "agri" {
			p = "食品包装用塑料复合膜"
		}
		b.WriteString(p)
		b.WriteString("的生产")
	case isms:
		b.WriteString("与")
		b.WriteString(p)
		b.WriteString("相关的信息安全管理活动")
	case svc:
		s := serviceScopes[in.kind]
		if s == nil {
			s = serviceScopes[""]
		}
		b.WriteString(s[r.IntN(len(s))])
	case product:
		describeProduct(b, c, in, r)
	case green:
		describeGreen(b, c, in)
	case organic:
		describeOrganic(b, c, in, p, r)
	case gap:
		b.WriteString("良好农业规范认证(一级):")
		b.WriteString(industries[industryIndex("农业")].products[r.IntN(10)])
	case ccc:
		g.describeCCC(b, c, cat, o, r)
	}
	c.Scope = b.String()
}

// describeSystem writes the scope of a management-system certificate
// around product p: what the holder does with it, and for environmental and
// health-and-safety systems the activities or sites concerned.
func describeSystem(b *strings.Builder, c *trustmark.Certificate, in *industry, p string, r *rand.Rand) {
	made := in.kind != "construction" && in.kind != "service" && in.kind != "software" && in.kind != "agri"
	switch {
	case in.kind == "construction":
		b.WriteString("资质范围内")
		b.WriteString(p)
	case in.kind == "agri":
		b.WriteString(p)
		b.WriteString([]string{"的种植", "的种植和销售", "的种植、初加工和销售"}[r.IntN(3)])
	case made:
		b.WriteString(p)
		b.WriteString([]string{"的设计、生产", "的生产", "的设计、开发、生产和服务", "的生产和销售"}[r.IntN(4)])
	default:
		b.WriteString(p)
	}
	sites := !made && in.kind != "construction" // services are certified by the sites they run
	switch {
	case c.Type == ems && sites:
		b.WriteString("所涉及场所的相关环境管理活动")
	case c.Type == ems:
		b.WriteString("及相关环境管理活动")
	case c.Type == ohs && sites:
		b.WriteString("所涉及场所的相关职业健康安全管理活动")
	case c.Type == ohs:
		b.WriteString("及相关职业健康安全管理活动")
	case c.Type == qms && in.kind == "construction":
		c.Standard += ", GB/T 50430-2017"
	}
}

// describeProduct writes the scope of a voluntary product certificate: one
// of the industry's certified products (machinery's when it has none) with
// its standard.
func describeProduct(b *strings.Builder, c *trustmark.Certificate, in *industry, r *rand.Rand) {
	pc := productCerts[in.kind]
	if pc == nil {
		pc = productCerts["machinery"]
	}
	x := pc[r.IntN(len(pc))]
	b.WriteString(x[0])
	b.WriteString("(")
	b.WriteString(x[1])
	b.WriteString(")")
	c.Standard = x[2]
	c.Product = x[0]
}

// describeGreen writes the scope of a green-product certificate: the
// industry's green product (building materials' when it has none).
func describeGreen(b *strings.Builder, c *trustmark.Certificate, in *industry) {
	gs, ok := greenStandards[in.kind]
	if !ok {
		gs = greenStandards["building"]
	}
	b.WriteString("绿色产品认证:")
	b.WriteString(gs[0])
	c.Standard = gs[1]
	c.Product = gs[0]
}

// describeOrganic writes the scope of an organic-product certificate: the
// processing of product p for food makers, else the growing of a farm
// product.
func describeOrganic(b *strings.Builder, c *trustmark.Certificate, in *industry, p string, r *rand.Rand) {
	if in.kind == "food" {
		b.WriteString("有机产品(加工):有机")
	} else {
		b.WriteString("有机产品(生产):有机")
		p = industries[industryIndex("农业")].products[r.IntN(10)]
	}
	b.WriteString(p)
	c.Product = "有机" + p
}

// describeCCC writes the scope of a CCC certificate, its category's
// product, with its standard, and names the product as a model of the
// holder's brand.
func (g *gen) describeCCC(b *strings.Builder, c *trustmark.Certificate, cat *cccCategory, o *orgInfo, r *rand.Rand) {
	b.WriteString(cat.product)
	c.Standard = cat.standard
	pb := g.nb[:0]
	if o.trade != "" {
		pb = append(pb, o.trade...)
		pb = append(pb, "牌 "...)
	}
	pb = append(pb, cat.models[r.IntN(len(cat.models))]...)
	pb = strconv.AppendInt(pb, int64(10+r.IntN(990)), 10)
	if r.IntN(2) == 0 {
		pb = append(pb, "ABCDEGHKLMNPRSTW"[r.IntN(16)])
	}
	c.Product = string(pb)
}

// certsPerOrg draws how many certificates an organisation holds so that the
// total approaches the target: remaining / organisations left on average,
// spread geometrically (most hold one or two, a few dozens).
func certsPerOrg(r *rand.Rand, remaining, orgsLeft int) int {
	if remaining <= 0 || orgsLeft <= 0 {
		return 0
	}
	mean := float64(remaining) / float64(orgsLeft)
	if r.IntN(100) < 10 {
		return 0 // known to the registry only as a laboratory client
	}
	mean = max(mean/0.9-0.5, 0.01)
	n := int(math.Floor(-math.Log(1-r.Float64()) * mean))
	return min(n+1, remaining, 40)
}
