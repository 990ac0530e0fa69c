package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"trustmark/account"
	"trustmark/matter"
)

// matterFixture is the sign-in fixture whose portal has the store as its
// inbox and matter desk.
func newMatterFixture(t testing.TB) *signinFixture {
	t.Helper()
	s := newSigninFixture(t, false)
	s.handler = NewHandler(Config{Store: s.store, Search: s.index, Clock: s.fixture.clock, Logger: s.quiet(),
		BaseURL: "https://trustmark.example.cn", Auth: s.auth, Inbox: s.store})
	return s
}

// matterSignIn signs in a new person of role (with a second factor) and
// returns the browser.
func (s *signinFixture) matterSignIn(t testing.TB, email string, r account.Role) *client {
	t.Helper()
	s.person(t, email, r, testSecret)
	c := s.client()
	c.get("/signin")
	c.post("/signin", url.Values{"email": {email}, "password": {testPassword}, "next": {"/work/"}})
	c.get("/signin/code?next=%2Fwork%2F")
	otp, err := totp.GenerateCode(testSecret, s.clock())
	if err != nil {
		t.Fatal(err)
	}
	if w := c.post("/signin/code", url.Values{"code": {otp}, "next": {"/work/"}}); w.Header().Get("Location") != "/work/" {
		t.Fatalf("signing in %s: %d to %q", email, w.Code, w.Header().Get("Location"))
	}
	c.get("/work/") // the session's CSRF token
	return c
}

func (s *signinFixture) openMatter(t testing.TB, o matter.Opening) {
	t.Helper()
	if o.Actor == "" {
		o.Actor = "system"
	}
	if o.Subject == "" {
		o.Subject = "test:" + o.ID
	}
	if _, err := s.store.OpenMatter(context.Background(), o); err != nil {
		t.Fatalf("open %s: %v", o.ID, err)
	}
}

var bodyUnit = account.Unit{Kind: account.Body, ID: bodyA}

func TestMatterScopeOfARegulator(t *testing.T) {
	s := newMatterFixture(t)
	s.openMatter(t, matter.Opening{ID: "M-QD", Kind: "anomaly_explanation", Party: bodyUnit, Region: "370212", At: now.Add(-48 * time.Hour)})
	shandong := s.matterSignIn(t, "sd@example.cn", role(t, account.Regulator, "370000", false))
	s.advance(31 * time.Second)
	guangdong := s.matterSignIn(t, "gd@example.cn", role(t, account.Regulator, "440000", false))

	if w := shandong.get("/work/matters/M-QD"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "test:M-QD") {
		t.Fatalf("Shandong's regulator on a Qingdao matter = %d\n%s", w.Code, w.Body)
	}
	if w := shandong.get("/work/"); !strings.Contains(w.Body.String(), "/work/matters/M-QD") {
		t.Errorf("Shandong's inbox does not list the Qingdao matter\n%s", w.Body)
	}
	if w := guangdong.get("/work/matters/M-QD"); w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "test:M-QD") {
		t.Errorf("Guangdong's regulator on a Qingdao matter = %d, want 404 without it\n%s", w.Code, w.Body)
	}
	if w := guangdong.get("/work/"); strings.Contains(w.Body.String(), "M-QD") {
		t.Errorf("Guangdong's inbox lists a Qingdao matter\n%s", w.Body)
	}
	// Nor may it take a step there (the post is refused as not found).
	if w := guangdong.post("/work/matters/M-QD", url.Values{"action": {"closed"}, "reason": {"x"}}); w.Code != http.StatusNotFound {
		t.Errorf("Guangdong closing a Qingdao matter = %d, want 404", w.Code)
	}
	if w := shandong.get("/work/matters/nope"); w.Code != http.StatusNotFound {
		t.Errorf("no such matter = %d, want 404", w.Code)
	}
}

func TestMatterInboxOverdueFirst(t *testing.T) {
	s := newMatterFixture(t)
	// now is Sunday 2026-03-15. Opened on 2 March, 5 working days: due 9
	// March, overdue. Opened on 13 March: due 20 March. Opened on 12 March
	// with 20 days: due 9 April.
	day := func(d int) time.Time { return time.Date(2026, 3, d, 2, 0, 0, 0, time.UTC) }
	s.openMatter(t, matter.Opening{ID: "M-SOON", Kind: "anomaly_explanation", Party: bodyUnit, Region: "110105", At: day(13)})
	s.openMatter(t, matter.Opening{ID: "M-LATER", Kind: "rectification", Party: bodyUnit, Region: "110105", At: day(12)})
	s.openMatter(t, matter.Opening{ID: "M-LATE", Kind: "anomaly_explanation", Party: bodyUnit, Region: "110105", At: day(2)})
	c := s.matterSignIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	body := c.get("/work/").Body.String()
	late, soon, later := strings.Index(body, "M-LATE"), strings.Index(body, "M-SOON"), strings.Index(body, "M-LATER")
	if late < 0 || soon < 0 || later < 0 || !(late < soon && soon < later) {
		t.Fatalf("inbox order: late %d, soon %d, later %d; want overdue first, then by due date\n%s", late, soon, later, body)
	}
	if !strings.Contains(body, "已逾期 4 个工作日") || !strings.Contains(body, "badge bad") {
		t.Errorf("the overdue matter is not marked overdue by 4 working days (10-13 March)\n%s", body)
	}
	if !strings.Contains(body, "剩余 5 个工作日") {
		t.Errorf("the matter due on 20 March does not have 5 working days left\n%s", body)
	}
}

func TestMatterWorkingDaysAcrossSpringFestival(t *testing.T) {
	s := newMatterFixture(t)
	// Opened on Friday 13 February 2026: 5 working days are the adjusted
	// Saturday 14 February and 24-27 February, after the holiday of 15-23
	// February. On weekends alone it would have been 20 February.
	opened := time.Date(2026, 2, 13, 2, 0, 0, 0, time.UTC)
	s.openMatter(t, matter.Opening{ID: "M-SF", Kind: "anomaly_explanation", Party: bodyUnit, Region: "110105", At: opened})
	c := s.matterSignIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	s.fixture.setClock(opened)
	w := c.get("/work/matters/M-SF")
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, "2026-02-27") || !strings.Contains(body, "剩余 5 个工作日") {
		t.Fatalf("matter opened before Spring Festival = %d, want due 2026-02-27 with 5 working days left\n%s", w.Code, body)
	}
	if strings.Contains(body, "暂按周末推算") {
		t.Errorf("a deadline in a loaded year is marked provisional")
	}
	// A matter due in 2027, a year whose notice is not loaded, is
	// provisional.
	late := time.Date(2026, 12, 28, 2, 0, 0, 0, time.UTC)
	s.fixture.setClock(late)
	s.openMatter(t, matter.Opening{ID: "M-2027", Kind: "anomaly_explanation", Party: bodyUnit, Region: "110105", At: late})
	if body := c.get("/work/matters/M-2027").Body.String(); !strings.Contains(body, "暂按周末推算") {
		t.Errorf("a deadline in 2027 is not marked provisional\n%s", body)
	}
}

// postMultipart posts an answer form with a file, as a browser does.
func (c *client) postMultipart(target string, fields map[string]string, fileName string, file []byte) *httptest.ResponseRecorder {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if fileName != "" {
		fw, _ := mw.CreateFormFile("file", fileName)
		fw.Write(file)
	}
	mw.Close()
	r := httptest.NewRequest("POST", target, &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range c.cookies {
		r.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	w := httptest.NewRecorder()
	c.s.handler.ServeHTTP(w, r)
	return w
}

func TestMatterStepsThroughTheForms(t *testing.T) {
	s := newMatterFixture(t)
	s.openMatter(t, matter.Opening{ID: "M-A", Kind: "anomaly_explanation", Party: bodyUnit, Region: "110105", At: now.Add(-24 * time.Hour)})
	s.openMatter(t, matter.Opening{ID: "M-L", Kind: "lead_verification", Party: account.Unit{Kind: account.Regulator, ID: "110000"}, Region: "110105", At: now.Add(-24 * time.Hour)})
	b := s.matterSignIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	s.advance(31 * time.Second)
	reg := s.matterSignIn(t, "bj@example.cn", role(t, account.Regulator, "110000", false))

	page := b.get("/work/matters/M-A").Body.String()
	if !strings.Contains(page, `value="answered"`) || strings.Contains(page, `value="accepted"`) {
		t.Fatalf("the body's page should offer the answer form and no decision\n%s", page)
	}
	if !strings.Contains(page, "法律依据") {
		t.Errorf("the page does not show the kind's legal source\n%s", page)
	}
	t.Run("a post without the CSRF token is refused", func(t *testing.T) {
		b.csrf = "forged"
		if w := b.post("/work/matters/M-A", url.Values{"action": {"answered"}, "text": {"x"}}); w.Code != http.StatusForbidden {
			t.Errorf("forged CSRF = %d, want 403", w.Code)
		}
		b.get("/work/matters/M-A")
	})
	t.Run("an empty answer is refused next to its form", func(t *testing.T) {
		w := b.postMultipart("/work/matters/M-A", map[string]string{"action": "answered", "text": " "}, "", nil)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), said("matter.answer_empty")) || !strings.Contains(w.Body.String(), `id="form-error"`) {
			t.Errorf("empty answer = %d\n%s", w.Code, w.Body)
		}
	})
	w := b.postMultipart("/work/matters/M-A", map[string]string{"action": "answered", "text": "已更换审核组并补充记录。"}, "说明.pdf", []byte("%PDF-1.4 x"))
	wantRedirect(t, w, "/work/matters/M-A?done=1")
	page = b.get("/work/matters/M-A").Body.String()
	if !strings.Contains(page, "已更换审核组并补充记录。") || !strings.Contains(page, "/work/matters/M-A/files/2") {
		t.Fatalf("the answer and its file are not in the history\n%s", page)
	}
	if w := b.get("/work/matters/M-A/files/2"); w.Code != http.StatusOK || w.Body.String() != "%PDF-1.4 x" || !strings.Contains(w.Header().Get("Content-Disposition"), "attachment") {
		t.Errorf("attachment = %d %q", w.Code, w.Body)
	}
	page = reg.get("/work/matters/M-A").Body.String()
	if !strings.Contains(page, `value="accepted"`) || strings.Contains(page, `value="answered"`) {
		t.Fatalf("the regulator's page should offer the decision and no answer\n%s", page)
	}
	wantRedirect(t, reg.post("/work/matters/M-A", url.Values{"action": {"accepted"}}), "/work/matters/M-A?done=1")
	if page := reg.get("/work/matters/M-A").Body.String(); !strings.Contains(page, "已接受") {
		t.Errorf("accepted matter page\n%s", page)
	}
	if w := b.post("/work/matters/M-A", url.Values{"action": {"closed"}, "reason": {"x"}}); w.Code != http.StatusForbidden {
		t.Errorf("a body closing a matter = %d, want 403", w.Code)
	}

	t.Run("an extension is held to the law's limit", func(t *testing.T) {
		reg.get("/work/matters/M-L")
		w := reg.post("/work/matters/M-L", url.Values{"action": {"extended"}, "days": {"16"}, "reason": {"案情复杂"}})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "最多可延长15个工作日") {
			t.Errorf("extension of 16 = %d\n%s", w.Code, w.Body)
		}
		wantRedirect(t, reg.post("/work/matters/M-L", url.Values{"action": {"extended"}, "days": {"10"}, "reason": {"案情复杂"}}), "/work/matters/M-L?done=1")
		if page := reg.get("/work/matters/M-L").Body.String(); !strings.Contains(page, "可延长15个工作日（已延长10个工作日）") {
			t.Errorf("the page does not show the extension granted\n%s", page)
		}
		wantRedirect(t, reg.post("/work/matters/M-L", url.Values{"action": {"paused"}, "reason": {"testing"}}), "/work/matters/M-L?done=1")
		wantRedirect(t, reg.post("/work/matters/M-L", url.Values{"action": {"resumed"}}), "/work/matters/M-L?done=1")
	})
	steps, err := s.store.MatterSteps(context.Background(), "M-L")
	if err != nil || len(steps) != 4 || steps[1].Action != matter.Extend || steps[1].Actor == "" {
		t.Errorf("steps of M-L = %+v, %v", steps, err)
	}
}

// FuzzMatterForm posts any step, days and reason to a matter's page: the
// answer is a page, never a server error, and a refusal leaves the matter
// as it was.
func FuzzMatterForm(f *testing.F) {
	f.Add("extended", "10", "案情复杂")
	f.Add("extended", "-1", "")
	f.Add("paused", "", "testing")
	f.Add("resumed", "99999999999999999999", "x")
	f.Add("accepted", "0", "\x00")
	f.Add("opened", "1", "")
	s := newMatterFixture(f)
	s.openMatter(f, matter.Opening{ID: "M-F", Kind: "lead_verification", Party: account.Unit{Kind: account.Regulator, ID: "110000"}, Region: "110105", At: now.Add(-24 * time.Hour)})
	c := s.matterSignIn(f, "bj@example.cn", role(f, account.Regulator, "110000", false))
	var mu sync.Mutex // the client is one browser
	f.Fuzz(func(t *testing.T, action, days, reason string) {
		mu.Lock()
		defer mu.Unlock()
		before, _ := s.store.Matter(context.Background(), "M-F")
		w := c.post("/work/matters/M-F", url.Values{"action": {action}, "days": {days}, "reason": {reason}})
		if w.Code >= 500 {
			t.Fatalf("action %q days %q reason %q = %d\n%s", action, days, reason, w.Code, w.Body)
		}
		if w.Code != http.StatusSeeOther {
			after, _ := s.store.Matter(context.Background(), "M-F")
			if after.State != before.State || after.Due != before.Due || after.Extended != before.Extended {
				t.Fatalf("a refused step changed the matter: %+v -> %+v", before, after)
			}
		}
	})
}

// TestWorkPagesByRole walks the matter, staff, certificate and upload
// pages with a role of each kind, inside and outside its scope: what each
// may open, and that nothing opens without a session.
func TestWorkPagesByRole(t *testing.T) {
	s := newMatterFixture(t)
	s.openMatter(t, matter.Opening{ID: "M-BJ", Kind: "anomaly_explanation", Party: bodyUnit, Region: "110105", At: now.Add(-24 * time.Hour)})
	pages := []string{"/work/matters/M-BJ", "/work/certificates/new", "/work/certificates/" + certQMS, "/work/import", "/work/staff"}
	for _, target := range append(pages, "/work/matters/M-BJ/files/2", "/work/import/refused/00") {
		if w := s.client().get(target); w.Code != http.StatusSeeOther {
			t.Errorf("GET %s without a session = %d, want 303 to sign in", target, w.Code)
		}
	}
	for _, target := range []string{"/work/matters/M-BJ", "/work/certificates/new", "/work/import", "/work/staff/invite", "/work/staff/reset", "/work/staff/remove"} {
		if w := s.client().do("POST", target, url.Values{}); w.Code != http.StatusSeeOther {
			t.Errorf("POST %s without a session = %d, want 303", target, w.Code)
		}
	}
	const ok, forbidden, notFound = http.StatusOK, http.StatusForbidden, http.StatusNotFound
	for i, tc := range []struct {
		role account.Role
		want []int // in the order of pages
	}{
		{role(t, account.Regulator, "110000", true), []int{ok, forbidden, ok, forbidden, ok}},              // Beijing: the body's region
		{role(t, account.Regulator, "310000", true), []int{notFound, forbidden, forbidden, forbidden, ok}}, // Shanghai
		{role(t, account.Body, bodyA, false), []int{ok, ok, ok, ok, ok}},
		{role(t, account.Body, bodyB, true), []int{notFound, ok, forbidden, ok, ok}},
		{role(t, account.Lab, labA, false), []int{notFound, forbidden, forbidden, ok, ok}},
		{role(t, account.Auditor, personNo, false), []int{notFound, forbidden, forbidden, forbidden, ok}},
		{role(t, account.Org, string(haier), false), []int{notFound, forbidden, forbidden, forbidden, ok}},
	} {
		s.advance(31 * time.Second)
		c := s.matterSignIn(t, "p"+string(rune('a'+i))+"@example.cn", tc.role)
		for j, target := range pages {
			if w := c.get(target); w.Code != tc.want[j] {
				t.Errorf("%s: GET %s = %d, want %d", tc.role, target, w.Code, tc.want[j])
			}
		}
		page := c.get("/work/staff").Body.String()
		if admin := strings.Contains(page, "/work/staff/invite"); admin != tc.role.Admin {
			t.Errorf("%s: the staff page offers invitations: %v", tc.role, admin)
		}
	}
}
