package http_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"trustmark"
)

// zhejiangToken is a token of Zhejiang's regulator (330000), whose region
// holds holder A and labA.
func zhejiangToken(t testing.TB, f *fixture) string {
	t.Helper()
	tok, err := f.store.CreateToken(context.Background(), trustmark.Party{Kind: trustmark.PartyRegulator, ID: "330000"})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestRiskReportRoutes(t *testing.T) {
	f := newFixture(t)
	tokenZ := zhejiangToken(t, f)
	sampling := `{"kind":"sampling_failed","subject_kind":"certificate","subject_id":"` + certQMS + `","on":"2026-03-10","source":"浙市监抽〔2026〕8号","details":"标识不符合要求"}`
	for _, c := range []struct {
		name, method, target, token, body string
		want                              int
		has                               string
	}{
		{"a token is needed", "POST", "/api/v1/risk/reports", "", sampling, 401, ""},
		{"a body may not record a risk report", "POST", "/api/v1/risk/reports", f.tokenA, sampling, 403, "no rule lets body staff"},
		{"Shanghai's regulator may not report on a Beijing body's certificate of a Hangzhou organisation", "POST", "/api/v1/risk/reports", f.tokenS, sampling, 403, `region \"330106\" is outside region 310000`},
		{"Zhejiang's regulator records a failed sampling of a Hangzhou organisation's product", "POST", "/api/v1/risk/reports", tokenZ, sampling, 201, `"recorded_by":"regulator:330000"`},
		{"the same report again is a conflict", "POST", "/api/v1/risk/reports", tokenZ, sampling, 409, "already on record"},
		{"Beijing's regulator, of the certificate's body, records a complaint", "POST", "/api/v1/risk/reports", f.tokenR,
			`{"kind":"complaint","subject_kind":"certificate","subject_id":"` + certQMS + `","on":"2026-03-14","source":"12315-2026-0042"}`, 201, `"value":0.5`},
		{"Beijing's regulator may not record a failed PT of a Hangzhou laboratory", "POST", "/api/v1/risk/reports", f.tokenR,
			`{"kind":"proficiency_failed","subject_kind":"lab","subject_id":"` + labA + `","on":"2026-03-01","source":"CNAS T0912"}`, 403, "outside region 110000"},
		{"Zhejiang's regulator records it", "POST", "/api/v1/risk/reports", tokenZ,
			`{"kind":"proficiency_failed","subject_kind":"lab","subject_id":"` + labA + `","on":"2026-03-01","source":"CNAS T0912"}`, 201, `"kind":"lab"`},
		{"a certificate the registry does not hold", "POST", "/api/v1/risk/reports", tokenZ,
			`{"kind":"complaint","subject_kind":"certificate","subject_id":"NO-SUCH-CERT","on":"2026-03-01","source":"12315-1"}`, 404, `"field":"subject_id"`},
		{"a day still to come is refused on its field", "POST", "/api/v1/risk/reports", tokenZ,
			`{"kind":"complaint","subject_kind":"lab","subject_id":"` + labA + `","on":"2026-03-16","source":"12315-2"}`, 400, `"field":"on"`},
		{"a phone number in the details is refused", "POST", "/api/v1/risk/reports", tokenZ,
			`{"kind":"complaint","subject_kind":"lab","subject_id":"` + labA + `","on":"2026-03-01","source":"12315-3","details":"电话 13812345678"}`, 400, "looks like a phone"},
		{"a complainant's contact is not a field of the report", "POST", "/api/v1/risk/reports", tokenZ,
			`{"kind":"complaint","subject_kind":"lab","subject_id":"` + labA + `","on":"2026-03-01","source":"12315-4","complainant_phone":"x"}`, 400, "unknown field"},
		{"the certificate's reports to its body's regulator", "GET", "/api/v1/risk/reports?subject=certificate:" + certQMS, f.tokenR, "", 200, "浙市监抽〔2026〕8号"},
		{"the organisation's reports to its own regulator", "GET", "/api/v1/risk/reports?subject=org:" + string(holderA), tokenZ, "", 200, "12315-2026-0042"},
		{"another region's regulator may not read them", "GET", "/api/v1/risk/reports?subject=lab:" + labA, f.tokenS, "", 403, ""},
		{"a body may not read them", "GET", "/api/v1/risk/reports?subject=body:" + bodyA, f.tokenA, "", 403, ""},
		{"a subject is needed", "GET", "/api/v1/risk/reports", f.tokenR, "", 400, `"field":"subject"`},
		{"a subject the registry does not hold", "GET", "/api/v1/risk/reports?subject=body:CNCA-R-2099-999", f.tokenR, "", 404, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := f.do(c.method, c.target, c.token, c.body)
			if w.Code != c.want || !strings.Contains(w.Body.String(), c.has) {
				t.Errorf("%s %s = %d %s, want %d with %s", c.method, c.target, w.Code, w.Body, c.want, c.has)
			}
		})
	}

	t.Run("the follower turns the reports into signals the organisation's score shows", func(t *testing.T) {
		if _, err := trustmark.NewFeed(f.store, trustmark.FeedOptions{}).CatchUp(context.Background(), f.store.RiskFollower()); err != nil {
			t.Fatal(err)
		}
		w := f.do("GET", "/api/v1/risk/subjects/org/"+string(holderA), tokenZ, "")
		var got struct {
			Score struct {
				Class string
				Parts []struct{ Signal struct{ Kind string } }
			}
		}
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 || got.Score.Class != "B" || len(got.Score.Parts) != 2 {
			t.Fatalf("GET the organisation's score = %d %s, want class B from a failed sampling and a complaint", w.Code, w.Body)
		}
		if k := got.Score.Parts[0].Signal.Kind; k != "sampling_failed" {
			t.Errorf("the largest part is %s, want sampling_failed", k)
		}
	})
}

// FuzzRiskReportRequest posts arbitrary bodies as Zhejiang's regulator: a
// client's body is never a 5xx, and every refusal has the contract's
// shape.
func FuzzRiskReportRequest(f *testing.F) {
	fx := newFixture(f)
	tok := zhejiangToken(f, fx)
	f.Add(`{"kind":"proficiency_failed","subject_kind":"lab","subject_id":"` + labA + `","on":"2026-03-01","source":"CNAS T0912"}`)
	f.Add(`{"kind":"complaint","subject_kind":"certificate","subject_id":"` + certQMS + `","on":"2026-03-01","source":"x","details":"a@b.cn"}`)
	f.Add(`{"kind":"sampling_failed","on":"2026-02-30"}`)
	f.Add(`{"kind":1}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/api/v1/risk/reports", strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		fx.srv.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("POST %q = %d %s; a client's body must never be a 5xx", body, w.Code, w.Body)
		}
		if w.Code >= 400 {
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("POST %q = %d %s: not the contract's error shape", body, w.Code, w.Body)
			}
		}
	})
}
