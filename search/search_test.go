package search

import (
	"context"
	"errors"
	"slices"
	"testing"

	"trustmark"
)

var today = trustmark.NewDate(2026, 11, 20)

// memIndex returns an index in memory holding docs, closed when t ends.
func memIndex(t *testing.T, docs []Doc) *Index {
	t.Helper()
	ix, err := OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Put(docs...); err != nil {
		t.Fatal(err)
	}
	return ix
}

func testIndex(t *testing.T) *Index {
	t.Helper()
	return memIndex(t, []Doc{
		{Kind: KindOrg, Number: "91370200163562681G", Name: "海尔集团公司", Region: "370212"},
		{Kind: KindOrg, Number: "914403001922038216", Name: "华为技术有限公司", NameEn: "Huawei Technologies Co., Ltd.", Region: "440307"},
		{Kind: KindOrg, Number: "91440300MA5DAB1234", Name: "深圳市华强电子有限公司", Region: "440304"},
		{Kind: KindOrg, Number: "91330100MA2AB12345", Name: "杭州海康威视数字技术股份有限公司", Region: "330108"},
		{Kind: KindBody, Number: "CNCA-R-2002-001", Name: "中国质量认证中心", Region: "110000", Status: "active"},
		{Kind: KindLab, Number: "201900000001", Name: "青岛海尔检测实验室", Region: "370212", Status: "active"},
		{Kind: KindCertificate, Number: "2020010901000001", Type: trustmark.TypeCCC, Name: "华为技术有限公司", Product: "便携式计算机",
			Scope: "笔记本电脑", Status: "valid", Region: "440307", ExpiresOn: trustmark.NewDate(2027, 1, 1)},
		{Kind: KindCertificate, Number: "00120Q10001R0M", Type: trustmark.TypeQMS, Name: "海尔集团公司", Scope: "家用电冰箱的设计和生产",
			Status: "valid", Region: "370212", ExpiresOn: trustmark.NewDate(2026, 6, 1)},
		{Kind: KindCertificate, Number: "00120Q10002R0M", Type: trustmark.TypeQMS, Name: "海尔集团公司", Scope: "洗衣机的生产",
			Status: "suspended", Region: "370212", ExpiresOn: trustmark.NewDate(2028, 6, 1)},
	})
}

func numbers(r *Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.Number)
	}
	return out
}

func TestSearchFindsChineseNames(t *testing.T) {
	ix := testIndex(t)
	tests := []struct {
		name, q string
		first   string   // the best hit
		all     []string // every hit must be among these (nil: not checked)
	}{
		{"a two-character query finds the organisation first", "海尔", "91370200163562681G", nil},
		{"a four-character query finds a company by the start of its name", "华为技术", "914403001922038216", nil},
		{"words out of order still match", "技术 华为", "914403001922038216", nil},
		{"traditional characters find simplified names", "華為技術", "914403001922038216", nil},
		{"traditional 海爾 finds 海尔", "海爾", "91370200163562681G", nil},
		{"a middle part of a name matches", "海康威视", "91330100MA2AB12345", []string{"91330100MA2AB12345"}},
		{"generic words alone still search", "有限公司", "", nil},
		{"generic words are dropped when others remain", "华强 有限公司", "91440300MA5DAB1234", []string{"91440300MA5DAB1234"}},
		{"an English name matches case-insensitively", "huawei", "914403001922038216", nil},
		{"a product word finds the certificate", "计算机", "2020010901000001", []string{"2020010901000001"}},
		{"a certificate number finds itself", "00120q10001r0m", "00120Q10001R0M", nil},
		{"full-width letters fold", "ＨＵＡＷＥＩ", "914403001922038216", nil},
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
			if tt.first == "" && len(got) == 0 {
				t.Errorf("Search(%q) found nothing", tt.q)
			}
			for _, n := range got {
				if tt.all != nil && !slices.Contains(tt.all, n) {
					t.Errorf("Search(%q) = %v, want only %v", tt.q, got, tt.all)
				}
			}
		})
	}
}

func TestSearchFilters(t *testing.T) {
	ix := testIndex(t)
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"kind certificate leaves only certificates", Query{Text: "海尔", Kinds: []Kind{KindCertificate}}, []string{"00120Q10001R0M", "00120Q10002R0M"}},
		{"type filter", Query{Text: "华为", Type: trustmark.TypeCCC}, []string{"2020010901000001"}},
		{"a province filter by 2 digits", Query{Text: "技术", Region: "44"}, []string{"914403001922038216", "2020010901000001"}},
		{"a province filter by 6 digits", Query{Text: "技术", Region: "440000"}, []string{"914403001922038216", "2020010901000001"}},
		{"a city filter", Query{Text: "技术", Region: "3301"}, []string{"91330100MA2AB12345"}},
		{"valid excludes the certificate past its expiry date", Query{Text: "海尔", Status: "valid", Today: today}, nil},
		{"expired includes a valid row past its expiry date", Query{Text: "海尔", Status: "expired", Today: today}, []string{"00120Q10001R0M"}},
		{"suspended", Query{Text: "海尔", Status: "suspended", Today: today}, []string{"00120Q10002R0M"}},
		{"party status", Query{Text: "认证", Status: "active", Today: today}, []string{"CNCA-R-2002-001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ix.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := numbers(r)
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("Search(%+v) = %v, want %v", tt.q, got, want)
			}
		})
	}
}

func TestSearchRefusesEmptyQueries(t *testing.T) {
	ix := testIndex(t)
	for _, q := range []string{"", "   ", "!!!", "，。"} {
		if _, err := ix.Search(context.Background(), Query{Text: q}); trustmark.ErrorCode(err) != trustmark.EInvalid {
			t.Errorf("Search(%q) error = %v, want invalid", q, err)
		}
	}
}

func TestEffectiveStatusOfHits(t *testing.T) {
	ix := testIndex(t)
	r, err := ix.Search(context.Background(), Query{Text: "00120Q10001R0M"})
	if err != nil || len(r.Hits) == 0 {
		t.Fatalf("Search = %v, %v", r, err)
	}
	if got := r.Hits[0].EffectiveStatus(today); got != "expired" {
		t.Errorf("EffectiveStatus = %s, want expired (expiry 2026-06-01 before %s)", got, today)
	}
}

func TestSimplify(t *testing.T) {
	for in, want := range map[string]string{"華為技術有限公司": "华为技术有限公司", "海爾集團": "海尔集团", "abc 123": "abc 123", "臺灣": "台湾"} {
		if got := Simplify(in); got != want {
			t.Errorf("Simplify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLastSeqSurvivesReopen(t *testing.T) {
	dir := t.TempDir() + "/idx"
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := ix.LastSeq(); got != -1 {
		t.Errorf("LastSeq of a new index = %d, want -1", got)
	}
	putAndReopen(t, ix, dir, 41)
}

// putAndReopen puts one document into ix as of event seq, closes it, opens
// dir again and wants the document and seq kept.
func putAndReopen(t *testing.T, ix *Index, dir string, seq int64) {
	t.Helper()
	if err := ix.put([]Doc{{Kind: KindOrg, Number: "X", Name: "海尔"}}, seq); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got, _ := ix.LastSeq(); got != seq {
		t.Errorf("LastSeq after reopening = %d, want %d", got, seq)
	}
	if n, _ := ix.Count(); n != 1 {
		t.Errorf("Count after reopening = %d, want 1 (kept)", n)
	}
}

func TestSearchRefusesTooBroadQueries(t *testing.T) {
	ctx := context.Background()
	ix := testIndex(t)
	ix.broadLimit = 1 // 海尔 is in 2 names (an organisation, a lab) and 2 certificates' holder names
	t.Run("a word in more names than the limit is refused, saying how many", func(t *testing.T) {
		_, err := ix.Search(ctx, Query{Text: "海尔", Today: today})
		var e *trustmark.Error
		if !errors.As(err, &e) || e.Reason != "search.too_broad" || e.Code != trustmark.EInvalid {
			t.Fatalf("Search(海尔) = %v, want a too-broad error", err)
		}
		if n, _ := e.Args[1].(uint64); n != 2 {
			t.Errorf("says about %v names, want 2", e.Args[1])
		}
	})
	t.Run("a rarer word of the same query passes", func(t *testing.T) {
		res, err := ix.Search(ctx, Query{Text: "海尔集团 洗衣机", Today: today})
		if err != nil || len(res.Hits) == 0 {
			t.Fatalf("Search = %v, %v; want hits", res, err)
		}
	})
	t.Run("a filter lifts the limit", func(t *testing.T) {
		res, err := ix.Search(ctx, Query{Text: "海尔", Kinds: []Kind{KindOrg}, Today: today})
		if err != nil || len(res.Hits) == 0 {
			t.Fatalf("Search = %v, %v; want hits", res, err)
		}
	})
	t.Run("the default limit lets ordinary queries through", func(t *testing.T) {
		ix.broadLimit = 0
		if _, err := ix.Search(ctx, Query{Text: "海尔", Today: today}); err != nil {
			t.Fatal(err)
		}
	})
}
