package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"trustmark"
	"trustmark/account"
	"trustmark/credit"
)

// TestAuditorsAndCalendarInBrowser, in a real headless Chromium at 1280
// and 360 pixels: a body's staff registers an auditor with the page's
// form, is refused a person banned for life with the decision named, and
// ends the registration; the national administrator loads a year's
// holiday notice on the calendar page, is refused a bad file naming its
// row, and opens a region page with an unknown filter, refused by name.
// Every page fits the screen.
func TestAuditorsAndCalendarInBrowser(t *testing.T) {
	b := startChromium(t)
	s := newMatterFixture(t)
	ban, err := credit.BanEntry(credit.BanDecision{ID: "B-9", Subject: credit.Subject{Kind: credit.Person, ID: "2026-NQA-0666"}, Decision: "京市监罚〔2026〕66号",
		Grounds: "伪造审核记录", LegalBasis: "《认证认可条例》第七十三条", On: trustmark.DateOf(s.clock()).AddDate(0, 0, -30)}, s.clock().Add(-time.Hour), "regulator:110000")
	if err == nil {
		err = s.store.RecordCreditEntry(context.Background(), ban)
	}
	if err != nil {
		t.Fatal(err)
	}
	s.person(t, "body@example.cn", role(t, account.Body, bodyA, false), "")
	s.person(t, "n@example.cn", role(t, account.Regulator, trustmark.NationalRegion, true), testSecret)
	srv := httptest.NewServer(s.handler)
	defer srv.Close()
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "notice-2027.csv"), filepath.Join(dir, "bad.csv")
	os.WriteFile(good, []byte("date,year,type,festival,weekday\n2027-01-01,2027,holiday,元旦,周五\n2027-02-20,2027,adjusted_workday,春节,周六\n"), 0o644)
	os.WriteFile(bad, []byte("date,year,type,festival\n2027-01-01,2027,holiday,元旦\n2028-01-01,2027,holiday,元旦\n"), 0o644)
	fits := func(t *testing.T, page string, width int) {
		t.Helper()
		if w := b.width(t); w > width {
			t.Errorf("%s is %d px wide on a %d-px screen: %v", page, w, width, b.pastEdge(t))
		}
	}
	for i, screen := range []struct {
		name          string
		width, height int
		mobile        bool
	}{
		{"desktop", 1280, 900, false},
		{"360px", 360, 740, true},
	} {
		t.Run("at "+screen.name+" a body registers an auditor and ends the registration", func(t *testing.T) {
			reg := fmt.Sprintf("2026-NQA-07%02d", i)
			register := func(no, name string) {
				b.run(t, chromedp.SendKeys(chromedp.ID("reg-"+bodyA), no), chromedp.SendKeys(chromedp.ID("name-"+bodyA), name),
					chromedp.Click(chromedp.ID("q-"+bodyA+"-QMS")), chromedp.Submit(chromedp.ID("reg-"+bodyA)))
			}
			b.run(t, viewport(screen.width, screen.height, screen.mobile),
				chromedp.Navigate(srv.URL+"/work/auditors"),
				chromedp.WaitVisible(chromedp.ID("email")),
				chromedp.SendKeys(chromedp.ID("email"), "body@example.cn"),
				chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
				chromedp.WaitVisible(chromedp.ID("reg-"+bodyA)))
			fits(t, "/work/auditors", screen.width)
			register(reg, "李娜")
			b.run(t, chromedp.WaitVisible(chromedp.ID("auditors-done")), chromedp.WaitVisible(chromedp.ID("person-"+reg)))
			if got := b.text(t, "#auditors-done"); !strings.Contains(got, reg) {
				t.Errorf("after registering, the page says %q", got)
			}
			fits(t, "/work/auditors after a registration", screen.width)
			register("2026-NQA-0666", "赵六")
			b.run(t, chromedp.WaitVisible(chromedp.ID("form-error")))
			if got := b.text(t, "#form-error"); !strings.Contains(got, "京市监罚〔2026〕66号") {
				t.Errorf("the refusal of a banned person says %q, want the decision named", got)
			}
			fits(t, "/work/auditors with a refusal", screen.width)
			b.shot(t, "work-auditors-refused-"+screen.name)
			b.run(t, chromedp.Click(chromedp.CSS("#person-"+reg+" button")), chromedp.WaitVisible(chromedp.ID("auditors-done")))
			if got := b.text(t, "#person-"+reg); !strings.Contains(got, "撤销") || strings.Contains(got, "注销登记") {
				t.Errorf("after the end, the auditor's row says %q, want revoked without an end button", got)
			}
			b.run(t, chromedp.Click(chromedp.CSS(".workbar button")), chromedp.WaitVisible(chromedp.ID("email")))
		})

		t.Run("at "+screen.name+" the national administrator loads a notice", func(t *testing.T) {
			s.advance(time.Minute) // a code works once
			b.run(t, viewport(screen.width, screen.height, screen.mobile),
				chromedp.Navigate(srv.URL+"/work/calendar"),
				chromedp.WaitVisible(chromedp.ID("email")),
				chromedp.SendKeys(chromedp.ID("email"), "n@example.cn"),
				chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
				chromedp.WaitVisible(chromedp.ID("code")))
			b.run(t, chromedp.SendKeys(chromedp.ID("code"), code(t, testSecret, s.clock())+"\n"),
				chromedp.WaitVisible(chromedp.ID("calendar-years")))
			fits(t, "/work/calendar", screen.width)
			b.run(t, chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{bad}), chromedp.SendKeys(chromedp.ID("f-title"), "2027年通知（测试）"),
				chromedp.Submit(chromedp.ID("f-file")), chromedp.WaitVisible(chromedp.ID("form-error")))
			if got := b.text(t, "#form-error"); !strings.Contains(got, "第3行") {
				t.Errorf("the refusal of a bad file says %q, want its row", got)
			}
			fits(t, "/work/calendar with a refusal", screen.width)
			b.run(t, chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{good}), chromedp.Submit(chromedp.ID("f-file")),
				chromedp.WaitVisible(chromedp.ID("calendar-done")))
			if got := b.text(t, "#year-2027"); !strings.Contains(got, "2027年通知（测试）") {
				t.Errorf("after the load, 2027 reads %q", got)
			}
			fits(t, "/work/calendar after a load", screen.width)
			b.shot(t, "work-calendar-"+screen.name)
			b.run(t, chromedp.Navigate(srv.URL+"/work/region?type=XYZ"), chromedp.WaitVisible(chromedp.CSS("h1")))
			if got := b.text(t, "main"); !strings.Contains(got, "XYZ") || !strings.Contains(got, "筛选条件") {
				t.Errorf("/work/region?type=XYZ says %q, want the filter refused by name", got)
			}
			fits(t, "/work/region?type=XYZ", screen.width)
			b.run(t, chromedp.Navigate(srv.URL+"/work/"), chromedp.WaitVisible(chromedp.ID("signed-in")),
				chromedp.Click(chromedp.CSS(".workbar button")), chromedp.WaitVisible(chromedp.ID("email")))
		})
	}
}
