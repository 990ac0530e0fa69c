package http_test

import (
	"context"
	"encoding/json"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/audit"
	tmhttp "trustmark/http"
	"trustmark/sqlstore"
	"trustmark/storetest"
)

// withRequestID is a plan body with request_id id.
func withRequestID(body, id string) string {
	return strings.Replace(body, `{"certificate"`, `{"request_id": "`+id+`", "certificate"`, 1)
}

// reportPlan posts a plan as bodyA with headers (name, value, ...) and
// returns the answer and the audit's id.
func (f *auditFixture) reportPlan(body string, headers ...string) (*httptest.ResponseRecorder, string) {
	r := httptest.NewRequest("POST", "/api/v1/audits", strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+f.tokenA)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	var a struct{ ID string }
	json.Unmarshal(w.Body.Bytes(), &a)
	return w, a.ID
}

// bodyAAudits counts bodyA's audits.
func bodyAAudits(t *testing.T, db *sqlstore.DB, body string) int {
	t.Helper()
	as, err := db.FindAudits(context.Background(), audit.Query{Body: body, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(as)
}

// TestReportAuditRequestID: POST /api/v1/audits with a request id, in the
// Idempotency-Key header or as request_id, answers a retry of the same
// plan with the same audit (201, Idempotent-Replayed: true) and reports
// it once; the header wins over the body; another plan under the same
// id is 409 naming request_id, in the caller's language.
func TestReportAuditRequestID(t *testing.T) {
	f := newAuditFixture(t)
	plan := planBody(-24*time.Hour, 5)
	for _, tc := range []struct {
		name, body string
		headers    []string
	}{
		{"by the Idempotency-Key header", plan, []string{"Idempotency-Key", "hdr-1"}},
		{"by request_id in the body", withRequestID(plan, "body-1"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := bodyAAudits(t, f.store, bodyA)
			w1, id1 := f.reportPlan(tc.body, tc.headers...)
			wantStatus(t, "the first report", w1, nethttp.StatusCreated)
			if w1.Header().Get("Idempotent-Replayed") != "" {
				t.Errorf("the first report says Idempotent-Replayed %q, want none", w1.Header().Get("Idempotent-Replayed"))
			}
			w2, id2 := f.reportPlan(tc.body, tc.headers...)
			wantStatus(t, "its retry", w2, nethttp.StatusCreated)
			if id2 != id1 || id1 == "" || w2.Header().Get("Idempotent-Replayed") != "true" {
				t.Errorf("retry = audit %q (Idempotent-Replayed %q), want %q replayed", id2, w2.Header().Get("Idempotent-Replayed"), id1)
			}
			if n := bodyAAudits(t, f.store, bodyA); n != before+1 {
				t.Errorf("audits of %s = %d, want %d", bodyA, n, before+1)
			}
			revs, err := f.store.AuditRevisions(context.Background(), id1)
			if err != nil || len(revs) != 1 {
				t.Errorf("revisions of %s = %d, %v; want 1", id1, len(revs), err)
			}
		})
	}
	t.Run("the header wins over the body", func(t *testing.T) {
		_, id1 := f.reportPlan(withRequestID(plan, "body-2"), "Idempotency-Key", "hdr-2")
		w, id2 := f.reportPlan(withRequestID(plan, "body-3"), "Idempotency-Key", "hdr-2")
		if id2 != id1 || w.Header().Get("Idempotent-Replayed") != "true" {
			t.Errorf("header hdr-2 with body-3 = audit %q, want %q replayed", id2, id1)
		}
		w, id3 := f.reportPlan(withRequestID(plan, "body-2"))
		if id3 == id1 || w.Code != nethttp.StatusCreated || w.Header().Get("Idempotent-Replayed") != "" {
			t.Errorf("body-2 alone = %d audit %q, want a new audit: the header's key was stored, not body-2", w.Code, id3)
		}
	})
	t.Run("another plan under the same id is a conflict naming request_id", func(t *testing.T) {
		_, id := f.reportPlan(plan, "Idempotency-Key", "hdr-4")
		for _, tc := range []struct{ lang, want string }{
			{"en", `request_id "hdr-4" already reported another plan (audit ` + id + `)`},
			{"zh-CN", "请求标识“hdr-4”已用于报送另一份计划（审核" + id + "）"},
		} {
			w, _ := f.reportPlan(planBody(-24*time.Hour, 6), "Idempotency-Key", "hdr-4", "Accept-Language", tc.lang)
			wantStatus(t, "another plan, "+tc.lang, w, nethttp.StatusConflict)
			var e struct {
				Error struct{ Code, Message, Field string } `json:"error"`
			}
			json.Unmarshal(w.Body.Bytes(), &e)
			if e.Error.Code != "conflict" || e.Error.Field != "request_id" || !strings.Contains(e.Error.Message, tc.want) {
				t.Errorf("refusal in %s = %+v, want conflict on request_id saying %q", tc.lang, e.Error, tc.want)
			}
		}
	})
	t.Run("a request id over 128 characters is refused", func(t *testing.T) {
		w, _ := f.reportPlan(plan, "Idempotency-Key", strings.Repeat("x", 129))
		wantStatus(t, "a long key", w, nethttp.StatusBadRequest)
		if !strings.Contains(w.Body.String(), `"field":"request_id"`) {
			t.Errorf("refusal %s does not name request_id", w.Body)
		}
	})
	t.Run("a change takes no request id", func(t *testing.T) {
		_, id := f.reportPlan(plan)
		w := f.do("PUT", "/api/v1/audits/"+id, f.tokenA, withRequestID(planBody(-24*time.Hour, 6), "put-1"))
		wantStatus(t, "PUT with request_id", w, nethttp.StatusBadRequest)
		if !strings.Contains(w.Body.String(), `"field":"request_id"`) {
			t.Errorf("refusal %s does not name request_id", w.Body)
		}
	})
	t.Run("another body's same id is its own", func(t *testing.T) {
		// bodyB holds no certificate of its own here: it is refused for
		// certQMS, not answered bodyA's audit.
		r := httptest.NewRequest("POST", "/api/v1/audits", strings.NewReader(plan))
		r.Header.Set("Authorization", "Bearer "+f.tokenB)
		r.Header.Set("Idempotency-Key", "hdr-1")
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, r)
		if w.Code == nethttp.StatusCreated || w.Header().Get("Idempotent-Replayed") != "" {
			t.Errorf("bodyB with bodyA's key = %d %s, want bodyB's own refusal", w.Code, w.Body)
		}
	})
}

// TestReportPlanFileTwice: a plan file whose lines carry request ids,
// reported twice, reports each plan once: the second time each keyed line
// answers its audit again, replayed; a line without one is reported
// again.
func TestReportPlanFileTwice(t *testing.T) {
	ctx := context.Background()
	db := auditStore(t)
	keyed := func(id string, days float64) string {
		return strings.Replace(planFileLine(t, days), `{`, `{"request_id":"`+id+`",`, 1)
	}
	file := strings.Join([]string{keyed("season-1", 5), keyed("season-2", 6), planFileLine(t, 7), keyed("season-4", 0.5)}, "\n")
	report := func() []tmhttp.PlanLine {
		var got []tmhttp.PlanLine
		err := tmhttp.ReportPlanFile(ctx, db, storetest.AuditBody, "body:"+storetest.AuditBody, strings.NewReader(file), func(l tmhttp.PlanLine) error {
			got = append(got, l)
			return nil
		})
		if err != nil || len(got) != 4 {
			t.Fatalf("ReportPlanFile = %d lines, %v; want 4, nil", len(got), err)
		}
		return got
	}
	first, second := report(), report()
	for i, want := range []struct{ replayed, same bool }{{true, true}, {true, true}, {false, false}} {
		a, b := first[i], second[i]
		if a.Err != nil || b.Err != nil || a.Decision.Replayed {
			t.Fatalf("line %d: %v, %v (first replayed %v)", i+1, a.Err, b.Err, a.Decision.Replayed)
		}
		if b.Decision.Replayed != want.replayed || (b.Decision.Audit.ID == a.Decision.Audit.ID) != want.same {
			t.Errorf("line %d sent again = audit %s (replayed %v), first %s; want replayed %v, same audit %v",
				i+1, b.Decision.Audit.ID, b.Decision.Replayed, a.Decision.Audit.ID, want.replayed, want.same)
		}
	}
	if first[3].Err == nil || second[3].Err == nil {
		t.Errorf("line 4 (below the minimum) = %v, %v; want refused both times", first[3].Err, second[3].Err)
	}
	if n := bodyAAudits(t, db, storetest.AuditBody); n != 4 {
		t.Errorf("audits after two uploads = %d, want 4 (two keyed, the unkeyed line twice)", n)
	}
	evs, err := db.Events(ctx, trustmark.EventFilter{Entity: sqlstore.EntityAudit, After: -1, Limit: 1000})
	if err != nil || len(evs) != 4 {
		t.Errorf("audit events = %d, %v; want 4", len(evs), err)
	}
}
