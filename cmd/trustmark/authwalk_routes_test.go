package main

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
)

// Walk fixture: Sichuan (a body, a laboratory, an organisation in Chengdu's
// Jinjiang district) and Chongqing (the same in Wanzhou).
const (
	wBodyA, wBodyB = "CNCA-R-2002-001", "CNCA-R-2003-002"
	wLabA, wLabB   = "230012050001", "230012050002"
	wPersonA       = "2026-NQA-0001" // bodyA's auditor
	wPersonB       = "2026-NQA-0002" // bodyB's auditor
	wRegionA       = "510104"        // 成都市锦江区
	wRegionB       = "500101"        // 重庆市万州区
	wCertA, wCertB = "WALK-A-0001", "WALK-B-0001"
	wCampaign      = "CAMP-WALK"
	wDrawn         = "CAMP-WALK-DRAWN"
)

var (
	wHolderA = trustmark.MakeUSCC("9151010400000011")
	wHolderB = trustmark.MakeUSCC("9150010100000022")
)

// walkClass is what guards a route.
type walkClass int

const (
	public  walkClass = iota // anyone: not walked (reason in why)
	exempt                   // the sign-in machinery and plumbing: not walked (reason in why)
	session                  // any full session, whatever its roles (the workbench)
	caller                   // any credentials, the result owned by the caller (watches)
	owner                    // only the caller who owns the target (a watch)
	action                   // access.Decide on one of actions
)

// walkRoute is one registered pattern and what guards it.
type walkRoute struct {
	class   walkClass
	why     string
	actions []access.Action
	targets func(f *walkFixture) []walkTarget
	// notFound: the allowed answer may be 404 (an address that names
	// nothing, asked to see that it is refused to others first).
	notFound bool
}

// walkTarget is one request on a route: its path and body (n makes
// created identifiers unique), and what it acts on.
type walkTarget struct {
	name   string
	target access.Target
	owner  string // for class owner: the principal that owns it
	req    func(n int) (path, body string)
	// decide, when set, is the matrix's answer for roles in place of
	// actions on target (a route that asks more than one question).
	decide func(roles []account.Role) bool
}

func unit(k account.Kind, id string) account.Unit { return account.Unit{Kind: k, ID: id} }

var (
	targetA = access.Target{Region: wRegionA, Owner: unit(account.Body, wBodyA)}
	targetB = access.Target{Region: wRegionB, Owner: unit(account.Body, wBodyB)}
)

func fixed(path, body string) func(int) (string, string) {
	return func(int) (string, string) { return path, body }
}

func pub(why string) walkRoute      { return walkRoute{class: public, why: why} }
func exempted(why string) walkRoute { return walkRoute{class: exempt, why: why} }

// walkRoutes classifies every pattern serve registers: the public site,
// the API and the sign-in machinery here, the workbench's pages, the
// watches and the campaigns in authwalk_workbench_test.go.
var walkRoutes = joinRoutes(walkSiteRoutes, walkWorkbenchRoutes)

// joinRoutes returns the routes of tables, each pattern classified once.
func joinRoutes(tables ...map[string]walkRoute) map[string]walkRoute {
	out := map[string]walkRoute{}
	for _, t := range tables {
		for p, r := range t {
			if _, ok := out[p]; ok {
				panic("authwalk: " + p + " is classified twice")
			}
			out[p] = r
		}
	}
	return out
}

// walkSiteRoutes are the public site's, the API's and the sign-in's.
var walkSiteRoutes = map[string]walkRoute{
	// Plumbing.
	"GET /healthz":          pub("health check"),
	"GET /metrics":          pub("metrics carry no registry data"),
	"GET /api/openapi.json": pub("the API's description"),
	"/api/":                 exempted("answers unknown API addresses with 404/405"),
	"/":                     exempted("the pages, walked by their own patterns (PagePatterns)"),
	"/log/":                 pub("the public traceability log (C2SP tiles, checkpoints)"),
	"GET /robots.txt":       pub("robots"),
	"GET /{$}":              pub("portal home"),
	"/work/": {class: session, notFound: true, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "unknown page", req: fixed("/work/no-such-page", "")}}
	}},
	"GET /work/{$}":             {class: session, targets: func(*walkFixture) []walkTarget { return []walkTarget{{name: "home", req: fixed("/work/", "")}} }},
	"POST /signout":             exempted("sign-in machinery: ends the caller's own session, if any (web/signin_test.go)"),
	"GET /signin":               exempted("sign-in machinery (http/session_test.go, web/signin_test.go)"),
	"POST /signin":              exempted("sign-in machinery"),
	"GET /signin/code":          exempted("sign-in machinery"),
	"POST /signin/code":         exempted("sign-in machinery"),
	"GET /signin/link/{token}":  exempted("sign-in machinery"),
	"POST /signin/link/{token}": exempted("sign-in machinery"),
	"GET /signin/oidc":          exempted("single sign-on (http/oidc_test.go)"),
	"GET /signin/oidc/callback": exempted("single sign-on (http/oidc_test.go)"),

	// The public registry, API and pages.
	"GET /api/v1/certificates":                  pub("public registry"),
	"GET /api/v1/certificates/{number}":         pub("public registry"),
	"GET /api/v1/certificates/{number}/history": pub("public log"),
	"GET /api/v1/orgs":                          pub("public registry"),
	"GET /api/v1/orgs/{uscc}":                   pub("public registry"),
	"GET /api/v1/bodies":                        pub("public registry"),
	"GET /api/v1/bodies/{approval_no}":          pub("public registry"),
	"GET /api/v1/labs":                          pub("public registry"),
	"GET /api/v1/labs/{cma_no}":                 pub("public registry"),
	"GET /api/v1/persons":                       pub("public registry (no personal particulars)"),
	"GET /api/v1/persons/{registration_no}":     pub("public registry (no personal particulars)"),
	"GET /api/v1/reports":                       pub("public registry"),
	"GET /api/v1/reports/{lab_cma_no}/{number}": pub("public registry"),
	"GET /api/v1/stats":                         pub("public counts"),
	"GET /api/v1/calendar/working-days":         pub("the official calendar"),
	"GET /api/v1/statistics/indicators":         pub("the plan's indicators are public"),
	"GET /api/v1/credit/serious-violations":     pub("the serious-violation list is published"),
	"POST /api/v1/verify":                       pub("bulk verification reads only"),
	"GET /api/v1/campaigns":                     pub("campaigns are published (双随机、一公开)"),
	"GET /api/v1/campaigns/{id}":                pub("campaigns are published"),
	"GET /api/v1/campaigns/{id}/history":        pub("public log"),
	"GET /search":                               pub("portal"),
	"GET /certificates/{number...}":             pub("portal"),
	"GET /orgs/{uscc}":                          pub("portal"),
	"GET /bodies/{approval_no}":                 pub("portal"),
	"GET /labs":                                 pub("portal"),
	"GET /labs/{cma_no}":                        pub("portal"),
	"GET /persons/{registration_no}":            pub("portal (no personal particulars)"),
	"GET /reports":                              pub("portal"),
	"GET /reports/{cma_no}/{number}":            pub("portal"),
	"GET /disclosures":                          pub("portal"),
	"GET /verify":                               pub("portal"),
	"POST /verify":                              pub("bulk verification reads only"),
	"GET /statistics":                           pub("portal"),
	"GET /statistics/{file}":                    pub("portal"),
	"GET /credit":                               pub("portal"),
	"GET /credit/serious-violations.csv":        pub("portal"),
	"GET /campaigns":                            pub("the list of campaigns, public as the API's"),
	"GET /campaigns/{id}":                       pub("portal"),
	"GET /campaigns/{id}/results.csv":           pub("open data: published campaign results"),

	// Certificates.
	"POST /api/v1/certificates": {class: action, actions: []access.Action{access.CertificateIssue}, targets: func(*walkFixture) []walkTarget {
		issue := func(body string) func(int) (string, string) {
			return func(n int) (string, string) {
				return "/api/v1/certificates", fmt.Sprintf(`{"number":"WALK-I-%04d","type":"QMS","body_approval_no":%q,"holder_uscc":%q,"scope":"机械加工","expires_on":"2029-03-14"}`, n, body, wHolderA)
			}
		}
		return []walkTarget{{name: "in bodyA's name", target: targetA, req: issue(wBodyA)}, {name: "in bodyB's name", target: targetB, req: issue(wBodyB)}}
	}},
	"POST /api/v1/certificates/{number}/transitions": {class: action, actions: []access.Action{access.CertificateTransition}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{
			{name: "bodyA's certificate", target: targetA, req: fixed("/api/v1/certificates/"+wCertA+"/transitions", `{"to":"suspended","reason":"监督抽查"}`)},
			{name: "bodyB's certificate", target: targetB, req: fixed("/api/v1/certificates/"+wCertB+"/transitions", `{"to":"suspended","reason":"监督抽查"}`)},
		}
	}},

	// Credit.
	"POST /api/v1/credit/listings": {class: action, actions: []access.Action{access.CreditList}, targets: func(*walkFixture) []walkTarget {
		propose := func(body, region string) func(int) (string, string) {
			return func(n int) (string, string) {
				return "/api/v1/credit/listings", fmt.Sprintf(`{"id":"L-W%04d","subject_kind":"body","subject_id":%q,"name":"认证机构","region":%q,"grounds":"出具虚假认证证书","legal_basis":"《市场监督管理严重违法失信名单管理办法》第六条"}`, n, body, region)
			}
		}
		return []walkTarget{{name: "a Sichuan body", target: access.Target{Region: wRegionA}, req: propose(wBodyA, wRegionA)},
			{name: "a Chongqing body", target: access.Target{Region: wRegionB}, req: propose(wBodyB, wRegionB)}}
	}},
	"POST /api/v1/credit/archive": {class: action, actions: []access.Action{access.CreditRecord}, targets: func(*walkFixture) []walkTarget {
		entry := func(body string) func(int) (string, string) {
			return func(n int) (string, string) {
				return "/api/v1/credit/archive", fmt.Sprintf(`{"subject_kind":"body","subject_id":%q,"kind":"finding","summary":"检查发现 %d","source":"inspection:W-%d"}`, body, n, n)
			}
		}
		return []walkTarget{{name: "a Sichuan body", target: access.Target{Region: wRegionA}, req: entry(wBodyA)},
			{name: "a Chongqing body", target: access.Target{Region: wRegionB}, req: entry(wBodyB)}}
	}},
	"GET /api/v1/credit/archive/{kind}/{id}": {class: action, targets: func(*walkFixture) []walkTarget {
		read := func(name, body, region string) walkTarget {
			return walkTarget{name: name, req: fixed("/api/v1/credit/archive/body/"+body, ""), decide: func(roles []account.Role) bool {
				_, _, errReg := access.DecideAny(roles, access.CreditRecord, access.Target{Region: region})
				_, _, errOwn := access.DecideAny(roles, access.CreditRepairApply, access.Target{Owner: unit(account.Body, body)})
				return errReg == nil || errOwn == nil
			}}
		}
		return []walkTarget{read("bodyA's archive", wBodyA, wRegionA), read("bodyB's archive", wBodyB, wRegionB)}
	}},
	"GET /work/credit/archive": {class: action, actions: []access.Action{access.CreditRecord}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "bodyA's archive", target: access.Target{Region: wRegionA}, req: fixed("/work/credit/archive?kind=body&id="+wBodyA, "")},
			{name: "bodyB's archive", target: access.Target{Region: wRegionB}, req: fixed("/work/credit/archive?kind=body&id="+wBodyB, "")}}
	}},
	"POST /work/credit/archive": {class: action, actions: []access.Action{access.CreditRecord}, targets: func(*walkFixture) []walkTarget {
		entry := func(body string) func(int) (string, string) {
			return func(n int) (string, string) {
				return "/work/credit/archive", fmt.Sprintf("subject_kind=body&subject_id=%s&kind=finding&summary=%%E6%%A3%%80%%E6%%9F%%A5+%d&source=inspection%%3AW-%d", body, n, n)
			}
		}
		return []walkTarget{{name: "a Sichuan body", target: access.Target{Region: wRegionA}, req: entry(wBodyA)},
			{name: "a Chongqing body", target: access.Target{Region: wRegionB}, req: entry(wBodyB)}}
	}},
	"POST /api/v1/credit/listings/{id}/notice":          listingStep(access.CreditList, "notice", `{"on":"2026-02-02"}`),
	"POST /api/v1/credit/listings/{id}/decision":        listingStep(access.CreditList, "decision", `{"list":true,"decision":"川市监信〔2026〕3号"}`),
	"POST /api/v1/credit/listings/{id}/repair-decision": listingStep(access.CreditRepairDecide, "repair-decision", `{"grant":true,"reason":"整改到位"}`),

	// Audits.
	"POST /api/v1/audits": {class: action, actions: []access.Action{access.AuditPlan}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "bodyA's certificate", target: targetA, req: fixed("/api/v1/audits", walkPlan(wCertA, wPersonA))},
			{name: "bodyB's certificate", target: targetB, req: fixed("/api/v1/audits", walkPlan(wCertB, wPersonB))}}
	}},
	"GET /api/v1/audits/{id}": auditRead(""),
	// A change to a plan: the audit's body only (access.AuditPlan on the
	// audit); each request a different plan, so that none is refused as
	// unchanged.
	"PUT /api/v1/audits/{id}": {class: action, actions: []access.Action{access.AuditPlan}, targets: func(f *walkFixture) []walkTarget {
		var out []walkTarget
		for _, a := range f.audits {
			out = append(out, walkTarget{name: "audit of " + a.body, target: a.target, req: func(n int) (string, string) {
				return "/api/v1/audits/" + a.id, walkChange(a.body, n)
			}})
		}
		return out
	}},
	"GET /api/v1/audits/{id}/anomalies": auditRead("/anomalies"),
	"POST /api/v1/audits/{id}/checkins": {class: action, actions: []access.Action{access.AuditCheckin}, targets: func(f *walkFixture) []walkTarget {
		var out []walkTarget
		for _, a := range f.audits {
			out = append(out, walkTarget{name: "audit of " + a.body, target: a.target, req: func(n int) (string, string) {
				return "/api/v1/audits/" + a.id + "/checkins", walkCheckIn(n)
			}})
		}
		return out
	}},

	"POST /api/v1/credit/listings/{id}/objection": partyStep("objection", `{"statement":"认证证书系依规出具，有审核记录为证"}`),
	"POST /api/v1/credit/listings/{id}/repair":    partyStep("repair", `{"statement":"已完成整改"}`),

	// Risk: a region's scores, read under access.RiskView.
	"GET /api/v1/risk/subjects": {class: action, actions: []access.Action{access.RiskView}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "Sichuan", target: access.Target{Region: "510000"}, req: fixed("/api/v1/risk/subjects?region=510000", "")},
			{name: "Chongqing", target: access.Target{Region: "500000"}, req: fixed("/api/v1/risk/subjects?region=500000", "")}}
	}},
	"GET /api/v1/risk/subjects/{kind}/{id}": {class: action, actions: []access.Action{access.RiskView}, targets: func(f *walkFixture) []walkTarget {
		return []walkTarget{{name: "bodyA", target: access.Target{Region: wRegionA}, req: fixed("/api/v1/risk/subjects/body/"+wBodyA, "")},
			{name: "bodyB", target: access.Target{Region: wRegionB}, req: fixed("/api/v1/risk/subjects/body/"+wBodyB, "")}}
	}},

	"GET /api/v1/risk/rules": {class: action, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "the rules", req: fixed("/api/v1/risk/rules", ""), decide: anyRegulator}}
	}},
	"POST /api/v1/risk/rules": {class: action, actions: []access.Action{access.RiskWeightsEdit}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "a new version", req: fixed("/api/v1/risk/rules", `{"effective_from":"2099-01-01","reason":"walk","weights":{"penalty":{"points":30}},"thresholds":{"B":10,"C":25,"D":50}}`)}}
	}},
	// Risk reports: recorded by regulators of the subject's region, read
	// as every risk figure is.
	"POST /api/v1/risk/reports": {class: action, actions: []access.Action{access.RiskReport}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "a complaint about bodyA", target: access.Target{Region: wRegionA}, req: walkRiskReport("/api/v1/risk/reports", wBodyA, true)},
			{name: "a complaint about bodyB", target: access.Target{Region: wRegionB}, req: walkRiskReport("/api/v1/risk/reports", wBodyB, true)}}
	}},
	"GET /api/v1/risk/reports": {class: action, actions: []access.Action{access.RiskView}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "bodyA's", target: access.Target{Region: wRegionA}, req: fixed("/api/v1/risk/reports?subject=body:"+wBodyA, "")},
			{name: "bodyB's", target: access.Target{Region: wRegionB}, req: fixed("/api/v1/risk/reports?subject=body:"+wBodyB, "")}}
	}},
	"GET /work/risk/reports/new": {class: action, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "the form", req: fixed("/work/risk/reports/new", ""), decide: anyRegulator}}
	}},
	"POST /work/risk/reports/new": {class: action, actions: []access.Action{access.RiskReport}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "a complaint about bodyA", target: access.Target{Region: wRegionA}, req: walkRiskReport("/work/risk/reports/new", wBodyA, false)},
			{name: "a complaint about bodyB", target: access.Target{Region: wRegionB}, req: walkRiskReport("/work/risk/reports/new", wBodyB, false)}}
	}},
	// The workbench's risk pages (the same checks as the risk API) and
	// credit page (a party's own cases, a regulator's region's).
	"GET /work/risk": {class: action, actions: []access.Action{access.RiskView}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "Sichuan", target: access.Target{Region: "510000"}, req: fixed("/work/risk?region=510000", "")},
			{name: "Chongqing", target: access.Target{Region: "500000"}, req: fixed("/work/risk?region=500000", "")}}
	}},
	"GET /work/risk/{kind}/{id}": {class: action, actions: []access.Action{access.RiskView}, targets: func(f *walkFixture) []walkTarget {
		return []walkTarget{{name: "bodyA", target: access.Target{Region: wRegionA}, req: fixed("/work/risk/body/"+wBodyA, "")},
			{name: "bodyB", target: access.Target{Region: wRegionB}, req: fixed("/work/risk/body/"+wBodyB, "")}}
	}},
	// A regulator's registry pages and statistics (access.StatisticsViewRegion).
	"GET /work/region": {class: action, actions: []access.Action{access.StatisticsViewRegion}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "Sichuan", target: access.Target{Region: "510000"}, req: fixed("/work/region?region=510000", "")},
			{name: "Chongqing", target: access.Target{Region: "500000"}, req: fixed("/work/region?region=500000", "")}}
	}},
	"GET /work/region/statistics/{region}": {class: action, actions: []access.Action{access.StatisticsViewRegion}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "Sichuan", target: access.Target{Region: "510000"}, req: fixed("/work/region/statistics/510000", "")},
			{name: "Chongqing", target: access.Target{Region: "500000"}, req: fixed("/work/region/statistics/500000", "")}}
	}},
	"GET /work/region/statistics/{region}/{file}": {class: action, actions: []access.Action{access.StatisticsViewRegion}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "Sichuan", target: access.Target{Region: "510000"}, req: fixed("/work/region/statistics/510000/indicators.csv", "")},
			{name: "Chongqing", target: access.Target{Region: "500000"}, req: fixed("/work/region/statistics/500000/indicators.csv", "")}}
	}},
	"GET /work/credit": {class: session, targets: func(*walkFixture) []walkTarget { return []walkTarget{{name: "credit", req: fixed("/work/credit", "")}} }},
	"POST /work/credit/{id}/{step}": {class: action, actions: []access.Action{access.CreditRepairApply}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{
			{name: "bodyA's listing", target: access.Target{Owner: unit(account.Body, wBodyA)}, req: fixed("/work/credit/L-SC/objection", "statement=%E4%B8%8D%E6%9C%8D")},
			{name: "bodyB's listing", target: access.Target{Owner: unit(account.Body, wBodyB)}, req: fixed("/work/credit/L-CQ/objection", "statement=%E4%B8%8D%E6%9C%8D")},
		}
	}},
	"GET /work/credit/{id}/evidence/{sha}": {class: action, notFound: true, targets: func(*walkFixture) []walkTarget {
		evidence := func(name, id, body, region string) walkTarget {
			return walkTarget{name: name, req: fixed("/work/credit/"+id+"/evidence/"+strings.Repeat("0", 64), ""), decide: func(roles []account.Role) bool {
				return decides(roles, []access.Action{access.CreditRepairApply}, access.Target{Owner: unit(account.Body, body)}) ||
					decides(roles, []access.Action{access.CreditRepairDecide}, access.Target{Region: region})
			}}
		}
		return []walkTarget{evidence("bodyA's listing", "L-SC", wBodyA, wRegionA), evidence("bodyB's listing", "L-CQ", wBodyB, wRegionB)}
	}},

	// The access log of personal data: regulators, for their region.
	"GET /api/v1/personal-data-access": {class: action, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "the log", req: fixed("/api/v1/personal-data-access", ""), decide: anyRegulator}}
	}},
	"GET /work/access-log": {class: action, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "the log", req: fixed("/work/access-log", ""), decide: anyRegulator}}
	}},
}

// walkRiskReport files a complaint about body at path, as JSON or as the
// workbench's form; n makes its source, and so the report, new.
func walkRiskReport(path, body string, asJSON bool) func(int) (string, string) {
	return func(n int) (string, string) {
		if asJSON {
			return path, fmt.Sprintf(`{"kind":"complaint","subject_kind":"body","subject_id":%q,"on":"2026-01-05","source":"12315-W%04d"}`, body, n)
		}
		return path, fmt.Sprintf("kind=complaint&subject_kind=body&subject_id=%s&on=2026-01-05&source=12315-P%04d", body, n)
	}
}

// ownUnit: one of the roles (of kinds, when given) may take a for its own
// unit (the workbench's forms that act for the person's own unit).
func ownUnit(a access.Action, kinds []account.Kind) func([]account.Role) bool {
	return func(roles []account.Role) bool {
		return slices.ContainsFunc(roles, func(r account.Role) bool {
			return (kinds == nil || slices.Contains(kinds, r.Kind)) && access.Decide(r, a, access.Target{Owner: r.Unit}) == nil
		})
	}
}

// invites: an administrator invites staff of its own unit, or, for a
// regulator, of a bureau in its region (the form's region field).
func invites(region string) func([]account.Role) bool {
	return func(roles []account.Role) bool {
		role := roles[0]
		t := access.Target{Owner: role.Unit, Region: role.ID}
		if role.Kind == account.Regulator {
			t = access.Target{Owner: unit(account.Regulator, region), Region: region}
		}
		return access.Decide(role, access.StaffInvite, t) == nil
	}
}

// managesPersonsOf: a role that manages the persons of body (its own
// body's when body is ""), as the matrix says (person.manage).
func managesPersonsOf(body string) func([]account.Role) bool {
	return func(roles []account.Role) bool {
		return slices.ContainsFunc(roles, func(r account.Role) bool {
			employer := unit(account.Body, body)
			if body == "" {
				employer = r.Unit
			}
			return access.Decide(r, access.PersonManage, access.Target{Owner: unit(account.Auditor, "WALK"), Employer: employer}) == nil
		})
	}
}

// staffChange removes a role of, or resets, a member of staff made afresh
// for each request: of bodyA, and of the Jinjiang and Wanzhou bureaus.
func staffChange(path string, a access.Action, extra string) walkRoute {
	return walkRoute{class: action, targets: func(f *walkFixture) []walkTarget {
		var out []walkTarget
		for _, u := range []account.Unit{unit(account.Body, wBodyA), unit(account.Regulator, wRegionA), unit(account.Regulator, wRegionB)} {
			out = append(out, walkTarget{name: "staff of " + u.String(), req: func(n int) (string, string) {
				acct := walkAccount(f.t, f.m, fmt.Sprintf("staff%d@example.cn", n), account.Role{Unit: u})
				return path, fmt.Sprintf("as={as}&account=%s&unit=%s%s", acct.ID, u, extra)
			}, decide: func(roles []account.Role) bool {
				return roles[0].Admin && access.Decide(roles[0], a, access.Target{Owner: u, Region: u.ID}) == nil
			}})
		}
		return out
	}}
}

// anyRegulator: the access log of personal data is read by regulators,
// each for its region (http.PersonalAccesses).
func anyRegulator(roles []account.Role) bool {
	return slices.ContainsFunc(roles, func(r account.Role) bool { return r.Kind == account.Regulator })
}

// decides reports whether one of roles may take one of actions on t.
func decides(roles []account.Role, actions []access.Action, t access.Target) bool {
	for _, a := range actions {
		if _, _, err := access.DecideAny(roles, a, t); err == nil {
			return true
		}
	}
	return false
}

// seesAudit: an audit is shown to its body's staff, its team and the
// regulators of its region.
func seesAudit(roles []account.Role, t access.Target) bool {
	return decides(roles, []access.Action{access.AuditPlan, access.AuditCheckin, access.MatterView}, t)
}

func auditPage(path func(walkAudit) string) walkRoute {
	return walkRoute{class: action, actions: []access.Action{access.AuditPlan, access.AuditCheckin, access.MatterView}, targets: func(f *walkFixture) []walkTarget {
		var out []walkTarget
		for _, a := range f.audits {
			out = append(out, walkTarget{name: "audit of " + a.body, target: a.target, req: fixed(path(a), "")})
		}
		return out
	}}
}

// matterTargets are requests on the matters the audits opened, of bodyA
// and bodyB; with all, the caller must be allowed every one of them.
func (f *walkFixture) matterTargets(suffix, body string, all []access.Action) []walkTarget {
	var out []walkTarget
	for _, m := range f.matters {
		tg := walkTarget{name: "matter of " + m.target.Owner.String(), target: m.target, req: fixed("/work/matters/"+url.PathEscape(m.id)+suffix, body)}
		if all != nil {
			tg.decide = func(roles []account.Role) bool {
				for _, a := range all {
					if !decides(roles, []access.Action{a}, m.target) {
						return false
					}
				}
				return true
			}
		}
		out = append(out, tg)
	}
	return out
}

// partyStep: a listed party's objection or application for repair, on
// its own listing (credit.listings of bodyA and bodyB).
func partyStep(step, body string) walkRoute {
	return walkRoute{class: action, actions: []access.Action{access.CreditRepairApply}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{
			{name: "bodyA's listing", target: access.Target{Owner: unit(account.Body, wBodyA)}, req: fixed("/api/v1/credit/listings/L-SC/"+step, body)},
			{name: "bodyB's listing", target: access.Target{Owner: unit(account.Body, wBodyB)}, req: fixed("/api/v1/credit/listings/L-CQ/"+step, body)},
		}
	}}
}

func listingStep(a access.Action, step, body string) walkRoute {
	return walkRoute{class: action, actions: []access.Action{a}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{
			{name: "a Sichuan listing", target: access.Target{Region: wRegionA}, req: fixed("/api/v1/credit/listings/L-SC/"+step, body)},
			{name: "a Chongqing listing", target: access.Target{Region: wRegionB}, req: fixed("/api/v1/credit/listings/L-CQ/"+step, body)},
		}
	}}
}

// auditRead: an audit is shown to its body's staff, its team and the
// regulators of its region (http.visibleAudit).
func auditRead(suffix string) walkRoute {
	return walkRoute{class: action, actions: []access.Action{access.AuditPlan, access.AuditCheckin, access.MatterView}, targets: func(f *walkFixture) []walkTarget {
		var out []walkTarget
		for _, a := range f.audits {
			out = append(out, walkTarget{name: "audit of " + a.body, target: a.target, req: fixed("/api/v1/audits/"+a.id+suffix, "")})
		}
		return out
	}}
}

func watchRoute(suffix string) walkRoute {
	return walkRoute{class: owner, targets: func(f *walkFixture) []walkTarget {
		body := ""
		if suffix == "/items" {
			body = `{"add":["QMS/` + wCertB + `"]}`
		}
		return []walkTarget{{name: "bodyA's watch", owner: "body:" + wBodyA + " party token", req: fixed("/api/v1/watches/"+f.watch+suffix, body)}}
	}}
}

func campaignStep(suffix, body string) walkRoute {
	return walkRoute{class: action, actions: []access.Action{access.CampaignDraw}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "a Beijing campaign", target: access.Target{Region: "110000"}, req: fixed("/api/v1/campaigns/"+wCampaign+suffix, body)}}
	}}
}

// walkPlan is an audit plan of cert whose opening meeting began an hour
// ago, with person on the team.
func walkPlan(cert, person string) string {
	open := time.Now().Add(-time.Hour).UTC()
	return fmt.Sprintf(`{"certificate": %q, "kind": "surveillance",
		"site": {"address": "成都市锦江区红星路1号", "lat": 30.65, "lng": 104.08, "datum": "wgs84"},
		"opening_at": %q, "closing_at": %q, "team": [{"registration_no": %q, "role": "leader"}],
		"auditor_days": 5, "effective_personnel": 230}`,
		cert, open.Format(time.RFC3339), open.Add(7*time.Hour).Format(time.RFC3339), person)
}

// walkChange is walkPlan of body's walk audit with 5 auditor-days and n
// half days more.
func walkChange(body string, n int) string {
	cert, person := wCertA, wPersonA
	if body == wBodyB {
		cert, person = wCertB, wPersonB
	}
	return strings.Replace(walkPlan(cert, person), `"auditor_days": 5`, fmt.Sprintf(`"auditor_days": %v`, 5.5+float64(n%400)/2), 1)
}

// auditChange: the change form of an audit's plan, shown and posted to
// the audit's body's staff only (access.AuditPlan on the audit); each post
// a different plan.
func auditChange(post bool) walkRoute {
	return walkRoute{class: action, actions: []access.Action{access.AuditPlan}, targets: func(f *walkFixture) []walkTarget {
		var out []walkTarget
		for _, a := range f.audits {
			out = append(out, walkTarget{name: "audit of " + a.body, target: a.target, req: func(n int) (string, string) {
				if !post {
					return "/work/audits/" + a.id + "/plan", ""
				}
				cert, person := wCertA, wPersonA
				if a.body == wBodyB {
					cert, person = wCertB, wPersonB
				}
				v, _ := url.ParseQuery(walkPlanForm(a.body, cert, person))
				v.Set("auditor_days", fmt.Sprint(5.5+float64(n%400)/2))
				return "/work/audits/" + a.id + "/plan", v.Encode()
			}})
		}
		return out
	}}
}

// walkPlanForm is walkPlan as the workbench's form posts it, in body's
// name, its meetings in China time.
func walkPlanForm(body, cert, person string) string {
	open := time.Now().Add(-time.Hour).In(time.FixedZone("CST", 8*3600))
	return url.Values{"body": {body}, "certificate": {cert}, "kind": {"surveillance"}, "site.address": {"成都市锦江区红星路1号"},
		"site.lat": {"30.65"}, "site.lng": {"104.08"}, "site.datum": {"wgs84"}, "opening_at": {open.Format("2006-01-02T15:04")},
		"closing_at": {open.Add(7 * time.Hour).Format("2006-01-02T15:04")}, "team[0].registration_no": {person}, "team[0].role": {"leader"},
		"auditor_days": {"5"}, "effective_personnel": {"230"}}.Encode()
}

func walkCheckIn(n int) string {
	return fmt.Sprintf(`{"kind": "open", "lat": 30.65, "lng": 104.08, "accuracy_m": 10, "datum": "wgs84", "device_time": %q, "photos": ["%s"], "request_id": "walk-%d"}`,
		time.Now().UTC().Format(time.RFC3339), "dGhlIHRlYW0gYXQgdGhlIGdhdGU=", n)
}
