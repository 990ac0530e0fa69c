package importer

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"trustmark"
)

func TestReadJSONL(t *testing.T) {
	u0 := holderUSCC(0)
	good := `{"uscc": "` + u0 + `", "name": "福州市闽侯县第一电器有限公司", "region_code": 350121, "employees": 120, "lat": null}`
	tests := []struct {
		name string
		data string
		want []string // itemErr of each item
	}{
		{"numbers and nulls are read as cell text", good + "\n", []string{""}},
		{"blank lines are skipped and rows are line numbers", "\n" + good + "\n\n  \n" + good + "\r\n", []string{"", ""}},
		{"a boolean is rejected with its column", good + "\n" + `{"uscc": "x", "name": true, "region_code": "35"}` + "\n", []string{"", "2: name: value is true, a boolean; want a string, number or null"}},
		{"an object value is rejected with its column", good + "\n" + `{"uscc": "x", "name": {"zh": "x"}, "region_code": "35"}` + "\n", []string{"", "2: name: value is an object; want a string, number or null"}},
		{"a line that is not an object is rejected", good + "\n[1,2]\n", []string{"", "2: row: line is not a JSON object"}},
		{"broken JSON is rejected and the next line read", good + "\n{\"uscc\": \n" + good + "\n", []string{"", "2: row: line is not a JSON object: the object is not closed", ""}},
		{"two values on a line are rejected", good + "\n{} {}\n", []string{"", "2: row: line has more than one JSON value"}},
		{"an unknown key after the first line is rejected", good + "\n" + `{"uscc": "x", "colour": "red"}` + "\n", []string{"", `2: colour: unknown column(s) "colour"`}},
		{"invalid UTF-8 is rejected", good + "\n{\"name\": \"\xff\"}\n", []string{"", "2: row: line is not valid UTF-8 text"}},
		{"a last line without a newline is read", good, []string{""}},
		{"a line over the limit is rejected and the next line read", good + "\n{\"name\": \"" + strings.Repeat("x", 2<<20) + "\"}\n" + good + "\n", []string{"", "2: row: line is longer than 1048576 bytes", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := readAll(t, "orgs.jsonl", []byte(tt.data), trustmark.KindOrgs)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range items {
				got = append(got, itemErr(it))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rows differ (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("cells are strings, with lists joined by semicolons", func(t *testing.T) {
		items, err := readAll(t, "x.jsonl", []byte(`{"approval_no": "CNCA-R-2002-001", "scopes": ["QMS", "CCC"], "ccc_categories": ["0901"], "approved_on": "2002/5/1"}`), trustmark.KindBodies)
		if err != nil {
			t.Fatal(err)
		}
		want := trustmark.Row{"approval_no": "CNCA-R-2002-001", "scopes": "QMS;CCC", "ccc_categories": "0901", "approved_on": "2002-05-01"}
		if diff := cmp.Diff(want, items[0].Cells); diff != "" {
			t.Errorf("cells differ (-want +got):\n%s", diff)
		}
	})
	t.Run("an unknown key on the first line refuses the file", func(t *testing.T) {
		_, err := readAll(t, "x.jsonl", []byte(`{"uscc": "x", "colour": "red", "size": 1}`), trustmark.KindOrgs)
		if err == nil || !strings.Contains(err.Error(), `unknown column(s) "colour", "size"`) {
			t.Errorf("error = %v, want the unknown columns named", err)
		}
	})
	t.Run("a file with no object is refused", func(t *testing.T) {
		if _, err := readAll(t, "x.jsonl", []byte("\n\n"), trustmark.KindOrgs); err == nil {
			t.Error("no error for an empty file")
		}
	})
}

func TestReadXLSX(t *testing.T) {
	u0, u1 := holderUSCC(0), holderUSCC(1)
	f := excelize.NewFile()
	defer f.Close()
	set := func(cell string, v any) {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	// A title row above the header is not allowed, but empty rows are.
	for i, h := range []string{"Number", "type", "body_approval_no", "holder_uscc", "scope", "issued_on", "expires_on", "ccc_category"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		set(cell, h)
	}
	set("A3", "00124Q0000001R0M")
	set("B3", "QMS")
	set("C3", testBody)
	set("D3", u0)
	set("E3", "家用电器的设计和生产")
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14}) // Excel's default short date
	cnDate, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy\"年\"m\"月\"d\"日\"")})
	code, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("0000")})
	set("F3", mustDate(t, "2024-03-01"))
	f.SetCellStyle("Sheet1", "F3", "F3", date)
	set("G3", mustDate(t, "2027-02-28"))
	f.SetCellStyle("Sheet1", "G3", "G3", cnDate)
	// Row 4 is empty; row 5 has a code formatted with leading zeros.
	set("A5", "2024010901000001")
	set("B5", "CCC")
	set("C5", testBody)
	set("D5", u1)
	set("E5", "微型计算机")
	set("F5", "2024-03-01")
	set("G5", 47175) // a date serial whose format was lost: 2029-02-26
	set("H5", 901)
	f.SetCellStyle("Sheet1", "H5", "H5", code)
	set("J6", "stray") // beyond the header
	f.NewSheet("其他")
	f.SetCellValue("其他", "A1", "number")

	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	items, err := readAll(t, "certs.xlsx", buf.Bytes(), trustmark.KindCertificates)
	if err != nil {
		t.Fatal(err)
	}
	want := []Item{
		{Row: 1, Cells: trustmark.Row{"number": "00124Q0000001R0M", "type": "QMS", "body_approval_no": testBody, "holder_uscc": u0,
			"scope": "家用电器的设计和生产", "issued_on": "2024-03-01", "expires_on": "2027-02-28"}},
		{Row: 3, Cells: trustmark.Row{"number": "2024010901000001", "type": "CCC", "body_approval_no": testBody, "holder_uscc": u1,
			"scope": "微型计算机", "issued_on": "2024-03-01", "expires_on": "2029-02-26", "ccc_category": "0901"}},
		{Row: 4, Err: rowError(rowField, "row has 10 fields, the header has 8")},
	}
	if diff := cmp.Diff(want, items, cmp.Comparer(func(a, b error) bool { return itemErr(Item{Err: a}) == itemErr(Item{Err: b}) })); diff != "" {
		t.Errorf("items differ (-want +got):\n%s", diff)
	}

	t.Run("a named sheet is read", func(t *testing.T) {
		_, err := Open("certs.xlsx", bytes.NewReader(buf.Bytes()), trustmark.KindCertificates, OpenOptions{Sheet: "其他", Log: quietLog})
		if err == nil || !strings.Contains(err.Error(), `sheet "其他" row 1: header: missing required column(s) "body_approval_no"`) {
			t.Errorf("error = %v, want the header of sheet 其他 refused", err)
		}
	})
	t.Run("a missing sheet is named", func(t *testing.T) {
		_, err := Open("certs.xlsx", bytes.NewReader(buf.Bytes()), trustmark.KindCertificates, OpenOptions{Sheet: "2024", Log: quietLog})
		if err == nil || !strings.Contains(err.Error(), `no sheet "2024" (it has Sheet1, 其他)`) {
			t.Errorf("error = %v, want the missing sheet named", err)
		}
	})
	t.Run("a corrupt workbook is refused", func(t *testing.T) {
		b := bytes.Clone(buf.Bytes())
		b = b[:len(b)/2]
		if _, err := readAll(t, "certs.xlsx", b, trustmark.KindCertificates); err == nil {
			t.Error("no error for half a workbook")
		}
	})
}

func ptr[T any](v T) *T { return &v }

func mustDate(t *testing.T, s string) any {
	d, err := trustmark.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d.Time()
}
