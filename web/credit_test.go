package web

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"trustmark/credit"
	"trustmark/storetest"
)

// listCredit puts a body and a person on the fixture's list.
func listCredit(t *testing.T, f *fixture) {
	t.Helper()
	storetest.List(t, f.store, credit.Proposal{ID: "L-1", Subject: credit.Subject{Kind: credit.Body, ID: "CNCA-R-2002-001"}, Name: "北京认证中心",
		Region: "110000", Grounds: "出具虚假认证结论", LegalBasis: "《市场监督管理严重违法失信名单管理办法》第六条"}, "2026-02-02")
	storetest.List(t, f.store, credit.Proposal{ID: "L-2", Subject: credit.Subject{Kind: credit.Person, ID: "2026-N1RC-1234567"}, Name: "张三",
		Region: "110000", Grounds: "伪造审核记录", LegalBasis: "《认证认可条例》第七十三条"}, "2026-02-02")
}

func TestCreditPage(t *testing.T) {
	f := newFixture(t)
	t.Run("an empty list says so", func(t *testing.T) {
		w := f.get("/credit")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `<p class="card" id="empty">目前名单中没有主体。</p>`) {
			t.Errorf("GET /credit = %d, want 200 saying the list is empty:\n%s", w.Code, w.Body)
		}
	})
	listCredit(t, f)
	zh, en := f.get("/credit").Body.String(), f.get("/credit?lang=en").Body.String()
	for _, c := range []struct{ name, body, want string }{
		{"the title is the list's", zh, "<h1>严重违法失信名单</h1>"},
		{"a unit is shown by name, linked to its page", zh, `<h2><a href="/bodies/CNCA-R-2002-001">北京认证中心</a></h2>`},
		{"its grounds are shown", zh, "<dt>列入事由</dt><dd>出具虚假认证结论</dd>"},
		{"its legal basis", zh, "<dt>法律依据</dt><dd>《市场监督管理严重违法失信名单管理办法》第六条</dd>"},
		{"its period", zh, "<dt>列入期限</dt><dd>2026-02-02 至 2029-02-02</dd>"},
		{"a person by registration number", zh, `<h2><a href="/persons/2026-N1RC-1234567">2026-N1RC-1234567</a></h2>`},
		{"the download is linked", zh, `<a href="/credit/serious-violations.csv" download>下载名单（CSV）</a>`},
		{"English speaks English", en, "<h1>Serious-violation list</h1>"},
		{"English keeps its language in links", en, `<a href="/bodies/CNCA-R-2002-001?lang=en">北京认证中心</a>`},
		{"English says the period", en, "<dd>2026-02-02 to 2029-02-02</dd>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(c.body, c.want) {
				t.Errorf("page lacks %q", c.want)
			}
		})
	}
	t.Run("a listed person's name is never shown", func(t *testing.T) {
		if strings.Contains(zh, "张三") || strings.Contains(en, "张三") {
			t.Error("the page shows a listed person's name")
		}
	})
}

func TestCreditDownload(t *testing.T) {
	f := newFixture(t)
	listCredit(t, f)
	w := f.get("/credit/serious-violations.csv?lang=en")
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("GET the CSV = %d %s, want 200 text/csv", w.Code, w.Header().Get("Content-Type"))
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(w.Body.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"subject_kind", "subject_id", "name", "grounds", "legal_basis", "listed_on", "until"},
		{"body", "CNCA-R-2002-001", "北京认证中心", "出具虚假认证结论", "《市场监督管理严重违法失信名单管理办法》第六条", "2026-02-02", "2029-02-02"},
		{"person", "2026-N1RC-1234567", "", "伪造审核记录", "《认证认可条例》第七十三条", "2026-02-02", "2029-02-02"},
	}
	if len(rows) != len(want) {
		t.Fatalf("CSV has %d rows, want %d: %v", len(rows), len(want), rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %v, want %v", i, rows[i], want[i])
		}
	}
}
