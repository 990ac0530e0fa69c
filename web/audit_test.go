package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/audit"
	"trustmark/matter"
)

// The audit pages' fixture: a surveillance audit of certQMS (Haier, in
// Qingdao) whose opening meeting started three hours before the clock,
// with personNo as its leader; and an initial audit of Xihu (Hangzhou)
// led by another auditor of bodyA.
const (
	auditPeer        = "2026-NQA-0002"
	qdLat, qdLng     = 36.0671, 120.3826 // the Qingdao site, WGS-84
	hzLat, hzLng     = 30.2741, 120.1551
	auditSignInEmail = "auditor@example.cn"
)

type auditPages struct {
	*signinFixture
	qd, hz string // audit ids
}

func newAuditPages(t testing.TB) *auditPages {
	t.Helper()
	s := newSigninFixture(t, false)
	ctx := context.Background()
	rec, err := trustmark.ParseRecord(trustmark.KindPersons, trustmark.Row{"registration_no": auditPeer, "name": "李娜",
		"body_approval_no": bodyA, "qualifications": "QMS"}, trustmark.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.Import(ctx, trustmark.Party{Kind: trustmark.PartyImport, ID: "fixture"}, trustmark.KindPersons, []trustmark.Record{rec}); err != nil {
		t.Fatal(err)
	}
	p := &auditPages{signinFixture: s}
	open := now.Add(-3 * time.Hour)
	p.qd = p.report(t, audit.Plan{Certificate: certQMS, Kind: audit.Surveillance,
		Site:      audit.Site{Address: "青岛市崂山区海尔路1号", Lat: qdLat, Lng: qdLng, Datum: audit.WGS84},
		OpeningAt: open, ClosingAt: open.Add(7 * time.Hour), Team: []audit.Member{{RegistrationNo: personNo, Role: audit.Leader}},
		AuditorDays: 5, EffectivePersonnel: 230})
	p.hz = p.report(t, audit.Plan{HolderUSCC: xihu, Type: trustmark.TypeQMS, Kind: audit.Initial,
		Site:      audit.Site{Address: "杭州市西湖区文三路1号", Lat: hzLat, Lng: hzLng, Datum: audit.WGS84},
		OpeningAt: now.Add(24 * time.Hour), ClosingAt: now.Add(31 * time.Hour), Team: []audit.Member{{RegistrationNo: auditPeer, Role: audit.Leader}},
		AuditorDays: 20, EffectivePersonnel: 230})
	return p
}

func (p *auditPages) report(t testing.TB, plan audit.Plan) string {
	t.Helper()
	d, err := p.store.ReportAudit(context.Background(), bodyA, "fixture", plan)
	if err != nil {
		t.Fatalf("ReportAudit: %v", err)
	}
	return d.Audit.ID
}

// signIn signs in a new person of role with a password and a code, and
// returns the browser (without JavaScript).
func (p *auditPages) signIn(t *testing.T, email string, r account.Role) *client {
	t.Helper()
	p.advance(31 * time.Second) // a code works once
	p.person(t, email, r, testSecret)
	c := p.client()
	c.get("/signin")
	c.post("/signin", url.Values{"email": {email}, "password": {testPassword}, "next": {"/work/"}})
	c.get("/signin/code?next=%2Fwork%2F")
	wantRedirect(t, c.post("/signin/code", url.Values{"code": {code(t, testSecret, p.clock())}, "next": {"/work/"}}), "/work/")
	return c
}

// testJPEG is a w×h JPEG of a few colours, seeded so each is its own photo.
func testJPEG(t testing.TB, w, h int, seed uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x*7) + seed, uint8(y * 3), seed * 13, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkInForm is a multipart check-in form as the page posts it.
func checkInBody(t testing.TB, fields map[string]string, photos ...[]byte) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for i, ph := range photos {
		fw, err := mw.CreateFormFile("photos", "photo"+string(rune('1'+i))+".jpg")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(ph)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// postCheckIn posts a check-in form with the CSRF token of the last page,
// in the form, as a browser without scripts does.
func (c *client) postCheckIn(t testing.TB, target string, fields map[string]string, photos ...[]byte) *httptest.ResponseRecorder {
	t.Helper()
	fields["csrf"] = c.csrf
	body, ct := checkInBody(t, fields, photos...)
	r := httptest.NewRequest("POST", target, body)
	r.Header.Set("Content-Type", ct)
	for k, v := range c.cookies {
		r.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	w := httptest.NewRecorder()
	c.s.handler.ServeHTTP(w, r)
	return w
}

// north returns the latitude metres north of lat.
func north(lat, metres float64) float64 { return lat + metres/6371008.8*180/math.Pi }

var requestIDField = regexp.MustCompile(`name="request_id" value="([^"]+)"`)

func TestAuditListsAndPagesKeepToTheirScope(t *testing.T) {
	p := newAuditPages(t)
	auditor := p.signIn(t, auditSignInEmail, role(t, account.Auditor, personNo, false))
	peer := p.signIn(t, "peer@example.cn", role(t, account.Auditor, auditPeer, false))
	shandong := p.signIn(t, "sd@example.cn", role(t, account.Regulator, "370000", false))
	zhejiang := p.signIn(t, "zj@example.cn", role(t, account.Regulator, "330000", false))
	body := p.signIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	other := p.signIn(t, "other@example.cn", role(t, account.Body, bodyB, false))

	for _, tc := range []struct {
		who       string
		c         *client
		sees, not []string
	}{
		{"the auditor on the Qingdao team", auditor, []string{p.qd}, []string{p.hz}},
		{"the auditor on the Hangzhou team", peer, []string{p.hz}, []string{p.qd}},
		{"Shandong's regulator", shandong, []string{p.qd}, []string{p.hz}},
		{"Zhejiang's regulator", zhejiang, []string{p.hz}, []string{p.qd}},
		{"the body", body, []string{p.qd, p.hz}, nil},
		{"another body", other, nil, []string{p.qd, p.hz}},
	} {
		t.Run(tc.who, func(t *testing.T) {
			w := tc.c.get("/work/audits/")
			if w.Code != http.StatusOK {
				t.Fatalf("GET /work/audits/ = %d\n%s", w.Code, w.Body)
			}
			list := w.Body.String()
			for _, id := range tc.sees {
				if !strings.Contains(list, auditURL(id)) {
					t.Errorf("the list does not link audit %s\n%s", id, list)
				}
				if w := tc.c.get(auditURL(id)); w.Code != http.StatusOK {
					t.Errorf("GET %s = %d, want 200", auditURL(id), w.Code)
				}
			}
			for _, id := range tc.not {
				if strings.Contains(list, id) {
					t.Errorf("the list shows audit %s outside the scope", id)
				}
				if w := tc.c.get(auditURL(id)); w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "海尔路") {
					t.Errorf("GET %s = %d, want 404 without the audit", auditURL(id), w.Code)
				}
			}
		})
	}
	t.Run("only a member of the team gets the check-in form", func(t *testing.T) {
		if w := auditor.get(auditURL(p.qd)); !strings.Contains(w.Body.String(), `id="checkin"`) || !strings.Contains(w.Body.String(), `capture="environment"`) {
			t.Errorf("the leader's page has no check-in form\n%s", w.Body)
		}
		if w := shandong.get(auditURL(p.qd)); strings.Contains(w.Body.String(), `id="checkin"`) {
			t.Error("a regulator's page has a check-in form")
		}
	})
	t.Run("the pages speak English with ?lang=en", func(t *testing.T) {
		if w := auditor.get("/work/audits/?lang=en"); !strings.Contains(w.Body.String(), "My audits") {
			t.Errorf("the list is not in English\n%s", w.Body)
		}
		w := auditor.get(auditURL(p.qd) + "?lang=en")
		if !strings.Contains(w.Body.String(), "Check in on site") || !strings.Contains(w.Body.String(), `action="`+auditURL(p.qd)+`/checkins?lang=en"`) {
			t.Errorf("the audit's page is not in English or its form forgets the language\n%s", w.Body)
		}
	})
	t.Run("the check-in page may run its one script, from this site only", func(t *testing.T) {
		w := auditor.get(auditURL(p.qd))
		if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("the check-in page's policy is %q", csp)
		}
		if !strings.Contains(w.Body.String(), `<script src="`+checkinScriptPath+`" defer>`) {
			t.Error("the check-in page does not load its script")
		}
		if csp := shandong.get("/work/audits").Header().Get("Content-Security-Policy"); strings.Contains(csp, "script-src") {
			t.Errorf("a page without a form allows scripts: %q", csp)
		}
		js := auditor.get(checkinScriptPath)
		if js.Code != http.StatusOK || !strings.HasPrefix(js.Header().Get("Content-Type"), "text/javascript") || !bytes.Equal(js.Body.Bytes(), checkinJS) {
			t.Errorf("GET %s = %d %s", checkinScriptPath, js.Code, js.Header().Get("Content-Type"))
		}
		if w := auditor.get("/work/static/checkin-00000000.js"); w.Code != http.StatusNotFound {
			t.Errorf("a script of another version = %d, want 404", w.Code)
		}
	})
	t.Run("an auditor's list puts today's audit before those to come", func(t *testing.T) {
		later := p.report(t, audit.Plan{Certificate: certQMS, Kind: audit.Surveillance,
			Site:      audit.Site{Address: "青岛市崂山区海尔路1号", Lat: qdLat, Lng: qdLng, Datum: audit.WGS84},
			OpeningAt: now.Add(48 * time.Hour), ClosingAt: now.Add(55 * time.Hour), Team: []audit.Member{{RegistrationNo: personNo, Role: audit.Leader}},
			AuditorDays: 5, EffectivePersonnel: 230})
		list := auditor.get("/work/audits/").Body.String()
		today, coming := strings.Index(list, auditURL(p.qd)), strings.Index(list, auditURL(later))
		if today < 0 || coming < 0 || today > coming {
			t.Errorf("today's audit at %d, the later one at %d, want today's first\n%s", today, coming, list)
		}
		if !strings.Contains(list, `data-group="today"`) || !strings.Contains(list, `data-group="upcoming"`) {
			t.Errorf("the list does not group today's and coming audits\n%s", list)
		}
	})
	t.Run("an auditor not on the team cannot check in", func(t *testing.T) {
		peer.get(auditURL(p.hz))
		w := peer.postCheckIn(t, auditURL(p.qd)+"/checkins", map[string]string{"kind": "open", "lat": "36.0671", "lng": "120.3826",
			"accuracy_m": "10", "team_confirmed": "1"}, testJPEG(t, 40, 30, 1))
		if w.Code != http.StatusNotFound {
			t.Errorf("check-in by a person not on the team = %d, want 404", w.Code)
		}
		if cs, _ := p.store.AuditCheckIns(context.Background(), p.qd); len(cs) != 0 {
			t.Errorf("%d check-ins stored, want none", len(cs))
		}
	})
	t.Run("the regulator's filters", func(t *testing.T) {
		// The Qingdao plan was reported after its opening: late_report.
		w := body.get("/work/audits?anomalous=1")
		if !strings.Contains(w.Body.String(), auditURL(p.qd)) || strings.Contains(w.Body.String(), auditURL(p.hz)) {
			t.Errorf("anomalies only does not keep only the Qingdao audit\n%s", w.Body)
		}
		w = body.get("/work/audits?from=2026-03-16&to=2026-03-16")
		if !strings.Contains(w.Body.String(), auditURL(p.hz)) || strings.Contains(w.Body.String(), auditURL(p.qd)) {
			t.Errorf("the date filter of 2026-03-16 does not keep only the Hangzhou audit\n%s", w.Body)
		}
		w = body.get("/work/audits?from=2026-13-01")
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "from") || strings.Contains(w.Body.String(), auditURL(p.qd)) {
			t.Errorf("a bad date = %d, want 400 naming the filter, without the list\n%s", w.Code, w.Body)
		}
	})
}

func TestAuditCheckInWithoutScript(t *testing.T) {
	p := newAuditPages(t)
	auditor := p.signIn(t, auditSignInEmail, role(t, account.Auditor, personNo, false))
	page := auditor.get(auditURL(p.qd)).Body.String()
	m := requestIDField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the form has no request id\n%s", page)
	}
	target := auditURL(p.qd) + "/checkins"
	photo := testJPEG(t, 64, 48, 3)
	fields := func(lat, lng string) map[string]string {
		return map[string]string{"kind": "open", "lat": lat, "lng": lng, "accuracy_m": "", "datum": "wgs84",
			"request_id": m[1], "team_confirmed": "1"}
	}
	zh := zhMessages().Audit

	t.Run("without a position the answer says it is missing and nothing is recorded", func(t *testing.T) {
		w := auditor.postCheckIn(t, target, fields("", ""), photo)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), zh.PositionMissing) {
			t.Errorf("check-in without position = %d\n%s", w.Code, w.Body)
		}
		if !strings.Contains(w.Body.String(), m[1]) {
			t.Error("the form shown again lost its request id")
		}
		if cs, _ := p.store.AuditCheckIns(context.Background(), p.qd); len(cs) != 0 {
			t.Errorf("%d check-ins stored, want none", len(cs))
		}
	})
	t.Run("a number that is not one is refused with the reason", func(t *testing.T) {
		w := auditor.postCheckIn(t, target, fields("north", "120"), photo)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "“north”不是数字") {
			t.Errorf("check-in with lat=north = %d\n%s", w.Code, w.Body)
		}
	})
	t.Run("four photos are refused", func(t *testing.T) {
		w := auditor.postCheckIn(t, target, fields("36.0671", "120.3826"), photo, photo, photo, photo)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), said("audit.photos")) {
			t.Errorf("check-in with four photos = %d\n%s", w.Code, w.Body)
		}
	})
	t.Run("the team must be confirmed", func(t *testing.T) {
		f := fields("36.0671", "120.3826")
		delete(f, "team_confirmed")
		if w := auditor.postCheckIn(t, target, f, photo); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), zh.TeamUnconfirmed) {
			t.Errorf("check-in without the team confirmed = %d\n%s", w.Code, w.Body)
		}
	})
	t.Run("a check-in three hours after the opening is recorded, late, in plain words", func(t *testing.T) {
		f := fields(strconvF(north(qdLat, 300)), strconvF(qdLng))
		f["accuracy_m"] = "25"
		w := auditor.postCheckIn(t, target, f, photo)
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, `id="checkin-result"`) || !strings.Contains(body, zh.Recorded) {
			t.Fatalf("check-in = %d\n%s", w.Code, body)
		}
		if !strings.Contains(body, "首次会议签到晚于计划开始时间 2 小时以上") {
			t.Errorf("the answer does not say the check-in is late\n%s", body)
		}
		if strings.Contains(body, zh.Rules[audit.FarFromSite]) {
			t.Error("300 m from the site is said to be far")
		}
		if strings.Contains(body, zh.Replayed) {
			t.Error("a first check-in is said to be a repeat")
		}
		cs, _ := p.store.AuditCheckIns(context.Background(), p.qd)
		if len(cs) != 1 || cs[0].Person != personNo || cs[0].AccuracyM != 25 || len(cs[0].Photos) != 1 {
			t.Fatalf("stored check-ins = %+v, want one of %s with accuracy 25 and a photo", cs, personNo)
		}
	})
	t.Run("the same form again is not a second check-in", func(t *testing.T) {
		f := fields(strconvF(north(qdLat, 300)), strconvF(qdLng))
		w := auditor.postCheckIn(t, target, f, photo)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), zh.Replayed) {
			t.Errorf("repeated check-in = %d without saying so\n%s", w.Code, w.Body)
		}
		if cs, _ := p.store.AuditCheckIns(context.Background(), p.qd); len(cs) != 1 {
			t.Errorf("%d check-ins stored, want 1", len(cs))
		}
	})
	t.Run("a closing check-in 10 km away is far from the site", func(t *testing.T) {
		f := fields(strconvF(north(qdLat, 10000)), strconvF(qdLng))
		f["kind"], f["request_id"], f["accuracy_m"] = "close", "web-second", "30"
		w := auditor.postCheckIn(t, target, f, testJPEG(t, 64, 48, 9))
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), zh.Rules[audit.FarFromSite]) {
			t.Errorf("far check-in = %d without far_from_site\n%s", w.Code, w.Body)
		}
	})
}

func strconvF(f float64) string { return strconv.FormatFloat(f, 'f', 6, 64) }

func TestAuditPhotosAndAnomalyPagesKeepToTheirScope(t *testing.T) {
	p := newAuditPages(t)
	auditor := p.signIn(t, auditSignInEmail, role(t, account.Auditor, personNo, false))
	shandong := p.signIn(t, "sd@example.cn", role(t, account.Regulator, "370000", false))
	zhejiang := p.signIn(t, "zj@example.cn", role(t, account.Regulator, "330000", false))
	body := p.signIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	other := p.signIn(t, "other@example.cn", role(t, account.Body, bodyB, false))
	peer := p.signIn(t, "peer@example.cn", role(t, account.Auditor, auditPeer, false))

	photo := testJPEG(t, 64, 48, 5)
	auditor.get(auditURL(p.qd))
	w := auditor.postCheckIn(t, auditURL(p.qd)+"/checkins", map[string]string{"kind": "open", "lat": strconvF(qdLat), "lng": strconvF(qdLng),
		"accuracy_m": "12", "request_id": "web-photo", "team_confirmed": "1"}, photo)
	if w.Code != http.StatusOK {
		t.Fatalf("check-in = %d\n%s", w.Code, w.Body)
	}
	cs, err := p.store.AuditCheckIns(context.Background(), p.qd)
	if err != nil || len(cs) != 1 {
		t.Fatalf("check-ins = %v, %v", cs, err)
	}
	photoURL := auditURL(p.qd) + "/photos/" + cs[0].Photos[0].SHA256

	t.Run("photos go to the region's regulator, the body and the person only", func(t *testing.T) {
		for _, c := range []*client{shandong, body, auditor} {
			w := c.get(photoURL)
			if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/jpeg" || !bytes.Equal(w.Body.Bytes(), photo) {
				t.Errorf("GET photo = %d %s, want the JPEG", w.Code, w.Header().Get("Content-Type"))
			}
		}
		for _, c := range []*client{zhejiang, other, peer} {
			if w := c.get(photoURL); w.Code != http.StatusNotFound || bytes.Contains(w.Body.Bytes(), photo[:32]) {
				t.Errorf("GET photo by someone not entitled = %d, want 404", w.Code)
			}
		}
		if w := p.client().get(photoURL); w.Code != http.StatusSeeOther {
			t.Errorf("GET photo without a session = %d, want a redirect to sign in", w.Code)
		}
		if w := shandong.get(auditURL(p.qd)); !strings.Contains(w.Body.String(), `src="`+photoURL+`"`) {
			t.Errorf("the regulator's audit page does not show the photo\n%s", w.Body)
		}
		if w := auditor.get(auditURL(p.hz) + "/photos/" + cs[0].Photos[0].SHA256); w.Code != http.StatusNotFound {
			t.Errorf("a photo asked under another audit = %d, want 404", w.Code)
		}
	})

	recs, err := p.store.AuditAnomalies(context.Background(), p.qd)
	if err != nil {
		t.Fatal(err)
	}
	var late audit.AnomalyRecord
	for _, r := range recs {
		if r.Rule == audit.LateOpen {
			late = r
		}
	}
	if late.Key == "" {
		t.Fatalf("no late_open among %+v", recs)
	}
	t.Run("an anomaly's page says the rule, the evidence and the deadline", func(t *testing.T) {
		w := shandong.get(anomalyURL(late))
		page := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s = %d\n%s", anomalyURL(late), w.Code, page)
		}
		for _, want := range []string{"首次会议签到晚于计划开始时间 2 小时以上", "late_open", "超出时限", "1 小时 0 分",
			"计划首次会议开始", "2026-03-15 07:00", "剩余", late.Matter.Due.Date.String(), matterURL(late.Matter.ID), "认证机构尚未说明"} {
			if !strings.Contains(page, want) {
				t.Errorf("the anomaly's page does not say %q\n%s", want, page)
			}
		}
		if w := zhejiang.get(anomalyURL(late)); w.Code != http.StatusNotFound {
			t.Errorf("another region's regulator on the anomaly = %d, want 404", w.Code)
		}
		if w := shandong.get(auditURL(p.qd) + "/anomalies/late_open/nope"); w.Code != http.StatusNotFound {
			t.Errorf("no such anomaly = %d, want 404", w.Code)
		}
	})
	t.Run("the body's explanation is shown once given", func(t *testing.T) {
		if _, err := p.store.AnswerMatter(context.Background(), late.Matter.ID, matter.Step{At: now, Actor: "body:" + bodyA},
			"组长所乘航班延误，已补充登机牌。", "", nil); err != nil {
			t.Fatal(err)
		}
		w := body.get(anomalyURL(late))
		if !strings.Contains(w.Body.String(), "组长所乘航班延误") || strings.Contains(w.Body.String(), "认证机构尚未说明") {
			t.Errorf("the anomaly's page does not show the explanation\n%s", w.Body)
		}
	})
}
