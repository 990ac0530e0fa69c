package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"trustmark/account"
	"trustmark/credit"
)

// TestCreditPagesInBrowser opens the public serious-violation list
// (/credit) and Beijing's regulator's credit workbench (/work/credit) in
// headless Chromium on a 360-pixel phone and a 1280-pixel screen: neither
// page scrolls sideways nor puts anything past the screen's edge, the list
// shows the listed body by name with its grounds, and the workbench shows
// the region's cases with theirs.
func TestCreditPagesInBrowser(t *testing.T) {
	b := startChromium(t)
	s := newMatterFixture(t)
	creditCase(t, s, "L-LISTED", "2025-01-02", "2025-01-03", "2025-02-10") // on the list until 2028
	creditCase(t, s, "L-OPEN", "2026-03-12", "2026-03-13")                 // notified; the objection period runs
	s.person(t, "bj@example.cn", role(t, account.Regulator, "110000", false), testSecret)
	if _, err := s.store.RecordCreditEntryBy(context.Background(), credit.Subject{Kind: credit.Person, ID: personNo},
		func(_ string, a credit.Archive) (credit.Entry, error) {
			_, e, err := a.RecordRequest(credit.EntryRequest{Subject: a.Subject, Kind: credit.Ban, Summary: "伪造审核记录，出具不实的审核结论并拒不改正",
				Decision: "京市监罚〔2026〕30号", LegalBasis: "《中华人民共和国认证认可条例》第七十三条"},
				credit.Recording{ID: "E-BAN", At: s.clock().Add(-time.Hour), By: "regulator:110000"})
			return e, err
		}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.handler)
	defer srv.Close()

	fits := func(t *testing.T, page string, width int) {
		t.Helper()
		if w := b.width(t); w > width {
			t.Errorf("%s is %d px wide on a %d-px screen: it scrolls sideways", page, w, width)
		}
		if wide := b.pastEdge(t); len(wide) > 0 {
			t.Errorf("%s: elements past the screen's edge: %q", page, wide)
		}
	}
	signedIn := false
	for _, sc := range []struct {
		name          string
		width, height int
		mobile        bool
	}{{"360px", 360, 740, true}, {"1280px", 1280, 900, false}} {
		t.Run("at "+sc.name+" the public list shows the listed body and its grounds", func(t *testing.T) {
			b.run(t, viewport(sc.width, sc.height, sc.mobile), chromedp.Navigate(srv.URL+"/credit"), chromedp.WaitVisible(chromedp.CSS("#listings")))
			fits(t, "/credit", sc.width)
			list := b.text(t, "#listings")
			for _, want := range []string{"中认检测认证集团", "出具虚假认证结论", "《市场监督管理严重违法失信名单管理办法》第六条"} {
				if !strings.Contains(list, want) {
					t.Errorf("/credit lacks %q: %q", want, list)
				}
			}
			b.shot(t, "credit-public-"+sc.name)
		})
		t.Run("at "+sc.name+" the regulator's credit workbench shows its region's cases and their grounds", func(t *testing.T) {
			if !signedIn {
				s.advance(time.Minute)
				b.run(t, chromedp.Navigate(srv.URL+"/work/credit"),
					chromedp.WaitVisible(chromedp.ID("email")),
					chromedp.SendKeys(chromedp.ID("email"), "bj@example.cn"),
					chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
					chromedp.WaitVisible(chromedp.ID("code")))
				b.run(t, chromedp.SendKeys(chromedp.ID("code"), code(t, testSecret, s.clock())+"\n"),
					chromedp.WaitVisible(chromedp.CSS("#case-L-OPEN")))
				signedIn = true
			}
			b.run(t, viewport(sc.width, sc.height, sc.mobile), chromedp.Navigate(srv.URL+"/work/credit"), chromedp.WaitVisible(chromedp.CSS("#case-L-OPEN")))
			fits(t, "/work/credit", sc.width)
			main := b.text(t, "main")
			for _, want := range []string{"L-OPEN", bodyA, "出具虚假认证结论"} {
				if !strings.Contains(main, want) {
					t.Errorf("/work/credit lacks %q: %q", want, main)
				}
			}
			b.shot(t, "credit-work-regulator-"+sc.name)
		})
		t.Run("at "+sc.name+" the regulator's archive page shows a person's ban and the form to record an entry", func(t *testing.T) {
			if !signedIn {
				t.Skip("not signed in")
			}
			b.run(t, viewport(sc.width, sc.height, sc.mobile), chromedp.Navigate(srv.URL+"/work/credit/archive?kind=person&id="+personNo),
				chromedp.WaitVisible(chromedp.CSS("#archive-record")))
			fits(t, "/work/credit/archive", sc.width)
			if main := b.text(t, "main"); !strings.Contains(main, "京市监罚〔2026〕30号") {
				t.Errorf("/work/credit/archive lacks the ban: %q", main)
			}
			b.shot(t, "credit-archive-regulator-"+sc.name)
		})
	}
}
