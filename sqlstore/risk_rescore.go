package sqlstore

import (
	"context"
	"strings"

	"trustmark"
	"trustmark/credit"
	"trustmark/risk"
)

// RescoreChunk is how many scores serve's daily job hands RescoreRisk at a
// time: one transaction each, large enough that a full recompute of the
// nation is a few hundred statements, small enough that other writers wait
// a fraction of a second for it.
const RescoreChunk = 5000

// RescoreRisk scores again, as of day on, up to limit stored scores due on
// that day that come after subject after in key order (the zero Subject to
// start), in one transaction, and returns how many it scored and the last
// one, the cursor of the next call; fewer than limit means none is left.
// Signals decay with time, and a new version of the rule set may take
// effect on a later day, so a class must move without a new event: serve
// runs it once a day with the expiry job. A score is due when on is past
// the last day it holds (risk.Rules.Until, kept with it) or it was computed
// under another version than the one in force on day on; the others stay as
// they are, with the day they were computed on. A class that rises opens a
// risk_warning matter as for the risk follower; the event the score
// follows (seq) and its history, which records the events that changed it,
// stay the same.
func (db *DB) RescoreRisk(ctx context.Context, on trustmark.Date, after credit.Subject, limit int) (int, credit.Subject, error) {
	n, last := 0, after
	err := db.Transact(ctx, func(tx *Tx) error {
		n, last = 0, after
		rules, err := tx.riskRules(ctx)
		if err != nil {
			return err
		}
		due, err := tx.dueScores(ctx, on, rules.InForce(on).Version, after, limit)
		if err != nil || len(due) == 0 {
			return err
		}
		if err := tx.dueSignals(ctx, after, due); err != nil {
			return err
		}
		rows := make([]scoreRow, len(due))
		buf := make([]byte, 0, scoreJSONSize(due))
		for i := range due {
			d := &due[i]
			next := rules.ScoreOn(d.subject, d.signals, on)
			start := len(buf)
			buf = appendScoreJSON(buf, &next)
			rows[i] = scoreRow{due: d, score: next, until: rules.Until(d.subject, d.signals, on), data: buf[start:len(buf):len(buf)]}
			for _, w := range risk.ClassUp(risk.Score{Subject: d.subject, Class: d.class, Total: d.total}, next, d.region) {
				if err := tx.raiseWarning(ctx, w); err != nil {
					return err
				}
			}
		}
		if err := tx.putScores(ctx, rows); err != nil {
			return err
		}
		n, last = len(due), due[len(due)-1].subject
		return nil
	})
	return n, last, err
}

// dueScore is a stored score RescoreRisk computes again, with its signals.
type dueScore struct {
	subject credit.Subject
	region  string
	class   risk.Class
	total   float64
	seq     int64
	signals []risk.Signal
}

// dueScores reads, in key order, up to limit scores after subject after
// that are due on day on: past their last day, or computed under another
// version than version, the one in force. Only what ClassUp compares is
// read, not the explanation.
func (tx *Tx) dueScores(ctx context.Context, on trustmark.Date, version int, after credit.Subject, limit int) ([]dueScore, error) {
	rows, err := tx.Query(ctx, `SELECT subject_kind, subject_id, region, class, total, seq FROM risk_scores
		WHERE (subject_kind, subject_id) > (?, ?) AND (until_day < ? OR version <> ?) ORDER BY subject_kind, subject_id LIMIT ?`,
		string(after.Kind), after.ID, on.String(), version, limit)
	if err != nil {
		return nil, internal("risk: due scores", err)
	}
	defer rows.Close()
	due := make([]dueScore, 0, min(limit, 1024))
	for rows.Next() {
		var d dueScore
		var class string
		if err := rows.Scan(&d.subject.Kind, &d.subject.ID, &d.region, &class, &d.total, &d.seq); err != nil {
			return nil, internal("risk: due scores", err)
		}
		d.class = risk.Class(class)
		due = append(due, d)
	}
	return due, internal("risk: due scores", rows.Err())
}

// dueSignals reads the signals of the key range (after, the last of due]
// in one index range, in key order, and hands each due subject its own;
// the signals of subjects in the range that are not due are skipped.
func (tx *Tx) dueSignals(ctx context.Context, after credit.Subject, due []dueScore) error {
	at := make(map[credit.Subject]int, len(due))
	for i := range due {
		at[due[i].subject] = i
	}
	last := due[len(due)-1].subject
	rows, err := tx.Query(ctx, `SELECT subject_kind, subject_id, data FROM risk_signals
		WHERE (subject_kind, subject_id) > (?, ?) AND (subject_kind, subject_id) <= (?, ?) ORDER BY subject_kind, subject_id`,
		string(after.Kind), after.ID, string(last.Kind), last.ID)
	if err != nil {
		return internal("risk: due signals", err)
	}
	defer rows.Close()
	var s credit.Subject
	var data []byte
	for rows.Next() {
		if err := rows.Scan(&s.Kind, &s.ID, &data); err != nil {
			return internal("risk: due signals", err)
		}
		i, ok := at[s]
		if !ok {
			continue
		}
		var sig risk.Signal
		if err := decodeSignal(data, &sig); err != nil {
			return internal("risk: decode signal", err)
		}
		due[i].signals = append(due[i].signals, sig)
	}
	return internal("risk: due signals", rows.Err())
}

// scoreJSONSize is about what appendScoreJSON writes for the scores of
// due (a score's head, and a part per signal, each with its signal), so
// that the chunk's buffer is allocated once rather than copied as it grows.
func scoreJSONSize(due []dueScore) int {
	n := 0
	for i := range due {
		n += 160 + 400*len(due[i].signals)
	}
	return n
}

// scoreRow is a score RescoreRisk writes back.
type scoreRow struct {
	due   *dueScore
	score risk.Score
	until trustmark.Date
	data  []byte // appendScoreJSON(score)
}

// scoresPerStatement bounds the rows of one statement of putScores (10
// parameters each, well under SQLite's and PostgreSQL's limits).
const scoresPerStatement = 250

// putScores writes rows back, many to a statement.
func (tx *Tx) putScores(ctx context.Context, rows []scoreRow) error {
	args := make([]any, 0, 10*min(len(rows), scoresPerStatement))
	for len(rows) > 0 {
		part := rows[:min(len(rows), scoresPerStatement)]
		rows = rows[len(part):]
		args = args[:0]
		for _, r := range part {
			s := &r.score
			args = append(args, string(s.Subject.Kind), s.Subject.ID, r.due.region, string(s.Class), s.Total, s.Version,
				dateString(s.On), dateString(r.until), r.due.seq, string(r.data))
		}
		q := putScoresSQL(len(part))
		var err error
		if len(part) == scoresPerStatement {
			st, perr := tx.stmt(ctx, q)
			if perr != nil {
				return internal("risk: prepare scores", perr)
			}
			_, err = st.ExecContext(ctx, args...)
		} else {
			_, err = tx.Exec(ctx, q, args...)
		}
		if err != nil {
			return internal("risk: store scores", err)
		}
	}
	return nil
}

// putScoresSQL is the upsert of n scores; the rows exist (the transaction
// read them), so only the computed columns change.
func putScoresSQL(n int) string {
	const row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	return `INSERT INTO risk_scores (subject_kind, subject_id, region, class, total, version, on_day, until_day, seq, data) VALUES ` +
		strings.TrimSuffix(strings.Repeat(row+", ", n), ", ") +
		` ON CONFLICT (subject_kind, subject_id) DO UPDATE SET class = excluded.class, total = excluded.total, version = excluded.version,
		on_day = excluded.on_day, until_day = excluded.until_day, data = excluded.data`
}
