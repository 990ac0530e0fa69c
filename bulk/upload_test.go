package bulk_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"trustmark/bulk"
	"trustmark/locale"
)

func TestReadUploadKeepsEveryRow(t *testing.T) {
	in := "序号,供应商名称,证书编号\n1,甲,A1\n2,乙,\n3,丙,A3\n,,\n\n"
	u, err := bulk.ReadUpload([]byte(in), 10)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"序号", "供应商名称", "证书编号"}, u.Header); diff != "" {
		t.Errorf("Header (-want +got):\n%s", diff)
	}
	if u.Col != 2 || len(u.Rows) != 3 || u.Width() != 3 {
		t.Errorf("Col %d, %d rows, width %d; want 2, 3 (trailing blank rows dropped), 3", u.Col, len(u.Rows), u.Width())
	}
	if diff := cmp.Diff([]string{"A1", "", "A3"}, u.Items()); diff != "" {
		t.Errorf("Items (-want +got):\n%s", diff)
	}
	if _, err := bulk.ReadUpload([]byte("1\n\n2\n3\n"), 2); err == nil {
		t.Error("3 items with max 2: no error")
	}
	if u, err := bulk.ReadUpload([]byte("1,x\n,\n2,y\n"), 2); err != nil || len(u.Rows) != 3 {
		t.Errorf("2 items and a blank row with max 2: %v, %v", u, err)
	}
	t.Run("an XLSX row left empty stays in place", func(t *testing.T) {
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]any{"证书编号", "名称"})
		f.SetSheetRow("Sheet1", "A2", &[]any{"A1", "甲"})
		f.SetSheetRow("Sheet1", "A4", &[]any{"A3", "丙"})
		var buf bytes.Buffer
		f.WriteTo(&buf)
		u, err := bulk.ReadUpload(buf.Bytes(), 10)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"A1", "", "A3"}, u.Items()); diff != "" {
			t.Errorf("Items (-want +got):\n%s", diff)
		}
	})
}

func TestSummaryCountsByResult(t *testing.T) {
	res := []bulk.Result{
		{Found: true, Kind: bulk.KindCertificate, Status: "valid"},
		{Found: false},
		{Found: true, Kind: bulk.KindCertificate, Status: "suspended"},
		{Found: true, Kind: bulk.KindCertificate, Status: "valid"},
	}
	for _, tt := range []struct{ lang, want string }{
		{locale.Chinese, "共 5 行：有效 2，暂停 1，未找到 1，空行 1"},
		{locale.English, "5 rows: 2 valid, 1 suspended, 1 not found, 1 blank"},
	} {
		if got := bulk.Summary(locale.Must(tt.lang), res, 1); got != tt.want {
			t.Errorf("Summary in %s = %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func TestNewSheetLinesUp(t *testing.T) {
	m := locale.Must(locale.Chinese)
	r := bulk.Result{Item: "A1", Found: true, Kind: bulk.KindCertificate, Status: "valid", URL: "/certificates/A1"}
	s := bulk.NewSheet(m, []string{"序号", ""}, 2, []bulk.Line{{Cells: []string{"1", "A1"}, Result: &r}, {Cells: []string{"2"}}},
		func(u string) string { return "https://x.example" + u })
	if s.Header[0] != "序号" || s.Header[1] != "第2列" || s.Header[2] != "查询项" {
		t.Errorf("Header = %q", s.Header)
	}
	if got := s.Rows[0][len(s.Rows[0])-1]; got != "https://x.example/certificates/A1" {
		t.Errorf("link = %q", got)
	}
	if len(s.Rows) != 2 || s.Rows[1][0] != "2" || s.Rows[1][6] != "空行，未核查" || len(s.Rows[1]) != len(s.Header) {
		t.Errorf("blank row = %q", s.Rows[1])
	}
}

func FuzzReadUpload(f *testing.F) {
	f.Add([]byte("序号,证书编号\n1,A\n,\n2,B\n"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("\ufeff\n\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := bulk.ReadUpload(data, 50)
		if err != nil {
			return
		}
		if len(u.Items()) != len(u.Rows) {
			t.Fatalf("%d items for %d rows", len(u.Items()), len(u.Rows))
		}
		n := 0
		for _, it := range u.Items() {
			if it != "" {
				n++
			}
		}
		if n > 50 {
			t.Fatalf("%d items, more than max 50", n)
		}
	})
}
