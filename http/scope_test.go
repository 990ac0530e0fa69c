package http_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"trustmark"
	tmhttp "trustmark/http"
	"trustmark/sqlstore"
)

// TestRegionScopeWalkHTTP runs the cases of the divisions table that the
// old trailing-zero rule got wrong, and their neighbours, through the API
// and the store: a regulator issues in the name of a body in each region and
// changes that body's certificate, and may exactly when RegionCovers says
// so (the domain's walk over every pair is trustmark.TestRegionScopeWalk).
func TestRegionScopeWalkHTTP(t *testing.T) {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "trustmark.db"), sqlstore.WithClock(clock), sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := tmhttp.NewServer(tmhttp.Config{Store: st, Logger: quiet, Clock: clock, MaxBodyBytes: 64 << 10})
	f := &fixture{store: st, srv: srv}

	scopes := []string{trustmark.NationalRegion, "500000", "500200", "510000", "131000", "130110", "429000", "420000", "441900", "440000"}
	regions := []string{"510104", "520102", "540102", "500101", "500229", "131102", "131082", "130111", "130110", "429004", "420106", "441900", "442000"}
	imp := trustmark.Party{Kind: trustmark.PartyImport, ID: "scope.csv"}
	load := func(kind trustmark.Kind, recs ...trustmark.Record) {
		t.Helper()
		out, err := st.Import(ctx, imp, kind, recs)
		if err != nil {
			t.Fatal(err)
		}
		for i, o := range out {
			if o.Err != nil {
				t.Fatalf("import %s %d: %v", kind, i, o.Err)
			}
		}
	}
	load(trustmark.KindOrgs, &trustmark.Org{USCC: holderA, Name: "杭州西湖精密机械有限公司", RegionCode: "330106"})
	body := func(j int) string { return fmt.Sprintf("CNCA-R-2010-%03d", j+1) }
	var bodies, certs []trustmark.Record
	for j, region := range regions {
		bodies = append(bodies, &trustmark.Body{ApprovalNo: body(j), USCC: trustmark.MakeUSCC(fmt.Sprintf("91110105%08d", j)), Name: "认证机构" + region,
			RegionCode: region, Scopes: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive})
		certs = append(certs, &trustmark.Certificate{Number: fmt.Sprintf("SCOPE-%02d", j), Type: trustmark.TypeQMS, BodyApprovalNo: body(j), HolderUSCC: holderA,
			Scope: "机械加工", IssuedOn: trustmark.NewDate(2026, 1, 10), ExpiresOn: trustmark.NewDate(2029, 1, 9), Status: trustmark.StatusValid})
	}
	load(trustmark.KindBodies, bodies...)
	load(trustmark.KindCertificates, certs...)

	for i, scope := range scopes {
		token, err := st.CreateToken(ctx, trustmark.Party{Kind: trustmark.PartyRegulator, ID: scope})
		if err != nil {
			t.Fatalf("CreateToken(regulator %s): %v", scope, err)
		}
		for j, region := range regions {
			want := trustmark.RegionCovers(scope, region)
			name := fmt.Sprintf("regulator %s and a body in %s: allowed=%v", scope, region, want)
			t.Run(name, func(t *testing.T) {
				issue := fmt.Sprintf(`{"number": "SCOPE-%02d-%02d", "type": "QMS", "body_approval_no": %q, "holder_uscc": %q, "scope": "机械加工", "expires_on": "2029-03-14"}`,
					i, j, body(j), holderA)
				// A regulator supervises; it never issues, in its region or not.
				w := f.do("POST", "/api/v1/certificates", token, issue)
				if w.Code != 403 {
					t.Errorf("issue: status %d %s, want 403: a regulator never issues", w.Code, w.Body)
				}
				// A suspension is answered 200 once and 409 (already
				// suspended) after; only 403 is a refusal of the actor.
				w = f.do("POST", fmt.Sprintf("/api/v1/certificates/SCOPE-%02d/transitions", j), token, `{"to": "suspended", "reason": "监督抽查"}`)
				if got := w.Code != 403; got != want || (want && w.Code != 200 && w.Code != 409) {
					t.Errorf("transition: status %d %s, want allowed=%v", w.Code, w.Body, want)
				}
			})
		}
	}
}
