package sqlstore

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"trustmark"
	"trustmark/audit"
	"trustmark/credit"
	"trustmark/risk"
)

// RiskCursor names the risk follower's cursor in feed_cursors.
const RiskCursor = "risk/scores"

// EntityRiskWarning is the entity of a risk warning's event in the public
// log; Key is risk.Warning.Key.
const EntityRiskWarning = "risk_warning"

// riskBatch is how many events the risk follower handles in one transaction.
const riskBatch = 500

// RiskFollower is the follower of the event feed that keeps the risk
// scores (serve runs it with Feed.Follow): it turns each event that bears
// on a subject's risk into a signal (risk_signals), scores again every
// subject a batch touched under the rule set in force on the event's day,
// keeps the score with its explanation and class (risk_scores, and each
// change in risk_score_history), and opens a risk_warning matter for the
// regulators of the subject's region when the class rises. Everything is
// written in the transaction that moves the cursor. Replaying events
// changes nothing: signal ids come from the events, and a score computed
// after a later event is not computed again. Memory is bounded by the
// batch: the state is in the tables.
func (db *DB) RiskFollower() trustmark.Follower {
	national := &nationalShare{}
	return trustmark.Follower{Name: RiskCursor, Batch: riskBatch, InTransaction: true,
		Handle: func(ctx context.Context, batch []trustmark.Change) error {
			return db.followerTransact(ctx, func(tx *Tx) error { return tx.riskBatch(ctx, batch, national) })
		}}
}

// nationalShareTTL is how long the follower reuses the national share of
// certificates suspended or revoked: counting every certificate for each
// batch of a bulk import would cost more than the share moves.
const nationalShareTTL = time.Minute

// nationalShare is the follower's cached national count of certificates,
// and of them suspended or revoked.
type nationalShare struct {
	mu     sync.Mutex
	counts [2]int64
	at     time.Time
}

func (n *nationalShare) get(ctx context.Context, tx *Tx) ([2]int64, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.at.IsZero() && time.Since(n.at) < nationalShareTTL {
		return n.counts, nil
	}
	var c [2]int64
	if err := tx.QueryRow(ctx, shareSQL).Scan(&c[0], &c[1]); err != nil {
		return c, internal("risk: national suspension share", err)
	}
	n.counts, n.at = c, time.Now()
	return c, nil
}

const shareSQL = `SELECT COUNT(*), COALESCE(SUM(CASE WHEN status IN ('suspended', 'revoked') THEN 1 ELSE 0 END), 0) FROM certificates`

// touch is the last event of a batch that touched a subject.
type touch struct {
	seq int64
	on  trustmark.Date
}

// riskFacts caches what a batch looks up more than once.
type riskFacts struct {
	regions  map[credit.Subject]string
	shares   map[string]bool // bodies whose share the batch measured
	national *nationalShare
}

func (tx *Tx) riskBatch(ctx context.Context, batch []trustmark.Change, national *nationalShare) error {
	facts := &riskFacts{regions: map[credit.Subject]string{}, shares: map[string]bool{}, national: national}
	touched := map[credit.Subject]touch{}
	for _, c := range batch {
		sigs, gone, err := tx.riskSignalsOf(ctx, c, facts)
		if err != nil {
			return err
		}
		for _, id := range gone {
			var s credit.Subject
			err := tx.QueryRow(ctx, `DELETE FROM risk_signals WHERE id = ? RETURNING subject_kind, subject_id`, id).Scan(&s.Kind, &s.ID)
			switch {
			case errors.Is(err, sql.ErrNoRows):
			case err != nil:
				return internal("delete risk signal", err)
			default:
				touched[s] = touch{seq: c.Seq, on: trustmark.DateOf(c.At)}
			}
		}
		for _, s := range sigs {
			if err := tx.putSignal(ctx, s, c.Seq); err != nil {
				return err
			}
			touched[s.Subject] = touch{seq: c.Seq, on: trustmark.DateOf(c.At)}
		}
	}
	if len(touched) == 0 {
		return nil
	}
	rules, err := tx.riskRules(ctx)
	if err != nil {
		return err
	}
	subjects := slices.SortedFunc(maps.Keys(touched), func(a, b credit.Subject) int {
		return cmp.Or(strings.Compare(string(a.Kind), string(b.Kind)), strings.Compare(a.ID, b.ID))
	})
	for _, s := range subjects {
		if err := tx.rescore(ctx, rules, s, touched[s], facts); err != nil {
			return err
		}
	}
	return nil
}

// putSignal stores s, replacing a signal of the same id (a measured signal
// such as a body's suspension share keeps one id and its latest value).
func (tx *Tx) putSignal(ctx context.Context, s risk.Signal, seq int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO risk_signals (id, subject_kind, subject_id, kind, on_day, seq, data) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, on_day = excluded.on_day, seq = excluded.seq, data = excluded.data`,
		s.ID, string(s.Subject.Kind), s.Subject.ID, string(s.Kind), s.On.String(), seq, string(mustJSON(s)))
	return internal("store risk signal", err)
}

// riskSignalsOf returns the signals event c raises and the ids of the
// signals it retracts (an archive entry corrected or withdrawn).
func (tx *Tx) riskSignalsOf(ctx context.Context, c trustmark.Change, f *riskFacts) ([]risk.Signal, []string, error) {
	on := trustmark.DateOf(c.At)
	one := func(id string, subj credit.Subject, kind risk.Kind, source string, day trustmark.Date, value float64) ([]risk.Signal, []string, error) {
		region, err := tx.subjectRegion(ctx, subj, f)
		if err != nil || region == "" {
			return nil, nil, err // a subject the registry does not hold is not scored
		}
		return []risk.Signal{{ID: id, Subject: subj, Region: region, Kind: kind, On: day, Source: source, Value: value}}, nil, nil
	}
	switch c.Entity {
	case trustmark.EntityCertificate:
		// A certificate suspended or revoked, or one that comes back:
		// the body's share is measured once a batch.
		if c.Certificate == nil || f.shares[c.Certificate.BodyApprovalNo] || (!badStatus(c.Certificate.Status) && !badStatus(trustmark.CertStatus(c.From))) {
			return nil, nil, nil
		}
		body := c.Certificate.BodyApprovalNo
		f.shares[body] = true
		value, source, err := tx.suspensionShare(ctx, body, f)
		if err != nil || value == 0 {
			return nil, []string{"suspension_share:" + body}, err // none left suspended or revoked
		}
		return one("suspension_share:"+body, credit.Subject{Kind: credit.Body, ID: body}, risk.SuspensionShare, source, on, value)
	case EntityAnomaly:
		var an audit.Anomaly
		if c.Action != "raised" || json.Unmarshal(c.Data, &an) != nil || an.Audit == "" {
			return nil, nil, nil
		}
		body, err := tx.auditBody(ctx, `SELECT body FROM audits WHERE id = ?`, an.Audit)
		if err != nil || body == "" {
			return nil, nil, err
		}
		return one("anomaly:"+an.Key, credit.Subject{Kind: credit.Body, ID: body}, risk.Anomaly, "anomaly:"+an.Key, on, 0)
	case EntityMatter:
		if c.Action != "escalated" {
			return nil, nil, nil
		}
		body, err := tx.auditBody(ctx, `SELECT au.body FROM anomalies an JOIN audits au ON au.id = an.audit_id WHERE an.matter_id = ?`, c.Key)
		if err != nil || body == "" {
			return nil, nil, err
		}
		return one("anomaly_escalated:"+c.Key, credit.Subject{Kind: credit.Body, ID: body}, risk.AnomalyEscalated, "matter:"+c.Key, on, 0)
	case EntityCreditEntry:
		var e credit.Entry
		if json.Unmarshal(c.Data, &e) != nil || !e.Subject.Kind.Valid() {
			return nil, nil, nil
		}
		var gone []string
		if e.Supersedes != "" {
			gone = []string{entrySignalID(e.Subject, e.Supersedes)}
		}
		kind, value, ok := risk.KindOfEntry(e)
		if !ok || e.Withdrawn {
			return nil, gone, nil
		}
		sigs, _, err := one(entrySignalID(e.Subject, e.ID), e.Subject, kind, cmp.Or(e.Source, "entry:"+e.ID), e.On, value)
		return sigs, gone, err
	case EntityRiskReport:
		sigs, err := tx.reportSignals(ctx, c, f)
		return sigs, nil, err
	case trustmark.EntityBody:
		if c.Body == nil || c.Body.ApprovedOn.IsZero() {
			return nil, nil, nil
		}
		b := c.Body
		return one("new_body:"+b.ApprovalNo, credit.Subject{Kind: credit.Body, ID: b.ApprovalNo}, risk.NewBody, "approval:"+b.ApprovalNo, b.ApprovedOn, 0)
	}
	return nil, nil, nil
}

func badStatus(s trustmark.CertStatus) bool {
	return s == trustmark.StatusSuspended || s == trustmark.StatusRevoked
}

func entrySignalID(s credit.Subject, entry string) string {
	return "credit:" + s.String() + "/" + entry
}

func (tx *Tx) auditBody(ctx context.Context, q, key string) (string, error) {
	var body string
	err := tx.QueryRow(ctx, q, key).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return body, internal("risk: audit body", err)
}

// suspensionShare is the body's share of certificates suspended or revoked
// as a ratio to the share over every body (capped at 10), with the counts
// as its source; 0 when there is nothing to compare.
func (tx *Tx) suspensionShare(ctx context.Context, body string, f *riskFacts) (float64, string, error) {
	n, err := f.national.get(ctx, tx)
	if err != nil {
		return 0, "", err
	}
	var all, bad int64
	if err := tx.QueryRow(ctx, shareSQL+` WHERE body_approval_no = ?`, body).Scan(&all, &bad); err != nil {
		return 0, "", internal("risk: suspension share", err)
	}
	if all == 0 || bad == 0 || n[1] == 0 {
		return 0, "", nil
	}
	share, national := float64(bad)/float64(all), float64(n[1])/float64(n[0])
	ratio := min(share/national, 10)
	return ratio, fmt.Sprintf("certificates:%d/%d suspended or revoked (national %d/%d)", bad, all, n[1], n[0]), nil
}

// subjectRegion is the region of a subject: a unit's own, a person's
// body's; "" when the registry does not hold it.
func (tx *Tx) subjectRegion(ctx context.Context, s credit.Subject, f *riskFacts) (string, error) {
	if r, ok := f.regions[s]; ok {
		return r, nil
	}
	q := regionSQL(s.Kind)
	if q == "" {
		return "", nil
	}
	var r string
	if err := tx.QueryRow(ctx, q, s.ID).Scan(&r); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", internal("risk: subject region", err)
	}
	f.regions[s] = r
	return r, nil
}

// regionSQL is the query of the region of a subject of kind k by its id.
func regionSQL(k credit.SubjectKind) string {
	switch k {
	case credit.Body:
		return `SELECT region_code FROM bodies WHERE approval_no = ?`
	case credit.Lab:
		return `SELECT region_code FROM labs WHERE cma_no = ?`
	case credit.Org:
		return `SELECT region_code FROM orgs WHERE uscc = ?`
	case credit.Person:
		return `SELECT b.region_code FROM persons p JOIN bodies b ON b.approval_no = p.body_approval_no WHERE p.registration_no = ?`
	}
	return ""
}

// rescore scores s again after event t, keeps the score and its history,
// and raises a warning when its class rose. A score already computed at
// or after t (the events are handed over again) is left as it is.
func (tx *Tx) rescore(ctx context.Context, rules *risk.Rules, s credit.Subject, t touch, f *riskFacts) error {
	prev := risk.Score{Subject: s, Class: risk.A}
	var prevSeq int64 = -1
	var data string
	err := tx.QueryRow(ctx, `SELECT seq, data FROM risk_scores WHERE subject_kind = ? AND subject_id = ?`, string(s.Kind), s.ID).Scan(&prevSeq, &data)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return internal("risk: read score", err)
	default:
		if prevSeq >= t.seq {
			return nil
		}
		if err := json.Unmarshal([]byte(data), &prev); err != nil {
			return internal("risk: decode score", err)
		}
	}
	signals, err := tx.subjectSignals(ctx, s)
	if err != nil {
		return err
	}
	region, err := tx.subjectRegion(ctx, s, f)
	if err != nil {
		return err
	}
	next := rules.ScoreOn(s, signals, t.on)
	until := rules.Until(s, signals, t.on)
	if _, err := tx.Exec(ctx, `INSERT INTO risk_scores (subject_kind, subject_id, region, class, total, version, on_day, until_day, seq, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (subject_kind, subject_id) DO UPDATE SET region = excluded.region, class = excluded.class, total = excluded.total,
		version = excluded.version, on_day = excluded.on_day, until_day = excluded.until_day, seq = excluded.seq, data = excluded.data`,
		string(s.Kind), s.ID, region, string(next.Class), next.Total, next.Version, next.On.String(), until.String(), t.seq, string(appendScoreJSON(nil, &next))); err != nil {
		return internal("risk: store score", err)
	}
	if prevSeq < 0 || next.Total != prev.Total || next.Class != prev.Class || next.Version != prev.Version {
		if _, err := tx.Exec(ctx, `INSERT INTO risk_score_history (subject_kind, subject_id, seq, on_day, class, total, version) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (subject_kind, subject_id, seq) DO NOTHING`, string(s.Kind), s.ID, t.seq, next.On.String(), string(next.Class), next.Total, next.Version); err != nil {
			return internal("risk: store score history", err)
		}
	}
	for _, w := range risk.ClassUp(prev, next, region) {
		if err := tx.raiseWarning(ctx, w); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) subjectSignals(ctx context.Context, s credit.Subject) ([]risk.Signal, error) {
	rows, err := tx.Query(ctx, `SELECT data FROM risk_signals WHERE subject_kind = ? AND subject_id = ? ORDER BY id`, string(s.Kind), s.ID)
	if err != nil {
		return nil, internal("risk: read signals", err)
	}
	defer rows.Close()
	var out []risk.Signal
	var data []byte
	for rows.Next() {
		var sig risk.Signal
		if err := rows.Scan(&data); err != nil {
			return nil, internal("risk: read signals", err)
		}
		if err := decodeSignal(data, &sig); err != nil {
			return nil, internal("risk: decode signal", err)
		}
		out = append(out, sig)
	}
	return out, internal("risk: read signals", rows.Err())
}

// raiseWarning keeps w, opens its risk_warning matter for the regulators of
// its region and records it in the public log, once per warning key. A
// warning without a region has no regulator to go to and is not raised.
func (tx *Tx) raiseWarning(ctx context.Context, w risk.Warning) error {
	if w.Region == "" {
		return nil
	}
	key := w.Key()
	sum := sha256.Sum256([]byte(key))
	id := "RW" + hex.EncodeToString(sum[:10])
	res, err := tx.Exec(ctx, `INSERT INTO risk_warnings (key, rule, region, subject, on_day, matter_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO NOTHING`, key, w.Rule, w.Region, w.Subject.String(), w.On.String(), id, string(mustJSON(w)))
	if err != nil {
		return internal("risk: store warning", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	if err := tx.openMatter(ctx, w.Opening(id, tx.Now(), "system:risk")); err != nil {
		return err
	}
	tx.Record(trustmark.Event{Actor: "system:risk", Entity: EntityRiskWarning, Key: key, Action: "raised", EffectiveOn: w.On, Data: mustJSON(w)})
	return nil
}

// riskRules returns the stored versions of the rule set (risk.RulesOf).
func (tx *Tx) riskRules(ctx context.Context) (*risk.Rules, error) {
	rows, err := tx.Query(ctx, `SELECT data FROM risk_rules ORDER BY version`)
	if err != nil {
		return nil, internal("risk: read rules", err)
	}
	defer rows.Close()
	var vs []risk.RuleSet
	for rows.Next() {
		var data string
		var rs risk.RuleSet
		if err := rows.Scan(&data); err != nil {
			return nil, internal("risk: read rules", err)
		}
		if err := json.Unmarshal([]byte(data), &rs); err != nil {
			return nil, internal("risk: decode rules", err)
		}
		vs = append(vs, rs)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("risk: read rules", err)
	}
	return risk.RulesOf(vs)
}
