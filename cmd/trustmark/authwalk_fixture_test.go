package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	"trustmark/internal/testfix"
	"trustmark/storetest"
)

// principal is one way of calling: no credentials, or a role by one kind
// of credential.
type principal struct {
	name    string
	roles   []account.Role // what the matrix is asked about
	token   string         // Authorization: Bearer
	cookie  string         // session cookie value
	csrf    string         // the session's CSRF token
	session bool
}

type walkAudit struct {
	id, body       string
	target         access.Target
	photo, anomaly string // a check-in photo's SHA-256, an anomaly's key
}

type walkMatter struct {
	id     string
	target access.Target
}

type walkFixture struct {
	t          *testing.T
	m          *Main
	db         *sql.DB // a second connection, to see what changed
	principals []principal
	audits     []walkAudit
	matters    []walkMatter
	watch      string
	pick       string // a subject the drawn campaign picked
	pickRegion string
}

// serve sends one request as p.
func (f *walkFixture) serve(method, path, body string, p principal) *httptest.ResponseRecorder {
	as := ""
	if len(p.roles) > 0 {
		as = url.QueryEscape(p.roles[0].Unit.String())
	}
	body = strings.ReplaceAll(body, "{as}", as)
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, path, rd)
	switch {
	case strings.HasPrefix(body, "{"):
		r.Header.Set("Content-Type", "application/json")
	case body != "" || method == "POST":
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.RemoteAddr = "192.0.2.10:4000"
	if p.token != "" {
		r.Header.Set("Authorization", "Bearer "+p.token)
	}
	if p.cookie != "" {
		r.AddCookie(&http.Cookie{Name: "tm_session", Value: p.cookie})
		if method != "GET" {
			r.Header.Set("X-CSRF-Token", p.csrf)
		}
	}
	w := httptest.NewRecorder()
	f.m.HTTPServer.ServeHTTP(w, r)
	return w
}

// walkTables are the tables a refused request must leave alone: the
// registry and everything people write. Tables of background work (the
// log's tiles, followers' cursors and scores, sessions) are left out, and
// so are matters, which the risk follower opens while the walk runs: a
// person's step on a matter is an event of theirs, which the fingerprint
// counts (events not by a follower, "system:NAME").
var walkTables = []string{"orgs", "bodies", "labs", "persons", "certificates", "reports", "tokens", "watches", "watch_items",
	"accounts", "account_roles", "credit_entries", "credit_listings", "credit_listing_steps", "audits", "audit_revisions", "audit_members",
	"checkins", "photos", "photo_uses", "anomalies", "personal_access", "campaigns", "campaign_picks", "campaign_recusals", "campaign_attempts"}

// walkLast names what orders the rows of a walked table without a rowid,
// whose fingerprint takes its largest key instead.
var walkLast = map[string]string{"photo_uses": "sha256 || ' ' || checkin_id"}

// fingerprint is the row count and largest rowid (or key) of every walked
// table.
func (f *walkFixture) fingerprint(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, table := range walkTables {
		last := walkLast[table]
		if last == "" {
			last = "rowid"
		}
		var n int64
		var max string
		if err := f.db.QueryRow(`SELECT COUNT(*), COALESCE(CAST(MAX(`+last+`) AS TEXT), '') FROM `+table).Scan(&n, &max); err != nil {
			t.Fatalf("fingerprint %s: %v", table, err)
		}
		fmt.Fprintf(&b, "%s=%d/%s ", table, n, max)
	}
	var n int64
	if err := f.db.QueryRow(`SELECT COUNT(*) FROM events WHERE actor NOT LIKE 'system:%'`).Scan(&n); err != nil {
		t.Fatalf("fingerprint events: %v", err)
	}
	fmt.Fprintf(&b, "events by people=%d", n)
	return b.String()
}

func newWalkFixture(t *testing.T) *walkFixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	dsn := filepath.Join(dir, "trustmark.db")
	m := NewMain()
	m.Stderr, m.Stdout = io.Discard, io.Discard
	m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := m.ParseFlags([]string{"--db", dsn, "--addr", "127.0.0.1:0", "--anon-rate", "0"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	f := &walkFixture{t: t, m: m}
	walkLoad(t, m)

	drv := sql.Drivers()[slices.IndexFunc(sql.Drivers(), func(d string) bool { return strings.Contains(d, "sqlite") })]
	db, err := sql.Open(drv, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f.db = db
	f.principals = walkPrincipals(t, m)
	f.makeTargets(t)
	return f
}

// walkPrincipals are no credentials, and for each role of the walk its
// party's token (where a party has one), the token of an account holding
// the role and the session of another account, its administrator.
func walkPrincipals(t *testing.T, m *Main) []principal {
	ctx := context.Background()
	roles := []account.Role{
		{Unit: unit(account.Regulator, trustmark.NationalRegion)},
		{Unit: unit(account.Regulator, "510000")}, // 四川省
		{Unit: unit(account.Regulator, "510100")}, // 成都市
		{Unit: unit(account.Regulator, wRegionA)}, // 成都市锦江区
		{Unit: unit(account.Regulator, "500000")}, // 重庆市
		{Unit: unit(account.Body, wBodyA)}, {Unit: unit(account.Body, wBodyB)},
		{Unit: unit(account.Lab, wLabA)}, {Unit: unit(account.Lab, wLabB)},
		{Unit: unit(account.Auditor, wPersonA)}, {Unit: unit(account.Auditor, wPersonB)},
		{Unit: unit(account.Org, string(wHolderA))}, {Unit: unit(account.Org, string(wHolderB))},
	}
	partyKind := map[account.Kind]string{account.Regulator: trustmark.PartyRegulator, account.Body: trustmark.PartyBody,
		account.Lab: trustmark.PartyLab, account.Auditor: trustmark.PartyPerson}
	out := []principal{{name: "no credentials"}}
	for i, role := range roles {
		if k, ok := partyKind[role.Kind]; ok {
			tok, err := m.Store.CreateToken(ctx, trustmark.Party{Kind: k, ID: role.ID})
			if err != nil {
				t.Fatalf("token of %s: %v", role, err)
			}
			out = append(out, principal{name: role.Unit.String() + " party token", roles: []account.Role{role}, token: tok})
		}
		// An account's token (the role as granted) and, for another
		// account of the same unit, its administrator's session.
		acct := walkAccount(t, m, fmt.Sprintf("walk%d@example.cn", i), role)
		tok, err := m.Store.CreateToken(ctx, trustmark.Party{Kind: account.PartyKind, ID: acct.ID})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, principal{name: role.Unit.String() + " account token", roles: acct.Roles, token: tok})
		admin := role
		admin.Admin = role.Kind != account.Auditor
		acct = walkAccount(t, m, fmt.Sprintf("walk%d-admin@example.cn", i), admin)
		out = append(out, walkSession(t, m, acct, role.Unit.String()+" session"))
	}
	return out
}

// makeTargets makes what the routes act on, as their owners would: two
// credit listings, an audit of each body's certificate (whose late report
// opens a matter), a campaign, a watch of bodyA, a check-in with a photo,
// and a campaign drawn.
func (f *walkFixture) makeTargets(t *testing.T) {
	m, db := f.m, f.db
	party := func(kind, id string) string {
		tok, err := m.Store.CreateToken(context.Background(), trustmark.Party{Kind: kind, ID: id})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	national := principal{token: party(trustmark.PartyRegulator, trustmark.NationalRegion)}
	bodyA := principal{token: party(trustmark.PartyBody, wBodyA)}
	must := func(w *httptest.ResponseRecorder, what string, want int) []byte {
		t.Helper()
		if w.Code != want {
			t.Fatalf("fixture: %s = %d %s", what, w.Code, w.Body)
		}
		return w.Body.Bytes()
	}
	for _, l := range []struct{ id, body, region string }{{"L-SC", wBodyA, wRegionA}, {"L-CQ", wBodyB, wRegionB}} {
		must(f.serve("POST", "/api/v1/credit/listings", fmt.Sprintf(`{"id":%q,"subject_kind":"body","subject_id":%q,"name":"认证机构","region":%q,"grounds":"出具虚假认证证书","legal_basis":"第六条"}`, l.id, l.body, l.region), national), "listing "+l.id, 201)
	}
	for _, a := range []struct{ body, cert, person string }{{wBodyA, wCertA, wPersonA}, {wBodyB, wCertB, wPersonB}} {
		raw := must(f.serve("POST", "/api/v1/audits", walkPlan(a.cert, a.person), principal{token: party(trustmark.PartyBody, a.body)}), "audit of "+a.cert, 201)
		var v struct{ ID, Region string }
		json.Unmarshal(raw, &v)
		f.audits = append(f.audits, walkAudit{id: v.ID, body: a.body, target: access.Target{Region: v.Region, Owner: unit(account.Body, a.body), Team: []string{a.person}}})
	}
	must(f.serve("POST", "/api/v1/campaigns", string(storetest.CampaignRequestJSON(wCampaign)), national), "campaign", 201)
	raw := must(f.serve("POST", "/api/v1/watches", `{"url":"https://hooks.example.com/walk","items":["QMS/`+wCertA+`"]}`, bodyA), "watch", 201)
	var wv struct{ ID string }
	json.Unmarshal(raw, &wv)
	f.watch = wv.ID

	// A check-in with a photo by personA, the anomalies and matters the
	// audits raised, and a campaign drawn.
	f.matters = f.walkMatters(t)
	raw = must(f.serve("POST", "/api/v1/audits/"+f.audits[0].id+"/checkins", walkCheckIn(0), principal{token: party(trustmark.PartyPerson, wPersonA)}), "check-in", 201)
	var ci struct{ Photos []string }
	json.Unmarshal(raw, &ci)
	f.audits[0].photo = ci.Photos[0]
	for i := range f.audits {
		var key string
		if err := db.QueryRow(`SELECT key FROM anomalies WHERE audit_id = ? ORDER BY key LIMIT 1`, f.audits[i].id).Scan(&key); err != nil {
			t.Fatalf("fixture: the late audit plan of %s raised no anomaly: %v", f.audits[i].body, err)
		}
		f.audits[i].anomaly = strings.TrimPrefix(key, "audit:"+f.audits[i].id+"/")
	}
	must(f.serve("POST", "/api/v1/campaigns", string(storetest.CampaignRequestJSON(wDrawn)), national), "campaign", 201)
	lottery, _ := json.Marshal(map[string]any{"kind": "lottery", "lottery": storetest.CampaignLottery})
	must(f.serve("POST", "/api/v1/campaigns/"+wDrawn+"/random", string(lottery), national), "random value", 200)
	must(f.serve("POST", "/api/v1/campaigns/"+wDrawn+"/draws", "", national), "draw", 200)
	if err := db.QueryRow(`SELECT subject FROM campaign_picks WHERE campaign_id = ? ORDER BY pos LIMIT 1`, wDrawn).Scan(&f.pick); err != nil {
		t.Fatalf("fixture: the draw's picks: %v", err)
	}
	// The fixture's subjects are in Beijing's districts: of the walk's
	// regulators, the nation's alone covers them, as it covers Beijing.
	f.pickRegion = "110000"
}

// walkMatters are the first matter the audits opened for each body.
func (f *walkFixture) walkMatters(t *testing.T) []walkMatter {
	var out []walkMatter
	rows, err := f.db.Query(`SELECT id, region, party_kind, party_id FROM matters ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for rows.Next() {
		var m walkMatter
		if err := rows.Scan(&m.id, &m.target.Region, &m.target.Owner.Kind, &m.target.Owner.ID); err != nil {
			t.Fatal(err)
		}
		if !seen[m.target.Owner.ID] {
			seen[m.target.Owner.ID] = true
			out = append(out, m)
		}
	}
	rows.Close()
	if len(out) < 2 {
		t.Fatalf("fixture: the audits opened matters for %v, want one for each body", seen)
	}
	return out
}

// walkAccount creates an account holding role.
func walkAccount(t *testing.T, m *Main, email string, role account.Role) account.Account {
	t.Helper()
	acct, _ := testfix.Invite(t, m.Store, rand.Reader, email, "走查", time.Now(), role)
	return acct
}

// walkSession opens a full session of acct, as signing in does, and reads
// its CSRF token.
func walkSession(t *testing.T, m *Main, acct account.Account, name string) principal {
	t.Helper()
	token, s, err := account.NewSession(rand.Reader, acct.ID, account.StageFull, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Store.Apply(context.Background(), account.Change{Session: &account.SessionRecord{Session: s}}); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/work/", nil)
	r.AddCookie(&http.Cookie{Name: "tm_session", Value: token})
	c, err := m.HTTPServer.Auth().Resolve(r)
	if err != nil {
		t.Fatalf("session of %s: %v", name, err)
	}
	return principal{name: name, roles: acct.Roles, cookie: token, csrf: c.CSRFToken(), session: true}
}

// walkLoad imports the Sichuan and Chongqing fixture.
func walkLoad(t *testing.T, m *Main) {
	t.Helper()
	load := func(kind trustmark.Kind, rows ...trustmark.Row) {
		t.Helper()
		testfix.LoadRows(t, m.Store, kind, rows...)
	}
	bodyOrgA, bodyOrgB := trustmark.MakeUSCC("9151010400000033"), trustmark.MakeUSCC("9150010100000044")
	labOrgA, labOrgB := trustmark.MakeUSCC("9151010400000055"), trustmark.MakeUSCC("9150010100000066")
	load(trustmark.KindOrgs,
		trustmark.Row{"uscc": string(wHolderA), "name": "成都锦江精密机械有限公司", "region_code": wRegionA},
		trustmark.Row{"uscc": string(wHolderB), "name": "重庆万州软件股份有限公司", "region_code": wRegionB},
		trustmark.Row{"uscc": string(bodyOrgA), "name": "四川认证中心有限公司", "region_code": wRegionA},
		trustmark.Row{"uscc": string(bodyOrgB), "name": "重庆认证中心有限公司", "region_code": wRegionB},
		trustmark.Row{"uscc": string(labOrgA), "name": "四川检测实验室有限公司", "region_code": wRegionA},
		trustmark.Row{"uscc": string(labOrgB), "name": "重庆检测实验室有限公司", "region_code": wRegionB},
	)
	load(trustmark.KindBodies,
		trustmark.Row{"approval_no": wBodyA, "uscc": string(bodyOrgA), "name": "四川认证中心", "region_code": wRegionA, "scopes": "QMS"},
		trustmark.Row{"approval_no": wBodyB, "uscc": string(bodyOrgB), "name": "重庆认证中心", "region_code": wRegionB, "scopes": "QMS"},
	)
	load(trustmark.KindLabs,
		trustmark.Row{"cma_no": wLabA, "uscc": string(labOrgA), "name": "四川检测实验室", "region_code": wRegionA, "valid_until": "2029-12-31"},
		trustmark.Row{"cma_no": wLabB, "uscc": string(labOrgB), "name": "重庆检测实验室", "region_code": wRegionB, "valid_until": "2029-12-31"},
	)
	load(trustmark.KindPersons,
		trustmark.Row{"registration_no": wPersonA, "name": "张伟", "body_approval_no": wBodyA, "qualifications": "QMS"},
		trustmark.Row{"registration_no": wPersonB, "name": "李娜", "body_approval_no": wBodyB, "qualifications": "QMS"},
	)
	load(trustmark.KindCertificates,
		trustmark.Row{"number": wCertA, "type": "QMS", "body_approval_no": wBodyA, "holder_uscc": string(wHolderA), "scope": "机械加工", "issued_on": "2026-01-10", "expires_on": "2029-01-09"},
		trustmark.Row{"number": wCertB, "type": "QMS", "body_approval_no": wBodyB, "holder_uscc": string(wHolderB), "scope": "软件开发", "issued_on": "2025-06-01", "expires_on": "2028-05-31"},
	)
}
