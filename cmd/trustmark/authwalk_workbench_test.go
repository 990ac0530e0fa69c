package main

import (
	"context"
	"encoding/json"
	"fmt"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	"trustmark/storetest"
)

// walkWorkbenchRoutes are the workbench's pages, the watches' and the
// campaigns' routes (walkRoutes).
var walkWorkbenchRoutes = map[string]walkRoute{
	// Workbench: matters and audits.
	"GET /work/matters/{id}": {class: action, actions: []access.Action{access.MatterView}, targets: func(f *walkFixture) []walkTarget {
		return f.matterTargets("", "", nil)
	}},
	"POST /work/matters/{id}": {class: action, targets: func(f *walkFixture) []walkTarget {
		return f.matterTargets("", "action=answered&text=%E5%B7%B2%E6%95%B4%E6%94%B9", []access.Action{access.MatterView, access.MatterAnswer})
	}},
	"GET /work/matters/{id}/files/{step}": {class: action, actions: []access.Action{access.MatterView}, notFound: true, targets: func(f *walkFixture) []walkTarget {
		return f.matterTargets("/files/9", "", nil)
	}},
	"GET /work/audits":                         {class: session, targets: func(*walkFixture) []walkTarget { return []walkTarget{{name: "list", req: fixed("/work/audits", "")}} }},
	"GET /work/audits/{$}":                     {class: session, targets: func(*walkFixture) []walkTarget { return []walkTarget{{name: "list", req: fixed("/work/audits/", "")}} }},
	"GET /work/audits/{id}":                    auditPage(func(a walkAudit) string { return "/work/audits/" + a.id }),
	"GET /work/audits/{id}/anomalies/{key...}": auditPage(func(a walkAudit) string { return "/work/audits/" + a.id + "/anomalies/" + a.anomaly }),
	"POST /work/audits/{id}/checkins": {class: action, actions: []access.Action{access.AuditCheckin}, targets: func(f *walkFixture) []walkTarget {
		var out []walkTarget
		for _, a := range f.audits {
			out = append(out, walkTarget{name: "audit of " + a.body, target: a.target, req: func(n int) (string, string) {
				return "/work/audits/" + a.id + "/checkins", fmt.Sprintf("kind=open&lat=30.65&lng=104.08&accuracy=10&request_id=walk-page-%d", n)
			}})
		}
		return out
	}},
	"GET /work/audits/{id}/photos/{sha}": {class: action, targets: func(f *walkFixture) []walkTarget {
		a := f.audits[0]
		t := access.Target{Region: a.target.Region, Owner: unit(account.Auditor, wPersonA), Employer: unit(account.Body, wBodyA)}
		return []walkTarget{{name: "personA's photo", req: fixed("/work/audits/"+a.id+"/photos/"+a.photo, ""), decide: func(roles []account.Role) bool {
			return seesAudit(roles, a.target) && decides(roles, []access.Action{access.PersonalView}, t)
		}}}
	}},
	"GET /work/audits/{id}/plan":  auditChange(false),
	"POST /work/audits/{id}/plan": auditChange(true),
	// The plan file page (web/auditplanfile.go): a body's staff for their
	// own body, as the one-plan form; the body is the form's, the file
	// names none. Without a file an allowed post is refused 400, naming it.
	"GET /work/audits/import": {class: action, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "the form", req: fixed("/work/audits/import", ""), decide: ownUnit(access.AuditPlan, nil)}}
	}},
	"POST /work/audits/import": {class: action, actions: []access.Action{access.AuditPlan}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "for bodyA", target: access.Target{Owner: unit(account.Body, wBodyA)}, req: fixed("/work/audits/import", "body="+wBodyA)},
			{name: "for bodyB", target: access.Target{Owner: unit(account.Body, wBodyB)}, req: fixed("/work/audits/import", "body="+wBodyB)}}
	}},
	"GET /work/audits/new": {class: action, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "the form", req: fixed("/work/audits/new", ""), decide: ownUnit(access.AuditPlan, nil)}}
	}},
	"POST /work/audits/new": {class: action, actions: []access.Action{access.AuditPlan}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "bodyA's certificate", target: targetA, req: fixed("/work/audits/new", walkPlanForm(wBodyA, wCertA, wPersonA))},
			{name: "bodyB's certificate", target: targetB, req: fixed("/work/audits/new", walkPlanForm(wBodyB, wCertB, wPersonB))}}
	}},
	"GET /work/certificates/new": {class: action, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "the form", req: fixed("/work/certificates/new", ""), decide: ownUnit(access.CertificateIssue, nil)}}
	}},
	"POST /work/certificates/new": {class: action, actions: []access.Action{access.CertificateIssue}, targets: func(*walkFixture) []walkTarget {
		issue := func(body string) func(int) (string, string) {
			return func(n int) (string, string) {
				return "/work/certificates/new", fmt.Sprintf("body=%s&number=WALK-W-%04d&type=QMS&holder_uscc=%s&scope=%%E6%%9C%%BA%%E6%%A2%%B0&expires_on=2029-03-14", body, n, wHolderA)
			}
		}
		return []walkTarget{{name: "in bodyA's name", target: targetA, req: issue(wBodyA)}, {name: "in bodyB's name", target: targetB, req: issue(wBodyB)}}
	}},
	"GET /work/certificates/{number...}": {class: action, actions: []access.Action{access.CertificateTransition}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "bodyA's certificate", target: targetA, req: fixed("/work/certificates/"+wCertA, "")},
			{name: "bodyB's certificate", target: targetB, req: fixed("/work/certificates/"+wCertB, "")}}
	}},
	"POST /work/certificates/{number...}": {class: action, actions: []access.Action{access.CertificateTransition}, targets: func(*walkFixture) []walkTarget {
		const form = "to=suspended&reason=%E7%9B%91%E7%9D%A3%E6%8A%BD%E6%9F%A5"
		return []walkTarget{{name: "bodyA's certificate", target: targetA, req: fixed("/work/certificates/"+wCertA, form)},
			{name: "bodyB's certificate", target: targetB, req: fixed("/work/certificates/"+wCertB, form)}}
	}},
	"GET /work/import": {class: action, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "the form", req: fixed("/work/import", ""), decide: ownUnit(access.ImportUpload, nil)}}
	}},
	"POST /work/import": {class: action, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "certificates", req: fixed("/work/import", "kind=certificates"), decide: ownUnit(access.ImportUpload, []account.Kind{account.Body})}}
	}},
	"GET /work/import/refused/{id}": {class: session, notFound: true, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "no such file", req: fixed("/work/import/refused/nothing", "")}}
	}},
	// A unit's own lists (web/unitlists.go): its own staff, those that
	// submit its records (import.upload on its own unit); another unit,
	// asked for by name, is refused.
	"GET /work/reports": {class: action, actions: []access.Action{access.ImportUpload}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "its own laboratory's", req: fixed("/work/reports", ""), decide: ownUnit(access.ImportUpload, []account.Kind{account.Lab})},
			{name: "labA's", target: access.Target{Owner: unit(account.Lab, wLabA)}, req: fixed("/work/reports?lab="+wLabA, "")},
			{name: "labB's", target: access.Target{Owner: unit(account.Lab, wLabB)}, req: fixed("/work/reports?lab="+wLabB, "")}}
	}},
	"GET /work/certificates": {class: action, actions: []access.Action{access.ImportUpload}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "its own body's", req: fixed("/work/certificates", ""), decide: ownUnit(access.ImportUpload, []account.Kind{account.Body})},
			{name: "bodyA's", target: access.Target{Owner: unit(account.Body, wBodyA)}, req: fixed("/work/certificates?body="+wBodyA, "")},
			{name: "bodyB's", target: access.Target{Owner: unit(account.Body, wBodyB)}, req: fixed("/work/certificates?body="+wBodyB, "")}}
	}},
	// A body's auditors: listed, registered and ended by its own staff
	// (person.manage on its own persons), the calendar by the national
	// administrator (calendar.import).
	"GET /work/auditors": {class: action, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "the body's auditors", req: fixed("/work/auditors", ""), decide: managesPersonsOf("")}}
	}},
	"POST /work/auditors/register": {class: action, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{
			{name: "a new person", decide: managesPersonsOf(""), req: func(n int) (string, string) {
				return "/work/auditors/register", fmt.Sprintf("as={as}&registration_no=WALK-NEW-%d&name=%%E7%%8E%%8B%%E8%%8A%%B3&qualifications=QMS", n)
			}},
			{name: "bodyB's auditor, as registered", decide: managesPersonsOf(wBodyB),
				req: fixed("/work/auditors/register", "as={as}&registration_no="+wPersonB+"&name=%E6%9D%8E%E5%A8%9C&qualifications=QMS")},
		}
	}},
	"POST /work/auditors/end": {class: action, targets: func(f *walkFixture) []walkTarget {
		var out []walkTarget
		for _, body := range []string{wBodyA, wBodyB} {
			out = append(out, walkTarget{name: "a person of " + body, decide: managesPersonsOf(body), req: func(n int) (string, string) {
				reg := fmt.Sprintf("WALK-END-%d", n)
				rec, err := trustmark.ParseRecord(trustmark.KindPersons, trustmark.Row{"registration_no": reg, "name": "赵六", "body_approval_no": body, "qualifications": "QMS"}, trustmark.DefaultPolicy())
				if err == nil {
					_, err = f.m.Store.Import(context.Background(), trustmark.Party{Kind: trustmark.PartyImport, ID: "walk"}, trustmark.KindPersons, []trustmark.Record{rec})
				}
				if err != nil {
					f.t.Fatal(err)
				}
				return "/work/auditors/end", "as={as}&registration_no=" + reg
			}})
		}
		return out
	}},
	"GET /work/calendar": {class: action, actions: []access.Action{access.CalendarImport}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "the calendar's years", target: access.Target{Region: trustmark.NationalRegion}, req: fixed("/work/calendar", "")}}
	}},
	"POST /work/calendar": {class: action, actions: []access.Action{access.CalendarImport}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "a load without a file", target: access.Target{Region: trustmark.NationalRegion}, req: fixed("/work/calendar", "title=t")}}
	}},
	"GET /work/staff": {class: session, targets: func(*walkFixture) []walkTarget { return []walkTarget{{name: "staff", req: fixed("/work/staff", "")}} }},
	"POST /work/staff/invite": {class: action, targets: func(*walkFixture) []walkTarget {
		invite := func(region string) func(int) (string, string) {
			return func(n int) (string, string) {
				return "/work/staff/invite", fmt.Sprintf("as={as}&email=invitee%d%%40example.cn&name=%%E7%%8E%%8B%%E8%%8A%%B3&region=%s", n, region)
			}
		}
		return []walkTarget{{name: "a Jinjiang bureau's or own unit's staff", req: invite(wRegionA), decide: invites(wRegionA)},
			{name: "a Wanzhou bureau's or own unit's staff", req: invite(wRegionB), decide: invites(wRegionB)}}
	}},
	"POST /work/staff/find": {class: session, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "a member of staff by e-mail", req: fixed("/work/staff/find", "email=walk0%40example.cn")}}
	}},
	"POST /work/staff/remove": staffChange("/work/staff/remove", access.StaffInvite, ""),
	"POST /work/staff/reset":  staffChange("/work/staff/reset", access.PasswordReset, "&totp=1"),
	"GET /work/static/*": {class: session, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "script", req: fixed("/work/static/no-such-script.js", "")}}
	}, notFound: true},

	// Watches: a caller's own.
	"POST /api/v1/watches": {class: caller, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "a new watch", req: fixed("/api/v1/watches", `{"url":"https://hooks.example.com/trustmark","items":["QMS/`+wCertA+`"]}`)}}
	}},
	"GET /api/v1/watches": {class: caller, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "own watches", req: fixed("/api/v1/watches", "")}}
	}},
	"GET /api/v1/watches/{id}":            watchRoute(""),
	"DELETE /api/v1/watches/{id}":         watchRoute(""),
	"POST /api/v1/watches/{id}/items":     watchRoute("/items"),
	"GET /api/v1/watches/{id}/deliveries": watchRoute("/deliveries"),

	// Campaigns (the storetest fixture's, in Beijing: only the nation's
	// regulator of ours covers it).
	"POST /api/v1/campaigns": {class: action, actions: []access.Action{access.CampaignCreate}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "a Beijing campaign", target: access.Target{Region: "110000"}, req: func(n int) (string, string) {
			return "/api/v1/campaigns", string(storetest.CampaignRequestJSON(fmt.Sprintf("CAMP-W%04d", n)))
		}}}
	}},
	"POST /api/v1/campaigns/{id}/random": campaignStep("/random", func() string {
		b, _ := json.Marshal(map[string]any{"kind": "lottery", "lottery": storetest.CampaignLottery})
		return string(b)
	}()),
	"POST /api/v1/campaigns/{id}/draws":     campaignStep("/draws", ""),
	"GET /api/v1/campaigns/{id}/commitment": pub("the draw's published commitment"),
	"GET /api/v1/campaigns/{id}/findings": {class: action, actions: []access.Action{access.CampaignDraw}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "a Beijing campaign", target: access.Target{Region: "110000"}, req: fixed("/api/v1/campaigns/"+wCampaign+"/findings", "")}}
	}},
	"POST /api/v1/campaigns/{id}/findings": {class: action, actions: []access.Action{access.CampaignDraw}, targets: func(f *walkFixture) []walkTarget {
		return []walkTarget{{name: "a drawn subject", target: access.Target{Region: f.pickRegion}, req: fixed("/api/v1/campaigns/"+wDrawn+"/findings",
			`{"subject":"`+f.pick+`","method":"现场检查","outcome":"pass","concluded_on":"2026-03-01"}`)}}
	}},
	"POST /api/v1/campaigns/{id}/publications": {class: action, actions: []access.Action{access.CampaignDraw}, targets: func(*walkFixture) []walkTarget {
		return []walkTarget{{name: "a drawn campaign", target: access.Target{Region: "110000"}, req: fixed("/api/v1/campaigns/"+wDrawn+"/publications", "")}}
	}},
	"POST /api/v1/campaigns/{id}/recusals": campaignStep("/recusals", `{"subject":"S001","inspector":"I001","reason":"曾任该机构顾问"}`),
}
