package bulk_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"trustmark/bulk"
)

func TestReadItems(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("序号,证书编号,备注\n1," + cccValid + ",第一张\n2,00125q10001r0m,第二张\n3,,空\n")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"plain UTF-8 without header", cccValid + "\n" + qmsSusp + "\n", []string{cccValid, qmsSusp}},
		{"UTF-8 with BOM and an unknown header", "\ufeff号码列\n" + cccValid + "\r\n", []string{cccValid}},
		{"a known header picks its column", "name,uscc\n某公司," + string(holder1) + "\n", []string{string(holder1)}},
		{"GBK with a Chinese header", gbk, []string{cccValid, "00125q10001r0m"}},
		{"tab-separated", "证书编号\t名称\n" + cccValid + "\tx\n", []string{cccValid}},
		{"quoted cells", `"` + cccValid + `"` + "\n", []string{cccValid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := bulk.ReadItems([]byte(tt.data), 100)
			if err != nil {
				t.Fatalf("ReadItems: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ReadItems (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("too many items", func(t *testing.T) {
		if _, err := bulk.ReadItems([]byte("1\n2\n3\n"), 2); err == nil {
			t.Error("ReadItems of 3 items with max 2: no error")
		}
	})
	t.Run("an XLSX workbook", func(t *testing.T) {
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]any{"统一社会信用代码", "证书编号"})
		f.SetSheetRow("Sheet1", "A2", &[]any{string(holder1), cccValid})
		f.SetSheetRow("Sheet1", "A3", &[]any{string(unknownU), qmsSusp})
		var buf bytes.Buffer
		f.WriteTo(&buf)
		got, err := bulk.ReadItems(buf.Bytes(), 100)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{string(holder1), string(unknownU)}, got); diff != "" {
			t.Errorf("ReadItems(xlsx) (-want +got):\n%s", diff)
		}
	})
}

func FuzzReadItems(f *testing.F) {
	f.Add([]byte(cccValid + "\n"))
	f.Add([]byte("\ufeff证书编号\n" + cccValid + "\n"))
	f.Add([]byte("\"a,b\n"))
	f.Add([]byte("PK\x03\x04garbage"))
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("证书编号\n" + cccValid)
	f.Add([]byte(gbk))
	xf := excelize.NewFile()
	xf.SetSheetRow("Sheet1", "A1", &[]any{cccValid})
	var buf bytes.Buffer
	xf.WriteTo(&buf)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		if pasted, err := bulk.SplitItems(string(data), 50); err == nil && len(pasted) > 50 {
			t.Fatalf("SplitItems returned %d items, more than max 50", len(pasted))
		}
		items, err := bulk.ReadItems(data, 50)
		if err != nil {
			return
		}
		if len(items) > 50 {
			t.Fatalf("ReadItems returned %d items, more than max 50", len(items))
		}
		for _, it := range items {
			if strings.TrimSpace(it) == "" {
				t.Fatalf("ReadItems returned a blank item")
			}
		}
	})
}
