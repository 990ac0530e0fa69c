package web

import (
	"strings"
	"testing"
)

// TestReportPageNamesItsClient: a report page names the organisation the
// report was made for, linked to its page, with its credit code; in
// English with the registry's English name beside the Chinese one.
func TestReportPageNamesItsClient(t *testing.T) {
	f := newFixture(t)
	zh := f.get("/reports/" + labA + "/" + reportNo).Body.String()
	if want := `<dt>委托单位</dt><dd><a href="/orgs/` + string(haier) + `">`; !strings.Contains(zh, want) || !strings.Contains(zh, `<small class="ident">`+string(haier)+`</small>`) {
		t.Errorf("report page lacks its client under 委托单位, linked, with its code:\n%s", zh)
	}
	if en := f.get("/reports/" + labA + "/" + reportNo + "?lang=en").Body.String(); !strings.Contains(en, "<dt>Client</dt>") {
		t.Errorf("English report page lacks its client")
	}
}
