package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"trustmark"
	"trustmark/campaign"
	"trustmark/draw"
)

// Campaigns of "double random, one public" inspections (campaign.Store):
// every step loads the campaign, asks package campaign what follows, and
// stores that with its events in one transaction. The draw's result is kept
// as rows (campaign_picks), recusals and attempts are appended.

var _ campaign.Store = (*DB)(nil)

// campaignReader is what loading a campaign needs: a transaction, or the
// reader pool (dbReader).
type campaignReader interface {
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

type dbReader struct{ db *DB }

func (r dbReader) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return r.db.queryRow(ctx, q, args...)
}

func (r dbReader) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return r.db.query(ctx, q, args...)
}

const campaignColumns = `id, name, region, subject_kind, filters, rates, checklist, method, team_size,
	deadline, status, created_at, created_by, commitment_sha256, commitment_bytes, random, draw_meta`

// CreateCampaign implements campaign.Store.
func (db *DB) CreateCampaign(ctx context.Context, c *campaign.Campaign, com *draw.Commitment, actor trustmark.Party) error {
	if err := campaign.CheckNew(c, com); err != nil {
		return err
	}
	return db.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		return tx.createCampaign(ctx, c, com, actor)
	})
}

// createCampaign stores c, checked, with its commitment com.
func (tx *Tx) createCampaign(ctx context.Context, c *campaign.Campaign, com *draw.Commitment, actor trustmark.Party) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM campaigns WHERE id = ?`, c.ID).Scan(&n); err != nil {
		return internal("find campaign", err)
	}
	if n > 0 {
		return trustmark.Reasonf(trustmark.EConflict, "campaign.exists", "id", "campaign %s exists already", c.ID)
	}
	c.CreatedAt, c.CreatedBy = tx.Now(), actor.String()
	filters, _ := json.Marshal(c.Filters)
	rates, _ := json.Marshal(c.Rates)
	checklist, _ := json.Marshal(c.Checklist)
	if _, err := tx.Exec(ctx, `INSERT INTO campaigns (`+campaignColumns+`, commitment) VALUES (`+placeholders(18)+`)`,
		c.ID, c.Name, c.Region, c.SubjectKind, string(filters), string(rates), string(checklist), c.Method, c.TeamSize,
		c.Deadline.String(), string(c.Status), c.CreatedAt.UnixMicro(), c.CreatedBy, c.CommitmentSHA256, c.CommitmentBytes, nil, nil, ""); err != nil {
		return internal("insert campaign", err)
	}
	if err := tx.storeCommitment(ctx, c, com); err != nil {
		return err
	}
	c.Publications = []campaign.Publication{}
	return tx.recordCampaign(c.ID, actor, campaign.ActionCommitted, campaign.CommittedData{
		Campaign: c, CommitmentSHA256: c.CommitmentSHA256, CommitmentBytes: c.CommitmentBytes})
}

// RecordRandom implements campaign.Store.
func (db *DB) RecordRandom(ctx context.Context, id string, rd campaign.RandomData, actor trustmark.Party) (*campaign.Campaign, error) {
	var out *campaign.Campaign
	err := db.Transact(ctx, func(tx *Tx) error {
		c, com, err := tx.lockCampaign(ctx, id)
		if err != nil {
			return err
		}
		if rd, err = campaign.DecideRandom(c, com, rd); err != nil {
			return err
		}
		b, _ := json.Marshal(rd)
		if _, err := tx.Exec(ctx, `UPDATE campaigns SET random = ?, status = ? WHERE id = ?`, string(b), string(campaign.Seeded), id); err != nil {
			return internal("record random value", err)
		}
		c.Random, c.Status = &rd, campaign.Seeded
		out = c
		return tx.recordCampaign(id, actor, campaign.ActionRandom, rd)
	})
	return out, err
}

// DrawCampaign implements campaign.Store. Every call is an attempt, stored
// and logged; only the first stores the result.
func (db *DB) DrawCampaign(ctx context.Context, id string, actor trustmark.Party) (*campaign.Campaign, error) {
	var out *campaign.Campaign
	err := db.Transact(ctx, func(tx *Tx) error {
		c, com, err := tx.lockCampaign(ctx, id)
		if err != nil {
			return err
		}
		res, first, err := campaign.DecideDraw(c, com)
		if err != nil {
			return err
		}
		a := campaign.Attempt{N: len(c.Attempts) + 1, At: tx.Now(), Actor: actor.String(), ResultSHA256: campaign.ResultSHA256(res)}
		if _, err := tx.Exec(ctx, `INSERT INTO campaign_attempts (campaign_id, n, at, actor, result_sha256) VALUES (?, ?, ?, ?, ?)`,
			id, a.N, a.At.UnixMicro(), a.Actor, a.ResultSHA256); err != nil {
			return internal("insert draw attempt", err)
		}
		c.Attempts = append(c.Attempts, a)
		if err := tx.recordCampaign(id, actor, campaign.ActionDrawAttempted, a); err != nil {
			return err
		}
		if first {
			if err := tx.storeDraw(ctx, id, res, com); err != nil {
				return err
			}
			c.Result, c.Status = res, campaign.Drawn
			if err := tx.recordCampaign(id, actor, campaign.ActionDrawn, campaign.Summary(res)); err != nil {
				return err
			}
		}
		out = c
		return nil
	})
	return out, err
}

// drawMeta is a draw as draw_meta keeps it: the result without its picks
// and recusals, which are rows of their own, and the shortfalls of the
// picks whose team is short, by subject (few, and campaign_picks has no
// column for them).
type drawMeta struct {
	*draw.Result
	Shortfalls map[string]*draw.Shortfall `json:"shortfalls,omitempty"`
}

// storeDraw stores a first draw's result: its picks as rows, the rest as
// draw_meta.
func (tx *Tx) storeDraw(ctx context.Context, id string, res *draw.Result, com *draw.Commitment) error {
	rest := *res
	rest.Picks, rest.Recusals = nil, nil
	meta := drawMeta{Result: &rest}
	for _, p := range res.Picks {
		if p.Shortfall != nil {
			if meta.Shortfalls == nil {
				meta.Shortfalls = map[string]*draw.Shortfall{}
			}
			meta.Shortfalls[p.Subject] = p.Shortfall
		}
	}
	b, _ := json.Marshal(meta)
	if _, err := tx.Exec(ctx, `UPDATE campaigns SET draw_meta = ?, status = ? WHERE id = ?`, string(b), string(campaign.Drawn), id); err != nil {
		return internal("store draw", err)
	}
	for i, p := range res.Picks {
		team, _ := json.Marshal(p.Team)
		if _, err := tx.Exec(ctx, `INSERT INTO campaign_picks (campaign_id, pos, subject, class, team, region) VALUES (?, ?, ?, ?, ?, ?)`,
			id, i, p.Subject, string(p.Class), string(team), com.Region(p.Subject)); err != nil {
			return internal("insert pick", err)
		}
	}
	return nil
}

// RecuseCampaign implements campaign.Store.
func (db *DB) RecuseCampaign(ctx context.Context, id, subject, inspector, reason string, actor trustmark.Party) (*campaign.Campaign, error) {
	var out *campaign.Campaign
	err := db.Transact(ctx, func(tx *Tx) error {
		c, com, err := tx.lockCampaign(ctx, id)
		if err != nil {
			return err
		}
		res, rec, err := campaign.DecideRecuse(c, com, subject, inspector, reason)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO campaign_recusals (campaign_id, n, subject, inspector, reason, replacement) VALUES (?, ?, ?, ?, ?, ?)`,
			id, len(res.Recusals)-1, rec.Subject, rec.Inspector, rec.Reason, rec.Replacement); err != nil {
			return internal("insert recusal", err)
		}
		c.Result = res
		out = c
		return tx.recordCampaign(id, actor, campaign.ActionRecused, rec)
	})
	return out, err
}

// recordCampaign records a campaign event with data as its JSON.
func (tx *Tx) recordCampaign(id string, actor trustmark.Party, action string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return internal("encode campaign event", err)
	}
	tx.Record(trustmark.Event{Actor: actor.String(), Entity: campaign.EntityCampaign, Key: id, Action: action, Data: b})
	return nil
}

// lockCampaign loads campaign id and its commitment for a write, writers of
// the registry taking turns (so attempts are numbered without a race).
func (tx *Tx) lockCampaign(ctx context.Context, id string) (*campaign.Campaign, *draw.Commitment, error) {
	if err := tx.lockRegistry(ctx); err != nil {
		return nil, nil, err
	}
	c, err := loadCampaign(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	com, _, err := draw.ReadCommitment(&chunkReader{ctx: ctx, r: tx, id: id})
	if err != nil {
		return nil, nil, internal("parse stored commitment of "+id, err)
	}
	return c, com, nil
}

// Campaign implements campaign.Store.
func (db *DB) Campaign(ctx context.Context, id string) (*campaign.Campaign, error) {
	return loadCampaign(ctx, dbReader{db}, id)
}

func loadCampaign(ctx context.Context, r campaignReader, id string) (*campaign.Campaign, error) {
	c, short, err := scanCampaign(r.QueryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("id", "no campaign %s", id)
	}
	if err != nil {
		return nil, internal("load campaign", err)
	}
	if err := loadCampaignRows(ctx, r, c, short); err != nil {
		return nil, err
	}
	if c.CommitmentBytes <= campaign.InlineCommitment {
		var b bytes.Buffer
		if _, err := copyCommitment(ctx, r, id, &b); err != nil {
			return nil, err
		}
		c.Commitment = b.Bytes()
	}
	return c, nil
}

// loadCampaignRows reads c's picks, with their shortfalls from short (by
// subject), recusals and attempts.
func loadCampaignRows(ctx context.Context, r campaignReader, c *campaign.Campaign, short map[string]*draw.Shortfall) error {
	c.Attempts, c.Publications = []campaign.Attempt{}, []campaign.Publication{}
	if err := each(ctx, r, `SELECT n, published_on, published_at, published_by, subjects, late, results_sha256 FROM campaign_publications WHERE campaign_id = ? ORDER BY n`, c.ID, func(s *sql.Rows) error {
		var p campaign.Publication
		var on string
		var at int64
		if err := s.Scan(&p.N, &on, &at, &p.PublishedBy, &p.Subjects, &p.Late, &p.ResultsSHA256); err != nil {
			return err
		}
		p.PublishedAt = time.UnixMicro(at).UTC()
		var err error
		p.PublishedOn, err = trustmark.ParseDate(on)
		c.Publications = append(c.Publications, p)
		return err
	}); err != nil {
		return err
	}
	if err := each(ctx, r, `SELECT n, at, actor, result_sha256 FROM campaign_attempts WHERE campaign_id = ? ORDER BY n`, c.ID, func(s *sql.Rows) error {
		var a campaign.Attempt
		var at int64
		if err := s.Scan(&a.N, &at, &a.Actor, &a.ResultSHA256); err != nil {
			return err
		}
		a.At = time.UnixMicro(at).UTC()
		c.Attempts = append(c.Attempts, a)
		return nil
	}); err != nil {
		return err
	}
	if c.Result == nil {
		return nil
	}
	if err := each(ctx, r, `SELECT subject, class, team FROM campaign_picks WHERE campaign_id = ? ORDER BY pos`, c.ID, func(s *sql.Rows) error {
		var p draw.Pick
		var team string
		if err := s.Scan(&p.Subject, &p.Class, &team); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(team), &p.Team); err != nil {
			return err
		}
		p.Shortfall = short[p.Subject]
		c.Result.Picks = append(c.Result.Picks, p)
		return nil
	}); err != nil {
		return err
	}
	c.Result.Recusals = []draw.Recusal{}
	return each(ctx, r, `SELECT subject, inspector, reason, replacement FROM campaign_recusals WHERE campaign_id = ? ORDER BY n`, c.ID, func(s *sql.Rows) error {
		var x draw.Recusal
		if err := s.Scan(&x.Subject, &x.Inspector, &x.Reason, &x.Replacement); err != nil {
			return err
		}
		c.Result.Recusals = append(c.Result.Recusals, x)
		return nil
	})
}

// each runs fn on every row of a query by campaign id.
func each(ctx context.Context, r campaignReader, q, id string, fn func(*sql.Rows) error) error {
	rows, err := r.Query(ctx, q, id)
	if err != nil {
		return internal("load campaign rows", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return internal("scan campaign row", err)
		}
	}
	return internal("load campaign rows", rows.Err())
}

// scanCampaign reads a campaigns row: the campaign, with its draw without
// picks or recusals, and the draw's shortfalls by subject.
func scanCampaign(s interface{ Scan(...any) error }) (*campaign.Campaign, map[string]*draw.Shortfall, error) {
	var c campaign.Campaign
	var filters, rates, checklist, deadline, status string
	var created int64
	var random, meta sql.NullString
	if err := s.Scan(&c.ID, &c.Name, &c.Region, &c.SubjectKind, &filters, &rates, &checklist, &c.Method, &c.TeamSize,
		&deadline, &status, &created, &c.CreatedBy, &c.CommitmentSHA256, &c.CommitmentBytes, &random, &meta); err != nil {
		return nil, nil, err
	}
	c.Status, c.CreatedAt = campaign.Status(status), time.UnixMicro(created).UTC()
	var err error
	if c.Deadline, err = trustmark.ParseDate(deadline); err != nil {
		return nil, nil, err
	}
	var dm drawMeta
	for _, f := range []struct {
		s string
		v any
	}{{filters, &c.Filters}, {rates, &c.Rates}, {checklist, &c.Checklist}, {random.String, &c.Random}, {meta.String, &dm}} {
		if f.s == "" {
			continue
		}
		if err := json.Unmarshal([]byte(f.s), f.v); err != nil {
			return nil, nil, err
		}
	}
	c.Result = dm.Result
	return &c, dm.Shortfalls, nil
}

// Campaigns implements campaign.Store: newest first, by creation instant
// and id.
func (db *DB) Campaigns(ctx context.Context, f campaign.Filter) ([]campaign.Campaign, string, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 20
	}
	where, args := `WHERE 1 = 1`, []any{}
	if f.Status != "" {
		where += ` AND status = ?`
		args = append(args, string(f.Status))
	}
	if f.Cursor != "" {
		key, err := decodeCursor(f.Cursor, 2)
		if err != nil {
			return nil, "", err
		}
		at, err := strconv.ParseInt(key[0], 10, 64)
		if err != nil {
			return nil, "", trustmark.Errorf(trustmark.EInvalid, "cursor", "cursor %q is not one this server gave out", f.Cursor)
		}
		where += ` AND (created_at < ? OR created_at = ? AND id < ?)`
		args = append(args, at, at, key[1])
	}
	rows, err := db.query(ctx, `SELECT `+campaignColumns+` FROM campaigns `+where+` ORDER BY created_at DESC, id DESC LIMIT `+strconv.Itoa(limit+1), args...)
	if err != nil {
		return nil, "", internal("list campaigns", err)
	}
	defer rows.Close()
	var out []campaign.Campaign
	for rows.Next() {
		c, _, err := scanCampaign(rows)
		if err != nil {
			return nil, "", internal("scan campaign", err)
		}
		c.Result = nil // a list shows no draws
		out = append(out, *c)
	}
	if err := rows.Err(); err != nil {
		return nil, "", internal("list campaigns", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = encodeCursor(strconv.FormatInt(last.CreatedAt.UnixMicro(), 10), last.ID)
	}
	return out, next, nil
}
