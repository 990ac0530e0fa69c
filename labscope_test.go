package trustmark

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

var goodLabScopeTests = []struct {
	name, text string
	want       []LabScopeItem
}{
	{"a field and its parameters", "电线电缆 / 阻燃性能、绝缘电阻",
		[]LabScopeItem{{"电线电缆", "阻燃性能"}, {"电线电缆", "绝缘电阻"}}},
	{"one line per field, full-width slash and bar", "电线电缆／阻燃性能\n家用电器|能效，电磁兼容\n",
		[]LabScopeItem{{"电线电缆", "阻燃性能"}, {"家用电器", "能效"}, {"家用电器", "电磁兼容"}}},
	{"the old labelled form keeps its labels as fields", "产品/类别：家用电冰箱、电线电缆\n依据标准：GB 4706.1-2005、GB/T 5023.1-2008",
		[]LabScopeItem{{"产品/类别", "家用电冰箱"}, {"产品/类别", "电线电缆"}, {"依据标准", "GB 4706.1-2005"}, {"依据标准", "GB/T 5023.1-2008"}}},
	{"a semicolon before a label starts a line", "产品/类别：家用电冰箱、电线电缆；依据标准：GB 4706.1-2005",
		[]LabScopeItem{{"产品/类别", "家用电冰箱"}, {"产品/类别", "电线电缆"}, {"依据标准", "GB 4706.1-2005"}}},
	{"a line without a field stays one item", "精密仪器的设计和生产、检定/校准",
		[]LabScopeItem{{"", "精密仪器的设计和生产、检定/校准"}}},
	{"a colon between digits is no separator", "ISO 9001:2015 要求的内部审核",
		[]LabScopeItem{{"", "ISO 9001:2015 要求的内部审核"}}},
	{"a colon after a label is", "Standards: ISO 9001:2015, GB/T 19001-2016",
		[]LabScopeItem{{"Standards", "ISO 9001:2015"}, {"Standards", "GB/T 19001-2016"}}},
	{"brackets keep their commas", "家用电器 / 安全性能（冰箱、洗衣机）、能效",
		[]LabScopeItem{{"家用电器", "安全性能（冰箱、洗衣机）"}, {"家用电器", "能效"}}},
	{"a field with no items is the field entire", "电线电缆 /",
		[]LabScopeItem{{"", "电线电缆"}}},
	{"GB/T without spaces is no separator", "GB/T 5023.1-2008",
		[]LabScopeItem{{"", "GB/T 5023.1-2008"}}},
	{"blank", "  \n\r\n ", nil},
}

func TestParseLabScopeItems(t *testing.T) {
	for _, tc := range goodLabScopeTests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ParseLabScope(tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("ParseLabScope(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestMatchLabScope(t *testing.T) {
	items := ParseLabScope("电线电缆 / 阻燃性能、绝缘电阻\n家用电器 / 能效\nLighting / EMC")
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"电线", []string{"电线电缆 / 阻燃性能", "电线电缆 / 绝缘电阻"}},
		{"能效", []string{"家用电器 / 能效"}},
		{"emc", []string{"Lighting / EMC"}},
		{"电缆 / 阻燃", nil}, // items match, not the text across them
		{" ", []string{"电线电缆 / 阻燃性能", "电线电缆 / 绝缘电阻", "家用电器 / 能效", "Lighting / EMC"}},
	} {
		var got []string
		for _, it := range MatchLabScope(items, tc.q) {
			got = append(got, it.String())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("MatchLabScope(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

// FuzzParseLabScope: any text gives items that are non-empty, trimmed and
// taken from the text; text with something in it gives at least one item.
func FuzzParseLabScope(f *testing.F) {
	for _, tc := range goodLabScopeTests {
		f.Add(tc.text)
	}
	f.Add("；；依据标准：；(（【；a:b")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) || len(text) > 4*maxLabScope {
			return
		}
		items := ParseLabScope(text)
		if strings.TrimSpace(text) != "" && len(items) == 0 {
			t.Fatalf("ParseLabScope(%q) gave no item", text)
		}
		for _, it := range items {
			if it.Item == "" || it.Item != strings.TrimSpace(it.Item) || it.Field != strings.TrimSpace(it.Field) {
				t.Fatalf("ParseLabScope(%q): item %q is blank or untrimmed", text, it)
			}
			if !strings.Contains(text, it.Item) || !strings.Contains(text, it.Field) {
				t.Fatalf("ParseLabScope(%q): item %q is not from the text", text, it)
			}
		}
	})
}
