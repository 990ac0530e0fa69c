package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"trustmark/account"
	"trustmark/audit"
	thttp "trustmark/http"
)

// planLine is a line of a plan file: certQMS's surveillance audit led by
// personNo, opening tomorrow at 09:00 in China, as POST /api/v1/audits
// takes it, with days auditor-days.
func planLine(days string) string {
	day := now.In(chinaTime).Add(24 * time.Hour).Format("2006-01-02")
	return fmt.Sprintf(`{"certificate": %q, "kind": "surveillance", "effective_personnel": 230,`+
		` "site": {"address": "青岛市崂山区海尔路1号", "lat": 36.0671, "lng": 120.3826, "datum": "wgs84"},`+
		` "opening_at": "%sT09:00:00+08:00", "closing_at": "%sT16:00:00+08:00",`+
		` "team": [{"registration_no": %q, "role": "leader"}], "auditor_days": %s}`, certQMS, day, day, personNo, days)
}

// planFile is lines joined as a file.
func planFile(lines ...string) []byte { return []byte(strings.Join(lines, "\n") + "\n") }

var (
	reportedRow = regexp.MustCompile(`<td data-label="[^"]+">(\d+)</td><td data-label="[^"]+" class="mono"><a href="(/work/audits/A[^"]+)">`)
	refusedRow  = regexp.MustCompile(`<tr class="refused-line"><td data-label="[^"]+">(\d+)</td><td [^>]+>([^<]*)</td><td [^>]+>([^<]*)</td></tr>`)
)

// refusedLine is a refused line as the page lists it.
type refusedLine struct{ line, field, reason string }

// refusedLines reads the refused lines a page lists, by line number.
func refusedLines(page string) map[string]refusedLine {
	out := map[string]refusedLine{}
	for _, m := range refusedRow.FindAllStringSubmatch(page, -1) {
		out[m[1]] = refusedLine{m[1], html.UnescapeString(m[2]), html.UnescapeString(m[3])}
	}
	return out
}

// TestAuditPlanFilePage: a body's staff open the plan file page from the
// audit list and upload a file; every good line is reported as the API
// would report it and linked, and each refused line is listed with its
// line number, field and reason in the page's language without stopping
// the lines after it.
func TestAuditPlanFilePage(t *testing.T) {
	p := newAuditPages(t)
	body := p.signIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	before := len(p.bodyAudits(t))

	if w := body.get("/work/audits"); !strings.Contains(w.Body.String(), `href="/work/audits/import"`) {
		t.Errorf("/work/audits has no link to the plan file page\n%s", w.Body)
	}
	if w := body.get("/work/audits/import"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `name="file"`) || !strings.Contains(w.Body.String(), `name="body" value="`+bodyA+`"`) {
		t.Fatalf("GET /work/audits/import = %d, want 200 with the form for %s\n%s", w.Code, bodyA, w.Body)
	}

	t.Run("a file of good plans is reported line by line and each audit linked", func(t *testing.T) {
		w := body.postMultipart("/work/audits/import", map[string]string{"body": bodyA}, "plans.jsonl", planFile(planLine("5"), planLine("6")))
		page := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(page, "共 2 行：报送 2 份计划，0 行未通过。") {
			t.Fatalf("upload = %d, want 200 with 2 plans reported\n%s", w.Code, page)
		}
		links := reportedRow.FindAllStringSubmatch(page, -1)
		if len(links) != 2 || links[0][1] != "1" || links[1][1] != "2" {
			t.Fatalf("reported lines = %q, want lines 1 and 2 linked to their audits", links)
		}
		for i, l := range links {
			a, err := p.store.Audit(context.Background(), strings.TrimPrefix(l[2], "/work/audits/"))
			if err != nil {
				t.Fatalf("line %d's link %s: %v", i+1, l[2], err)
			}
			if a.Body != bodyA || a.Plan.Certificate != certQMS || a.Plan.AuditorDays != float64(5+i) || a.Plan.Kind != audit.Surveillance {
				t.Errorf("line %d's audit = %+v, want %s's plan of %d auditor-days", i+1, a, bodyA, 5+i)
			}
			if got := body.get(l[2]); got.Code != http.StatusOK {
				t.Errorf("GET %s = %d, want the audit's page", l[2], got.Code)
			}
		}
		if n := len(p.bodyAudits(t)); n != before+2 {
			t.Errorf("audits of %s = %d, want %d", bodyA, n, before+2)
		}
		before += 2
	})

	mixed := planFile(
		planLine("5"),                        // 1: good
		planLine("0.5"),                      // 2: below the IAF MD 5 minimum
		`{"certificate": 7}`,                 // 3: a number for a string
		"",                                   // 4: blank, skipped
		`{"body": "`+bodyB+`", "kind": "x"}`, // 5: a body named in the file
		"这不是JSON",                            // 6: not JSON
		planLine("5.5"),                      // 7: good, after the refusals
		strings.Replace(planLine("5"), personNo, "2026-XYZ-0999", 1), // 8: not the body's person
		"{\"certificate\": \"\xff\xfe\"}",                            // 9: not UTF-8
	)
	t.Run("a mixed file reports the good lines and lists each refused one in Chinese", func(t *testing.T) {
		body.get("/work/audits/import")
		w := body.postMultipart("/work/audits/import", nil, "mixed.jsonl", mixed)
		page := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(page, "共 8 行：报送 2 份计划，6 行未通过。") {
			t.Fatalf("upload = %d, want 200 with 2 reported and 6 refused\n%s", w.Code, page)
		}
		if links := reportedRow.FindAllStringSubmatch(page, -1); len(links) != 2 || links[0][1] != "1" || links[1][1] != "7" {
			t.Errorf("reported lines = %q, want 1 and 7", links)
		}
		got := refusedLines(page)
		for _, want := range []struct {
			line, field, reason string
		}{
			{"2", "auditor_days", "低于IAF MD 5规定的最低值"},
			{"3", "certificate", "字段certificate的JSON类型不正确"},
			{"5", "body", "未知字段“body”"},
			{"6", "（整行）", "不是有效的JSON"},
			{"8", "team[0].registration_no", "2026-XYZ-0999"},
			{"9", "（整行）", "该行不是有效的UTF-8文本"},
		} {
			l, ok := got[want.line]
			if !ok {
				t.Errorf("line %s is not listed as refused; listed: %v", want.line, got)
				continue
			}
			if l.field != want.field || !strings.Contains(l.reason, want.reason) {
				t.Errorf("line %s refused as %q: %q, want %q: …%s…", want.line, l.field, l.reason, want.field, want.reason)
			}
		}
		if _, ok := got["4"]; ok || len(got) != 6 {
			t.Errorf("refused lines = %v, want 2, 3, 5, 6, 8 and 9 (the blank line skipped)", got)
		}
		if !strings.Contains(page, "没有请求标识的行再次上传会再报送一份计划") {
			t.Error("the page does not say that a line without a request id sent again is reported again")
		}
		as := p.bodyAudits(t)
		if len(as) != before+2 {
			t.Fatalf("audits of %s = %d, want %d (lines 1 and 7)", bodyA, len(as), before+2)
		}
		before += 2
	})
	t.Run("in English the refusals are in English", func(t *testing.T) {
		body.get("/work/audits/import?lang=en")
		w := body.postMultipart("/work/audits/import?lang=en", nil, "mixed.jsonl", mixed)
		page := w.Body.String()
		if !strings.Contains(page, "8 lines: 2 plans reported, 6 lines refused.") {
			t.Fatalf("English upload = %d\n%s", w.Code, page)
		}
		got := refusedLines(page)
		if l := got["2"]; l.field != "auditor_days" || !strings.Contains(l.reason, "below the IAF MD 5 minimum") {
			t.Errorf("line 2 refused as %+v, want the MD 5 minimum in English", l)
		}
		if l := got["6"]; l.field != "(the line)" || !strings.Contains(l.reason, "not valid JSON") {
			t.Errorf("line 6 refused as %+v, want the whole line, not valid JSON", l)
		}
		before += 2
	})
	t.Run("no file and an empty file are refused naming the file", func(t *testing.T) {
		body.get("/work/audits/import")
		if w := body.postMultipart("/work/audits/import", nil, "", nil); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "没有计划文件") {
			t.Errorf("no file = %d, want 400 saying there is no file\n%s", w.Code, w.Body)
		}
		if w := body.postMultipart("/work/audits/import", nil, "empty.jsonl", []byte("\n \n")); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "文件中没有计划") {
			t.Errorf("an empty file = %d, want 400 saying it holds no plan\n%s", w.Code, w.Body)
		}
	})
	t.Run("a post without the session's CSRF token is refused", func(t *testing.T) {
		body.get("/work/audits/import")
		body.csrf = "forged"
		if w := body.postMultipart("/work/audits/import", nil, "plans.jsonl", planFile(planLine("5"))); w.Code != http.StatusForbidden {
			t.Errorf("forged CSRF = %d, want 403", w.Code)
		}
	})
	if n := len(p.bodyAudits(t)); n != before {
		t.Errorf("audits of %s = %d at the end, want %d", bodyA, n, before)
	}
}

// TestAuditPlanFileRefusesOthers: only a body's own staff report plans
// from a file, and only for their own body: a regulator and an auditor
// are refused the page, another body's staff cannot report in bodyA's
// name, and a line of bodyA's certificate is refused to them.
func TestAuditPlanFileRefusesOthers(t *testing.T) {
	p := newAuditPages(t)
	before := len(p.bodyAudits(t))
	for _, tc := range []struct {
		name  string
		email string
		role  account.Role
	}{
		{"a regulator", "sd@example.cn", role(t, account.Regulator, "370000", false)},
		{"an auditor", auditSignInEmail, role(t, account.Auditor, personNo, false)},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			c := p.signIn(t, tc.email, tc.role)
			if w := c.get("/work/audits/import"); w.Code != http.StatusForbidden {
				t.Errorf("GET = %d, want 403", w.Code)
			}
			if w := c.get("/work/audits"); strings.Contains(w.Body.String(), `href="/work/audits/import"`) {
				t.Error("the audit list links the plan file page")
			}
			c.get("/work/")
			w := c.postMultipart("/work/audits/import", map[string]string{"body": bodyA}, "plans.jsonl", planFile(planLine("5")))
			if w.Code != http.StatusForbidden {
				t.Errorf("POST = %d, want 403\n%s", w.Code, w.Body)
			}
		})
	}
	other := p.signIn(t, "other@example.cn", role(t, account.Body, bodyB, false))
	t.Run("another body's staff cannot report in bodyA's name", func(t *testing.T) {
		other.get("/work/audits/import")
		w := other.postMultipart("/work/audits/import", map[string]string{"body": bodyA}, "plans.jsonl", planFile(planLine("5")))
		if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), `id="form-error"`) {
			t.Errorf("POST in bodyA's name = %d, want 403 with the refusal\n%s", w.Code, w.Body)
		}
	})
	t.Run("another body's staff are refused bodyA's certificate line by line", func(t *testing.T) {
		other.get("/work/audits/import")
		w := other.postMultipart("/work/audits/import", nil, "plans.jsonl", planFile(planLine("5")))
		l := refusedLines(w.Body.String())["1"]
		if w.Code != http.StatusOK || !strings.Contains(l.reason, "不是"+bodyB+"的证书") {
			t.Errorf("POST of bodyA's certificate = %d, line 1 refused as %+v, want the certificate of another body\n%s", w.Code, l, w.Body)
		}
	})
	if n := len(p.bodyAudits(t)); n != before {
		t.Errorf("audits of %s = %d, want %d: nothing reported by others", bodyA, n, before)
	}
}

// TestAuditPlanFileBodyLimit posts plan files through the server with its
// default body limit (1 MiB): a larger file is refused as too large,
// naming the limit in the page's language, whether the token comes in
// the form or in the header, and nothing of it is reported.
func TestAuditPlanFileBodyLimit(t *testing.T) {
	p := newAuditPages(t)
	srv := thttp.NewServer(thttp.Config{Store: p.store, Auth: p.auth, Clock: p.clock, Logger: p.quiet()})
	srv.MountPages(p.handler.(thttp.Pages))
	p.handler = srv
	body := p.signIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	before := len(p.bodyAudits(t))
	line := planLine("5")
	big := bytes.Repeat([]byte(line+"\n"), int(thttp.DefaultMaxBodyBytes)/len(line)+1)

	t.Run("with the token in the form", func(t *testing.T) {
		body.get("/work/audits/import")
		w := body.postMultipart("/work/audits/import", nil, "big.jsonl", big)
		want := fmt.Sprintf(zhMessages().Reasons["form.too_large"], float64(thttp.DefaultMaxBodyBytes)/(1<<20))
		if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), want) {
			t.Errorf("a file of %d bytes = %d, want 413 saying %q\n%.2000s", len(big), w.Code, want, w.Body)
		}
	})
	t.Run("with the token in the header, in English", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "big.jsonl")
		fw.Write(big)
		mw.Close()
		r := httptest.NewRequest("POST", "/work/audits/import?lang=en", &buf)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		r.Header.Set("X-CSRF-Token", body.csrf)
		for k, v := range body.cookies {
			r.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		want := fmt.Sprintf("larger than the %d bytes allowed", thttp.DefaultMaxBodyBytes)
		if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), want) {
			t.Errorf("a file of %d bytes = %d, want 413 saying %q\n%.2000s", len(big), w.Code, want, w.Body)
		}
	})
	if n := len(p.bodyAudits(t)); n != before {
		t.Errorf("audits = %d after the refusals, want %d", n, before)
	}
}

// FuzzAuditPlanFileUpload uploads any bytes as a plan file: the answer is
// a page (the file's refusal or its lines'), never a server error, and
// every plan it reports is the signed-in body's.
func FuzzAuditPlanFileUpload(f *testing.F) {
	f.Add(planFile(planLine("5")))
	f.Add([]byte(`{"certificate": 7}` + "\n" + `{"body": "CNCA-R-2003-002"}`))
	f.Add([]byte("\xff\xfe{}\n\n[1,2]\n{\"team\": [{}]}"))
	f.Add([]byte(strings.Repeat("{", 5000)))
	f.Add(planFile(strings.Replace(planLine("5"), "{", `{"request_id": "fz-1", `, 1), strings.Replace(planLine("6"), "{", `{"request_id": "fz-1", `, 1)))
	f.Add([]byte(`{"request_id": 7}` + "\n" + `{"request_id": "` + strings.Repeat("k", 200) + `"}`))
	p := newAuditPages(f)
	p.person(f, "body@example.cn", role(f, account.Body, bodyA, false), "") // a password alone
	c := p.client()
	c.get("/signin")
	c.post("/signin", url.Values{"email": {"body@example.cn"}, "password": {testPassword}, "next": {"/work/"}})
	if w := c.get("/work/audits/import"); w.Code != http.StatusOK {
		f.Fatalf("the body's plan file page = %d, want 200 after signing in", w.Code)
	}
	var mu sync.Mutex // the client is one browser
	f.Fuzz(func(t *testing.T, file []byte) {
		mu.Lock()
		defer mu.Unlock()
		w := c.postMultipart("/work/audits/import", nil, "f.jsonl", file)
		if w.Code >= 500 {
			t.Fatalf("upload of %q = %d\n%s", file, w.Code, w.Body)
		}
		for _, m := range reportedRow.FindAllStringSubmatch(w.Body.String(), -1) {
			a, err := p.store.Audit(context.Background(), strings.TrimPrefix(m[2], "/work/audits/"))
			if err != nil || a.Body != bodyA {
				t.Fatalf("line %s reported %s: %+v, %v; want an audit of %s", m[1], m[2], a, err, bodyA)
			}
		}
	})
}

// TestAuditPlanFileStopped: when the store fails midway, the page lists
// the lines done and says after which line it stopped, in the page's
// language, rather than a bare error page.
func TestAuditPlanFileStopped(t *testing.T) {
	p := newAuditPages(t)
	h := p.handler.(*Handler)
	for _, lang := range []string{"zh", "en"} {
		r := httptest.NewRequest("POST", "/work/audits/import?lang="+lang, nil)
		page := &AuditPlanFilePage{WorkPage: WorkPage{Page: h.newPage(r, "")}, Bodies: []string{bodyA}, Body: bodyA, Uploaded: true, FileName: "plans.jsonl"}
		page.add(thttp.PlanLine{Line: 1, Decision: audit.Decision{Audit: audit.Audit{ID: "A1"}}})
		page.Stopped, page.StoppedAfter = true, page.lastLine
		w := httptest.NewRecorder()
		h.render(w, r, http.StatusInternalServerError, "auditplanfile", page)
		want := map[string]string{"zh": "系统在第 1 行之后停止处理", "en": "Stopped after line 1:"}[lang]
		if body := w.Body.String(); !strings.Contains(body, want) || !strings.Contains(body, `href="/work/audits/A1`) || strings.Contains(body, `class="status ok"`) {
			t.Errorf("the %s page of a file stopped after line 1 does not say %q with line 1's audit linked\n%s", lang, want, body)
		}
	}
}
