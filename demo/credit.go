package demo

import (
	"context"
	"fmt"

	"trustmark"
	"trustmark/credit"
)

// creditStore is a store that keeps integrity archives and the
// serious-violation list (sqlstore.DB).
type creditStore interface {
	RecordCreditEntry(ctx context.Context, e credit.Entry) error
	CreditStep(ctx context.Context, id string, step func(l credit.Listing, found bool) (credit.Listing, credit.Event, error)) (credit.Listing, error)
}

// creditListing is one demo case on the serious-violation list.
type creditListing struct {
	subject         credit.Subject
	name, region    string
	grounds, basis  string
	proposedDaysAgo int
	repairedDaysAgo int // 0: still listed
}

// listingBasis is the article the demo's listings rest on.
const listingBasis = "《市场监督管理严重违法失信名单管理办法》第六条"

// addCredit lists a few bodies and a laboratory (one body repaired and off
// the list again), and records in the archive the lifetime bans of the
// auditors the demo banned, so that /credit and the refusals tell a story.
// It runs after every import, since a listing stops the listed body's
// later certificates. Bodies and laboratories of the examples and of the
// demo accounts are never listed.
func (g *gen) addCredit(ctx context.Context, cs creditStore) error {
	// The demo accounts act for the first active body and laboratory in
	// key order (findUnits).
	firstBody, firstLab := "", ""
	for _, b := range g.bodies {
		if b.body.Status == trustmark.PartyActive && (firstBody == "" || b.body.ApprovalNo < firstBody) {
			firstBody = b.body.ApprovalNo
		}
	}
	for _, l := range g.labs {
		if l.lab.Status == trustmark.PartyActive && (firstLab == "" || l.lab.CMANo < firstLab) {
			firstLab = l.lab.CMANo
		}
	}
	var cases []creditListing
	for i := len(g.bodies) - 1; i >= 0 && len(cases) < 3; i-- {
		b := g.bodies[i].body
		if b.ApprovalNo == g.sum.Examples.BodyApprovalNo || b.ApprovalNo == firstBody || b.Status != trustmark.PartyActive {
			continue
		}
		c := creditListing{subject: credit.Subject{Kind: credit.Body, ID: b.ApprovalNo}, name: b.Name, region: b.RegionCode,
			grounds: "出具虚假认证结论，伪造认证审核记录", basis: listingBasis, proposedDaysAgo: 200 + 150*len(cases)}
		if len(cases) == 2 {
			c.grounds, c.proposedDaysAgo, c.repairedDaysAgo = "超出批准范围从事认证活动", 900, 60
		}
		cases = append(cases, c)
	}
	for i := len(g.labs) - 1; i >= 0; i-- {
		if l := g.labs[i].lab; l.CMANo != g.sum.Examples.LabCMANo && l.CMANo != firstLab && l.Status == trustmark.PartyActive {
			cases = append(cases, creditListing{subject: credit.Subject{Kind: credit.Lab, ID: l.CMANo}, name: l.Name, region: l.RegionCode,
				grounds: "出具虚假检验检测报告", basis: listingBasis, proposedDaysAgo: 120})
			break
		}
	}
	for i, c := range cases {
		if err := g.list(ctx, cs, fmt.Sprintf("DEMO-L%03d", i+1), c); err != nil {
			return fmt.Errorf("demo: listing %s: %w", c.subject, err)
		}
	}
	if err := g.addFindings(ctx, cs, cases); err != nil {
		return err
	}
	for i, p := range g.changed.persons {
		if p.Status != trustmark.PartyBanned {
			continue
		}
		on := g.today.AddDate(0, 0, -30-i)
		e, err := credit.BanEntry(credit.BanDecision{ID: fmt.Sprintf("DEMO-B%03d", i+1), Subject: credit.Subject{Kind: credit.Person, ID: p.RegistrationNo},
			Decision: fmt.Sprintf("国认监罚〔%d〕%d号", on.Time().Year(), i+1), Grounds: "伪造认证审核记录，情节严重",
			LegalBasis: "《中华人民共和国认证认可条例》第七十三条", On: on}, on.Time(), regulator.String())
		if err == nil {
			err = cs.RecordCreditEntry(ctx, e)
		}
		if err != nil {
			return fmt.Errorf("demo: ban of %s: %w", p.RegistrationNo, err)
		}
	}
	return nil
}

// list takes one case through the procedure: proposal, notice, listing 40
// days later, and for a repaired case an application a year and ten days
// after listing and its grant.
func (g *gen) list(ctx context.Context, cs creditStore, id string, c creditListing) error {
	rules := credit.DefaultRules()
	proposed := g.today.AddDate(0, 0, -c.proposedDaysAgo)
	step := func(on trustmark.Date) credit.Step {
		return credit.Step{On: on, At: on.Time().Add(2 * 3600e9), Actor: "regulator:" + c.region[:2] + "0000"}
	}
	listedOn := proposed.AddDate(0, 0, 40)
	steps := []func(l credit.Listing) (credit.Listing, credit.Event, error){
		func(credit.Listing) (credit.Listing, credit.Event, error) {
			return rules.Propose(credit.Proposal{ID: id, Subject: c.subject, Name: c.name, Region: c.region, Grounds: c.grounds, LegalBasis: c.basis}, step(proposed))
		},
		func(l credit.Listing) (credit.Listing, credit.Event, error) {
			return rules.Notify(l, step(proposed.AddDate(0, 0, 1)))
		},
		func(l credit.Listing) (credit.Listing, credit.Event, error) {
			return rules.Decide(l, step(listedOn), true, fmt.Sprintf("市监信〔%d〕%s号", listedOn.Time().Year(), id[len(id)-3:]), "")
		},
	}
	if c.repairedDaysAgo > 0 {
		applied := listedOn.AddDate(1, 0, 10)
		steps = append(steps,
			func(l credit.Listing) (credit.Listing, credit.Event, error) {
				return rules.ApplyRepair(l, step(applied), "已完成整改，撤销相关证书并公开承诺", []string{"整改报告", "信用承诺书"})
			},
			func(l credit.Listing) (credit.Listing, credit.Event, error) {
				return rules.DecideRepair(l, step(g.today.AddDate(0, 0, -c.repairedDaysAgo)), true, "整改到位，满足信用修复条件")
			})
	}
	for _, fn := range steps {
		if _, err := cs.CreditStep(ctx, id, func(l credit.Listing, _ bool) (credit.Listing, credit.Event, error) { return fn(l) }); err != nil {
			return err
		}
	}
	return nil
}

// addFindings records inspection findings and penalties in the archives of
// some bodies that are not listed (one in five a finding, one in eleven a
// penalty as well), so that the risk classes the risk follower computes
// from the events spread over A to D.
func (g *gen) addFindings(ctx context.Context, cs creditStore, listed []creditListing) error {
	skip := map[string]bool{}
	for _, c := range listed {
		skip[c.subject.ID] = true
	}
	for i, b := range g.bodies {
		id := b.body.ApprovalNo
		if skip[id] || id == g.sum.Examples.BodyApprovalNo || (i%5 != 2 && i%11 != 4) {
			continue
		}
		s := credit.Subject{Kind: credit.Body, ID: id}
		actor := "regulator:" + b.body.RegionCode[:2] + "0000"
		on := g.today.AddDate(0, 0, -20-7*(i%40))
		entries := []credit.Entry{{ID: fmt.Sprintf("DEMO-F%04d", i), Subject: s, Kind: credit.Finding, Summary: "监督检查发现审核记录不完整、审核时间不足",
			Source: fmt.Sprintf("inspection:%d-%03d", on.Time().Year(), i), LegalBasis: "《认证机构管理办法》第二十条", RecordedBy: actor,
			On: on, ValidFrom: on, ValidUntil: on.AddDate(3, 0, 0), RecordedAt: on.Time().Add(3 * 3600e9)}}
		if i%11 == 4 {
			pen := on.AddDate(0, 0, 10)
			no := fmt.Sprintf("市监罚〔%d〕%d号", pen.Time().Year(), 100+i)
			entries = append(entries, credit.Entry{ID: fmt.Sprintf("DEMO-P%04d", i), Subject: s, Kind: credit.Penalty, Summary: "超出批准范围从事认证活动",
				Decision: no, Source: "penalty:" + no, LegalBasis: "《中华人民共和国认证认可条例》第六十一条", RecordedBy: actor,
				On: pen, ValidFrom: pen, ValidUntil: pen.AddDate(3, 0, 0), RecordedAt: pen.Time().Add(3 * 3600e9)})
		}
		for _, e := range entries {
			if err := cs.RecordCreditEntry(ctx, e); err != nil {
				return fmt.Errorf("demo: %s of %s: %w", e.Kind, id, err)
			}
		}
	}
	return nil
}
