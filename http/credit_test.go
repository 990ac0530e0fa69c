package http_test

import (
	"encoding/json"
	"strings"
	"testing"

	"trustmark/credit"
	"trustmark/storetest"
)

func TestSeriousViolations(t *testing.T) {
	f := newFixture(t)
	storetest.List(t, f.store, credit.Proposal{ID: "L-1", Subject: credit.Subject{Kind: credit.Body, ID: "CNCA-R-2002-001"}, Name: "北京认证中心",
		Region: "110000", Grounds: "出具虚假认证结论", LegalBasis: "第六条"}, "2026-02-02")
	storetest.List(t, f.store, credit.Proposal{ID: "L-2", Subject: credit.Subject{Kind: credit.Person, ID: "2026-N1RC-1234567"}, Name: "张三",
		Region: "110000", Grounds: "伪造审核记录", LegalBasis: "第七条"}, "2026-02-02")

	t.Run("the list is public and shows the contract's fields", func(t *testing.T) {
		w := f.do("GET", "/api/v1/credit/serious-violations", "", "")
		if w.Code != 200 {
			t.Fatalf("GET = %d %s, want 200", w.Code, w.Body)
		}
		var got struct {
			Items      []map[string]any `json:"items"`
			NextCursor *string          `json:"next_cursor"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got.NextCursor == nil {
			t.Fatalf("GET = %s: %v; want items and next_cursor", w.Body, err)
		}
		if len(got.Items) != 2 {
			t.Fatalf("GET = %d items, want 2", len(got.Items))
		}
		want := map[string]any{"subject_kind": "body", "subject_id": "CNCA-R-2002-001", "name": "北京认证中心", "grounds": "出具虚假认证结论",
			"legal_basis": "第六条", "listed_on": "2026-02-02", "until": "2029-02-02"}
		for k, v := range want {
			if got.Items[0][k] != v {
				t.Errorf("items[0].%s = %v, want %v", k, got.Items[0][k], v)
			}
		}
	})
	t.Run("a person's name is never shown", func(t *testing.T) {
		if w := f.do("GET", "/api/v1/credit/serious-violations", "", ""); strings.Contains(w.Body.String(), "张三") {
			t.Errorf("GET shows a listed person's name: %s", w.Body)
		}
	})
	t.Run("pages follow the cursor", func(t *testing.T) {
		var page struct {
			Items      []credit.PublicListing `json:"items"`
			NextCursor string                 `json:"next_cursor"`
		}
		w := f.do("GET", "/api/v1/credit/serious-violations?limit=1", "", "")
		if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || len(page.Items) != 1 || page.NextCursor == "" {
			t.Fatalf("first page = %s, %v; want one item and a cursor", w.Body, err)
		}
		w = f.do("GET", "/api/v1/credit/serious-violations?limit=1&cursor="+page.NextCursor, "", "")
		if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || len(page.Items) != 1 || page.Items[0].SubjectKind != credit.Person || page.NextCursor != "" {
			t.Errorf("second page = %s, %v; want the person and no cursor", w.Body, err)
		}
	})
	t.Run("an unknown parameter is the client's mistake", func(t *testing.T) {
		if w := f.do("GET", "/api/v1/credit/serious-violations?region=11", "", ""); w.Code != 400 {
			t.Errorf("GET ?region=11 = %d, want 400", w.Code)
		}
	})
}

func TestCreditWrites(t *testing.T) {
	f := newFixture(t)
	propose := `{"id":"L-9","subject_kind":"body","subject_id":"CNCA-R-2002-001","name":"北京认证中心","region":"110000",
		"grounds":"出具虚假认证结论","legal_basis":"第六条","on":"2026-02-01"}`
	for _, c := range []struct {
		name, method, target, token, body string
		want                              int
	}{
		{"a proposal needs a token", "POST", "/api/v1/credit/listings", "", propose, 401},
		{"a body may not propose a listing", "POST", "/api/v1/credit/listings", f.tokenA, propose, 403},
		{"another region's regulator may not", "POST", "/api/v1/credit/listings", f.tokenS, propose, 403},
		{"the region's regulator proposes", "POST", "/api/v1/credit/listings", f.tokenR, propose, 201},
		{"the same id twice is a conflict", "POST", "/api/v1/credit/listings", f.tokenR, propose, 409},
		{"a proposal without grounds is invalid", "POST", "/api/v1/credit/listings", f.tokenR, `{"id":"L-10","subject_kind":"body","subject_id":"X","region":"110000","legal_basis":"第六条"}`, 400},
		{"an unknown field is invalid", "POST", "/api/v1/credit/listings", f.tokenR, `{"colour":"red"}`, 400},
		{"another region's regulator may not give notice", "POST", "/api/v1/credit/listings/L-9/notice", f.tokenS, `{"on":"2026-02-02"}`, 403},
		{"the regulator gives notice", "POST", "/api/v1/credit/listings/L-9/notice", f.tokenR, `{"on":"2026-02-02"}`, 200},
		{"no decision inside the objection period", "POST", "/api/v1/credit/listings/L-9/decision", f.tokenR, `{"on":"2026-02-03","list":true,"decision":"京市监信〔2026〕3号"}`, 409},
		{"the decision lists the body", "POST", "/api/v1/credit/listings/L-9/decision", f.tokenR, `{"on":"2026-03-10","list":true,"decision":"京市监信〔2026〕3号"}`, 200},
		{"no repair decision without an application", "POST", "/api/v1/credit/listings/L-9/repair-decision", f.tokenR, `{"grant":true,"reason":"整改到位"}`, 409},
		{"an unknown listing is not found", "POST", "/api/v1/credit/listings/L-0/notice", f.tokenR, `{}`, 404},
	} {
		t.Run(c.name, func(t *testing.T) {
			if w := f.do(c.method, c.target, c.token, c.body); w.Code != c.want {
				t.Errorf("%s %s = %d %s, want %d", c.method, c.target, w.Code, w.Body, c.want)
			}
		})
	}
	t.Run("the listed body is on the public list from the decision day", func(t *testing.T) {
		w := f.do("GET", "/api/v1/credit/serious-violations", "", "")
		if !strings.Contains(w.Body.String(), `"listed_on":"2026-03-10"`) {
			t.Errorf("GET the list = %s, want the body listed on 2026-03-10", w.Body)
		}
	})
}
