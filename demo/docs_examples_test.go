package demo_test

import (
	"context"
	"net/url"
	"os"
	"regexp"
	"slices"
	"testing"
	"time"

	"trustmark"
	"trustmark/demo"
	"trustmark/sqlstore"
)

// TestDocsExamplesExistInTheDemo: the certificate numbers the README and
// docs/API.md tell a new user to try exist in the data set `serve --demo`
// loads today (the small scale, seed 1), and the walk-throughs work: the
// README's body suspends its own certificate, and docs/API.md's issue and
// status changes go through as written.
func TestDocsExamplesExistInTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the small demo data set")
	}
	ctx := context.Background()
	now := time.Now()
	db, err := sqlstore.Open(ctx, t.TempDir()+"/trustmark.db", sqlstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := demo.Generate(ctx, db, demo.Options{Scale: demo.ScaleSmall, Seed: 1, Today: trustmark.DateOf(now)}); err != nil {
		t.Fatalf("demo.Generate: %v", err)
	}

	issued := regexp.MustCompile(`"number": "([0-9A-Z]+)"`)
	mentioned := regexp.MustCompile(`/api/v1/certificates/([0-9A-Z]{10,20})\b`)
	for _, doc := range []string{"../README.md", "../docs/API.md"} {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		var made []string // numbers the document issues itself
		for _, m := range issued.FindAllStringSubmatch(string(text), -1) {
			made = append(made, m[1])
		}
		for _, m := range mentioned.FindAllStringSubmatch(string(text), -1) {
			if slices.Contains(made, m[1]) {
				continue
			}
			if _, err := db.Certificate(ctx, m[1]); err != nil {
				t.Errorf("%s names certificate %s: %v", doc, m[1], err)
			}
		}
	}

	// The laboratories by scope (README, docs/API.md): each example lists
	// some laboratory.
	byScope := regexp.MustCompile(`labs\?scope=([^&'"\s)` + "`" + `]+)`)
	scopes := 0
	for _, doc := range []string{"../README.md", "../docs/API.md"} {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range byScope.FindAllStringSubmatch(string(text), -1) {
			scopes++
			q, err := url.QueryUnescape(m[1])
			if err != nil {
				t.Fatalf("%s: scope example %s: %v", doc, m[1], err)
			}
			if page, err := db.Labs(ctx, trustmark.PartyFilter{Scope: q, Limit: 1}); err != nil || len(page.Items) == 0 {
				t.Errorf("%s: labs?scope=%s lists no laboratory of the demo (%v)", doc, q, err)
			}
		}
	}
	if scopes == 0 {
		t.Error("neither the README nor docs/API.md shows the laboratories by scope")
	}

	// README: TOKEN=$(trustmark token create --body CNCA-R-2002-001), then
	// {"to":"suspended"} on 2022010711602721, "a demo certificate of that body".
	body := trustmark.Party{Kind: trustmark.PartyBody, ID: "CNCA-R-2002-001"}
	if _, err := db.TransitionCertificate(ctx, body, "2022010711602721", trustmark.Transition{To: trustmark.StatusSuspended, Reason: "监督审核逾期"}); err != nil {
		t.Errorf("the README's transition example: %v", err)
	}

	// docs/API.md: the same body issues 00126Q30999R0M to Haier, then
	// suspends, restores and revokes it.
	req := trustmark.IssueRequest{Number: "00126Q30999R0M", Type: trustmark.TypeQMS, HolderUSCC: "91370212563780258C",
		Scope: "家用电器的设计和生产", Standard: "GB/T 19001-2016", ExpiresOn: trustmark.NewDate(2029, 3, 13)}
	if _, err := db.IssueCertificate(ctx, body, req); err != nil {
		t.Fatalf("docs/API.md's issue example: %v", err)
	}
	for _, tr := range []trustmark.Transition{
		{To: trustmark.StatusSuspended, Reason: "监督审核发现严重不符合项"},
		{To: trustmark.StatusValid},
		{To: trustmark.StatusRevoked, Reason: "拒绝接受监督审核"},
	} {
		if _, err := db.TransitionCertificate(ctx, body, "00126Q30999R0M", tr); err != nil {
			t.Errorf("docs/API.md's transition to %s: %v", tr.To, err)
		}
	}
}
