package http_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"trustmark"
	"trustmark/storetest"
)

func TestCampaignRoutes(t *testing.T) {
	f := newFixture(t)
	create := string(storetest.CampaignRequestJSON("CAMP-H1"))
	lottery, _ := json.Marshal(map[string]any{"kind": "lottery", "lottery": storetest.CampaignLottery})
	registry := `{"id":"CAMP-H2","name":"北京认证机构抽查","region":"110000","subject_kind":"body","filters":{"status":"active"},
		"rates":{"A":10000,"B":10000,"C":10000,"D":10000},"checklist":["审核时间"],"method":"onsite","team_size":1,"deadline":"2026-12-31",
		"repeat_days":365,"seed":{"kind":"lottery","lottery":"双色球2026031+大乐透26031","sources":2},"eligible":"registry"}`
	steps := []struct {
		name           string
		method, target string
		token          string
		body           string
		want           int
	}{
		{"creating without a token is unauthorized", "POST", "/api/v1/campaigns", "", create, 401},
		{"a body may not create a campaign", "POST", "/api/v1/campaigns", f.tokenA, create, 403},
		{"another region's regulator may not create it", "POST", "/api/v1/campaigns", f.tokenS, create, 403},
		{"the region's regulator creates it", "POST", "/api/v1/campaigns", f.tokenR, create, 201},
		{"creating it again is a conflict", "POST", "/api/v1/campaigns", f.tokenR, create, 409},
		{"drawing before the random value is a conflict", "POST", "/api/v1/campaigns/CAMP-H1/draws", f.tokenR, "", 409},
		{"another region's regulator may not record the random value", "POST", "/api/v1/campaigns/CAMP-H1/random", f.tokenS, string(lottery), 403},
		{"a random value of another kind is invalid", "POST", "/api/v1/campaigns/CAMP-H1/random", f.tokenR, `{"kind":"drand","beacon":{}}`, 400},
		{"the regulator records the lottery results", "POST", "/api/v1/campaigns/CAMP-H1/random", f.tokenR, string(lottery), 200},
		{"the regulator draws", "POST", "/api/v1/campaigns/CAMP-H1/draws", f.tokenR, "", 200},
		{"a second draw is recorded as an attempt", "POST", "/api/v1/campaigns/CAMP-H1/draws", f.tokenR, "", 200},
		{"anyone reads the campaign", "GET", "/api/v1/campaigns/CAMP-H1", "", "", 200},
		{"an unknown campaign is not found", "GET", "/api/v1/campaigns/NOPE", "", "", 404},
		{"an unknown status is invalid", "GET", "/api/v1/campaigns?status=lost", "", "", 400},
		{"the list is public", "GET", "/api/v1/campaigns?status=drawn", "", "", 200},
		{"the history lists the campaign's events", "GET", "/api/v1/campaigns/CAMP-H1/history", "", "", 200},
		{"a registry campaign takes its lists from the registry", "POST", "/api/v1/campaigns", f.tokenR, registry, 201},
		{"a registry campaign with its own subjects is invalid", "POST", "/api/v1/campaigns", f.tokenR,
			strings.Replace(registry, `"eligible":"registry"`, `"eligible":"registry","subjects":[{"id":"X","class":"A","region":"110000","unit":"-"}]`, 1), 400},
		{"an unknown filter is invalid", "POST", "/api/v1/campaigns", f.tokenR, strings.Replace(registry, `"status":"active"`, `"colour":"red"`, 1), 400},
		{"an unknown source of the lists is invalid", "POST", "/api/v1/campaigns", f.tokenR, strings.Replace(registry, `"eligible":"registry"`, `"eligible":"excel"`, 1), 400},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if w := f.do(s.method, s.target, s.token, s.body); w.Code != s.want {
				t.Errorf("%s %s = %d %s, want %d", s.method, s.target, w.Code, w.Body, s.want)
			}
		})
	}

	t.Run("the campaign shows its commitment, draw and both attempts", func(t *testing.T) {
		var got struct {
			Status           string `json:"status"`
			Commitment       string `json:"commitment"`
			CommitmentSHA256 string `json:"commitment_sha256"`
			Result           struct {
				Picks []struct {
					Subject string   `json:"subject"`
					Team    []string `json:"team"`
				} `json:"picks"`
			} `json:"result"`
			Attempts []struct{ N int } `json:"attempts"`
		}
		w := f.do("GET", "/api/v1/campaigns/CAMP-H1", "", "")
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Status != "drawn" || len(got.Result.Picks) == 0 || len(got.Attempts) != 2 || len(got.CommitmentSHA256) != 64 {
			t.Errorf("campaign = status %s, %d picks, %d attempts, hash %q; want drawn, picks, 2 attempts, a hash",
				got.Status, len(got.Result.Picks), len(got.Attempts), got.CommitmentSHA256)
		}
	})
	t.Run("the list names the campaign", func(t *testing.T) {
		var got struct {
			Items []struct{ ID, Status string } `json:"items"`
		}
		w := f.do("GET", "/api/v1/campaigns", "", "")
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || len(got.Items) != 2 || got.Items[1].ID != "CAMP-H1" {
			t.Errorf("GET /api/v1/campaigns = %s, want CAMP-H2 and CAMP-H1", w.Body)
		}
	})

	t.Run("the commitment is a document whose SHA-256 the campaign names", func(t *testing.T) {
		var c struct {
			CommitmentSHA256 string `json:"commitment_sha256"`
			CommitmentURL    string `json:"commitment_url"`
			Result           struct {
				Picks []struct{ Subject string } `json:"picks"`
			} `json:"result"`
		}
		json.Unmarshal(f.do("GET", "/api/v1/campaigns/CAMP-H1", "", "").Body.Bytes(), &c)
		w := f.do("GET", c.CommitmentURL, "", "")
		sum := sha256.Sum256(w.Body.Bytes())
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") || hex.EncodeToString(sum[:]) != c.CommitmentSHA256 {
			t.Errorf("GET %s = %d %s, SHA-256 %x; want 200 text/plain hashing to %s", c.CommitmentURL, w.Code, w.Header().Get("Content-Type"), sum, c.CommitmentSHA256)
		}
		subject := c.Result.Picks[0].Subject
		finding := `{"subject":"` + subject + `","method":"onsite","outcome":"referred","concluded_on":"` + trustmark.DateOf(now).String() + `",
			"items":[{"item":1,"pass":false},{"item":2,"pass":true}],"attachments":["` + strings.Repeat("ab", 32) + `"]}`
		for _, s := range []struct {
			name, method, target, token, body string
			want                              int
		}{
			{"a finding without a token is unauthorized", "POST", "/api/v1/campaigns/CAMP-H1/findings", "", finding, 401},
			{"another region's regulator may not record it", "POST", "/api/v1/campaigns/CAMP-H1/findings", f.tokenS, finding, 403},
			{"a finding for a subject not drawn is not found", "POST", "/api/v1/campaigns/CAMP-H1/findings", f.tokenR, strings.Replace(finding, subject, "NOPE", 1), 404},
			{"a finding with a bad outcome is invalid", "POST", "/api/v1/campaigns/CAMP-H1/findings", f.tokenR, strings.Replace(finding, "referred", "fine", 1), 400},
			{"the subject's regulator records it", "POST", "/api/v1/campaigns/CAMP-H1/findings", f.tokenR, finding, 201},
			{"a second finding is a conflict", "POST", "/api/v1/campaigns/CAMP-H1/findings", f.tokenR, finding, 409},
			{"the findings are not public before publication", "GET", "/api/v1/campaigns/CAMP-H1/findings", "", "", 401},
			{"the regulator reads them", "GET", "/api/v1/campaigns/CAMP-H1/findings", f.tokenR, "", 200},
			{"the regulator publishes them", "POST", "/api/v1/campaigns/CAMP-H1/publications", f.tokenR, "", 201},
			{"nothing is left to publish", "POST", "/api/v1/campaigns/CAMP-H1/publications", f.tokenR, "", 409},
		} {
			if w := f.do(s.method, s.target, s.token, s.body); w.Code != s.want {
				t.Errorf("%s: %s %s = %d %s, want %d", s.name, s.method, s.target, w.Code, w.Body, s.want)
			}
		}
		var pub struct {
			Results []struct {
				Subject, Outcome string
				Publication      int
			} `json:"results"`
			Publications []struct{ N, Subjects int } `json:"publications"`
		}
		body := f.do("GET", "/api/v1/campaigns/CAMP-H1", "", "").Body
		json.Unmarshal(body.Bytes(), &pub)
		if len(pub.Results) != 1 || pub.Results[0].Subject != subject || pub.Results[0].Outcome != "referred" || len(pub.Publications) != 1 {
			t.Errorf("published campaign: results %+v, publications %+v; want %s referred in publication 1", pub.Results, pub.Publications, subject)
		}
		if strings.Contains(body.String(), "recorded_by") || strings.Contains(body.String(), "matters") {
			t.Errorf("the public results carry who recorded them or internal matters: %s", body)
		}
	})
}
