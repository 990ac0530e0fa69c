package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

func TestDrawVerifyEndToEnd(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "trustmark.db")
	fill(t, dsn)
	_, vkey, _ := logCmd(runLog, "key", "--db", dsn)
	vkey = strings.TrimSpace(vkey)
	code, token, stderr := logCmd(runToken, "create", "--db", dsn, "--regulator", "110000")
	if code != 0 {
		t.Fatalf("token create = %d: %s", code, stderr)
	}
	token = strings.TrimSpace(token)
	m, stop := startWithLog(t, dsn)
	defer stop()
	post := func(path string, body []byte) {
		t.Helper()
		req, _ := http.NewRequest("POST", m.URL()+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var buf bytes.Buffer
		buf.ReadFrom(res.Body)
		if res.StatusCode/100 != 2 {
			t.Fatalf("POST %s = %d %s", path, res.StatusCode, buf.String())
		}
	}
	post("/api/v1/campaigns", storetest.CampaignRequestJSON("CAMP-E2E"))
	lottery, _ := json.Marshal(map[string]any{"kind": "lottery", "lottery": storetest.CampaignLottery})
	post("/api/v1/campaigns/CAMP-E2E/random", lottery)
	post("/api/v1/campaigns/CAMP-E2E/draws", nil)
	post("/api/v1/campaigns/CAMP-E2E/draws", nil) // a second attempt: visible, same draw
	var drawn struct {
		Result struct {
			Picks []struct{ Subject string } `json:"picks"`
		} `json:"result"`
	}
	res, err := http.Get(m.URL() + "/api/v1/campaigns/CAMP-E2E")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(res.Body).Decode(&drawn)
	res.Body.Close()
	post("/api/v1/campaigns/CAMP-E2E/findings", []byte(`{"subject":"`+drawn.Result.Picks[0].Subject+`","method":"onsite","outcome":"referred",
		"concluded_on":"`+trustmark.DateOf(time.Now()).String()+`","items":[{"item":1,"pass":false},{"item":2,"pass":true}]}`))
	post("/api/v1/campaigns/CAMP-E2E/publications", nil)

	args := []string{"verify", "--log", m.URL() + "/log", "--key", vkey, "--wait", "5s", "CAMP-E2E"}
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, stdout, stderr := logCmd(runDraw, args...)
		if code == 0 {
			if !strings.Contains(stdout, "OK campaign CAMP-E2E") || !strings.Contains(stdout, "2 draw attempts") || !strings.Contains(stdout, "1 published results") {
				t.Errorf("draw verify said:\n%s", stdout)
			}
			t.Logf("draw verify said:\n%s", stdout)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("draw verify of a good campaign = %d\n%s%s", code, stdout, stderr)
		}
		time.Sleep(200 * time.Millisecond)
	}

	tests := []struct {
		name            string
		tamper, restore string
		want            string
	}{
		{"a drawn subject changed in the database fails",
			`UPDATE campaign_picks SET subject = 'S999' WHERE campaign_id = 'CAMP-E2E' AND pos = 0`,
			``, "the draw the API publishes"},
		{"a changed rate fails",
			`UPDATE campaign_commitment_chunks SET bytes = replace(bytes, 'rate C 5000', 'rate C 6000') WHERE campaign_id = 'CAMP-E2E'`,
			`UPDATE campaign_commitment_chunks SET bytes = replace(bytes, 'rate C 6000', 'rate C 5000') WHERE campaign_id = 'CAMP-E2E'`, "commitment of CAMP-E2E"},
		{"a subject removed from the published list fails",
			`UPDATE campaign_commitment_chunks SET bytes = replace(bytes, 'subject S059 C 110105 U03' || char(10), '') WHERE campaign_id = 'CAMP-E2E'`,
			`UPDATE campaign_commitment_chunks SET bytes = replace(bytes, char(10) || 'inspector I000 ', char(10) || 'subject S059 C 110105 U03' || char(10) || 'inspector I000 ') WHERE campaign_id = 'CAMP-E2E'`, "commitment of CAMP-E2E"},
		{"a subject added to the published list fails",
			`UPDATE campaign_commitment_chunks SET bytes = replace(bytes, char(10) || 'inspector I000 ', char(10) || 'subject S999 A 110105 U03' || char(10) || 'inspector I000 ') WHERE campaign_id = 'CAMP-E2E'`,
			`UPDATE campaign_commitment_chunks SET bytes = replace(bytes, 'subject S999 A 110105 U03' || char(10), '') WHERE campaign_id = 'CAMP-E2E'`, "commitment of CAMP-E2E"},
		{"a published result changed fails",
			`UPDATE campaign_findings SET doc = replace(doc, '"outcome":"referred"', '"outcome":"no_problem"') WHERE campaign_id = 'CAMP-E2E'`,
			`UPDATE campaign_findings SET doc = replace(doc, '"outcome":"no_problem"', '"outcome":"referred"') WHERE campaign_id = 'CAMP-E2E'`, "result of "},
		{"another random value fails",
			`UPDATE campaigns SET random = replace(random, '"value":"', '"value":"0') WHERE id = 'CAMP-E2E'`,
			`UPDATE campaigns SET random = replace(random, '"value":"0', '"value":"') WHERE id = 'CAMP-E2E'`, "random value of CAMP-E2E"},
	}
	var orig string
	raw, err := sqlstore.OpenRaw(dsn)
	if err != nil {
		t.Fatal(err)
	}
	raw.QueryRow(`SELECT subject FROM campaign_picks WHERE campaign_id = 'CAMP-E2E' AND pos = 0`).Scan(&orig)
	raw.Close()
	tests[0].restore = `UPDATE campaign_picks SET subject = '` + orig + `' WHERE campaign_id = 'CAMP-E2E' AND pos = 0`
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tamper(t, dsn, tt.tamper)
			defer tamper(t, dsn, tt.restore)
			code, stdout, stderr := logCmd(runDraw, args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("draw verify after tampering = %d, want 2 naming %q\n%s%s", code, tt.want, stdout, stderr)
			}
		})
	}
	t.Run("the audit finds the campaign's events and rows in order", func(t *testing.T) {
		if code, stdout, stderr := logCmd(runAudit, "--db", dsn); code != 0 {
			t.Errorf("trustmark audit = %d\n%s%s", code, stdout, stderr)
		}
	})
	t.Run("an unknown campaign fails", func(t *testing.T) {
		if code, _, _ := logCmd(runDraw, "verify", "--log", m.URL()+"/log", "--key", vkey, "NOPE"); code != 2 {
			t.Errorf("draw verify NOPE = %d, want 2", code)
		}
	})
	t.Run("an unreachable server cannot run", func(t *testing.T) {
		if code, _, _ := logCmd(runDraw, "verify", "--log", "http://127.0.0.1:1/log", "--key", vkey, "CAMP-E2E"); code != 1 {
			t.Errorf("draw verify of an unreachable server = %d, want 1", code)
		}
	})
}
