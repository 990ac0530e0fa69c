package sqlstore

import (
	"context"
	"encoding/json"
	"slices"

	"trustmark"
	"trustmark/campaign"
	"trustmark/credit"
	"trustmark/draw"
)

// Registry campaigns: the eligible list, the inspector pool and the past
// inspections are read from the registry in the transaction that commits
// them, so the frozen list is the registry as it stood at that instant.
// Package campaign decides who is eligible, in which class, and who is
// excluded; this file only reads rows.

// The risk store's classes plug into the eligible list (campaign.RiskClasses).
var _ campaign.RiskClasses = (*DB)(nil)

// CreateFromRegistry implements campaign.Store.
func (db *DB) CreateFromRegistry(ctx context.Context, c *campaign.Campaign, spec campaign.RegistrySpec, actor trustmark.Party) error {
	sel, err := campaign.SelectionOf(c)
	if err != nil {
		return err
	}
	if spec.DefaultClass == "" {
		// A subject the risk store has no score for has no signal: the
		// lowest class (risk.Store.RiskClasses).
		spec.DefaultClass = "A"
	}
	return db.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		com, err := tx.registryCommitment(ctx, c, sel, spec)
		if err != nil {
			return err
		}
		if err := campaign.CheckNew(c, com); err != nil {
			return err
		}
		return tx.createCampaign(ctx, c, com, actor)
	})
}

// registryCommitment builds the commitment of c from the registry.
func (tx *Tx) registryCommitment(ctx context.Context, c *campaign.Campaign, sel campaign.Selection, spec campaign.RegistrySpec) (*draw.Commitment, error) {
	com := &draw.Commitment{Campaign: c.ID, Seed: spec.Seed, TeamSize: c.TeamSize, RepeatDays: spec.RepeatDays,
		DrawnOn: spec.DrawnOn, Rates: c.Rates, Conflicts: slices.Clone(spec.Conflicts)}
	if com.DrawnOn.IsZero() {
		com.DrawnOn = tx.today
	}
	cands, err := tx.candidates(ctx, sel)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(cands))
	for i, cd := range cands {
		ids[i] = cd.ID
	}
	risk := map[string]string{}
	if rc, ok := any(tx.db).(campaign.RiskClasses); ok {
		if risk, err = rc.RiskClasses(ctx, sel.Kind, ids); err != nil {
			return nil, err
		}
	}
	creditKind := map[string]credit.SubjectKind{"body": credit.Body, "lab": credit.Lab, "org": credit.Org, "certificate": credit.Org}[sel.Kind]
	archives, err := tx.archivesOfKind(ctx, creditKind)
	if err != nil {
		return nil, err
	}
	com.Subjects = campaign.Eligible(cands, risk, archives, com.DrawnOn, spec.DefaultClass)
	persons, err := tx.inspectorPersons(ctx, sel.Region)
	if err != nil {
		return nil, err
	}
	com.Inspectors = campaign.Pool(persons, com.DrawnOn)
	com.Sort()
	if com.Past, err = tx.pastInspections(ctx, com); err != nil {
		return nil, err
	}
	com.Sort()
	return com, nil
}

// candidates reads the subjects of sel.Kind that sel selects, in its region.
func (tx *Tx) candidates(ctx context.Context, sel campaign.Selection) ([]campaign.Candidate, error) {
	var q string
	var args []any
	switch sel.Kind {
	case "body":
		q, args = `SELECT approval_no, region_code, approval_no, approval_no FROM bodies WHERE status = ?`, []any{sel.Status}
	case "lab":
		q, args = `SELECT cma_no, region_code, '-', cma_no FROM labs WHERE status = ?`, []any{sel.Status}
	case "certificate", "org":
		where, wargs := `(`+effectiveStatusSQL("c.")+`) = ?`, []any{cutoff(tx.today), sel.CertStatus}
		if sel.CertType != "" {
			where, wargs = where+` AND c.type = ?`, append(wargs, sel.CertType)
		}
		if sel.Kind == "certificate" {
			q = `SELECT c.number, o.region_code, c.body_approval_no, o.uscc FROM certificates c JOIN orgs o ON o.uscc = c.holder_uscc WHERE ` + where + ` ORDER BY c.number, c.type`
		} else {
			q = `SELECT o.uscc, o.region_code, MIN(c.body_approval_no), o.uscc FROM orgs o JOIN certificates c ON c.holder_uscc = o.uscc WHERE ` + where + ` GROUP BY o.uscc, o.region_code`
		}
		args = wargs
	default:
		return nil, trustmark.Errorf(trustmark.EInvalid, "subject_kind", "subject kind %q", sel.Kind)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, internal("read eligible subjects", err)
	}
	defer rows.Close()
	regions := trustmark.DefaultRegions()
	var out []campaign.Candidate
	seen := map[string]bool{}
	for rows.Next() {
		var cd campaign.Candidate
		if err := rows.Scan(&cd.ID, &cd.Region, &cd.Unit, &cd.Credit); err != nil {
			return nil, internal("scan eligible subject", err)
		}
		if !regions.Covers(sel.Region, cd.Region) || seen[cd.ID] {
			continue // another region; or a certificate number of two types, taken once
		}
		seen[cd.ID] = true
		out = append(out, cd)
	}
	return out, internal("read eligible subjects", rows.Err())
}

// archivesOfKind reads every credit archive of kind (archives are few
// beside the registry: one query, not one per subject).
func (tx *Tx) archivesOfKind(ctx context.Context, kind credit.SubjectKind) (map[string]credit.Archive, error) {
	out := map[string]credit.Archive{}
	rows, err := tx.Query(ctx, `SELECT subject_id, data FROM credit_entries WHERE subject_kind = ? ORDER BY subject_id, pos`, string(kind))
	if err != nil {
		return nil, internal("read credit archives", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, data string
		var e credit.Entry
		if err := rows.Scan(&id, &data); err != nil {
			return nil, internal("scan credit entry", err)
		}
		if err := json.Unmarshal([]byte(data), &e); err != nil {
			return nil, internal("decode credit entry", err)
		}
		a := out[id]
		a.Subject, a.Entries = e.Subject, append(a.Entries, e)
		out[id] = a
	}
	return out, internal("read credit archives", rows.Err())
}

// inspectorPersons reads the registered persons of the bodies in region,
// with their credit archives.
func (tx *Tx) inspectorPersons(ctx context.Context, region string) ([]campaign.Person, error) {
	archives, err := tx.archivesOfKind(ctx, credit.Person)
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(ctx, `SELECT p.registration_no, p.body_approval_no, b.region_code, p.status FROM persons p JOIN bodies b ON b.approval_no = p.body_approval_no`)
	if err != nil {
		return nil, internal("read inspectors", err)
	}
	defer rows.Close()
	regions := trustmark.DefaultRegions()
	var out []campaign.Person
	for rows.Next() {
		var p campaign.Person
		if err := rows.Scan(&p.ID, &p.Body, &p.Region, &p.Status); err != nil {
			return nil, internal("scan inspector", err)
		}
		if regions.Covers(region, p.Region) {
			p.Archive = archives[p.ID]
			out = append(out, p)
		}
	}
	return out, internal("read inspectors", rows.Err())
}

// pastInspections reads the inspections of earlier campaigns that fall in
// com's repeat period: each member of the drawn team of a subject whose
// finding is recorded, for subjects and inspectors of com.
func (tx *Tx) pastInspections(ctx context.Context, com *draw.Commitment) ([]draw.Past, error) {
	since := com.DrawnOn.AddDate(0, 0, -com.RepeatDays)
	rows, err := tx.Query(ctx, `SELECT p.subject, p.team, f.concluded_on FROM campaign_findings f
		JOIN campaign_picks p ON p.campaign_id = f.campaign_id AND p.subject = f.subject WHERE f.concluded_on >= ?`, since.String())
	if err != nil {
		return nil, internal("read past inspections", err)
	}
	defer rows.Close()
	inPool := map[string]bool{}
	for _, in := range com.Inspectors {
		inPool[in.ID] = true
	}
	seen := map[draw.Past]bool{}
	var out []draw.Past
	for rows.Next() {
		var subject, team, on string
		if err := rows.Scan(&subject, &team, &on); err != nil {
			return nil, internal("scan past inspection", err)
		}
		d, err := trustmark.ParseDate(on)
		if err != nil || com.Region(subject) == "" {
			continue
		}
		var members []string
		if err := json.Unmarshal([]byte(team), &members); err != nil {
			return nil, internal("decode team", err)
		}
		for _, m := range members {
			p := draw.Past{Inspector: m, Subject: subject, On: d}
			if inPool[m] && !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out, internal("read past inspections", rows.Err())
}
