package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"trustmark/account"
)

func TestRiskReportForm(t *testing.T) {
	s := newMatterFixture(t)
	beijing := s.matterSignIn(t, "bj@example.cn", role(t, account.Regulator, "110000", false))
	s.advance(31 * time.Second)
	shanghai := s.matterSignIn(t, "sh@example.cn", role(t, account.Regulator, "310000", false))
	s.advance(31 * time.Second)
	body := s.matterSignIn(t, "body@example.cn", role(t, account.Body, bodyA, false))

	sampling := func() url.Values {
		return url.Values{"kind": {"sampling_failed"}, "subject_kind": {"certificate"}, "subject_id": {certQMS}, "on": {"2026-03-10"},
			"source": {"京市监抽〔2026〕3号"}, "details": {"能效等级标注不符合 GB 12021.2"}}
	}

	t.Run("a regulator's home links to the form, a body's does not", func(t *testing.T) {
		if !strings.Contains(beijing.get("/work/").Body.String(), `href="/work/risk/reports/new"`) {
			t.Errorf("the regulator's home has no link to the form")
		}
		if strings.Contains(body.get("/work/").Body.String(), "/work/risk/reports/new") {
			t.Errorf("the body's home links to the form")
		}
	})
	t.Run("a body may not open the form", func(t *testing.T) {
		if w := body.get("/work/risk/reports/new"); w.Code != http.StatusForbidden {
			t.Errorf("GET the form as a body = %d, want 403", w.Code)
		}
	})
	t.Run("a regulator outside the certificate's regions is refused above the form", func(t *testing.T) {
		shanghai.get("/work/risk/reports/new")
		w := shanghai.post("/work/risk/reports/new", sampling())
		if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), `id="form-error"`) || !strings.Contains(w.Body.String(), "京市监抽〔2026〕3号") {
			t.Errorf("Shanghai's report = %d, want 403 with the refusal and what was typed\n%s", w.Code, w.Body)
		}
	})
	for _, c := range []struct {
		name, field, value, err, says string
		status                        int
	}{
		{"a day still to come is refused next to the date", "on", "2026-03-16", "err-on", said("risk.report_future"), 400},
		{"a date that is no date is refused next to the date", "on", "2026-02-30", "err-on", said("field.date"), 400},
		{"a malformed approval number is refused next to the number", "subject_id", "CNCA-2002", "err-subject_id", said("approval_no.format"), 400},
		{"a phone number in the details is refused next to them", "details", "投诉人电话13812345678", "err-details", said("risk.report_personal"), 400},
		{"a certificate the registry does not hold is refused next to the number", "subject_id", "NO-SUCH-CERT", "err-subject_id", said("risk.report_unknown"), 404},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := sampling()
			v.Set(c.field, c.value)
			if c.field == "subject_id" && c.value == "CNCA-2002" {
				v.Set("kind", "complaint")
				v.Set("subject_kind", "body")
			}
			beijing.get("/work/risk/reports/new")
			w := beijing.post("/work/risk/reports/new", v)
			if page := w.Body.String(); w.Code != c.status || !strings.Contains(page, `id="`+c.err+`"`) || !strings.Contains(page, c.says) {
				t.Errorf("POST with %s=%q = %d, want %d with %s saying %q\n%s", c.field, c.value, w.Code, c.status, c.err, c.says, page)
			}
		})
	}
	t.Run("the certificate's body's regulator records it and is shown the scores concerned", func(t *testing.T) {
		beijing.get("/work/risk/reports/new")
		w := beijing.post("/work/risk/reports/new", sampling())
		to := w.Header().Get("Location")
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(to, "/work/risk/reports/new?done=RR") || !strings.Contains(to, "party=org%3A"+string(haier)) {
			t.Fatalf("POST = %d to %q, want 303 to the form saying it was recorded", w.Code, to)
		}
		page := beijing.get(to).Body.String()
		for _, want := range []string{`id="report-done"`, "/work/risk/org/" + string(haier), "/work/risk/body/" + bodyA} {
			if !strings.Contains(page, want) {
				t.Errorf("the page after recording lacks %q", want)
			}
		}
		beijing.get("/work/risk/reports/new")
		if w := beijing.post("/work/risk/reports/new", sampling()); w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), `id="err-source"`) {
			t.Errorf("the same report again = %d, want 409 next to the source", w.Code)
		}
	})
	t.Run("the form speaks English", func(t *testing.T) {
		page := beijing.get("/work/risk/reports/new?lang=en").Body.String()
		for _, want := range []string{"Record risk information", "Failed proficiency test", "write no complainant"} {
			if !strings.Contains(page, want) {
				t.Errorf("the English form lacks %q", want)
			}
		}
	})
}
