package http_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	tmhttp "trustmark/http"
)

// decodeAnswer decodes a JSON answer into a generic value for comparison.
func decodeAnswer(t *testing.T, body string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("answer %q is not a JSON object: %v", body, err)
	}
	return v
}

func TestGetCertificate(t *testing.T) {
	f := newFixture(t)
	t.Run("a certificate is answered in the contract's shape", func(t *testing.T) {
		w := f.do("GET", "/api/v1/certificates/"+certQMS, "", "")
		if w.Code != 200 {
			t.Fatalf("status = %d %s, want 200", w.Code, w.Body)
		}
		if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
		got := decodeAnswer(t, w.Body.String())
		want := map[string]any{
			"number":       certQMS,
			"type":         "QMS",
			"status":       "valid",
			"holder":       map[string]any{"uscc": string(holderA), "name": "杭州西湖精密机械有限公司"},
			"body":         map[string]any{"approval_no": bodyA, "name": "中认检测认证集团", "status": "active", "status_since": "2026-03-15"},
			"scope":        "精密机械零部件的设计和生产",
			"standard":     "GB/T 19001-2016",
			"issued_on":    "2026-01-10",
			"expires_on":   "2029-01-09",
			"status_since": "2026-01-10",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("GET certificate mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("a certificate past its expiry date is expired whatever its row says", func(t *testing.T) {
		got := decodeAnswer(t, f.do("GET", "/api/v1/certificates/"+certOld, "", "").Body.String())
		// It expired on 2026-01-01, its last valid day: expired from the next.
		if got["status"] != "expired" || got["status_since"] != "2026-01-02" {
			t.Errorf("status, status_since = %v, %v; want expired, 2026-01-02", got["status"], got["status_since"])
		}
	})
	t.Run("a CCC certificate shows its product and category", func(t *testing.T) {
		got := decodeAnswer(t, f.do("GET", "/api/v1/certificates/"+certCCC, "", "").Body.String())
		if got["product"] != "角磨机" || got["ccc_category"] != "0901" {
			t.Errorf("product, ccc_category = %v, %v; want 角磨机, 0901", got["product"], got["ccc_category"])
		}
	})
	t.Run("a number with an escaped slash is looked up whole", func(t *testing.T) {
		w := f.do("GET", "/api/v1/certificates/CQC%2F2024%2F001", "", "")
		if e := decodeErrorBody(t, w.Body.String()); w.Code != 404 || !strings.Contains(e.Message, "CQC/2024/001") {
			t.Errorf("answer = %d %s, want 404 about CQC/2024/001", w.Code, w.Body)
		}
	})
	t.Run("an unknown certificate is 404 not_found", func(t *testing.T) {
		w := f.do("GET", "/api/v1/certificates/NOPE123", "", "")
		if w.Code != 404 || decodeErrorBody(t, w.Body.String()).Code != "not_found" {
			t.Errorf("answer = %d %s, want 404 not_found", w.Code, w.Body)
		}
	})
}

func TestListCertificates(t *testing.T) {
	f := newFixture(t)
	numbers := func(t *testing.T, target string) []string {
		t.Helper()
		w := f.do("GET", target, "", "")
		if w.Code != 200 {
			t.Fatalf("GET %s = %d %s", target, w.Code, w.Body)
		}
		var page struct {
			Items []struct {
				Number string `json:"number"`
			} `json:"items"`
			NextCursor *string `json:"next_cursor"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || page.NextCursor == nil {
			t.Fatalf("GET %s: not a page: %s", target, w.Body)
		}
		var out []string
		for _, it := range page.Items {
			out = append(out, it.Number)
		}
		return out
	}
	tests := []struct {
		name, target string
		want         []string
	}{
		{"a holder's certificates are listed", "/api/v1/certificates?holder_uscc=" + string(holderB), []string{certOfB}},
		{"the status filter uses the effective status", "/api/v1/certificates?status=expired", []string{certOld}},
		{"the type filter is case-insensitive", "/api/v1/certificates?type=ccc", []string{certCCC}},
		{"a body's certificates are listed", "/api/v1/certificates?body_approval_no=" + bodyB, []string{certOfB}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, numbers(t, tt.target)); diff != "" {
				t.Errorf("GET %s (-want +got):\n%s", tt.target, diff)
			}
		})
	}
	t.Run("pages follow the cursor to the end", func(t *testing.T) {
		seen := map[string]bool{}
		target := "/api/v1/certificates?limit=1"
		for i := 0; i < 10; i++ {
			w := f.do("GET", target, "", "")
			var page struct {
				Items      []map[string]any `json:"items"`
				NextCursor string           `json:"next_cursor"`
			}
			json.Unmarshal(w.Body.Bytes(), &page)
			for _, it := range page.Items {
				seen[it["number"].(string)] = true
			}
			if page.NextCursor == "" {
				break
			}
			target = "/api/v1/certificates?limit=1&cursor=" + page.NextCursor
		}
		if len(seen) != 4 {
			t.Errorf("paging saw %d certificates, want 4: %v", len(seen), seen)
		}
	})

	bad := []struct {
		name, target, field string
	}{
		{"an unknown parameter is invalid", "/api/v1/certificates?stauts=valid", "stauts"},
		{"a repeated parameter is invalid", "/api/v1/certificates?type=QMS&type=EMS", "type"},
		{"a malformed USCC is invalid", "/api/v1/certificates?holder_uscc=123", "holder_uscc"},
		{"an unknown status is invalid", "/api/v1/certificates?status=great", "status"},
		{"an unknown type is invalid", "/api/v1/certificates?type=XYZ", "type"},
		{"a limit over 1000 is invalid", "/api/v1/certificates?limit=5000", "limit"},
		{"a limit that is no number is invalid", "/api/v1/certificates?limit=ten", "limit"},
		{"a malformed date is invalid", "/api/v1/certificates?changed_since=2026-13-01", "changed_since"},
		{"a malformed region is invalid", "/api/v1/certificates?region=3301x", "region"},
		{"a forged cursor is invalid", "/api/v1/certificates?cursor=not-a-cursor", "cursor"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			w := f.do("GET", tt.target, "", "")
			if w.Code != 400 {
				t.Fatalf("GET %s = %d %s, want 400", tt.target, w.Code, w.Body)
			}
			if got := decodeErrorBody(t, w.Body.String()); got.Code != "invalid" || got.Field != tt.field {
				t.Errorf("GET %s error = %+v, want invalid on %s", tt.target, got, tt.field)
			}
		})
	}
}

func TestIssueAndTransitions(t *testing.T) {
	f := newFixture(t)
	issue := `{"number":"00126Q30999R0M","type":"QMS","holder_uscc":"` + string(holderB) + `","scope":"软件开发和服务","standard":"GB/T 19001-2016","issued_on":"2026-03-14","expires_on":"2029-03-13"}`

	t.Run("a body issues a certificate in its own name", func(t *testing.T) {
		w := f.do("POST", "/api/v1/certificates", f.tokenA, issue)
		if w.Code != 201 {
			t.Fatalf("POST certificate = %d %s, want 201", w.Code, w.Body)
		}
		if loc := w.Header().Get("Location"); loc != "/api/v1/certificates/00126Q30999R0M" {
			t.Errorf("Location = %q", loc)
		}
		got := decodeAnswer(t, w.Body.String())
		if got["status"] != "valid" || got["body"].(map[string]any)["approval_no"] != bodyA || got["holder"].(map[string]any)["name"] != "北京海淀软件股份有限公司" {
			t.Errorf("issued certificate = %v", got)
		}
		if w := f.do("GET", "/api/v1/certificates/00126Q30999R0M", "", ""); w.Code != 200 {
			t.Errorf("GET issued certificate = %d", w.Code)
		}
	})
	t.Run("issuing the same number again is a conflict", func(t *testing.T) {
		w := f.do("POST", "/api/v1/certificates", f.tokenA, issue)
		if w.Code != 409 || decodeErrorBody(t, w.Body.String()).Code != "conflict" {
			t.Errorf("answer = %d %s, want 409 conflict", w.Code, w.Body)
		}
	})

	transition := func(token, number, body string) (int, tmhttp.ErrorDetail, map[string]any) {
		w := f.do("POST", "/api/v1/certificates/"+number+"/transitions", token, body)
		if w.Code >= 300 {
			return w.Code, decodeErrorBody(t, w.Body.String()), nil
		}
		return w.Code, tmhttp.ErrorDetail{}, decodeAnswer(t, w.Body.String())
	}
	steps := []struct {
		name, token, body string
		wantCode          int
		wantErr, wantStat string
		field             string
	}{
		{"the issuing body suspends its certificate", f.tokenA, `{"to":"suspended","reason":"监督审核不合格"}`, 200, "", "suspended", ""},
		{"another body may not restore it", f.tokenB, `{"to":"valid"}`, 403, "forbidden", "", ""},
		{"a laboratory may not touch it", f.tokenL, `{"to":"valid"}`, 403, "forbidden", "", ""},
		{"suspending twice is a conflict", f.tokenA, `{"to":"suspended","reason":"again"}`, 409, "conflict", "", "to"},
		{"the issuing body restores it", f.tokenA, `{"to":"valid"}`, 200, "", "valid", ""},
		{"revoking without a reason is invalid", f.tokenA, `{"to":"revoked"}`, 400, "invalid", "", "reason"},
		{"an effective date in the future is invalid", f.tokenA, `{"to":"revoked","reason":"x","effective_on":"2027-01-01"}`, 400, "invalid", "", "effective_on"},
		{"a malformed effective date is invalid", f.tokenA, `{"to":"revoked","reason":"x","effective_on":"tomorrow"}`, 400, "invalid", "", "effective_on"},
		{"expiry is not a transition", f.tokenA, `{"to":"expired","reason":"x"}`, 400, "invalid", "", "to"},
		{"an unknown status is invalid", f.tokenA, `{"to":"paused","reason":"x"}`, 400, "invalid", "", "to"},
		{"a missing status is invalid", f.tokenA, `{"reason":"x"}`, 400, "invalid", "", "to"},
		{"the issuing body revokes it", f.tokenA, `{"to":"revoked","reason":"伪造审核记录","effective_on":"2026-03-15"}`, 200, "", "revoked", ""},
		{"a revoked certificate cannot be restored", f.tokenA, `{"to":"valid"}`, 409, "conflict", "", "to"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			code, e, got := transition(s.token, certQMS, s.body)
			if code != s.wantCode {
				t.Fatalf("status = %d (%+v), want %d", code, e, s.wantCode)
			}
			if s.wantErr != "" && (e.Code != s.wantErr || (s.field != "" && e.Field != s.field)) {
				t.Errorf("error = %+v, want %s on %q", e, s.wantErr, s.field)
			}
			if s.wantStat != "" && got["status"] != s.wantStat {
				t.Errorf("status = %v, want %s", got["status"], s.wantStat)
			}
		})
	}
	t.Run("a certificate past its expiry date cannot be suspended", func(t *testing.T) {
		if code, e, _ := transition(f.tokenA, certOld, `{"to":"suspended","reason":"x"}`); code != 409 {
			t.Errorf("answer = %d %+v, want 409", code, e)
		}
	})
	t.Run("the regulator of the body's region may suspend its certificate", func(t *testing.T) {
		if code, e, got := transition(f.tokenR, certCCC, `{"to":"suspended","reason":"市场监管抽查不合格"}`); code != 200 || got["status"] != "suspended" {
			t.Errorf("answer = %d %+v %v, want 200 suspended", code, e, got)
		}
	})
	t.Run("a regulator of another region may not", func(t *testing.T) {
		if code, e, _ := transition(f.tokenS, certCCC, `{"to":"valid"}`); code != 403 || e.Code != "forbidden" {
			t.Errorf("answer = %d %+v, want 403 forbidden", code, e)
		}
	})
	t.Run("an unknown certificate is 404", func(t *testing.T) {
		if code, e, _ := transition(f.tokenA, "NOPE", `{"to":"suspended","reason":"x"}`); code != 404 || e.Code != "not_found" {
			t.Errorf("answer = %d %+v, want 404 not_found", code, e)
		}
	})
	t.Run("the history lists every event oldest first", func(t *testing.T) {
		w := f.do("GET", "/api/v1/certificates/"+certQMS+"/history", "", "")
		var h struct {
			Number string `json:"number"`
			Items  []struct {
				LogIndex *int64 `json:"log_index"`
				Action   string `json:"action"`
				To       string `json:"to"`
			} `json:"items"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &h); err != nil || w.Code != 200 {
			t.Fatalf("GET history = %d %s", w.Code, w.Body)
		}
		var got []string
		last := int64(-1)
		for _, it := range h.Items {
			got = append(got, it.Action+":"+it.To)
			if it.LogIndex == nil || *it.LogIndex <= last {
				t.Errorf("log_index %v does not follow %d", it.LogIndex, last)
			} else {
				last = *it.LogIndex
			}
		}
		want := []string{"created:", "status_changed:suspended", "status_changed:valid", "status_changed:revoked"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
	})
}

func TestIssueRefusals(t *testing.T) {
	f := newFixture(t)
	valid := map[string]any{"number": "00126Q30777R0M", "type": "QMS", "holder_uscc": string(holderB), "scope": "软件开发", "issued_on": "2026-03-01", "expires_on": "2029-02-28"}
	with := func(k string, v any) string {
		m := map[string]any{}
		for k, v := range valid {
			m[k] = v
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	tests := []struct {
		name, token, body string
		status            int
		code, field       string
	}{
		{"no token is unauthorized", "", with("scope", "x"), 401, "unauthorized", ""},
		{"a bad token is unauthorized", "tm_nonsense", with("scope", "x"), 401, "unauthorized", ""},
		{"a laboratory may not issue", f.tokenL, with("scope", "x"), 403, "forbidden", ""},
		{"a body may not issue in another body's name", f.tokenB, with("body_approval_no", bodyA), 403, "forbidden", "body_approval_no"},
		{"a body may not issue outside its scopes", f.tokenB, with("type", "EMS"), 403, "forbidden", "type"},
		{"malformed JSON is invalid", f.tokenA, `{"number": `, 400, "invalid", ""},
		{"an unknown field is invalid and named", f.tokenA, with("colour", "red"), 400, "invalid", "colour"},
		{"a wrong type is invalid and named", f.tokenA, with("scope", 42), 400, "invalid", "scope"},
		{"trailing data is invalid", f.tokenA, with("scope", "x") + `{}`, 400, "invalid", ""},
		{"a status field is unknown: new certificates are valid", f.tokenA, with("status", "revoked"), 400, "invalid", "status"},
		{"a malformed holder USCC is invalid", f.tokenA, with("holder_uscc", "91350100M000100Y4Z"), 400, "invalid", "holder_uscc"},
		{"an unknown holder is refused", f.tokenA, with("holder_uscc", string(holderA[:17])+"X"), 400, "invalid", "holder_uscc"},
		{"a missing expiry is invalid", f.tokenA, with("expires_on", nil), 400, "invalid", "expires_on"},
		{"a malformed date is invalid", f.tokenA, with("issued_on", "2026/03/01"), 400, "invalid", "issued_on"},
		{"a validity beyond the policy is invalid", f.tokenA, with("expires_on", "2031-01-01"), 400, "invalid", "expires_on"},
		{"an unknown type is invalid", f.tokenA, with("type", "ABC"), 400, "invalid", "type"},
		{"an empty body is invalid", f.tokenA, ``, 400, "invalid", ""},
		{"a missing type is invalid", f.tokenA, with("type", nil), 400, "invalid", "type"},
		{"a scope longer than a cell is invalid", f.tokenA, with("scope", strings.Repeat("范", 2000)), 400, "invalid", "scope"},
		{"a NUL character is invalid", f.tokenA, with("scope", "a\u0000b"), 400, "invalid", "scope"},
		{"a body over the limit is too large", f.tokenA, with("scope", strings.Repeat("长", 30000)), 413, "too_large", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.do("POST", "/api/v1/certificates", tt.token, tt.body)
			if w.Code != tt.status {
				t.Fatalf("answer = %d %s, want %d", w.Code, w.Body, tt.status)
			}
			if got := decodeErrorBody(t, w.Body.String()); got.Code != tt.code || got.Field != tt.field {
				t.Errorf("error = %+v, want %s on %q", got, tt.code, tt.field)
			}
		})
	}
}

func TestRecords(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, target string
		status       int
		want         map[string]any // fields that must be in the answer
	}{
		{"an organisation is found by USCC", "/api/v1/orgs/" + string(holderA), 200, map[string]any{"name": "杭州西湖精密机械有限公司", "region_code": "330106"}},
		{"a USCC in lower case is found", "/api/v1/orgs/" + strings.ToLower(string(holderA)), 200, map[string]any{"uscc": string(holderA)}},
		{"a body shows its scopes", "/api/v1/bodies/" + bodyA, 200, map[string]any{"scopes": []any{"QMS", "EMS", "CCC"}, "status": "active"}},
		{"a laboratory is found by CMA number", "/api/v1/labs/" + labA, 200, map[string]any{"status": "active", "valid_until": "2029-12-31"}},
		{"a person is found by registration number", "/api/v1/persons/" + personRegNo, 200, map[string]any{"body_approval_no": bodyA}},
		{"a report shows its public facts", "/api/v1/reports/" + labA + "/" + reportNo, 200, map[string]any{"conclusion": "pass", "product": "角磨机"}},
		{"a malformed USCC is invalid", "/api/v1/orgs/123", 400, nil},
		{"an unknown USCC is not found", "/api/v1/orgs/" + string(trustmark.MakeUSCC("9144030000000099")), 404, nil},
		{"a malformed approval number is invalid", "/api/v1/bodies/CNCA-1", 400, nil},
		{"an unknown body is not found", "/api/v1/bodies/CNCA-R-2010-999", 404, nil},
		{"a malformed CMA number is invalid", "/api/v1/labs/12", 400, nil},
		{"an unknown person is not found", "/api/v1/persons/NOBODY", 404, nil},
		{"an unknown report is not found", "/api/v1/reports/" + labA + "/NOPE", 404, nil},
		{"bodies are listed", "/api/v1/bodies?q=上海", 200, nil},
		{"organisations are listed by region", "/api/v1/orgs?region=33", 200, nil},
		{"labs are listed", "/api/v1/labs?status=active", 200, nil},
		{"persons are listed by body", "/api/v1/persons?body_approval_no=" + bodyA, 200, nil},
		{"reports are listed by laboratory", "/api/v1/reports?lab_cma_no=" + labA, 200, nil},
		{"a banned status is not a body status", "/api/v1/bodies?status=banned", 400, nil},
		{"stats are counted", "/api/v1/stats", 200, map[string]any{"bodies": float64(2)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.do("GET", tt.target, "", "")
			if w.Code != tt.status {
				t.Fatalf("GET %s = %d %s, want %d", tt.target, w.Code, w.Body, tt.status)
			}
			if tt.status >= 400 {
				decodeErrorBody(t, w.Body.String())
				return
			}
			got := decodeAnswer(t, w.Body.String())
			for k, v := range tt.want {
				if diff := cmp.Diff(v, got[k]); diff != "" {
					t.Errorf("GET %s .%s (-want +got):\n%s", tt.target, k, diff)
				}
			}
			if items, ok := got["items"].([]any); ok && len(items) == 0 {
				t.Errorf("GET %s listed nothing", tt.target)
			}
		})
	}
}

func TestHealthz(t *testing.T) {
	f := newFixture(t)
	if w := f.do("GET", "/healthz", "", ""); w.Code != 200 {
		t.Errorf("GET /healthz = %d %s, want 200", w.Code, w.Body)
	}
	f.store.Close()
	w := f.do("GET", "/healthz", "", "")
	if w.Code != 503 || decodeErrorBody(t, w.Body.String()).Code != "unavailable" {
		t.Errorf("GET /healthz with the database closed = %d %s, want 503 unavailable", w.Code, w.Body)
	}
}
