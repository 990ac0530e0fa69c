package trustmark

import (
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
