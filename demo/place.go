package demo

import (
	"math"
	"math/rand/v2"
	"strings"

	"trustmark"
)

// province is what the generator knows about a province beyond GB/T 2260:
// how much certified industry it has, where its capital is, and its code in
// the CMA numbering.
type province struct {
	code    string  // 2 digits
	short   string  // name used in company names: 浙江, 内蒙古
	full    string  // 浙江省, 内蒙古自治区
	pinyin  string  // for English names
	weight  float64 // share of certified organisations, roughly following the provinces' output
	lat     float64 // capital
	lng     float64
	capital string // 4-digit city code of the capital
	cma     string // issuing-authority code in CMA numbers (cert_number_formats.json)

	cities []city
	cum    []float64 // cumulative city weights
}

type city struct {
	code  string // 6 digits
	short string // 杭州; the province's short name for municipalities
	areas []area
}

type area struct {
	code string // 6 digits
	name string // 西湖区, 慈溪市
	full string // 浙江省杭州市西湖区
}

// provinceTable: weights approximate each province's share of certified
// enterprises (manufacturing provinces first); capitals' coordinates are
// public knowledge; CMA authority codes follow GB/T 2260 order, 01-31.
var provinceTable = []province{
	{code: "11", short: "北京", pinyin: "Beijing", weight: 4.5, lat: 39.904, lng: 116.407, capital: "1101", cma: "01"},
	{code: "12", short: "天津", pinyin: "Tianjin", weight: 2.0, lat: 39.125, lng: 117.190, capital: "1201", cma: "02"},
	{code: "13", short: "河北", pinyin: "Hebei", weight: 4.0, lat: 38.042, lng: 114.514, capital: "1301", cma: "03"},
	{code: "14", short: "山西", pinyin: "Shanxi", weight: 1.2, lat: 37.870, lng: 112.549, capital: "1401", cma: "04"},
	{code: "15", short: "内蒙古", pinyin: "Inner Mongolia", weight: 0.8, lat: 40.842, lng: 111.749, capital: "1501", cma: "05"},
	{code: "21", short: "辽宁", pinyin: "Liaoning", weight: 2.5, lat: 41.805, lng: 123.431, capital: "2101", cma: "06"},
	{code: "22", short: "吉林", pinyin: "Jilin", weight: 0.8, lat: 43.817, lng: 125.324, capital: "2201", cma: "07"},
	{code: "23", short: "黑龙江", pinyin: "Heilongjiang", weight: 1.0, lat: 45.803, lng: 126.535, capital: "2301", cma: "08"},
	{code: "31", short: "上海", pinyin: "Shanghai", weight: 5.0, lat: 31.230, lng: 121.474, capital: "3101", cma: "09"},
	{code: "32", short: "江苏", pinyin: "Jiangsu", weight: 12.0, lat: 32.060, lng: 118.797, capital: "3201", cma: "10"},
	{code: "33", short: "浙江", pinyin: "Zhejiang", weight: 11.0, lat: 30.274, lng: 120.155, capital: "3301", cma: "11"},
	{code: "34", short: "安徽", pinyin: "Anhui", weight: 3.5, lat: 31.821, lng: 117.227, capital: "3401", cma: "12"},
	{code: "35", short: "福建", pinyin: "Fujian", weight: 4.5, lat: 26.074, lng: 119.296, capital: "3501", cma: "13"},
	{code: "36", short: "江西", pinyin: "Jiangxi", weight: 2.0, lat: 28.682, lng: 115.858, capital: "3601", cma: "14"},
	{code: "37", short: "山东", pinyin: "Shandong", weight: 9.0, lat: 36.651, lng: 117.120, capital: "3701", cma: "15"},
	{code: "41", short: "河南", pinyin: "Henan", weight: 5.0, lat: 34.746, lng: 113.625, capital: "4101", cma: "16"},
	{code: "42", short: "湖北", pinyin: "Hubei", weight: 3.5, lat: 30.593, lng: 114.305, capital: "4201", cma: "17"},
	{code: "43", short: "湖南", pinyin: "Hunan", weight: 3.0, lat: 28.228, lng: 112.939, capital: "4301", cma: "18"},
	{code: "44", short: "广东", pinyin: "Guangdong", weight: 14.0, lat: 23.129, lng: 113.264, capital: "4401", cma: "19"},
	{code: "45", short: "广西", pinyin: "Guangxi", weight: 1.5, lat: 22.817, lng: 108.366, capital: "4501", cma: "20"},
	{code: "46", short: "海南", pinyin: "Hainan", weight: 0.4, lat: 20.044, lng: 110.199, capital: "4601", cma: "21"},
	{code: "50", short: "重庆", pinyin: "Chongqing", weight: 2.0, lat: 29.563, lng: 106.551, capital: "5001", cma: "22"},
	{code: "51", short: "四川", pinyin: "Sichuan", weight: 4.0, lat: 30.573, lng: 104.066, capital: "5101", cma: "23"},
	{code: "52", short: "贵州", pinyin: "Guizhou", weight: 1.0, lat: 26.647, lng: 106.630, capital: "5201", cma: "24"},
	{code: "53", short: "云南", pinyin: "Yunnan", weight: 1.2, lat: 25.038, lng: 102.718, capital: "5301", cma: "25"},
	{code: "54", short: "西藏", pinyin: "Tibet", weight: 0.1, lat: 29.652, lng: 91.172, capital: "5401", cma: "26"},
	{code: "61", short: "陕西", pinyin: "Shaanxi", weight: 2.0, lat: 34.341, lng: 108.940, capital: "6101", cma: "27"},
	{code: "62", short: "甘肃", pinyin: "Gansu", weight: 0.6, lat: 36.061, lng: 103.834, capital: "6201", cma: "28"},
	{code: "63", short: "青海", pinyin: "Qinghai", weight: 0.2, lat: 36.617, lng: 101.778, capital: "6301", cma: "29"},
	{code: "64", short: "宁夏", pinyin: "Ningxia", weight: 0.3, lat: 38.487, lng: 106.231, capital: "6401", cma: "30"},
	{code: "65", short: "新疆", pinyin: "Xinjiang", weight: 0.7, lat: 43.826, lng: 87.617, capital: "6501", cma: "31"},
}

// geography is the read-only table of places the generator draws from, built
// once per Generate from trustmark.DefaultRegions.
type geography struct {
	provinces []province
	cum       []float64
}

func newGeography() *geography {
	g := &geography{provinces: make([]province, len(provinceTable))}
	copy(g.provinces, provinceTable)
	byCode := map[string]int{}
	for i := range g.provinces {
		p := &g.provinces[i]
		byCode[p.code] = i
		if reg, ok := trustmark.DefaultRegions().Lookup(p.code); ok {
			p.full = reg.Name
		}
	}
	cityIndex := map[string][2]int{} // 6-digit city code → province, city index
	regions := trustmark.DefaultRegions().All()
	for _, r := range regions {
		if r.Level != 2 {
			continue
		}
		pi, ok := byCode[r.Code[:2]]
		if !ok {
			continue
		}
		p := &g.provinces[pi]
		short := strings.TrimSuffix(r.Name, "市")
		switch {
		case r.Name == "市辖区" || r.Name == "县":
			short = p.short
		case strings.HasSuffix(r.Name, "直辖县级行政区划"), strings.HasSuffix(r.Name, "自治州"),
			strings.HasSuffix(r.Name, "地区"), strings.HasSuffix(r.Name, "盟"):
			short = "" // use the county's own name
		}
		cityIndex[r.Code] = [2]int{pi, len(p.cities)}
		p.cities = append(p.cities, city{code: r.Code, short: short})
	}
	for _, r := range regions {
		if r.Level != 3 {
			continue
		}
		ix, ok := cityIndex[r.City]
		if !ok {
			continue
		}
		if r.Name == "金门县" {
			continue // administered from Taiwan: no mainland registrations
		}
		c := &g.provinces[ix[0]].cities[ix[1]]
		c.areas = append(c.areas, area{code: r.Code, name: r.Name, full: fullName(r.Code)})
	}
	total := 0.0
	for i := range g.provinces {
		p := &g.provinces[i]
		sum := 0.0
		for _, c := range p.cities {
			w := 1.0
			if c.code[:4] == p.capital {
				w = float64(len(p.cities))/3 + 1 // the capital has about a quarter of the province's firms
			}
			sum += w
			p.cum = append(p.cum, sum)
		}
		total += p.weight
		g.cum = append(g.cum, total)
	}
	return g
}

// place is where an organisation is registered.
type place struct {
	prov   *province
	city   *city
	area   area
	prefix string // administrative prefix of a name: 杭州, 浙江, 慈溪市
}

func pickCum(r *rand.Rand, cum []float64) int {
	x := r.Float64() * cum[len(cum)-1]
	lo, hi := 0, len(cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// pick draws a place: a province by weight, a city (the capital favoured) and
// a county-level area in it.
func (g *geography) pick(r *rand.Rand) place {
	p := &g.provinces[pickCum(r, g.cum)]
	return g.pickIn(r, p)
}

func (g *geography) province(code2 string) *province {
	for i := range g.provinces {
		if g.provinces[i].code == code2 {
			return &g.provinces[i]
		}
	}
	return &g.provinces[0]
}

func (g *geography) pickIn(r *rand.Rand, p *province) place {
	c := &p.cities[pickCum(r, p.cum)]
	pl := place{prov: p, city: c, area: area{code: c.code, full: fullName(c.code)}}
	if len(c.areas) > 0 {
		pl.area = c.areas[r.IntN(len(c.areas))]
	}
	pl.prefix = c.short
	x := r.IntN(100)
	switch {
	case c.short == "" || (x < 15 && (strings.HasSuffix(pl.area.name, "市") || strings.HasSuffix(pl.area.name, "县"))):
		pl.prefix = pl.area.name
		if pl.prefix == "" || strings.HasSuffix(pl.prefix, "区") {
			pl.prefix = p.short
		}
	case x >= 80:
		pl.prefix = p.short
	}
	return pl
}

// at returns the place of a known region code (used for fixed, famous
// records); an unknown code falls back to the province's capital.
func (g *geography) at(code string) place {
	p := g.province(code[:2])
	for ci := range p.cities {
		c := &p.cities[ci]
		if c.code[:4] != code[:4] {
			continue
		}
		for _, a := range c.areas {
			if a.code == code {
				return place{prov: p, city: c, area: a, prefix: c.short}
			}
		}
		return place{prov: p, city: c, area: area{code: c.code, full: fullName(c.code)}, prefix: c.short}
	}
	c := &p.cities[0]
	return place{prov: p, city: c, area: area{code: c.code, full: fullName(c.code)}, prefix: p.short}
}

// coords returns a point near the province's capital, where most certified
// industry clusters.
func (pl place) coords(r *rand.Rand) (lat, lng float64) {
	s := 0.45
	lat0, lng0 := pl.prov.lat, pl.prov.lng
	switch pl.prov.code {
	case "11", "12", "31": // municipalities are small
		s = 0.12
	}
	if c, ok := cityCoords[pl.area.code[:4]]; ok {
		// A city whose centre is known: near it, not near the capital.
		lat0, lng0, s = c[0], c[1], 0.12
	}
	lat = lat0 + clamp(r.NormFloat64()*s, -4*s, 4*s)
	lng = lng0 + clamp(r.NormFloat64()*s*1.2, -5*s, 5*s)
	return math.Round(lat*1e5) / 1e5, math.Round(lng*1e5) / 1e5
}

// cityCoords are the centres (latitude, longitude) of the cities the
// famous holders are in and of other large industrial cities that are not
// their province's capital, so that Haier in Qingdao lies by the sea rather
// than near Jinan.
var cityCoords = map[string][2]float64{
	"3702": {36.067, 120.383}, // 青岛
	"3502": {24.480, 118.089}, // 厦门
	"2102": {38.914, 121.615}, // 大连
	"4403": {22.543, 114.058}, // 深圳
	"4404": {22.271, 113.577}, // 珠海
	"4406": {23.022, 113.122}, // 佛山
	"4419": {23.021, 113.752}, // 东莞
	"4420": {22.517, 113.392}, // 中山
	"3202": {31.491, 120.312}, // 无锡
	"3203": {34.205, 117.284}, // 徐州
	"3204": {31.811, 119.974}, // 常州
	"3205": {31.299, 120.585}, // 苏州
	"3206": {31.980, 120.894}, // 南通
	"3302": {29.868, 121.544}, // 宁波
	"3303": {27.994, 120.699}, // 温州
	"3306": {30.000, 120.580}, // 绍兴
	"3307": {29.079, 119.647}, // 金华
	"5203": {27.725, 106.927}, // 遵义
	"1302": {39.631, 118.180}, // 唐山
	"1306": {38.874, 115.465}, // 保定
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

var roads = []string{"人民路", "解放路", "中山路", "建设路", "工业大道", "科技路", "创业路", "高新大道", "滨江路", "长江路",
	"黄河路", "迎宾大道", "东风路", "新华路", "和平路", "文化路", "开发区大道", "经济技术开发区纬二路", "环城北路", "振兴路",
	"兴业路", "园区大道", "湖滨路", "光明路", "民主路"}

// address writes a street address in the place.
func (pl place) address(r *rand.Rand, b *strings.Builder) string {
	b.Reset()
	b.WriteString(pl.area.full)
	b.WriteString(roads[r.IntN(len(roads))])
	writeInt(b, 1+r.IntN(1200))
	b.WriteString("号")
	if r.IntN(4) == 0 {
		writeInt(b, 1+r.IntN(12))
		b.WriteString("幢")
	}
	return b.String()
}

func fullName(code string) string {
	return strings.ReplaceAll(trustmark.DefaultRegions().FullName(code), " ", "")
}
