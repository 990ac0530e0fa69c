package http_test

import (
	"context"
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustmark"
	tmhttp "trustmark/http"
	"trustmark/sqlstore"
)

// now is the fixed instant of the tests: 2026-03-15 10:00 in China.
var now = time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

// Fixture identifiers.
var (
	holderA = trustmark.MakeUSCC("9133010600000011") // Hangzhou
	holderB = trustmark.MakeUSCC("9111010800000022") // Beijing
)

const (
	bodyA = "CNCA-R-2002-001" // QMS, EMS, CCC 0901
	bodyB = "CNCA-R-2003-002" // QMS
	labA  = "230012050001"

	certQMS     = "00126Q30001R0M"   // bodyA's, holder A, valid
	certOld     = "00123Q10002R0M"   // bodyA's, stored valid, expired by date on 2026-01-01
	certOfB     = "CQC26Q0003R0S"    // bodyB's
	certCCC     = "2025010901000001" // bodyA's CCC
	reportNo    = "BG2026-0001"
	personRegNo = "2026-NQA-0001"
)

// fixture is a registry in a fresh SQLite file with a few records, served
// by a Server without a network.
type fixture struct {
	store  *sqlstore.DB
	srv    *tmhttp.Server
	tokenA string // bodyA's API token
	tokenB string // bodyB's
	tokenL string // labA's
	tokenR string // Beijing's regulator (110000)
	tokenS string // Shanghai's regulator (310000)
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "trustmark.db"), sqlstore.WithClock(clock), sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatalf("sqlstore.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	load := func(kind trustmark.Kind, rows ...trustmark.Row) {
		t.Helper()
		var recs []trustmark.Record
		for _, row := range rows {
			rec, err := trustmark.ParseRecord(kind, row, trustmark.DefaultPolicy())
			if err != nil {
				t.Fatalf("fixture %s row %v: %v", kind, row, err)
			}
			recs = append(recs, rec)
		}
		out, err := st.Import(ctx, trustmark.Party{Kind: trustmark.PartyImport, ID: "fixture"}, kind, recs)
		if err != nil {
			t.Fatalf("import %s: %v", kind, err)
		}
		for i, o := range out {
			if o.Result == trustmark.Rejected {
				t.Fatalf("import %s row %d rejected: %v", kind, i, o.Err)
			}
		}
	}
	load(trustmark.KindOrgs,
		trustmark.Row{"uscc": string(holderA), "name": "杭州西湖精密机械有限公司", "region_code": "330106"},
		trustmark.Row{"uscc": string(holderB), "name": "北京海淀软件股份有限公司", "region_code": "110108"},
		trustmark.Row{"uscc": string(trustmark.MakeUSCC("9111010500000033")), "name": "中认检测认证集团有限公司", "region_code": "110105"},
		trustmark.Row{"uscc": string(trustmark.MakeUSCC("9131011500000044")), "name": "上海质量认证中心有限公司", "region_code": "310115"},
		trustmark.Row{"uscc": string(trustmark.MakeUSCC("9133010600000055")), "name": "浙江方圆检测实验室有限公司", "region_code": "330106"},
	)
	load(trustmark.KindBodies,
		trustmark.Row{"approval_no": bodyA, "uscc": string(trustmark.MakeUSCC("9111010500000033")), "name": "中认检测认证集团", "region_code": "110105", "scopes": "QMS;EMS;CCC", "ccc_categories": "0901", "ccc_code": "01"},
		trustmark.Row{"approval_no": bodyB, "uscc": string(trustmark.MakeUSCC("9131011500000044")), "name": "上海质量认证中心", "region_code": "310115", "scopes": "QMS"},
	)
	load(trustmark.KindLabs,
		trustmark.Row{"cma_no": labA, "uscc": string(trustmark.MakeUSCC("9133010600000055")), "name": "浙江方圆检测实验室", "region_code": "330106", "valid_until": "2029-12-31"},
	)
	load(trustmark.KindPersons,
		trustmark.Row{"registration_no": personRegNo, "name": "张伟", "body_approval_no": bodyA, "qualifications": "QMS;EMS"},
	)
	load(trustmark.KindCertificates,
		trustmark.Row{"number": certQMS, "type": "QMS", "body_approval_no": bodyA, "holder_uscc": string(holderA), "scope": "精密机械零部件的设计和生产", "standard": "GB/T 19001-2016", "issued_on": "2026-01-10", "expires_on": "2029-01-09"},
		trustmark.Row{"number": certOld, "type": "QMS", "body_approval_no": bodyA, "holder_uscc": string(holderA), "scope": "机械加工", "standard": "GB/T 19001-2016", "issued_on": "2023-01-02", "expires_on": "2026-01-01"},
		trustmark.Row{"number": certOfB, "type": "QMS", "body_approval_no": bodyB, "holder_uscc": string(holderB), "scope": "软件开发", "standard": "GB/T 19001-2016", "issued_on": "2025-06-01", "expires_on": "2028-05-31"},
		trustmark.Row{"number": certCCC, "type": "CCC", "body_approval_no": bodyA, "holder_uscc": string(holderA), "scope": "电动工具", "product": "角磨机", "ccc_category": "0901", "issued_on": "2025-01-15", "expires_on": "2030-01-14"},
	)
	load(trustmark.KindReports,
		trustmark.Row{"number": reportNo, "lab_cma_no": labA, "client_uscc": string(holderA), "product": "角磨机", "conclusion": "pass", "issued_on": "2026-02-01"},
	)
	f := &fixture{store: st}
	for _, p := range []struct {
		party trustmark.Party
		dst   *string
	}{
		{trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}, &f.tokenA},
		{trustmark.Party{Kind: trustmark.PartyBody, ID: bodyB}, &f.tokenB},
		{trustmark.Party{Kind: trustmark.PartyLab, ID: labA}, &f.tokenL},
		{trustmark.Party{Kind: trustmark.PartyRegulator, ID: "110000"}, &f.tokenR},
		{trustmark.Party{Kind: trustmark.PartyRegulator, ID: "310000"}, &f.tokenS},
	} {
		if *p.dst, err = st.CreateToken(ctx, p.party); err != nil {
			t.Fatalf("CreateToken(%v): %v", p.party, err)
		}
	}
	f.srv = tmhttp.NewServer(tmhttp.Config{Store: st, Logger: quiet, Clock: clock, MaxBodyBytes: 64 << 10})
	return f
}

// do serves one request; token "" sends no Authorization header.
func (f *fixture) do(method, target, token, body string) *httptest.ResponseRecorder {
	var r *nethttp.Request
	if body == "" {
		r = httptest.NewRequest(method, target, nil)
	} else {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, r)
	return w
}
