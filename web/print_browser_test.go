package web

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// pdfPageRE matches a page object of a PDF (not the /Pages tree).
var pdfPageRE = regexp.MustCompile(`/Type\s*/Page[^s]`)

// printedJS lists what a printed copy must show and does not: the status,
// the QR code of the page and the time of the check.
const printedJS = `[['status', 'div.status strong'], ['QR code', '.qr img'], ['time of the check', '.checked']]
	.filter(([, sel]) => { const e = document.querySelector(sel); return !e || e.getClientRects().length === 0 || !e.textContent && e.tagName !== 'IMG' })
	.map(([name]) => name)`

// TestPrintInBrowser prints certificate and report pages to PDF on A4 in
// headless Chromium, in both languages: each is one sheet, with the status,
// the QR code and the date and time of the check. The PDFs go to the
// artifacts.
func TestPrintInBrowser(t *testing.T) {
	b := startChromium(t)
	f := newFixture(t)
	srv := httptest.NewServer(f.handler)
	defer srv.Close()
	for _, lang := range []string{"zh", "en"} {
		for _, pk := range []pageKind{
			{name: "certificate-valid", path: "/certificates/" + certQMS},
			{name: "certificate-suspended", path: "/certificates/" + certSusp},
			{name: "certificate-revoked", path: "/certificates/" + certRev},
			{name: "certificate-expired", path: "/certificates/" + certOld},
			{name: "certificate-ccc", path: "/certificates/" + certCCC},
			{name: "report", path: "/reports/" + labA + "/" + reportNo},
		} {
			t.Run(fmt.Sprintf("the %s page in %s prints on one A4 sheet with status, QR code and time", pk.name, lang), func(t *testing.T) {
				b.printsOnOneSheet(t, srv.URL+pk.path+"?lang="+lang, "print-"+pk.name+"-"+lang+".pdf")
			})
		}
	}
}

// printsOnOneSheet opens url, checks that its print view shows the status,
// the QR code and the time of the check, prints it to PDF on A4 and wants
// one sheet; the PDF goes to the artifacts as file.
func (b *headless) printsOnOneSheet(t *testing.T, url, file string) {
	t.Helper()
	yes := true
	margin := 0.0 // the page's own @page margins apply
	b.run(t, viewport(1280, 900, false), chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	missing := b.strings(t, printedJS)
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Errorf("the printed page lacks: %q", missing)
	}
	pdf, err := chromedp.Call(b.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes, PrintBackground: &yes,
		PaperWidth: 210 / 25.4, PaperHeight: 297 / 25.4, MarginTop: &margin, MarginBottom: &margin, MarginLeft: &margin, MarginRight: &margin})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(pdfPageRE.FindAll(pdf.Data, -1)); n != 1 {
		t.Errorf("printed on %d A4 pages, want 1", n)
	}
	if err := os.WriteFile(filepath.Join(b.shots, file), pdf.Data, 0o644); err != nil {
		t.Fatal(err)
	}
}
