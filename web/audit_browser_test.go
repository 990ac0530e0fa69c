package web

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"trustmark/account"
)

// TestAuditCheckInInBrowser is the auditor's phone: headless Chromium at
// 360 pixels with the geolocation permission granted and a position
// emulated through the DevTools protocol, 300 m from the Qingdao site.
// The auditor signs in, opens today's audit from the list, waits for the
// page's script to take the position, attaches a 2000×1500 JPEG (which
// the script makes smaller before upload), confirms the team and checks
// in; the answer says recorded, and late in plain words. With the
// permission refused, the page says so.
func TestAuditCheckInInBrowser(t *testing.T) {
	b := startChromium(t)
	p := newAuditPages(t)
	p.person(t, auditSignInEmail, role(t, account.Auditor, personNo, false), testSecret)
	srv := httptest.NewServer(p.handler)
	defer srv.Close()
	photo := filepath.Join(t.TempDir(), "team.jpg")
	big := testJPEG(t, 2000, 1500, 7)
	if err := os.WriteFile(photo, big, 0o644); err != nil {
		t.Fatal(err)
	}
	lat, lng, acc := north(qdLat, 300), qdLng, 18.0
	permission := func(setting browser.PermissionSetting) {
		t.Helper()
		if _, err := chromedp.CallBrowser(b.ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: "geolocation"}, Setting: setting, Origin: srv.URL}); err != nil {
			t.Fatalf("set the geolocation permission: %v", err)
		}
	}
	permission(browser.PermissionSettingGranted)
	if _, err := chromedp.Call(b.ctx, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{
		Latitude: &lat, Longitude: &lng, Accuracy: &acc}); err != nil {
		t.Fatalf("emulate the position: %v", err)
	}
	zh := zhMessages().Audit

	b.run(t, viewport(360, 740, true),
		chromedp.Navigate(srv.URL+"/work/audits/"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), auditSignInEmail),
		chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
		chromedp.WaitVisible(chromedp.ID("code")))
	b.run(t, chromedp.SendKeys(chromedp.ID("code"), code(t, testSecret, p.clock())+"\n"),
		chromedp.WaitVisible(chromedp.CSS(`li.audit-row[data-group="today"] a`)))
	b.shot(t, "audits-360px")
	if w := b.width(t); w > 360 {
		t.Errorf("the audit list is %d px wide on a 360-px screen", w)
	}
	b.run(t, chromedp.Click(chromedp.CSS(`li.audit-row[data-group="today"] a`)),
		chromedp.WaitVisible(chromedp.ID("checkin")))
	waitText(t, b, "#locate-status", "已获取位置")
	if got := b.text(t, "#locate-status"); !strings.Contains(got, "18") {
		t.Errorf("the position's status %q does not show its accuracy of 18 m", got)
	}
	b.run(t, chromedp.SetUploadFiles(chromedp.ID("photos"), []string{photo}),
		chromedp.Click(chromedp.ID("team-confirmed")))
	b.shot(t, "checkin-form-360px")
	if w := b.width(t); w > 360 {
		t.Errorf("the check-in page is %d px wide on a 360-px screen: %v", w, b.pastEdge(t))
	}
	b.run(t, chromedp.Click(chromedp.ID("checkin-submit")),
		chromedp.WaitVisible(chromedp.ID("checkin-result")))
	b.shot(t, "checkin-result-360px")
	if got := b.text(t, "#checkin-result"); !strings.Contains(got, zh.Recorded) {
		t.Errorf("the answer says %q, want %s", got, zh.Recorded)
	}
	if got := b.text(t, "#raised"); !strings.Contains(got, "首次会议签到晚于计划开始时间 2 小时以上") {
		t.Errorf("the answer's anomalies are %q, want the late opening", got)
	}

	cs, err := p.store.AuditCheckIns(context.Background(), p.qd)
	if err != nil || len(cs) != 1 {
		t.Fatalf("stored check-ins = %v, %v; want one", cs, err)
	}
	c := cs[0]
	if d := (c.Lat - lat) * 111e3; d > 1 || d < -1 || c.AccuracyM != 18 || c.DeviceTime.IsZero() || c.Device == "" {
		t.Errorf("stored check-in %+v, want the emulated position, its accuracy, the phone's time and device", c)
	}
	data, err := p.store.CheckInPhoto(context.Background(), c.Photos[0].SHA256)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) >= len(big) || len(data) < 1000 || data[0] != 0xFF || data[1] != 0xD8 {
		t.Errorf("stored photo has %d bytes (the original %d), want a smaller JPEG", len(data), len(big))
	}

	t.Run("with the permission refused the page says so", func(t *testing.T) {
		permission(browser.PermissionSettingDenied)
		b.run(t, chromedp.Navigate(srv.URL+auditURL(p.qd)), chromedp.WaitVisible(chromedp.ID("checkin")))
		waitText(t, b, "#locate-status", "拒绝")
		if got := b.text(t, "#locate-status"); got != zh.LocateDenied {
			t.Errorf("refused position says %q, want %q", got, zh.LocateDenied)
		}
	})
}

// waitText waits up to ten seconds for the element sel selects to contain
// want.
func waitText(t *testing.T, b *headless, sel, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := b.text(t, sel)
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s says %q, want %q", sel, got, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestAuditRegulatorPagesInBrowser is Shandong's regulator on a phone: the
// region's audits, one audit and its late report, each within 360 pixels.
func TestAuditRegulatorPagesInBrowser(t *testing.T) {
	b := startChromium(t)
	p := newAuditPages(t)
	p.person(t, "sd@example.cn", role(t, account.Regulator, "370000", false), testSecret)
	srv := httptest.NewServer(p.handler)
	defer srv.Close()
	b.run(t, viewport(360, 740, true),
		chromedp.Navigate(srv.URL+"/work/audits"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "sd@example.cn"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
		chromedp.WaitVisible(chromedp.ID("code")))
	b.run(t, chromedp.SendKeys(chromedp.ID("code"), code(t, testSecret, p.clock())+"\n"),
		chromedp.WaitVisible(chromedp.CSS(`tr.audit-row a`)))
	for _, step := range []struct {
		name, click, wait string
	}{
		{"audits-regulator-360px", "", ""},
		{"audit-regulator-360px", `tr.audit-row a`, `#anomalies`},
		{"anomaly-regulator-360px", `#anomalies a`, `#evidence`},
	} {
		if step.click != "" {
			b.run(t, chromedp.Click(chromedp.CSS(step.click)), chromedp.WaitVisible(chromedp.CSS(step.wait)))
		}
		b.shot(t, step.name)
		if w := b.width(t); w > 360 {
			t.Errorf("%s is %d px wide on a 360-px screen: %v", step.name, w, b.pastEdge(t))
		}
	}
	if got := b.text(t, "#anomaly-rule"); got != zhMessages().Audit.Rules["late_report"] {
		t.Errorf("the anomaly's rule says %q", got)
	}
}
