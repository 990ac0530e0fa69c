package bulk_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/bulk"
)

func newService(t testing.TB) (*bulk.Service, trustmark.Store) {
	db := openStore(t)
	return bulk.New(bulk.Config{Store: db, Clock: func() time.Time { return verifyNow }}), db
}

func TestVerifyAnswersEachKind(t *testing.T) {
	eachStore(t, func(t *testing.T, open opener) {
		now := storeNow
		db := open(t, &now)
		testVerifyAnswersEachKind(t, bulk.New(bulk.Config{Store: db, Clock: func() time.Time { return verifyNow }}))
	})
}

func testVerifyAnswersEachKind(t *testing.T, svc *bulk.Service) {
	tests := []struct {
		name   string
		item   string
		found  bool
		kind   bulk.Kind
		status string
		reason []string // each must appear in the English reason
	}{
		{"a valid CCC certificate", cccValid, true, bulk.KindCertificate, "valid", []string{"valid until 2030-01-31", "北京海淀精密仪器有限公司", "中国质量认证中心"}},
		{"a suspended certificate says since when", qmsSusp, true, bulk.KindCertificate, "suspended", []string{"suspended since 2026-03-15"}},
		{"a certificate past its expiry is expired though its row says valid", qmsExpiring, true, bulk.KindCertificate, "expired", []string{"expired on 2026-05-02"}},
		{"a revoked certificate", qmsRevoked, true, bulk.KindCertificate, "revoked", []string{"revoked on 2026-03-15"}},
		{"an organic certificate", organicNo, true, bulk.KindCertificate, "valid", nil},
		{"a lower-case number is found", strings.ToLower(qmsSusp), true, bulk.KindCertificate, "suspended", nil},
		{"a registered organisation counts its certificates", string(holder1), true, bulk.KindOrg, "", []string{"holds 4 certificate(s)", "1 valid", "1 suspended", "1 revoked", "1 expired"}},
		{"a test report", labA + "/" + reportA, true, bulk.KindReport, "pass", []string{"电动玩具车", "国家电子产品质量检验检测中心"}},
		{"a report number typed in lower case", labA + "/r2026-0001", true, bulk.KindReport, "pass", nil},
		{"a laboratory", labA, true, bulk.KindLab, "active", []string{"valid until 2028-12-31"}},
		{"a revoked laboratory", labB, true, bulk.KindLab, "revoked", nil},
		{"a laboratory past its CMA validity is expired though its row says active", labC, true, bulk.KindLab, "expired", []string{"expired on 2026-04-30"}},
		{"a body", bodyCQC, true, bulk.KindBody, "active", []string{"approved for Quality management system, China Compulsory Certification (CCC)"}},

		{"a malformed CCC number names the rule", "1999010901000001", false, bulk.KindCertificate, "", []string{"malformed", "year 1999"}},
		{"an unknown CCC number of a covered category names its bodies", "2025010901999999", false, bulk.KindCertificate, "", []string{"well-formed CCC", "中国质量认证中心 (CNCA-R-2002-001", "last submitted data on 2026-03-15"}},
		{"an unknown CCC number of an uncovered category says so", "2025010201999999", false, bulk.KindCertificate, "", []string{"no certification body in the registry is designated for its product category 0201"}},
		{"an unknown organic certificate names its body", "123OP2599999", false, bulk.KindCertificate, "", []string{"南京国环有机产品认证中心"}},
		{"an organic certificate of an unknown body says so", "777OP2599999", false, bulk.KindCertificate, "", []string{"777 matches no certification body"}},
		{"an unknown body-defined number", "ZZ-9999", false, bulk.KindCertificate, "", []string{"no certificate with this number"}},
		{"an organic code is honestly not held, naming its body", "12325123456789012", false, bulk.KindOrganicCode, "", []string{"not held by Trustmark", "food.cnca.cn", "南京国环有机产品认证中心"}},
		{"an organic code of no known body", "55525123456789012", false, bulk.KindOrganicCode, "", []string{"555 matches no certification body"}},
		{"an organic code of a foreign body", "91225123456789012", false, bulk.KindOrganicCode, "", []string{"foreign-invested"}},
		{"a malformed USCC names the check", "9111010800000001X0", false, bulk.KindOrg, "", []string{"malformed", "check character"}},
		{"a well-formed unknown USCC", string(unknownU), false, bulk.KindOrg, "", []string{"well-formed unified social credit code"}},
		{"a report of an unknown lab", "240012349999/R1", false, bulk.KindReport, "", []string{"no laboratory with CMA number 240012349999"}},
		{"an unknown report of a known lab", labA + "/R404", false, bulk.KindReport, "", []string{"has no report R404", "国家电子产品质量检验检测中心"}},
		{"an unknown body", "CNCA-R-2010-999", false, bulk.KindBody, "", []string{"well-formed approval number"}},
		{"a name is not an identifier", "海尔", false, bulk.KindUnknown, "", []string{"is not a certificate number", "search names"}},
		{"an empty item", "", false, bulk.KindUnknown, "", []string{"empty"}},
	}
	items := make([]string, len(tests))
	for i, tt := range tests {
		items[i] = tt.item
	}
	res, err := svc.Verify(ctx, items, en)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if len(res) != len(items) {
		t.Fatalf("Verify gave %d results for %d items", len(res), len(items))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := res[i]
			if r.Item != tt.item {
				t.Errorf("result %d is for %q, want %q (order must be kept)", i, r.Item, tt.item)
			}
			if r.Found != tt.found || r.Kind != tt.kind || r.Status != tt.status {
				t.Errorf("Verify(%q) = found %v kind %s status %q, want %v %s %q (reason %q)", tt.item, r.Found, r.Kind, r.Status, tt.found, tt.kind, tt.status, r.Reason)
			}
			if r.Reason == "" {
				t.Errorf("Verify(%q) has no reason", tt.item)
			}
			for _, want := range tt.reason {
				if !strings.Contains(r.Reason, want) {
					t.Errorf("Verify(%q).Reason = %q, want it to contain %q", tt.item, r.Reason, want)
				}
			}
		})
	}
}

func TestVerifyInChinese(t *testing.T) {
	svc, _ := newService(t)
	res, err := svc.Verify(ctx, []string{qmsSusp, "2025010201999999"}, zh)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"暂停，自2026-03-15起", "产品类别0201"} {
		if !strings.Contains(res[i].Reason, want) {
			t.Errorf("Chinese reason %d = %q, want it to contain %q", i, res[i].Reason, want)
		}
	}
}

func TestVerifyKeepsOrderAndDuplicates(t *testing.T) {
	svc, _ := newService(t)
	var items []string
	for i := 0; i < 1000; i++ {
		switch i % 4 {
		case 0:
			items = append(items, cccValid)
		case 1:
			items = append(items, fmt.Sprintf("2025010901%06d", i))
		case 2:
			items = append(items, string(holder1))
		default:
			items = append(items, qmsExpiring)
		}
	}
	res, err := svc.Verify(ctx, items, en)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Item != items[i] {
			t.Fatalf("result %d is for %q, want %q", i, r.Item, items[i])
		}
		wantFound := i%4 != 1 || items[i] == cccValid
		if r.Found != wantFound {
			t.Errorf("result %d (%s) found = %v, want %v", i, r.Item, r.Found, wantFound)
		}
	}
}

// TestStoreFinderAgrees checks that the one-by-one adapter over any Store
// gives the answers of sqlstore's batch lookups.
func TestStoreFinderAgrees(t *testing.T) {
	db := openStore(t)
	clock := func() time.Time { return verifyNow }
	batch := bulk.New(bulk.Config{Store: db, Clock: clock})
	slow := bulk.New(bulk.Config{Store: db, Finder: bulk.NewStoreFinder(db), Clock: clock})
	items := []string{cccValid, qmsSusp, qmsExpiring, string(holder1), string(unknownU), labA + "/" + reportA, labA, "12325123456789012", "nope1"}
	a, err := batch.Verify(ctx, items, en)
	if err != nil {
		t.Fatal(err)
	}
	b, err := slow.Verify(ctx, items, en)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if a[i].Found != b[i].Found || a[i].Status != b[i].Status || a[i].Reason != b[i].Reason {
			t.Errorf("item %q: batch %+v, one by one %+v", items[i], a[i], b[i])
		}
	}
}

// TestVerifyInChineseSpeaksNoEnglish verifies an item of every kind and
// outcome in Chinese and wants no English word in any reason but
// identifiers and acronyms (CNCA-R-2002-001, CCC, UTF-8), the address
// food.cnca.cn, and what the item or the record's name quotes.
func TestVerifyInChineseSpeaksNoEnglish(t *testing.T) {
	svc, _ := newService(t)
	items := []string{cccValid, qmsSusp, qmsExpiring, qmsRevoked, organicNo, string(holder1), labA + "/" + reportA, labA, labB, labC, bodyCQC,
		"1999010901000001", "2025010901999999", "2025010201999999", "123OP2599999", "777OP2599999", "ZZ-9999",
		"12325123456789012", "55525123456789012", "91225123456789012", "9111010800000001X0", string(unknownU),
		"240012349999/R1", labA + "/R404", "CNCA-R-2010-999", "海尔", "", "\xff1", strings.Repeat("9", 300)}
	res, err := svc.Verify(ctx, items, zh)
	if err != nil {
		t.Fatal(err)
	}
	word := regexp.MustCompile(`[A-Za-z]{2,}`)
	allowed := map[string]bool{"food": true, "cnca": true, "cn": true, "Trustmark": true}
	for i, r := range res {
		for _, w := range word.FindAllString(r.Reason, -1) {
			if !allowed[w] && w != strings.ToUpper(w) && !strings.Contains(items[i], w) && !strings.Contains(r.Name, w) {
				t.Errorf("Verify(%q) in Chinese: reason %q holds the English word %q", items[i], r.Reason, w)
			}
		}
		if got := bulk.StatusText(zh, r); word.MatchString(got) {
			t.Errorf("StatusText(%q) in Chinese = %q", items[i], got)
		}
		if got := bulk.KindText(zh, r.Kind); word.MatchString(got) {
			t.Errorf("KindText(%s) in Chinese = %q", r.Kind, got)
		}
	}
}
