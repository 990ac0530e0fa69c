package importer

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"trustmark"
)

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utf16le(t *testing.T, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const orgHeader = "uscc,name,region_code,address\n"

func TestReadCSVEncodings(t *testing.T) {
	u0, u1 := holderUSCC(0), holderUSCC(1)
	text := orgHeader + u0 + ",福州市闽侯县第一电器有限公司,350121,福建省福州市\n" + u1 + ",厦门鹭岛检测有限公司,350203,\"厦门市思明区, 湖滨南路\"\n"
	want := []Item{
		{Row: 1, Cells: trustmark.Row{"uscc": u0, "name": "福州市闽侯县第一电器有限公司", "region_code": "350121", "address": "福建省福州市"}},
		{Row: 2, Cells: trustmark.Row{"uscc": u1, "name": "厦门鹭岛检测有限公司", "region_code": "350203", "address": "厦门市思明区, 湖滨南路"}},
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"UTF-8 is read as is", []byte(text)},
		{"UTF-8 with a BOM loses the BOM", append([]byte("\uFEFF"), text...)},
		{"GBK as Excel in China saves it is decoded", gbk(t, text)},
		{"CRLF line ends are read like LF", []byte(strings.ReplaceAll(text, "\n", "\r\n"))},
		{"GBK with CRLF and a BOM-less header is decoded", gbk(t, strings.ReplaceAll(text, "\n", "\r\n"))},
		{"UTF-16 Unicode text with tabs is read", utf16le(t, strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(text, ",", "\t"), "区\t 湖", "区, 湖"), "\"", ""))},
		{"blank lines are skipped", []byte(strings.Replace(text, "\n", "\n\n\n", 1))},
		{"rows of empty cells are skipped", []byte(strings.Replace(text, "\n", "\n,,,\n", 1))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(t, "orgs.csv", tt.data, trustmark.KindOrgs)
			if err != nil {
				t.Fatal(err)
			}
			if tt.name == "rows of empty cells are skipped" {
				want := []Item{want[0], want[1]}
				want[0].Row, want[1].Row = 2, 3 // the empty row keeps its number
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("items differ (-want +got):\n%s", diff)
				}
				return
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("items differ (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadCSVRows(t *testing.T) {
	u0 := holderUSCC(0)
	tests := []struct {
		name string
		data string
		want []string // itemErr of each item
	}{
		{"a quoted newline stays in its cell and the row after keeps its number",
			orgHeader + u0 + ",\"第一行\n第二行\",350121,\n" + u0 + ",x,350121,\n", []string{"", ""}},
		{"a row with too few fields is rejected",
			orgHeader + u0 + ",x\n" + u0 + ",x,350121,\n", []string{"1: row: row has 2 fields, the header has 4", ""}},
		{"a row with extra non-empty fields is rejected",
			orgHeader + u0 + ",x,350121,,extra\n", []string{"1: row: row has 5 fields, the header has 4"}},
		{"a row with extra empty fields is read",
			orgHeader + u0 + ",x,350121,,,\n", []string{""}},
		{"a bare quote is rejected and the next row is read",
			orgHeader + u0 + ",a\"b,350121,\n" + u0 + ",x,350121,\n", []string{`1: row: cannot be read as CSV at line 2, column 21: bare " in non-quoted-field`, ""}},
		{"a last row without a newline is read",
			orgHeader + u0 + ",x,350121,", []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := readAll(t, "orgs.csv", []byte(tt.data), trustmark.KindOrgs)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, it := range items {
				if it.Row != i+1 {
					t.Errorf("item %d has row %d, want %d", i, it.Row, i+1)
				}
				got = append(got, itemErr(it))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rows differ (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadCSVQuotedNewlineCell(t *testing.T) {
	u0 := holderUSCC(0)
	items, err := readAll(t, "orgs.csv", []byte(orgHeader+u0+",\"第一行\r\n第二行\",350121,\n"), trustmark.KindOrgs)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := items[0].Cells["name"], "第一行\n第二行"; got != want {
		t.Errorf("name = %q, want %q", got, want)
	}
}

func TestReadCSVBadFiles(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string // in the error
	}{
		{"an empty file has no header", nil, "no header row"},
		{"a missing required column is named", []byte("uscc,name\n"), `missing required column(s) "region_code"`},
		{"unknown columns are all named", []byte("uscc,name,region_code,colour,size\n"), `unknown column(s) "colour", "size"`},
		{"a repeated column is named", []byte("uscc,name,region_code,name\n"), `column "name" appears twice`},
		{"a column without a name is refused", []byte("uscc,,name,region_code\n"), "column 2 has no name"},
		{"UTF-16 without a BOM is refused as binary", bytes.TrimPrefix(utf16le(t, orgHeader), []byte{0xFF, 0xFE}), "NUL bytes"},
		{"an old .xls workbook is refused", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), "Excel 97-2003"},
		{"a file named .xlsx that is not one is refused", nil, "not an XLSX workbook"},
		{"a JSON array is refused", []byte(`[{"uscc": "x"}]`), "JSON array"},
		{"an endless header is refused", []byte(`"` + strings.Repeat("x", 2<<20)), "longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "orgs.csv"
			if strings.Contains(tt.name, ".xlsx") {
				name = "orgs.xlsx"
			}
			if strings.Contains(tt.name, "JSON") {
				name = "orgs.json"
			}
			_, err := readAll(t, name, tt.data, trustmark.KindOrgs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("reading gives error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestDetectEncoding(t *testing.T) {
	utf8Text := strings.Repeat("福州市闽侯县第一电器有限公司,", 20)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"ASCII is UTF-8", []byte("uscc,name\n"), encUTF8},
		{"Chinese UTF-8 is UTF-8", []byte(utf8Text), encUTF8},
		{"GBK is GB18030", gbk(t, utf8Text), encGB18030},
		{"UTF-8 with one stray Latin-1 byte stays UTF-8", append([]byte(utf8Text), 0xE9, '\n'), encUTF8},
		{"GBK after a long ASCII start is GB18030", append([]byte(strings.Repeat("a,", 300<<10)), gbk(t, "测试")...), encGB18030},
		{"a character split across read chunks is UTF-8", append([]byte(strings.Repeat("a", 256<<10-1)), "测试"...), encUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why, err := detectEncoding(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("detectEncoding = %s (%s), want %s", got, why, tt.want)
			}
		})
	}
}

func TestReadCSVRowTooLong(t *testing.T) {
	u0 := holderUSCC(0)
	data := orgHeader + u0 + ",x,350121,\n" + u0 + ",\"" + strings.Repeat("长", 1<<20) + "\n" + u0 + ",x,350121,\n"
	items, err := readAll(t, "orgs.csv", []byte(data), trustmark.KindOrgs)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, itemErr(it))
	}
	want := []string{"", "2: row: row is longer than 1048576 bytes (an unclosed quote?); the rest of the file was not read"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows differ (-want +got):\n%s", diff)
	}
}

func TestNormalizeDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-03-05", "2024-03-05"},
		{"2024/3/5", "2024-03-05"},
		{"2024.03.05", "2024-03-05"},
		{"2024年3月5日", "2024-03-05"},
		{" 2024/12/31 ", "2024-12-31"},
		{"3/5/2024", "3/5/2024"},
		{"2024-3-5", "2024-03-05"},
		{"soon", "soon"},
		{"2024-03-05 00:00", "2024-03-05"},
		{"2024/3/5 0:00:00", "2024-03-05"},
		{"2024-03-05 12:30", "2024-03-05 12:30"},
	}
	for _, tt := range tests {
		if got := normalizeDate(tt.in); got != tt.want {
			t.Errorf("normalizeDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
