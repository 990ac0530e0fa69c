package web

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"trustmark"
	"trustmark/campaign"
)

// readResultsCSV fetches a campaign's results as CSV and parses it, after
// checking the type and the byte-order mark.
func readResultsCSV(t *testing.T, f *fixture, path string) [][]string {
	t.Helper()
	w := f.get(path)
	if w.Code != 200 {
		t.Fatalf("GET %s = %d, want 200", path, w.Code)
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	body, ok := strings.CutPrefix(w.Body.String(), "\ufeff")
	if !ok {
		t.Error("the CSV lacks the UTF-8 byte-order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestCampaignOpenData(t *testing.T) {
	f := newFixture(t)
	c := drawnCampaign(t, f, "CAMP-W9")
	publishedResults(t, f, c)
	// A third subject's finding is recorded after the publication: it is
	// not published and must not appear.
	ctx := context.Background()
	late := c.Result.Picks[2]
	region, err := f.store.PickRegion(ctx, c.ID, late.Subject)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.RecordFinding(ctx, c.ID, campaign.Finding{Subject: late.Subject, Method: "file",
		Items: []campaign.ItemResult{{Item: 1, Pass: true}, {Item: 2, Pass: true}}, Outcome: campaign.NoProblem, ConcludedOn: trustmark.DateOf(c.Attempts[0].At)},
		trustmark.Party{Kind: trustmark.PartyRegulator, ID: region}); err != nil {
		t.Fatal(err)
	}
	zh := readResultsCSV(t, f, "/campaigns/CAMP-W9/results.csv")
	en := readResultsCSV(t, f, "/campaigns/CAMP-W9/results.csv?lang=en")
	for _, tc := range []struct {
		name string
		rows [][]string
		head []string
		out  [2]string
	}{
		{"Chinese", zh, []string{"抽查任务", "检查对象类型", "检查对象", "类别", "地区代码", "地区", "检查方式", "检查结果", "责令整改", "证书处理", "检查完成日期", "公示日期"},
			[2]string{"未发现问题", "移送立案查处"}},
		{"English", en, []string{"campaign", "subject kind", "subject", "class", "region code", "region", "method", "outcome", "rectification ordered", "certificates", "concluded on", "published on"},
			[2]string{"no problem found", "referred for penalty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.rows) != 3 {
				t.Fatalf("%d rows, want a header and the 2 published results: %q", len(tc.rows), tc.rows)
			}
			if strings.Join(tc.rows[0], "|") != strings.Join(tc.head, "|") {
				t.Errorf("header = %q, want %q", tc.rows[0], tc.head)
			}
			for i, row := range tc.rows[1:] {
				pk := c.Result.Picks[i]
				if row[0] != c.ID || row[2] != pk.Subject || row[3] != string(pk.Class) {
					t.Errorf("row %d = %q, want campaign %s, subject %s, class %s", i, row, c.ID, pk.Subject, pk.Class)
				}
				if row[7] != tc.out[i] {
					t.Errorf("row %d outcome = %q, want %q", i, row[7], tc.out[i])
				}
				if row[1] == "" || row[4] == "" || row[5] == "" || row[6] == "" || row[10] == "" || row[11] == "" {
					t.Errorf("row %d has an empty public column: %q", i, row)
				}
				if row[11] < row[10] {
					t.Errorf("row %d published %s before concluded %s", i, row[11], row[10])
				}
			}
		})
	}
	body := f.get("/campaigns/CAMP-W9/results.csv").Body.String()
	for _, rows := range [][][]string{zh, en} {
		for _, row := range rows[1:] {
			if row[2] == late.Subject {
				t.Errorf("the unpublished finding on %s appears: %q", late.Subject, row)
			}
		}
	}
	if strings.Contains(body, "regulator:") {
		t.Error("the CSV shows who recorded a finding")
	}
	t.Run("the page links the download in its language", func(t *testing.T) {
		if page := f.get("/campaigns/CAMP-W9?lang=en").Body.String(); !strings.Contains(page, `<a id="opendata" href="/campaigns/CAMP-W9/results.csv?lang=en" download>`) {
			t.Error("the English page does not link the English CSV")
		}
	})
	t.Run("an unknown campaign is not found", func(t *testing.T) {
		if w := f.get("/campaigns/NOPE/results.csv"); w.Code != 404 {
			t.Errorf("GET /campaigns/NOPE/results.csv = %d, want 404", w.Code)
		}
	})
}
