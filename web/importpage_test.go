package web

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"trustmark/account"
)

// xlsxOf returns a workbook of one sheet holding rows.
func xlsxOf(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellStr("Sheet1", cell, v)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rowsOf reads the first sheet of a workbook.
func rowsOf(t *testing.T, b []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

var refusedLink = regexp.MustCompile(`id="refused-download" href="(/work/import/refused/[0-9a-f]+)"`)

func TestImportPageCheckFixAndReupload(t *testing.T) {
	s := newMatterFixture(t)
	c := s.matterSignIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	if w := c.get("/work/import"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `name="file"`) {
		t.Fatalf("GET /work/import = %d\n%s", w.Code, w.Body)
	}
	head := []string{"number", "type", "body_approval_no", "holder_uscc", "scope", "standard", "issued_on", "expires_on"}
	file := xlsxOf(t, [][]string{head,
		{"00126Q30101R0M", "QMS", bodyA, string(haier), "冰箱的设计和生产", "GB/T 19001-2016", "2026-03-01", "2029-02-28"},
		{"00126Q30102R0M", "QMS", bodyB, string(haier), "冰箱的设计和生产", "GB/T 19001-2016", "2026-03-01", "2029-02-28"},
		{"00126Q30103R0M", "QMS", bodyA, "91370200163562681X", "冰箱的设计和生产", "GB/T 19001-2016", "2026-03-01", "2029-02-28"},
		{"00126Q30104R0M", "QMS", bodyA, string(xihu), "机械加工", "GB/T 19001-2016", "2026-03-01", "2029-02-28"},
	})
	ctx := context.Background()

	t.Run("checking writes nothing and lists each bad row", func(t *testing.T) {
		w := c.postMultipart("/work/import", map[string]string{"kind": "certificates", "mode": "check"}, "certs.xlsx", file)
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, "已检查 4 行：2 行合格，2 行未通过") {
			t.Fatalf("check = %d\n%s", w.Code, body)
		}
		for _, want := range []string{`<td data-label="行">2</td><td data-label="字段" class="mono">body_approval_no</td>`, `<td data-label="行">3</td><td data-label="字段" class="mono">holder_uscc</td>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the check does not list %s\n%s", want, body)
			}
		}
		if _, err := s.store.Certificate(ctx, "00126Q30101R0M"); err == nil {
			t.Error("checking imported a row")
		}
	})

	w := c.postMultipart("/work/import", map[string]string{"kind": "certificates", "mode": "import"}, "certs.xlsx", file)
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, "已读取 4 行：导入 2 行，未变化 0 行，未通过 2 行") {
		t.Fatalf("import = %d\n%s", w.Code, body)
	}
	for _, n := range []string{"00126Q30101R0M", "00126Q30104R0M"} {
		if _, err := s.store.Certificate(ctx, n); err != nil {
			t.Errorf("good row %s was not imported: %v", n, err)
		}
	}
	m := refusedLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no download of the refused rows\n%s", body)
	}
	dl := c.get(m[1])
	if dl.Code != http.StatusOK {
		t.Fatalf("download = %d", dl.Code)
	}
	rows := rowsOf(t, dl.Body.Bytes())
	if len(rows) != 3 || rows[0][len(rows[0])-1] != "reason" || rows[1][0] != "00126Q30102R0M" || !strings.HasPrefix(rows[2][len(rows[2])-1], "holder_uscc: ") {
		t.Fatalf("refused rows workbook = %q", rows)
	}
	if other := s.client(); other.get(m[1]).Code == http.StatusOK {
		t.Error("the refused rows are served without a session")
	}

	// The person fixes the rows in the downloaded workbook, reason column
	// and all, and uploads it again.
	rows[1][2] = bodyA
	rows[2][3] = string(haier)
	fixed := xlsxOf(t, rows)
	w = c.postMultipart("/work/import", map[string]string{"kind": "certificates", "mode": "import"}, "certs-refused.xlsx", fixed)
	if body := w.Body.String(); w.Code != http.StatusOK || !strings.Contains(body, "已读取 2 行：导入 2 行，未变化 0 行，未通过 0 行") {
		t.Fatalf("re-upload = %d\n%s", w.Code, body)
	}
	for _, n := range []string{"00126Q30102R0M", "00126Q30103R0M"} {
		if _, err := s.store.Certificate(ctx, n); err != nil {
			t.Errorf("fixed row %s was not imported: %v", n, err)
		}
	}
	// The whole first file again: nothing lost, nothing twice.
	w = c.postMultipart("/work/import", map[string]string{"kind": "certificates", "mode": "import"}, "certs.xlsx", file)
	if body := w.Body.String(); !strings.Contains(body, "导入 0 行，未变化 2 行") {
		t.Errorf("the first file again\n%s", body)
	}
}

func TestImportPageRefusesAFileOfTheWrongShape(t *testing.T) {
	s := newMatterFixture(t)
	c := s.matterSignIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	c.get("/work/import")
	w := c.postMultipart("/work/import?lang=en", map[string]string{"kind": "certificates", "mode": "check"}, "x.xlsx", xlsxOf(t, [][]string{{"number", "colour"}, {"1", "red"}}))
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `id="form-error"`) {
		t.Errorf("a file with unknown columns = %d\n%s", w.Code, w.Body)
	}
	s.advance(31 * time.Second)
	r := s.matterSignIn(t, "reg@example.cn", role(t, account.Regulator, "110000", false))
	if w := r.get("/work/import"); w.Code != http.StatusForbidden {
		t.Errorf("a regulator's import page = %d, want 403", w.Code)
	}
}

// FuzzImportUpload uploads any bytes for checking: the answer is a page
// (the file's refusal or its rows'), never a server error.
func FuzzImportUpload(f *testing.F) {
	f.Add([]byte("number,type,body_approval_no,holder_uscc,scope,issued_on,expires_on\n00126Q30101R0M,QMS,CNCA-R-2002-001,x,y,2026-01-01,2029-01-01\n"))
	f.Add([]byte("reason\n\"unterminated"))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add([]byte{0xff, 0xfe, 0, 0})
	s := newMatterFixture(f)
	c := s.matterSignIn(f, "body@example.cn", role(f, account.Body, bodyA, false))
	var mu sync.Mutex // the client is one browser
	f.Fuzz(func(t *testing.T, file []byte) {
		mu.Lock()
		defer mu.Unlock()
		w := c.postMultipart("/work/import", map[string]string{"kind": "certificates", "mode": "check"}, "f.csv", file)
		if w.Code >= 500 {
			t.Fatalf("upload of %q = %d\n%s", file, w.Code, w.Body)
		}
	})
}
