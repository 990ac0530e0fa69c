package search

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"

	"trustmark"
)

func TestNameParts(t *testing.T) {
	tests := []struct {
		name, in string
		place    string
		lead     []string
	}{
		{"a city's short form is cut", "上海尔信贸易有限公司", "上海", []string{"尔信", "尔信贸", "尔信贸易"}},
		{"a city's full form is cut", "青岛市海尔电器有限公司", "青岛", []string{"海尔", "海尔电", "海尔电器"}},
		{"a name without a place keeps its start", "海尔集团公司", "", []string{"海尔", "海尔集", "海尔集团"}},
		{"province, city and district are all cut", "广东省深圳市南山区华为服务有限公司", "广东", []string{"华为", "华为服", "华为服务"}},
		{"an autonomous region is cut with its ethnic names", "新疆维吾尔自治区天业节水有限公司", "新疆", []string{"天业", "天业节", "天业节水"}},
		{"a county-level city's short form is cut", "昆山龙腾光电股份有限公司", "昆山", []string{"龙腾", "龙腾光", "龙腾光电"}},
		{"a district's short form is not a place (光明区)", "光明乳业股份有限公司", "", []string{"光明", "光明乳", "光明乳业"}},
		{"the longest place form is cut (a known limit: 上海市|政工程)", "上海市政工程设计研究总院", "上海", []string{"政工", "政工程", "政工程设"}},
		{"a place after a place is cut only when it lies within it", "深圳金华电子有限公司", "深圳", []string{"金华", "金华电", "金华电子"}},
		{"a county-level city within its province is cut", "江苏昆山龙腾光电有限公司", "江苏", []string{"龙腾", "龙腾光", "龙腾光电"}},
		{"a place alone is not cut", "深圳市", "", []string{"深圳", "深圳市"}},
		{"traditional characters fold first", "上海爾信貿易有限公司", "上海", []string{"尔信", "尔信贸", "尔信贸易"}},
		{"Latin letters fold to lower case", "TCL科技集团股份有限公司", "", []string{"tc", "tcl", "tcl科"}},
		{"a lead stops at punctuation", "北京华（中）公司", "北京", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			place, _, lead := nameParts(tt.in)
			if place != tt.place || !cmp.Equal(lead, tt.lead, cmpEmpty) {
				t.Errorf("nameParts(%q) = %q, %q, want %q, %q", tt.in, place, lead, tt.place, tt.lead)
			}
		})
	}
}

var cmpEmpty = cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })

func TestShortPlaceName(t *testing.T) {
	tests := []struct {
		in    string
		level int
		want  string
	}{
		{"深圳市", 2, "深圳"},
		{"广东省", 1, "广东"},
		{"广西壮族自治区", 1, "广西"},
		{"延边朝鲜族自治州", 2, "延边"},
		{"黔东南苗族侗族自治州", 2, "黔东南"},
		{"博尔塔拉蒙古自治州", 2, "博尔塔拉"},
		{"鄂伦春自治旗", 3, "鄂伦春"},
		{"大兴安岭地区", 2, "大兴安岭"},
		{"昆山市", 3, "昆山"},
		{"南山区", 3, ""},
		{"沙县", 3, ""},
	}
	for _, tt := range tests {
		if got := shortPlaceName(tt.in, tt.level); got != tt.want {
			t.Errorf("shortPlaceName(%q, %d) = %q, want %q", tt.in, tt.level, got, tt.want)
		}
	}
}

func TestQueryLead(t *testing.T) {
	for in, want := range map[string]string{"海尔": "海尔", "青岛海尔": "海尔", "华为技术": "华为技术", "杭州海康威视数字": "海康威视",
		"上海": "", "上海尔": "", "ＴＣＬ": "tcl", "尔信": "尔信"} {
		if got := queryLead(in); got != want {
			t.Errorf("queryLead(%q) = %q, want %q", in, got, want)
		}
	}
}

// rankingIndex holds names whose bigrams meet across the boundary between a
// leading place name and the rest (上海|尔信, 威海|尔丰 both contain 海尔).
func rankingIndex(t *testing.T) *Index {
	t.Helper()
	return memIndex(t, []Doc{
		{Kind: KindOrg, Number: "shanghai-erxin", Name: "上海尔信贸易有限公司", Region: "310115"},
		{Kind: KindOrg, Number: "shanghai-erkang", Name: "上海尔康医疗器械有限公司", Region: "310104"},
		{Kind: KindOrg, Number: "weihai-erfeng", Name: "威海尔丰食品有限公司", Region: "371002"},
		{Kind: KindOrg, Number: "qingdao-haier", Name: "青岛海尔电器有限公司", Region: "370212"},
		{Kind: KindOrg, Number: "haier-group", Name: "海尔集团公司", Region: "370212"},
		{Kind: KindOrg, Number: "huawei", Name: "华为技术有限公司", Region: "440307"},
		{Kind: KindOrg, Number: "shenzhen-huawei-service", Name: "深圳市华为技术服务有限公司", Region: "440307"},
		{Kind: KindOrg, Number: "shanghai-tech-huawei", Name: "上海技术华为咨询有限公司", Region: "310115"},
		{Kind: KindOrg, Number: "spdb", Name: "上海浦东发展银行股份有限公司", Region: "310115"},
		{Kind: KindOrg, Number: "huawei-shanghai", Name: "华为技术有限公司上海分公司", Region: "310115"},
		{Kind: KindCertificate, Number: "cert-erxin", Type: "QMS", Name: "上海尔信贸易有限公司", Status: "valid", Region: "310115"},
		{Kind: KindCertificate, Number: "cert-haier", Type: "QMS", Name: "青岛海尔电器有限公司", Status: "valid", Region: "370212"},
	})
}

func TestRankingPrefersTheBrandAfterThePlace(t *testing.T) {
	ix := rankingIndex(t)
	tests := []struct {
		name    string
		q       string
		above   []string // each of these ranks above every one of below
		below   []string
		first   string
		without []string // not found at all
	}{
		{name: "海尔 ranks Haier companies above names with 海|尔 across a place boundary", q: "海尔",
			above: []string{"qingdao-haier", "haier-group"}, below: []string{"shanghai-erxin", "shanghai-erkang", "weihai-erfeng"}},
		{name: "Haier's certificate ranks above the names that only contain 海尔 across a place", q: "海尔",
			above: []string{"cert-haier"}, below: []string{"shanghai-erxin", "shanghai-erkang", "weihai-erfeng"}},
		{name: "the organisation ranks above its certificate", q: "青岛海尔", above: []string{"qingdao-haier"}, below: []string{"cert-haier"}},
		{name: "华为技术 ranks 华为技术有限公司 first", q: "华为技术", first: "huawei",
			above: []string{"shenzhen-huawei-service", "huawei-shanghai"}, below: []string{"shanghai-tech-huawei"}},
		{name: "a place in the query is not taken for the brand", q: "上海尔信", first: "shanghai-erxin"},
		{name: "上海 finds the names that start with 上海 first", q: "上海",
			above: []string{"shanghai-erxin", "shanghai-erkang", "spdb", "shanghai-tech-huawei"}, below: []string{"huawei-shanghai"}},
		{name: "上海市 finds names that write 上海 alone", q: "上海市",
			above: []string{"shanghai-erxin", "spdb"}, below: []string{"huawei-shanghai"}},
		{name: "a place name does not find other places' names", q: "上海", without: []string{"qingdao-haier", "haier-group", "weihai-erfeng", "huawei"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ix.Search(context.Background(), Query{Text: tt.q, Today: today})
			if err != nil {
				t.Fatal(err)
			}
			got := numbers(r)
			if tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
				t.Errorf("Search(%q) = %v, want %s first", tt.q, got, tt.first)
			}
			for _, a := range tt.above {
				i := slices.Index(got, a)
				if i < 0 {
					t.Errorf("Search(%q) = %v, want %s among them", tt.q, got, a)
				}
				for _, b := range tt.below {
					if j := slices.Index(got, b); i >= 0 && j >= 0 && j < i {
						t.Errorf("Search(%q) = %v, want %s above %s", tt.q, got, a, b)
					}
				}
			}
			for _, n := range tt.without {
				if slices.Contains(got, n) {
					t.Errorf("Search(%q) = %v, want no %s", tt.q, got, n)
				}
			}
		})
	}
}

func TestOpenRebuildsAnIndexOfAnotherVersion(t *testing.T) {
	for _, version := range []string{"", "1", "99"} {
		t.Run("version "+strconv.Quote(version)+" is rebuilt", func(t *testing.T) {
			dir := t.TempDir() + "/idx"
			m, err := newMapping()
			if err != nil {
				t.Fatal(err)
			}
			old, err := bleve.New(dir, m)
			if err != nil {
				t.Fatal(err)
			}
			b := old.NewBatch()
			b.Index("org:X", map[string]any{"name": "海尔", "kind": "org", "number": "X"})
			b.SetInternal(seqKey, []byte{0, 0, 0, 0, 0, 0, 0, 41})
			if version != "" {
				b.SetInternal(versionKey, []byte(version))
			}
			if err := old.Batch(b); err != nil {
				t.Fatal(err)
			}
			old.Close()

			ix, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := ix.Count(); n != 0 {
				t.Errorf("Count after opening an index of version %q = %d, want 0", version, n)
			}
			if seq, _ := ix.LastSeq(); seq != -1 {
				t.Errorf("LastSeq after opening an index of version %q = %d, want -1 (index every event again)", version, seq)
			}
			putAndReopen(t, ix, dir, 7) // the rebuilt index is kept
		})
	}
}

func TestPlaceQueryPagesThroughNamesThenCertificates(t *testing.T) {
	open := map[string]func(t *testing.T) *Index{
		"in memory": func(t *testing.T) *Index {
			ix, err := OpenMem()
			if err != nil {
				t.Fatal(err)
			}
			return ix
		},
		"on disk": func(t *testing.T) *Index {
			ix, err := Open(t.TempDir() + "/idx")
			if err != nil {
				t.Fatal(err)
			}
			return ix
		},
	}
	for name, open := range open {
		t.Run("an index "+name+" pages without gaps or repeats", func(t *testing.T) {
			ix := open(t)
			defer ix.Close()
			var docs []Doc
			want := map[string]bool{}
			add := func(d Doc, match bool) {
				docs = append(docs, d)
				if match {
					want[d.Number] = true
				}
			}
			for i, n := range []string{"上海尔信贸易有限公司", "上海市浦东发展银行", "华为技术有限公司上海分公司", "上海华泰电子有限公司", "上海联创食品有限公司"} {
				add(Doc{Kind: KindOrg, Number: "org" + strconv.Itoa(i), Name: n, Region: "310115"}, true)
				add(Doc{Kind: KindCertificate, Number: "cert" + strconv.Itoa(i), Type: "QMS", Name: n, Status: "valid", Region: "310115"}, true)
			}
			add(Doc{Kind: KindOrg, Number: "other", Name: "青岛海尔电器有限公司", Region: "370212"}, false)
			add(Doc{Kind: KindCertificate, Number: "scope", Type: "QMS", Name: "青岛海尔电器有限公司", Scope: "上海地区的销售", Status: "valid"}, false)
			if err := ix.Put(docs...); err != nil {
				t.Fatal(err)
			}
			// Replacing a document must not count it twice.
			if err := ix.Put(docs[0]); err != nil {
				t.Fatal(err)
			}
			var got []string
			for offset := 0; offset < 20; offset += 3 {
				r, err := ix.Search(context.Background(), Query{Text: "上海市", Limit: 3, Offset: offset})
				if err != nil {
					t.Fatal(err)
				}
				if r.Total != uint64(len(want)) {
					t.Errorf("Search(上海市, offset %d).Total = %d, want %d", offset, r.Total, len(want))
				}
				got = append(got, numbers(r)...)
			}
			if len(got) != len(want) {
				t.Errorf("pages = %v, want each of %v once", got, want)
			}
			seen := map[string]bool{}
			for i, n := range got {
				if seen[n] || !want[n] {
					t.Errorf("pages = %v: %s repeated or not a match", got, n)
				}
				seen[n] = true
				if i > 0 && strings.HasPrefix(got[i-1], "cert") && strings.HasPrefix(n, "org") {
					t.Errorf("pages = %v: organisation %s after a certificate", got, n)
				}
			}
			if i := slices.Index(got, "org2"); i < 0 || i < 3 {
				t.Errorf("pages = %v: want the names that start with 上海 before org2 (华为…上海分公司)", got)
			}
			r, err := ix.Search(context.Background(), Query{Text: "上海", Kinds: []Kind{KindCertificate}, Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			got = numbers(r)
			slices.Sort(got)
			if want := []string{"cert0", "cert1", "cert2", "cert3", "cert4"}; !slices.Equal(got, want) || r.Total != 5 {
				t.Errorf("Search(上海, certificates) = %v (total %d), want %v", got, r.Total, want)
			}
		})
	}
}

// FuzzNameParts feeds names and query words (outside input) to the place
// splitting: it must not panic, and what it returns must have the shape the
// index and the queries rely on.
func FuzzNameParts(f *testing.F) {
	for _, s := range []string{"上海尔信贸易有限公司", "广东省深圳市南山区华为", "深圳市", "新疆维吾尔自治区", "ＴＣＬ科技", "上海", "", "市", "北京华（中）", "\xff上海"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		place, mentions, lead := nameParts(s)
		if place != "" && !slices.Contains(mentions, place) {
			t.Errorf("nameParts(%q) = place %q not among mentions %q", s, place, mentions)
		}
		for i, l := range lead {
			if n := utf8.RuneCountInString(l); n != i+2 {
				t.Errorf("nameParts(%q) lead %q has %d characters, want %d", s, l, n, i+2)
			}
		}
		if l := queryLead(s); l != "" && (utf8.RuneCountInString(l) < 2 || utf8.RuneCountInString(l) > leadLen) {
			t.Errorf("queryLead(%q) = %q, want 2 to %d characters", s, l, leadLen)
		}
	})
}

func TestPlaceQueryInEnglish(t *testing.T) {
	ix := testIndex(t)
	for _, q := range []string{"Qingdao", "qingdao", "QINGDAO"} {
		t.Run(q+" finds the names that mention 青岛", func(t *testing.T) {
			res, err := ix.Search(context.Background(), Query{Text: q, Today: today})
			if err != nil {
				t.Fatal(err)
			}
			if got := numbers(res); !slices.Contains(got, "201900000001") {
				t.Errorf("Search(%q) = %v, want the lab 青岛海尔检测实验室 (201900000001)", q, got)
			}
		})
	}
	t.Run("an English name two places share with different characters is not a place query", func(t *testing.T) {
		p := newPlaces([]trustmark.Region{
			{Code: "110000", Name: "甲乙市", NameEN: "Jiayi", Level: 1},
			{Code: "120000", Name: "假意市", NameEN: "Jiayi", Level: 1},
			{Code: "130000", Name: "丙丁市", NameEN: "Bingding", Level: 1},
		})
		if _, ok := p.placeOnly("Jiayi"); ok {
			t.Error("Jiayi was taken as a place, though it names two")
		}
		if k, ok := p.placeOnly("bingding"); !ok || k != "丙丁" {
			t.Errorf("placeOnly(bingding) = %q, %v; want 丙丁", k, ok)
		}
	})
}
