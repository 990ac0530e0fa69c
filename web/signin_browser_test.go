package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"trustmark/account"
)

// TestSignInInBrowser signs in with password and TOTP in a real headless
// Chromium, at 1280 and at 360 pixels, looks at the workbench's home and
// signs out, saving screenshots as artifacts. The server is plain http on
// 127.0.0.1, as for the demo, so its cookies are not Secure.
func TestSignInInBrowser(t *testing.T) {
	b := startChromium(t)
	s := newSigninFixture(t, false)
	s.person(t, "wang.fang@example.cn", role(t, account.Regulator, "370000", false), testSecret)
	srv := httptest.NewServer(s.handler)
	defer srv.Close()
	for _, screen := range []struct {
		name          string
		width, height int
		mobile        bool
	}{
		{"desktop", 1280, 900, false},
		{"360px", 360, 740, true},
	} {
		t.Run("at "+screen.name+" a regulator signs in with password and TOTP and signs out", func(t *testing.T) {
			s.advance(time.Minute) // a code works once: each sign-in gets its own step
			b.run(t, viewport(screen.width, screen.height, screen.mobile),
				chromedp.Navigate(srv.URL+"/work/"),
				chromedp.WaitVisible(chromedp.ID("email")))
			b.shot(t, "signin-"+screen.name)
			if w := b.width(t); w > screen.width {
				t.Errorf("sign-in page is %d px wide on a %d-px screen", w, screen.width)
			}
			b.run(t, chromedp.SendKeys(chromedp.ID("email"), "wang.fang@example.cn"),
				chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
				chromedp.WaitVisible(chromedp.ID("code")))
			b.shot(t, "signin-code-"+screen.name)
			b.run(t, chromedp.SendKeys(chromedp.ID("code"), code(t, testSecret, s.clock())+"\n"),
				chromedp.WaitVisible(chromedp.ID("signed-in")))
			if got := b.text(t, "#signed-in"); !strings.Contains(got, "wang.fang@example.cn") {
				t.Errorf("signed in as %q, want wang.fang@example.cn", got)
			}
			if got := b.text(t, "h1"); got != "工作台" {
				t.Errorf("heading = %q, want 工作台", got)
			}
			if w := b.width(t); w > screen.width {
				t.Errorf("workbench is %d px wide on a %d-px screen", w, screen.width)
			}
			b.shot(t, "work-home-"+screen.name)
			b.run(t, chromedp.Click(chromedp.CSS(".workbar button")),
				chromedp.WaitVisible(chromedp.ID("email")))
			if got := b.text(t, "main"); !strings.Contains(got, "您已退出登录") {
				t.Errorf("after sign-out the page says %q, want 您已退出登录", got)
			}
			b.run(t, chromedp.Navigate(srv.URL+"/work/"), chromedp.WaitVisible(chromedp.ID("email")))
		})
	}
}
