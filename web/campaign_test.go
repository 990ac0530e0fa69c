package web

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"trustmark"
	"trustmark/campaign"
	"trustmark/draw"
	"trustmark/storetest"
)

// drawnCampaign stores the storetest fixture campaign, drawn, with one
// recusal.
func drawnCampaign(t *testing.T, f *fixture, id string) *campaign.Campaign {
	t.Helper()
	ctx := context.Background()
	reg := trustmark.Party{Kind: trustmark.PartyRegulator, ID: "110000"}
	c, com := storetest.CampaignFixture(id)
	if err := f.store.CreateCampaign(ctx, c, com, reg); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.RecordRandom(ctx, id, campaign.RandomData{Kind: draw.SeedLottery, Lottery: storetest.CampaignLottery}, reg); err != nil {
		t.Fatal(err)
	}
	d, err := f.store.DrawCampaign(ctx, id, reg)
	if err != nil {
		t.Fatal(err)
	}
	pk := d.Result.Picks[0]
	if d, err = f.store.RecuseCampaign(ctx, id, pk.Subject, pk.Team[0], "亲属关系", reg); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCampaignPage(t *testing.T) {
	f := newFixture(t)
	c := drawnCampaign(t, f, "CAMP-W1")
	zh, en := f.get("/campaigns/CAMP-W1").Body.String(), f.get("/campaigns/CAMP-W1?lang=en").Body.String()
	first := c.Result.Picks[0]
	for _, tc := range []struct{ name, body, want string }{
		{"the title is the campaign's name", zh, "<h1>" + c.Name + "</h1>"},
		{"the commitment's hash is shown", zh, `<code id="commitment">` + c.CommitmentSHA256 + `</code>`},
		{"the status is said in Chinese", zh, `<dd id="status">已抽取</dd>`},
		{"the random source is named", zh, "RFC 3797 3.6.9.14.22.27.31./"},
		{"a drawn subject is listed with its class", zh, "<tr><td>" + first.Subject + "</td><td>" + string(first.Class) + "</td>"},
		{"the recusal is shown with its reason", zh, "回避（亲属关系）"},
		{"the rates are percentages", zh, "A: 5% · B: 20% · C: 50%"},
		{"the command to verify is given", zh, "trustmark draw verify --log "},
		{"English speaks English", en, `<dd id="status">drawn</dd>`},
		{"English says how to verify", en, "How to verify"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(tc.body, tc.want) {
				t.Errorf("page lacks %q", tc.want)
			}
		})
	}
	t.Run("an unknown campaign is not found", func(t *testing.T) {
		if w := f.get("/campaigns/NOPE"); w.Code != 404 {
			t.Errorf("GET /campaigns/NOPE = %d, want 404", w.Code)
		}
	})
}

// publishedResults records two findings on c's first picks, one with a
// problem referred for penalty, and publishes them.
func publishedResults(t *testing.T, f *fixture, c *campaign.Campaign) {
	t.Helper()
	ctx := context.Background()
	on := trustmark.DateOf(c.Attempts[0].At)
	for i, outcome := range []campaign.Outcome{campaign.NoProblem, campaign.Referred} {
		pk := c.Result.Picks[i]
		region, err := f.store.PickRegion(ctx, c.ID, pk.Subject)
		if err != nil {
			t.Fatal(err)
		}
		items := []campaign.ItemResult{{Item: 1, Pass: true}, {Item: 2, Pass: outcome == campaign.NoProblem}}
		if _, err := f.store.RecordFinding(ctx, c.ID, campaign.Finding{Subject: pk.Subject, Method: "onsite", Items: items, Outcome: outcome, ConcludedOn: on},
			trustmark.Party{Kind: trustmark.PartyRegulator, ID: region}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.store.PublishResults(ctx, c.ID, trustmark.Party{Kind: trustmark.PartyRegulator, ID: c.Region}); err != nil {
		t.Fatal(err)
	}
}

func TestCampaignPageResults(t *testing.T) {
	f := newFixture(t)
	c := drawnCampaign(t, f, "CAMP-W3")
	if body := f.get("/campaigns/CAMP-W3").Body.String(); !strings.Contains(body, `<p id="noresults">尚无公示的检查结果。</p>`) {
		t.Error("a campaign without results does not say so")
	}
	publishedResults(t, f, c)
	zh, en := f.get("/campaigns/CAMP-W3").Body.String(), f.get("/campaigns/CAMP-W3?lang=en").Body.String()
	for _, tc := range []struct{ name, body, want string }{
		{"the results table is shown", zh, `<table class="picks cards" id="results">`},
		{"a subject without problems", zh, `<td data-label="检查结果">未发现问题</td>`},
		{"a case referred for penalty is marked", zh, `<tr class="problem"><td data-label="检查对象" class="ident">` + c.Result.Picks[1].Subject + `</td>`},
		{"items passed are counted", zh, "2项中1项合格"},
		{"the publication is listed with its hash", zh, "第1次公示："},
		{"the commitment can be downloaded", zh, `<a id="download" href="/api/v1/campaigns/CAMP-W3/commitment" download>`},
		{"English names the outcome", en, "referred for penalty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(tc.body, tc.want) {
				t.Errorf("page lacks %q", tc.want)
			}
		})
	}
	if strings.Contains(zh, "regulator:") {
		t.Error("the page shows who recorded a finding: accounts are not for the public")
	}
}

// TestCampaignInBrowser opens a campaign in headless Chromium on a
// 360-pixel phone in both languages: nothing sticks out past the screen.
func TestCampaignInBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" && os.Getenv("TRUSTMARK_REQUIRE_BROWSER") != "" {
		t.Fatal("TRUSTMARK_REQUIRE_BROWSER is set but no Chromium binary was found")
	}
	if bin == "" || testing.Short() {
		t.Skip("no Chromium binary, or -short; skipping browser tests")
	}
	f := newFixture(t)
	publishedResults(t, f, drawnCampaign(t, f, "CAMP-W2"))
	srv := httptest.NewServer(f.handler)
	defer srv.Close()
	shots := artifactsDir(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.WindowSize(1280, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", bin, err)
	}
	for _, c := range []struct{ name, path string }{
		{"campaign-360px", "/campaigns/CAMP-W2"},
		{"campaign-en-360px", "/campaigns/CAMP-W2?lang=en"},
	} {
		t.Run("at "+c.name+" the campaign fits the screen", func(t *testing.T) {
			tctx, tcancel := context.WithTimeout(ctx, 30*time.Second)
			defer tcancel()
			viewport := chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateScale(2))
			if err := chromedp.Do(tctx, viewport, chromedp.Navigate(srv.URL+c.path), chromedp.WaitVisible(chromedp.CSS("#picks"))); err != nil {
				t.Fatal(err)
			}
			width, err := chromedp.Run(tctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if width > 360 {
				t.Errorf("page is %d px wide on a 360-px screen", width)
			}
			wide, err := chromedp.Run(tctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('main *')]
				.filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
				.map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)`))
			if err != nil {
				t.Fatal(err)
			}
			if len(wide) > 0 {
				t.Errorf("elements past the screen's edge: %q", wide)
			}
			buf, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			if err := os.WriteFile(filepath.Join(shots, c.name+".png"), buf, 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
}
