package http_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/credit"
	tmhttp "trustmark/http"
)

// banJSON is a lifetime ban on the fixture's person, registered with
// bodyA in Beijing.
const banJSON = `{"subject_kind":"person","subject_id":"2026-NQA-0001","kind":"ban","summary":"伪造审核记录",
	"decision":"京市监罚〔2026〕9号","legal_basis":"《认证认可条例》第七十三条","on":"2026-03-10"}`

// TestRecordArchiveEntry: a regulator records a lifetime ban on a person
// through POST /api/v1/credit/archive; after it, the person cannot be
// registered by any body nor put on an audit team, and each refusal names
// the decision. A regulator of another region, a body, a ban with an end
// date and a listing are refused, naming the field.
func TestRecordArchiveEntry(t *testing.T) {
	f := newAuditFixture(t)
	for _, c := range []struct {
		name, token, body string
		want              int
		zh, field         string
	}{
		{"a request needs a token", "", banJSON, 401, "", ""},
		{"a body may not record", f.tokenA, banJSON, 403, "", ""},
		{"a regulator outside the subject's region is refused", f.tokenS, banJSON, 403, "", ""},
		{"a ban with an end date is refused", f.tokenR, strings.Replace(banJSON, `"on"`, `"valid_until":"2030-01-01","on"`, 1), 400, "终身禁入没有终止日期", "valid_until"},
		{"a listing goes through the listing procedure", f.tokenR, strings.Replace(banJSON, `"kind":"ban"`, `"kind":"listing"`, 1), 400, "只能通过列入程序", "kind"},
		{"a ban without its decision number is refused", f.tokenR, strings.Replace(banJSON, `"京市监罚〔2026〕9号"`, `""`, 1), 400, "决定书文号", "decision"},
		{"a subject the registry does not hold is not found", f.tokenR, strings.Replace(banJSON, "2026-NQA-0001", "2026-NQA-9999", 1), 404, "", ""},
		{"the region's regulator records the ban", f.tokenR, banJSON, 201, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := f.doZh("POST", "/api/v1/credit/archive", c.token, c.body)
			wantStatus(t, "POST /api/v1/credit/archive", w, c.want)
			if c.field != "" && (!strings.Contains(w.Body.String(), `"field":"`+c.field+`"`) || !strings.Contains(w.Body.String(), c.zh)) {
				t.Errorf("refusal %s does not name field %s and say %q", w.Body, c.field, c.zh)
			}
		})
	}
	ctx := context.Background()

	t.Run("another body's registration of the banned person is refused naming the decision", func(t *testing.T) {
		rec, err := trustmark.ParseRecord(trustmark.KindPersons, trustmark.Row{"registration_no": personRegNo, "name": "张伟",
			"body_approval_no": bodyB, "qualifications": "QMS"}, trustmark.DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		out, err := f.store.Import(ctx, trustmark.Party{Kind: trustmark.PartyBody, ID: bodyB}, trustmark.KindPersons, []trustmark.Record{rec})
		if err != nil {
			t.Fatal(err)
		}
		if e := out[0].Err; e == nil || !strings.Contains(e.Error(), "京市监罚〔2026〕9号") || trustmark.ErrorField(e) != "registration_no" {
			t.Errorf("Import by %s = %v, want a refusal naming the ban's decision on registration_no", bodyB, e)
		}
	})
	t.Run("the banned person cannot be put on an audit team", func(t *testing.T) {
		w := f.do("POST", "/api/v1/audits", f.tokenA, planBody(-24*time.Hour, 5))
		wantStatus(t, "POST /api/v1/audits with the banned leader", w, 403)
		if !strings.Contains(w.Body.String(), "京市监罚〔2026〕9号") {
			t.Errorf("refusal %s does not name the decision", w.Body)
		}
	})
	t.Run("the ban is an event in the public log that keeps the summary out", func(t *testing.T) {
		evs, err := f.store.Events(ctx, trustmark.EventFilter{Entity: "credit_entry"})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].Key != "person:"+personRegNo || strings.Contains(string(evs[0].Data), "伪造审核记录") || !strings.Contains(string(evs[0].Data), "京市监罚〔2026〕9号") {
			t.Errorf("credit entry events = %+v, want one naming the decision without the person's summary", evs)
		}
	})
	t.Run("the archive reads as recorded, and as it stood before", func(t *testing.T) {
		var got tmhttp.ArchiveJSON
		w := f.do("GET", "/api/v1/credit/archive/person/"+personRegNo, f.tokenR, "")
		wantStatus(t, "GET archive", w, 200)
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || len(got.Entries) != 1 || got.Entries[0].Kind != credit.Ban || got.Entries[0].RecordedBy != "regulator:110000" {
			t.Errorf("GET archive = %s, %v; want the ban recorded by the regulator", w.Body, err)
		}
		w = f.do("GET", "/api/v1/credit/archive/person/"+personRegNo+"?known_at=2026-03-01", f.tokenR, "")
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || len(got.Entries) != 0 {
			t.Errorf("GET archive known at 2026-03-01 = %s, %v; want no entry", w.Body, err)
		}
		w = f.do("GET", "/api/v1/credit/archive/person/"+personRegNo+"?as_of=2026-03-09", f.tokenR, "")
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || len(got.Entries) != 0 {
			t.Errorf("GET archive as of 2026-03-09 = %s, %v; want no entry in effect", w.Body, err)
		}
		wantStatus(t, "GET archive by the person", f.do("GET", "/api/v1/credit/archive/person/"+personRegNo, f.tokenP, ""), 200)
		wantStatus(t, "GET archive by another region", f.do("GET", "/api/v1/credit/archive/person/"+personRegNo, f.tokenS, ""), 403)
		wantStatus(t, "GET archive by another person", f.do("GET", "/api/v1/credit/archive/person/"+personRegNo, f.tokenP2, ""), 403)
		wantStatus(t, "GET archive known_at nonsense", f.do("GET", "/api/v1/credit/archive/person/"+personRegNo+"?known_at=yesterday", f.tokenR, ""), 400)
	})
	t.Run("a commitment is recorded and later corrected as kept", func(t *testing.T) {
		w := f.do("POST", "/api/v1/credit/archive", f.tokenR, `{"subject_kind":"body","subject_id":"`+bodyA+`","kind":"commitment","summary":"告知承诺：三个月内补交人员材料","source":"commitment:2026-7"}`)
		wantStatus(t, "POST commitment", w, 201)
		var e credit.Entry
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		w = f.do("POST", "/api/v1/credit/archive", f.tokenR, `{"subject_kind":"body","subject_id":"`+bodyA+`","kind":"commitment","summary":"告知承诺：已补交","source":"commitment:2026-7","kept":true,"supersedes":"`+e.ID+`"}`)
		wantStatus(t, "POST kept", w, 201)
		a, err := f.store.CreditArchive(ctx, credit.Subject{Kind: credit.Body, ID: bodyA})
		if known := a.Known(now.Add(time.Hour)); err != nil || len(known) != 1 || known[0].Kept == nil || !*known[0].Kept {
			t.Errorf("archive of %s = %+v, %v; want the commitment kept", bodyA, known, err)
		}
	})
}

func FuzzParseKnownAt(f *testing.F) {
	for _, s := range []string{"2026-03-15", "2026-03-15T10:00:00+08:00", "2026-02-30", "", "yesterday"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := tmhttp.ParseKnownAt(s)
		if err == nil && got.Location() != time.UTC {
			t.Errorf("ParseKnownAt(%q) = %v, not in UTC", s, got)
		}
	})
}

// doZh is do asking for answers in Chinese.
func (f *fixture) doZh(method, target, token, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Header.Set("Accept-Language", "zh-CN")
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	return w
}
