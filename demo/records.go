package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"trustmark"
)

// Organisation types other than enterprises (GB 32100 authority and type
// pairs), with the share of the registry they make up.
var orgPairs = []struct {
	pair string
	pct  int
}{{"93", 2}, {"12", 2}, {"52", 1}, {"92", 1}, {"51", 1}} // the rest is 91

var industryCum = func() []float64 {
	var cum []float64
	sum := 0.0
	for _, in := range industries {
		sum += in.weight
		cum = append(cum, sum)
	}
	return cum
}()

func industryIndex(word string) int {
	for i, in := range industries {
		for _, w := range in.words {
			if w == word {
				return i
			}
		}
	}
	return 0
}

// newOrg makes the next generated organisation.
func (g *gen) newOrg(r *rand.Rand) (*trustmark.Org, orgInfo) {
	pl := g.geo.pick(r)
	ind := pickCum(r, industryCum)
	pair := "91"
	x := r.IntN(100)
	for _, p := range orgPairs {
		if x < p.pct {
			pair = p.pair
			break
		}
		x -= p.pct
	}
	switch pair {
	case "93":
		ind = industryIndex("农业")
	case "12", "52":
		ind = industryIndex("物业服务")
	}
	in := &industries[ind]
	// Names are unique, as a registration authority would insist: a taken
	// name gets another trade name; a place whose hospitals, schools and
	// associations are all registered gets a company instead.
	var name, en string
	var tn tradeName
	for try := 0; ; try++ {
		if try == 8 && pair != "91" {
			pair, ind = "91", pickCum(r, industryCum)
			in = &industries[ind]
		}
		tn = newTradeName(r, &g.sb)
		name, en = g.orgName(pl, pair, tn, in, r)
		if !g.names[name] || try == 16 {
			break
		}
	}
	g.names[name] = true
	if pair == "51" || pair == "12" {
		tn.han = ""
	}
	region := pl.area.code
	o := &trustmark.Org{USCC: g.newUSCC(pair, region, pair == "12", r), Name: name, NameEn: en, RegionCode: region,
		Address: pl.address(r, &g.sb)}
	lat, lng := pl.coords(r)
	o.Lat, o.Lng = &lat, &lng
	// Employees: log-normal, median about 60, a long tail of large firms.
	e := int(math.Exp(4.1 + r.NormFloat64()*1.3))
	o.Employees = min(max(e, 3), 300000)
	return o, orgInfo{uscc: o.USCC, trade: tn.han, industry: uint8(ind), employees: int32(o.Employees)}
}

// orgName names an organisation of the given GB 32100 type in a place.
func (g *gen) orgName(pl place, pair string, tn tradeName, in *industry, r *rand.Rand) (name, en string) {
	b := &g.sb
	b.Reset()
	switch pair {
	case "93": // farmers' co-operative
		b.WriteString(pl.prefix)
		b.WriteString(tn.han)
		b.WriteString(in.products[r.IntN(len(in.products))])
		b.WriteString("专业合作社")
	case "12": // public institution of a county or district
		if strings.HasSuffix(pl.area.name, "区") && pl.city.short != "" {
			b.WriteString(pl.city.short)
			b.WriteString("市")
		}
		b.WriteString(pl.area.name)
		switch k := r.IntN(8); k {
		case 0:
			b.WriteString("第")
			b.WriteString([]string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}[r.IntN(10)])
			b.WriteString("中学")
		default:
			b.WriteString([]string{"人民医院", "中医院", "自来水公司", "公共资源交易中心", "机关事务服务中心", "职业中等专业学校", "疾病预防控制中心"}[k-1])
		}
	case "52": // private non-enterprise unit
		b.WriteString(pl.prefix)
		b.WriteString(tn.han)
		b.WriteString([]string{"养老服务中心", "职业培训学校", "社会工作服务中心"}[r.IntN(3)])
	case "51": // association
		if r.IntN(3) == 0 || pl.city.short == "" {
			b.WriteString(pl.prov.full)
		} else {
			b.WriteString(pl.city.short)
			b.WriteString("市")
		}
		b.WriteString(in.words[r.IntN(len(in.words))])
		b.WriteString("行业协会")
	case "92": // individual business
		b.WriteString(pl.prefix)
		b.WriteString(tn.han)
		b.WriteString(in.words[0])
		b.WriteString([]string{"经营部", "商行", "加工厂"}[r.IntN(3)])
	default:
		word := in.words[r.IntN(len(in.words))]
		form, formEn := legalForm(r)
		if r.IntN(12) == 0 {
			b.WriteString(tn.han)
			b.WriteString("(")
			b.WriteString(strings.TrimSuffix(pl.prefix, "市"))
			b.WriteString(")")
		} else {
			b.WriteString(pl.prefix)
			b.WriteString(tn.han)
		}
		b.WriteString(word)
		b.WriteString(form)
		if r.IntN(4) == 0 {
			en = tn.pinyin + " " + in.en + " " + formEn
			if strings.HasPrefix(pl.prefix, pl.prov.short) {
				en = pl.prov.pinyin + " " + en
			}
		}
	}
	return b.String(), en
}

func (g *gen) famousOrg(f famousOrg, r *rand.Rand) (*trustmark.Org, orgInfo) {
	pl := g.geo.at(f.region)
	o := &trustmark.Org{USCC: g.newUSCC("91", pl.area.code, true, r), Name: f.name, NameEn: f.en, RegionCode: pl.area.code,
		Address: pl.address(r, &g.sb), Employees: f.employees}
	lat, lng := pl.coords(r)
	o.Lat, o.Lng = &lat, &lng
	trade := f.name
	for _, p := range []string{"青岛", "珠海", "广东", "浙江", "内蒙古", "贵州", "江苏"} {
		trade = strings.TrimPrefix(trade, p)
	}
	trade = string([]rune(trade)[:2])
	g.names[f.name] = true
	return o, orgInfo{uscc: o.USCC, trade: trade, industry: uint8(industryIndex(f.industry)), employees: int32(f.employees), famous: true}
}

var grades = []struct {
	name, level string
	pct         int
}{{"实习审核员", "0", 20}, {"审核员", "1", 55}, {"高级审核员", "2", 25}}

// newPerson makes the i-th auditor.
func (g *gen) newPerson(i int, r *rand.Rand) *trustmark.Person {
	bi := g.bodies[g.personBodies.pick(r)]
	scopes := bi.body.Scopes
	q := []trustmark.CertType{scopes[r.IntN(len(scopes))]}
	for k := r.IntN(3); k > 0; k-- {
		t := scopes[r.IntN(len(scopes))]
		if !containsType(q, t) {
			q = append(q, t)
		}
	}
	gr := grades[0]
	x := r.IntN(100)
	for _, v := range grades {
		if x < v.pct {
			gr = v
			break
		}
		x -= v.pct
	}
	year := g.today.Time().Year() - r.IntN(15)
	no := make([]byte, 0, 24)
	no = appendPadded(no, year, 4)
	no = append(no, "-N"...)
	no = append(no, gr.level...)
	no = append(no, q[0]...)
	no = append(no, '-')
	no = appendPadded(no, int((uint64(i)*7_919_371+g.seed%10_000_000)%10_000_000), 7)
	return &trustmark.Person{RegistrationNo: string(no), Name: personName(r), BodyApprovalNo: bi.body.ApprovalNo,
		Qualifications: q, Grade: gr.name, Status: trustmark.PartyActive,
		StatusSince: trustmark.NewDate(year, time.Month(1+i%12), 1+i%28)} // registered in the year of the number
}

func containsType(ts []trustmark.CertType, t trustmark.CertType) bool {
	for _, v := range ts {
		if v == t {
			return true
		}
	}
	return false
}

// newReport makes one test report of a laboratory.
func (g *gen) newReport(r *rand.Rand) *trustmark.Report {
	li := g.labs[g.labPick.pick(r)]
	k := &labKinds[li.kind]
	// Reports of the last three years, none before the laboratory's CMA.
	since := int(g.today.Time().Sub(trustmark.NewDate(2000+atoi2(li.lab.CMANo), 1, 1).Time()).Hours() / 24)
	issued := g.today.AddDate(0, 0, -r.IntN(max(1, min(3*365, since))))
	y := issued.Time().Year()
	n, ok := li.serial[y]
	if !ok {
		n = r.IntN(3000) // numbering is mid-way through the year
	}
	n++
	li.serial[y] = n
	no := make([]byte, 0, 20)
	switch li.style {
	case 0: // SP2025001234
		no = append(no, k.prefix...)
		no = appendPadded(no, y, 4)
		no = appendPadded(no, n, 6)
	case 1: // WT-25-012345
		no = append(no, k.prefix...)
		no = append(no, '-')
		no = appendPadded(no, y%100, 2)
		no = append(no, '-')
		no = appendPadded(no, n, 6)
	default: // 2025JC012345
		no = appendPadded(no, y, 4)
		no = append(no, k.prefix...)
		no = appendPadded(no, n, 6)
	}
	rep := &trustmark.Report{Number: string(no), LabCMANo: li.lab.CMANo, Product: k.products[r.IntN(len(k.products))],
		Conclusion: trustmark.ConclusionPass, IssuedOn: issued}
	if r.IntN(100) < 5 {
		rep.Conclusion = trustmark.ConclusionFail
	}
	if len(g.orgs) > 0 && r.IntN(10) > 0 {
		// The draws are those of the laboratory's line of business (so the
		// rest of the data set stays as it was); the client is then one
		// whose industry commissions tests of this product, or none.
		pool := g.clients[k.prefix]
		var x int
		if len(pool) > 0 && r.IntN(10) > 0 {
			x = r.IntN(len(pool))
		} else {
			x = r.IntN(len(g.orgs))
		}
		rep.ClientUSCC = g.clientFor(rep.Product, x)
	}
	// One of the laboratory's authorised signatories (授权签字人), who are
	// staff of the laboratory rather than registered auditors.
	s := make([]byte, 0, 20)
	s = append(s, li.lab.CMANo...)
	s = append(s, "-QZ"...)
	s = appendPadded(s, 1+r.IntN(3), 2)
	rep.SignerRegistrationNo = string(s)
	return rep
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// clientKinds are the industries whose firms a laboratory of a kind (by its
// report prefix) tests for; kinds not listed test for anyone.
var clientKinds = map[string][]string{
	"SP": {"food", "agri"}, "JY": {"food", "agri"}, "NC": {"agri", "food"},
	"JC": {"construction", "building"}, "GC": {"construction", "building"},
	"FJ": {"textile"}, "YX": {"medical"}, "DQ": {"appliance", "electronics", "electrical"},
}

// productClients are the industries (industries' kind) whose firms
// commission tests of a product; "*" any firm (a factory's emissions, its
// gauges). A product not listed is tested for no client firm in the demo
// (vehicle inspections are for owners, toys for market surveillance).
var productClients = map[string][]string{
	"家用电冰箱": {"appliance"}, "空调器": {"appliance"}, "燃气灶具": {"appliance"}, "家用电器": {"appliance"},
	"电线电缆": {"electrical"}, "插头插座": {"electrical"}, "LED灯具": {"electrical", "electronics"},
	"电源适配器": {"electronics", "electrical"}, "锂离子电池": {"electronics"}, "笔记本电脑": {"electronics"},
	"电磁兼容": {"electronics", "appliance", "electrical"}, "电动工具": {"machinery"}, "电动自行车": {"machinery"},
	"童装": {"textile"}, "校服": {"textile"}, "羊毛衫": {"textile"}, "床上用品": {"textile"}, "棉花": {"textile"},
	"针织T恤": {"textile"}, "针织服装": {"textile"},
	"塑料制品": {"chemical", "packaging"}, "食品接触材料": {"packaging", "chemical"},
	"化肥": {"agri", "chemical"}, "饲料": {"agri"},
	"钢筋": {"building", "construction"}, "钢筋(HRB400E)": {"building", "construction"}, "混凝土抗压强度试块": {"construction", "building"},
	"水泥(P·O 42.5)": {"building", "construction"}, "砂浆试块": {"construction"}, "防水卷材": {"building", "construction"},
	"烧结砖": {"building"}, "建筑外窗": {"building", "construction"}, "保温材料": {"building", "construction"},
	"地基基础": {"construction"}, "钢结构焊缝": {"construction", "machinery"},
	"大米": {"food", "agri"}, "小麦粉": {"food", "agri"}, "食用植物油": {"food"}, "酱油": {"food"}, "速冻水饺": {"food"},
	"饼干": {"food"}, "灭菌乳": {"food"}, "白酒": {"food"}, "茶叶": {"food", "agri"}, "婴幼儿配方乳粉": {"food"},
	"鸡蛋": {"agri", "food"}, "猪肉": {"agri", "food"}, "糕点": {"food"}, "饮料": {"food"}, "肉制品": {"food"},
	"蔬菜": {"agri", "food"}, "水果": {"agri", "food"}, "畜禽肉": {"agri", "food"}, "调味料": {"food"},
	"医用口罩": {"medical"}, "一次性使用无菌注射器": {"medical"}, "医用防护服": {"medical"}, "医用电子体温计": {"medical"},
	"废水": {"*"}, "厂界噪声": {"*"}, "固定污染源废气": {"*"}, "环境空气": {"*"}, "土壤": {"*"}, "室内空气": {"*"},
	"职业病危害因素": {"*"}, "压力表": {"*"}, "电能表": {"*"}, "衡器": {"*"}, "生活饮用水": {"*"}, "消毒产品": {"medical"},
}

// clientFor is the client of a report on product, from the x-th draw: a
// firm of an industry that commissions such tests, or "" when none does.
func (g *gen) clientFor(product string, x int) trustmark.USCC {
	kinds := productClients[product]
	if len(kinds) == 1 && kinds[0] == "*" {
		return g.orgs[x%len(g.orgs)].uscc
	}
	if pool := g.byProduct[product]; len(pool) > 0 {
		return g.orgs[pool[x%len(pool)]].uscc
	}
	return ""
}

// indexClients groups the organisations by the laboratories that would test
// for them, and by the products they would have tested.
func (g *gen) indexClients() {
	g.byProduct = map[string][]int32{}
	for product, kinds := range productClients {
		for i := range g.orgs {
			if slices.Contains(kinds, industries[g.orgs[i].industry].kind) {
				g.byProduct[product] = append(g.byProduct[product], int32(i))
			}
		}
	}
	g.clients = map[string][]int32{}
	for prefix, kinds := range clientKinds {
		for i := range g.orgs {
			for _, k := range kinds {
				if industries[g.orgs[i].industry].kind == k {
					g.clients[prefix] = append(g.clients[prefix], int32(i))
					break
				}
			}
		}
	}
}
