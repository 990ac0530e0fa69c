package trustmark

import (
	"encoding/csv"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

func TestRegionNameEN(t *testing.T) {
	tests := []struct{ code, zh, en string }{
		{"11", "北京市", "Beijing"},
		{"15", "内蒙古自治区", "Inner Mongolia"},
		{"45", "广西壮族自治区", "Guangxi"},
		{"54", "西藏自治区", "Xizang"},
		{"61", "陕西省", "Shaanxi"},
		{"14", "山西省", "Shanxi"},
		{"50", "重庆市", "Chongqing"},
		{"110108", "海淀区", "Haidian District"},
		{"110105", "朝阳区", "Chaoyang District"},
		{"3702", "青岛市", "Qingdao"},
		{"4301", "长沙市", "Changsha"},
		{"3502", "厦门市", "Xiamen"},
		{"3415", "六安市", "Lu'an"},
		{"3403", "蚌埠市", "Bengbu"},
		{"4419", "东莞市", "Dongguan"},
		{"5111", "乐山市", "Leshan"},
		{"5101", "成都市", "Chengdu"},
		{"4406", "佛山市", "Foshan"},
		{"6101", "西安市", "Xi'an"},
		{"2301", "哈尔滨市", "Harbin"},
		{"6323", "黄南藏族自治州", "Huangnan Tibetan Autonomous Prefecture"},
		{"5226", "黔东南苗族侗族自治州", "Qiandongnan Miao and Dong Autonomous Prefecture"},
		{"1522", "兴安盟", "Hinggan League"},
		{"6531", "喀什地区", "Kashgar Prefecture"},
		{"140425", "平顺县", "Pingshun County"},
		{"140427", "壶关县", "Huguan County"},
		{"420528", "长阳土家族自治县", "Changyang Tujia Autonomous County"},
		{"150521", "科尔沁左翼中旗", "Ke'erqin Left Wing Middle Banner"},
		{"150724", "鄂温克族自治旗", "Ewenki Autonomous Banner"},
		{"310115", "浦东新区", "Pudong New Area"},
		{"429021", "神农架林区", "Shennongjia Forestry District"},
		{"410104", "管城回族区", "Guancheng Hui District"},
		{"140404", "上党区", "Shangdang District"},
		{"140429", "武乡县", "Wuxiang County"},
	}
	r := DefaultRegions()
	for _, tt := range tests {
		t.Run(tt.zh+" is "+tt.en, func(t *testing.T) {
			reg, ok := r.Lookup(tt.code)
			if !ok {
				t.Fatalf("Lookup(%q) found nothing", tt.code)
			}
			if reg.Name != tt.zh {
				t.Fatalf("Lookup(%q).Name = %q, want %q", tt.code, reg.Name, tt.zh)
			}
			if reg.NameEN != tt.en {
				t.Errorf("Lookup(%q).NameEN = %q, want %q", tt.code, reg.NameEN, tt.en)
			}
			if got := reg.NameIn("en"); got != tt.en {
				t.Errorf("NameIn(en) = %q, want %q", got, tt.en)
			}
			if got := reg.NameIn("zh"); got != tt.zh {
				t.Errorf("NameIn(zh) = %q, want %q", got, tt.zh)
			}
		})
	}
}

func TestEveryRegionHasAnASCIIEnglishName(t *testing.T) {
	for _, reg := range DefaultRegions().All() {
		if reg.NameEN == "" {
			t.Errorf("%s %s has no English name", reg.Code, reg.Name)
		}
		for _, c := range reg.NameEN {
			if c >= 0x80 || c < 0x20 {
				t.Errorf("%s %s: English name %q has %q, not printable ASCII", reg.Code, reg.Name, reg.NameEN, c)
				break
			}
		}
	}
}

func TestFullNameIn(t *testing.T) {
	tests := []struct{ code, lang, want string }{
		{"330106", "en", "Xihu District, Hangzhou, Zhejiang"},
		{"330106", "zh", "浙江省 杭州市 西湖区"},
		{"330106", "", "浙江省 杭州市 西湖区"},
		{"110108", "en", "Haidian District, Beijing"},  // 市辖区 left out
		{"500229", "en", "Chengkou County, Chongqing"}, // 县 left out
		{"419001", "en", "Jiyuan, Henan"},              // 省直辖县级行政区划 left out
		{"441900", "en", "Dongguan, Guangdong"},        // a city without counties
		{"3702", "en", "Qingdao, Shandong"},
		{"370200", "en", "Qingdao, Shandong"},
		{"37", "en", "Shandong"},
		{"999999", "en", "999999"},
	}
	for _, tt := range tests {
		t.Run(tt.code+" in "+tt.lang+" reads "+tt.want, func(t *testing.T) {
			if got := DefaultRegions().FullNameIn(tt.code, tt.lang); got != tt.want {
				t.Errorf("FullNameIn(%q, %q) = %q, want %q", tt.code, tt.lang, got, tt.want)
			}
		})
	}
}

func TestRegionCovers(t *testing.T) {
	tests := []struct {
		name        string
		scope, code string
		want        bool
	}{
		{"the nation covers a county", NationalRegion, "540102", true},
		{"the nation covers a code outside the table", NationalRegion, "999999", true},
		{"a province covers its county", "330000", "330106", true},
		{"a province covers its city", "330000", "330100", true},
		{"a province covers itself", "330000", "330000", true},
		{"a province does not cover another's county", "320000", "330106", false},
		{"Chongqing does not cover Sichuan", "500000", "510104", false},
		{"Chongqing does not cover Guizhou", "500000", "520102", false},
		{"Chongqing does not cover Yunnan", "500000", "530102", false},
		{"Chongqing does not cover Xizang", "500000", "540102", false},
		{"Chongqing covers its districts", "500000", "500101", true},
		{"Chongqing covers its counties", "500000", "500229", true},
		{"Chongqing's county group covers its counties", "500200", "500229", true},
		{"Chongqing's county group does not cover its districts", "500200", "500101", false},
		{"Langfang does not cover Hengshui's counties", "131000", "131102", false},
		{"Langfang does not cover Hengshui", "131000", "131100", false},
		{"Langfang covers its counties", "131000", "131082", true},
		{"a city does not cover its province", "330100", "330000", false},
		{"a city does not cover a sibling city", "330100", "330200", false},
		{"a county does not cover the county after it", "130110", "130111", false},
		{"a county covers itself", "130110", "130110", true},
		{"a county does not cover its city", "130110", "130100", false},
		{"Hubei's directly administered counties cover Xiantao", "429000", "429004", true},
		{"Hubei covers Shennongjia", "420000", "429021", true},
		{"Hainan's directly administered counties do not cover Danzhou", "469000", "460400", false},
		{"Dongguan, a city without counties, covers itself", "441900", "441900", true},
		{"Guangdong covers Dongguan", "440000", "441900", true},
		{"Dongguan does not cover Zhongshan", "441900", "442000", false},
		{"a 2-digit scope is its province", "50", "500101", true},
		{"a 4-digit scope is its city", "3301", "330106", true},
		{"a scope outside the table covers nothing", "990000", "990101", false},
		{"an empty scope covers nothing", "", "330106", false},
		{"a code outside the table is covered by no province", "330000", "330199", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RegionCovers(tt.scope, tt.code); got != tt.want {
				t.Errorf("RegionCovers(%q, %q) = %v, want %v", tt.scope, tt.code, got, tt.want)
			}
		})
	}
}

func TestRegionPrefix(t *testing.T) {
	tests := []struct{ scope, want string }{
		{"11", "11"},
		{"110000", "11"},
		{"500000", "50"},
		{"110100", "1101"},
		{"500200", "5002"},
		{"131000", "1310"},
		{"3301", "3301"},
		{"110108", "110108"},
		{"130110", "130110"},
		{"441900", "441900"},
		{"429004", "429004"},
		{NationalRegion, ""},
		{"990000", "990000"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.scope+" filters by "+tt.want, func(t *testing.T) {
			if got := RegionPrefix(tt.scope); got != tt.want {
				t.Errorf("RegionPrefix(%q) = %q, want %q", tt.scope, got, tt.want)
			}
		})
	}
}

// divisionParents reads the parent of every code straight from the
// division files (areas name their city, cities their province), as an
// oracle independent of Regions.
func divisionParents(t *testing.T) map[string]string {
	t.Helper()
	parents := map[string]string{}
	for _, f := range []struct {
		name      string
		parentCol int
	}{{"provinces.csv", -1}, {"cities.csv", 2}, {"areas.csv", 2}} {
		data, err := divisionFiles.ReadFile("data/divisions/" + f.name)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows[1:] {
			code, parent := pad6(row[0]), ""
			if f.parentCol >= 0 {
				parent = pad6(row[f.parentCol])
			}
			if parent == code {
				// A city without counties is listed again as its own area:
				// the area's parent is the city's.
				continue
			}
			parents[code] = parent
		}
	}
	return parents
}

// TestRegionScopeWalk walks every code of the divisions table as a
// regulator's scope against every code as a party's region (3,348² pairs):
// Covers grants exactly the code itself and the codes below it in the
// files' own hierarchy, and Prefix selects exactly what Covers grants. It
// logs how many pairs the old rule (trailing zeros trimmed, then a prefix
// match) wrongly granted.
func TestRegionScopeWalk(t *testing.T) {
	parents := divisionParents(t)
	codes := make([]string, 0, len(parents))
	for code := range parents {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	if len(codes) != 3348 {
		t.Errorf("the divisions table has %d distinct codes, want 3348", len(codes))
	}
	// within[i][j] says whether codes[j] is codes[i] or below it.
	index := map[string]int{}
	for i, c := range codes {
		index[c] = i
	}
	within := make([][]bool, len(codes))
	for i := range within {
		within[i] = make([]bool, len(codes))
	}
	for j, code := range codes {
		for a := code; a != ""; a = parents[a] {
			within[index[a]][j] = true
		}
	}
	// The scopes are shared out among the cores: 11 million pairs.
	r := DefaultRegions()
	type tally struct {
		wrong, oldWrong int
		examples        []string
		oldScopes       []string
	}
	workers := runtime.GOMAXPROCS(0)
	tallies := make([]tally, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tl := &tallies[w]
			for i := w; i < len(codes); i += workers {
				scope := codes[i]
				prefix, trimmed, oldWrongBefore := r.Prefix(scope), strings.TrimRight(scope, "0"), tl.oldWrong
				for j, code := range codes {
					want := within[i][j]
					if got := r.Covers(scope, code); got != want || strings.HasPrefix(code, prefix) != want {
						if tl.wrong++; len(tl.examples) < 20 {
							tl.examples = append(tl.examples, fmt.Sprintf("scope %s, party in %s: Covers = %v, prefix %q matches = %v; want %v",
								scope, code, got, prefix, strings.HasPrefix(code, prefix), want))
						}
					}
					if !want && strings.HasPrefix(code, trimmed) {
						tl.oldWrong++
					}
				}
				if tl.oldWrong > oldWrongBefore {
					tl.oldScopes = append(tl.oldScopes, scope)
				}
				if !r.Covers(NationalRegion, scope) {
					tl.examples = append(tl.examples, "the nation does not cover "+scope)
					tl.wrong++
				}
			}
		}()
	}
	wg.Wait()
	var wrong, oldWrong, oldScopes int
	for _, tl := range tallies {
		wrong, oldWrong, oldScopes = wrong+tl.wrong, oldWrong+tl.oldWrong, oldScopes+len(tl.oldScopes)
		for _, e := range tl.examples {
			t.Error(e)
		}
	}
	if wrong > 0 {
		t.Errorf("%d pairs disagree with the divisions' hierarchy", wrong)
	}
	t.Logf("%d codes × %d: the trailing-zero rule granted %d pairs outside the hierarchy, from %d scopes", len(codes), len(codes), oldWrong, oldScopes)
}

// FuzzRegionScope: whatever a token or a query names, Covers and Prefix do
// not panic, and a code Covers grants always starts with Prefix.
func FuzzRegionScope(f *testing.F) {
	for _, s := range [][2]string{{"500000", "510104"}, {"131000", "131102"}, {"000000", "x"}, {"44", "441900"}, {"", ""}, {"4419", "4419"}} {
		f.Add(s[0], s[1])
	}
	r := DefaultRegions()
	f.Fuzz(func(t *testing.T, scope, code string) {
		covers, prefix := r.Covers(scope, code), r.Prefix(scope)
		if !covers || scope == NationalRegion {
			return
		}
		reg, ok := r.Lookup(code)
		if !ok || !strings.HasPrefix(reg.Code, prefix) {
			t.Fatalf("Covers(%q, %q) but Lookup(%q) = %q, %v does not start with Prefix %q", scope, code, code, reg.Code, ok, prefix)
		}
	})
}
