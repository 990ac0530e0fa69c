package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"trustmark"
	"trustmark/account"
	"trustmark/campaign"
	"trustmark/matter"
)

// Findings and publication of a drawn campaign: each finding is stored with
// the certificate transitions it orders (decided by
// trustmark.DecideTransition, the certificates' one rule) and the matters it
// opens, in one transaction with its events.

// PickRegion returns the region of subject as campaign id's draw stored it
// (the campaign's own region for draws stored before picks kept theirs).
func (db *DB) PickRegion(ctx context.Context, id, subject string) (string, error) {
	var region, campaignRegion string
	err := db.queryRow(ctx, `SELECT p.region, c.region FROM campaign_picks p JOIN campaigns c ON c.id = p.campaign_id
		WHERE p.campaign_id = ? AND p.subject = ?`, id, subject).Scan(&region, &campaignRegion)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("subject", "subject %s was not drawn in campaign %s", subject, id)
	}
	if region == "" {
		region = campaignRegion
	}
	return region, internal("find drawn subject", err)
}

// RecordFinding implements campaign.Store.
func (db *DB) RecordFinding(ctx context.Context, id string, f campaign.Finding, actor trustmark.Party) (*campaign.Finding, error) {
	var out *campaign.Finding
	err := db.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		c, err := loadCampaign(ctx, tx, id)
		if err != nil {
			return err
		}
		var region string
		var n int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(region), ''), COUNT(*) FROM campaign_picks WHERE campaign_id = ? AND subject = ?`, id, f.Subject).Scan(&region, &n); err != nil {
			return internal("find drawn subject", err)
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM campaign_findings WHERE campaign_id = ? AND subject = ?`, id, f.Subject).Scan(&n); err != nil {
			return internal("find finding", err)
		}
		if region == "" {
			region = c.Region
		}
		if f, err = campaign.DecideFinding(c, campaign.PickOf(c.Result, f.Subject), region, n > 0, f, tx.today, tx.now, actor.String()); err != nil {
			return err
		}
		for _, ca := range f.Certificates {
			if err := tx.followUp(ctx, c, f, ca, actor); err != nil {
				return err
			}
		}
		if err := tx.openFindingMatters(ctx, c, &f, actor); err != nil {
			return err
		}
		doc, _ := json.Marshal(f)
		if _, err := tx.Exec(ctx, `INSERT INTO campaign_findings (campaign_id, subject, region, concluded_on, outcome, recorded_at, recorded_by, due_on, published_on, doc)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?)`, id, f.Subject, f.Region, f.ConcludedOn.String(), string(f.Outcome), f.RecordedAt.UnixMicro(), f.RecordedBy, f.DueOn.String(), string(doc)); err != nil {
			return internal("insert finding", err)
		}
		out = &f
		return tx.recordCampaign(id, actor, campaign.ActionFinding, campaign.FindingEvent(&f))
	})
	return out, err
}

// followUp suspends or revokes a certificate of the finding's subject,
// through trustmark.DecideTransition.
func (tx *Tx) followUp(ctx context.Context, c *campaign.Campaign, f campaign.Finding, ca campaign.CertificateAction, actor trustmark.Party) error {
	old, err := getCertificate(ctx, tx.tx, tx.db.dialect, ca.Certificate)
	if err != nil {
		return err
	}
	if err := campaign.CertificateOf(c.SubjectKind, f.Subject, old); err != nil {
		return err
	}
	body, err := getBody(ctx, tx.tx, tx.db.dialect, old.BodyApprovalNo)
	if err != nil {
		return err
	}
	t := trustmark.Transition{To: ca.To, Reason: "campaign " + c.ID + ": " + ca.Reason}
	next, ev, err := trustmark.DecideTransition(old, body, t, tx.today, actor)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE certificates SET status = ?, status_since = ?, updated_at = ? WHERE number = ? AND type = ?`,
		string(next.Status), dateString(next.StatusSince), micros(tx.now), next.Number, string(next.Type)); err != nil {
		return internal("update certificate", err)
	}
	ev.Data = certJSON(next)
	tx.Record(ev)
	return nil
}

// openFindingMatters opens the publication deadline for the campaign's
// regulators (its due day becomes f.DueOn) and, for a rectification order,
// the rectification matter of the subject.
func (tx *Tx) openFindingMatters(ctx context.Context, c *campaign.Campaign, f *campaign.Finding, actor trustmark.Party) error {
	pub := matter.Opening{ID: findingMatterID("CP", c.ID, f.Subject), Kind: campaign.PublicationKind,
		Subject: "campaign:" + c.ID + "/" + f.Subject, Party: account.Unit{Kind: account.Regulator, ID: c.Region},
		Region: c.Region, From: f.ConcludedOn, At: tx.now, Actor: actor.String()}
	m, _, err := matterRules().Open(pub)
	if err != nil {
		return err
	}
	if err := tx.openMatter(ctx, pub); err != nil {
		return err
	}
	f.DueOn, f.Matters = m.Due.Date, append(f.Matters, pub.ID)
	if f.Outcome != campaign.Rectification {
		return nil
	}
	var holder string
	if c.SubjectKind == "certificate" {
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MIN(holder_uscc), '') FROM certificates WHERE number = ?`, f.Subject).Scan(&holder); err != nil {
			return internal("find holder", err)
		}
	}
	party, err := campaign.RectifyParty(c.SubjectKind, f.Subject, holder)
	if err != nil {
		return err
	}
	rect := matter.Opening{ID: findingMatterID("CR", c.ID, f.Subject), Kind: campaign.RectifyKind,
		Subject: "campaign:" + c.ID + "/" + f.Subject, Party: party, Region: f.Region, From: f.ConcludedOn,
		Period: f.RectifyDays, At: tx.now, Actor: actor.String()}
	if err := tx.openMatter(ctx, rect); err != nil {
		return err
	}
	f.Matters = append(f.Matters, rect.ID)
	return nil
}

// findingMatterID names a finding's matter: prefix, then a hash of the
// campaign and subject (matter ids are short tokens).
func findingMatterID(prefix, id, subject string) string {
	sum := sha256.Sum256([]byte(id + "\x00" + subject))
	return prefix + strings.ToUpper(hex.EncodeToString(sum[:10]))
}

// Findings implements campaign.Store.
func (db *DB) Findings(ctx context.Context, id string, published bool) ([]campaign.Finding, error) {
	return loadFindings(ctx, dbReader{db}, id, map[bool]string{true: ` AND published_on <> ''`, false: ``}[published])
}

func loadFindings(ctx context.Context, r campaignReader, id, where string) ([]campaign.Finding, error) {
	out := []campaign.Finding{}
	err := each(ctx, r, `SELECT doc FROM campaign_findings WHERE campaign_id = ?`+where+` ORDER BY subject`, id, func(s *sql.Rows) error {
		var doc string
		var f campaign.Finding
		if err := s.Scan(&doc); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(doc), &f); err != nil {
			return err
		}
		out = append(out, f)
		return nil
	})
	// By subject in bytes' order, whatever the database's collation: a
	// publication's hash is over its results in this order.
	slices.SortFunc(out, func(a, b campaign.Finding) int { return strings.Compare(a.Subject, b.Subject) })
	return out, err
}

// PublishResults implements campaign.Store.
func (db *DB) PublishResults(ctx context.Context, id string, actor trustmark.Party) (*campaign.Publication, error) {
	var out *campaign.Publication
	err := db.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		c, err := loadCampaign(ctx, tx, id)
		if err != nil {
			return err
		}
		pending, err := loadFindings(ctx, tx, id, ` AND published_on = ''`)
		if err != nil {
			return err
		}
		var published int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM campaign_findings WHERE campaign_id = ? AND published_on <> ''`, id).Scan(&published); err != nil {
			return internal("count published findings", err)
		}
		done, p, status, err := campaign.DecidePublish(c, pending, len(c.Publications)+1, published, tx.today, tx.now, actor.String())
		if err != nil {
			return err
		}
		for _, f := range done {
			doc, _ := json.Marshal(f)
			if _, err := tx.Exec(ctx, `UPDATE campaign_findings SET published_on = ?, doc = ? WHERE campaign_id = ? AND subject = ?`,
				f.PublishedOn.String(), string(doc), id, f.Subject); err != nil {
				return internal("publish finding", err)
			}
			if err := tx.settlePublication(ctx, f, actor); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO campaign_publications (campaign_id, n, published_on, published_at, published_by, subjects, late, results_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			id, p.N, p.PublishedOn.String(), p.PublishedAt.UnixMicro(), p.PublishedBy, p.Subjects, p.Late, p.ResultsSHA256); err != nil {
			return internal("insert publication", err)
		}
		if status != c.Status {
			if _, err := tx.Exec(ctx, `UPDATE campaigns SET status = ? WHERE id = ?`, string(status), id); err != nil {
				return internal("update campaign status", err)
			}
		}
		out = &p
		return tx.recordCampaign(id, actor, campaign.ActionPublished, campaign.PublishedData{Publication: p, Inspectable: campaign.Inspectable(c.Result)})
	})
	return out, err
}

// settlePublication answers and accepts the finding's publication matter:
// the answer is late when the results were published after their due day.
func (tx *Tx) settlePublication(ctx context.Context, f campaign.Finding, actor trustmark.Party) error {
	if len(f.Matters) == 0 {
		return nil
	}
	id := f.Matters[0]
	s := matter.Step{At: tx.now, Actor: actor.String(), Reason: "results published on " + f.PublishedOn.String()}
	for _, decide := range []func(*matter.Rules, matter.Matter, matter.Step) (matter.Matter, matter.Event, error){
		(*matter.Rules).Answer, (*matter.Rules).Accept} {
		if err := tx.stepMatterIn(ctx, id, s, decide); err != nil {
			return err
		}
	}
	return nil
}

// stepMatterIn takes one step of matter id within tx; a matter already
// final (closed by its regulator) is left as it is.
func (tx *Tx) stepMatterIn(ctx context.Context, id string, s matter.Step,
	decide func(*matter.Rules, matter.Matter, matter.Step) (matter.Matter, matter.Event, error)) error {
	var doc string
	var n int
	if err := tx.QueryRow(ctx, `SELECT doc FROM matters WHERE id = ?`, id).Scan(&doc); err != nil {
		return internal("read matter "+id, err)
	}
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(step), 0) FROM matter_steps WHERE matter_id = ?`, id).Scan(&n); err != nil {
		return internal("read matter steps", err)
	}
	var m matter.Matter
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		return internal("decode matter", err)
	}
	if m.State.Final() {
		return nil
	}
	next, ev, err := decide(matterRules(), m, s)
	if err != nil {
		return err
	}
	nd, _ := json.Marshal(next)
	if _, err := tx.Exec(ctx, `UPDATE matters SET state = ?, due_on = ?, doc = ? WHERE id = ?`, string(next.State), next.Due.Date.String(), string(nd), id); err != nil {
		return internal("update matter", err)
	}
	return tx.matterStep(ctx, n+1, ev)
}
