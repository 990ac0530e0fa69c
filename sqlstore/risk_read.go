package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"trustmark"
	"trustmark/credit"
	"trustmark/risk"
)

var _ risk.Store = (*DB)(nil)

// RiskSubjects implements risk.Store: the stored scores of f's region,
// highest total first. The cursor is the offset of the next page.
func (db *DB) RiskSubjects(ctx context.Context, f risk.Filter) ([]risk.Record, string, error) {
	var w where
	if p := trustmark.RegionPrefix(f.Region); p != "" {
		w.add(`region LIKE ? ESCAPE '\'`, likeEscape(p)+"%")
	}
	if f.Kind != "" {
		w.add(`subject_kind = ?`, string(f.Kind))
	}
	if f.Class != "" {
		w.add(`class = ?`, string(f.Class))
	}
	offset := 0
	if f.Cursor != "" {
		n, err := strconv.Atoi(f.Cursor)
		if err != nil || n < 0 {
			return nil, "", trustmark.Invalidf("risk.cursor", "cursor", "cursor %q is not one this list gave", f.Cursor)
		}
		offset = n
	}
	limit := max(1, f.Limit)
	args := append(w.args, limit+1, offset)
	rows, err := db.query(ctx, `SELECT region, seq, data FROM risk_scores`+w.String()+` ORDER BY total DESC, subject_kind, subject_id LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, "", internal("risk subjects", err)
	}
	defer rows.Close()
	out := []risk.Record{}
	next := ""
	for rows.Next() {
		if len(out) == limit {
			next = strconv.Itoa(offset + limit)
			break
		}
		r, err := scanRecord(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, r)
	}
	return out, next, internal("risk subjects", rows.Err())
}

func scanRecord(s interface{ Scan(...any) error }) (risk.Record, error) {
	var r risk.Record
	var data string
	if err := s.Scan(&r.Region, &r.Seq, &data); err != nil {
		return r, internal("risk score", err)
	}
	if err := json.Unmarshal([]byte(data), &r.Score); err != nil {
		return r, internal("decode risk score", err)
	}
	r.Subject = r.Score.Subject
	return r, nil
}

// RiskSubject implements risk.Store.
func (db *DB) RiskSubject(ctx context.Context, s credit.Subject) (risk.Record, []risk.Point, []risk.Raised, error) {
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM risk_scores WHERE subject_kind = ? AND subject_id = ?`, string(s.Kind), s.ID).Scan(&n); err != nil {
		return risk.Record{}, nil, nil, internal("risk score", err)
	}
	if n == 0 {
		// A subject the registry holds without any signal is class A.
		var region string
		q := regionSQL(s.Kind)
		if q == "" {
			return risk.Record{}, nil, nil, notFound("id", "no subject %s", s)
		}
		if err := db.queryRow(ctx, q, s.ID).Scan(&region); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return risk.Record{}, nil, nil, notFound("id", "no subject %s in the registry", s)
			}
			return risk.Record{}, nil, nil, internal("risk subject region", err)
		}
		rec := risk.Record{Subject: s, Region: region, Seq: -1,
			Score: risk.Score{Subject: s, On: trustmark.DateOf(db.clock()), Class: risk.A, Parts: []risk.Part{}}}
		return rec, []risk.Point{}, []risk.Raised{}, nil
	}
	r, err := scanRecord(db.queryRow(ctx, `SELECT region, seq, data FROM risk_scores WHERE subject_kind = ? AND subject_id = ?`, string(s.Kind), s.ID))
	if err != nil {
		return r, nil, nil, err
	}
	rows, err := db.query(ctx, `SELECT seq, on_day, class, total, version FROM risk_score_history WHERE subject_kind = ? AND subject_id = ? ORDER BY seq`, string(s.Kind), s.ID)
	if err != nil {
		return r, nil, nil, internal("risk history", err)
	}
	defer rows.Close()
	hist := []risk.Point{}
	for rows.Next() {
		var p risk.Point
		var on, class string
		if err := rows.Scan(&p.Seq, &on, &class, &p.Total, &p.Version); err != nil {
			return r, nil, nil, internal("risk history", err)
		}
		p.On, _ = trustmark.ParseDate(on)
		p.Class = risk.Class(class)
		hist = append(hist, p)
	}
	if err := rows.Err(); err != nil {
		return r, nil, nil, internal("risk history", err)
	}
	ws, err := db.riskWarnings(ctx, `w.subject = ?`, s.String(), 100)
	return r, hist, ws, err
}

// RiskWarnings implements risk.Store.
func (db *DB) RiskWarnings(ctx context.Context, region string, limit int) ([]risk.Raised, error) {
	return db.riskWarnings(ctx, `w.region LIKE ? ESCAPE '\'`, likeEscape(trustmark.RegionPrefix(region))+"%", limit)
}

func (db *DB) riskWarnings(ctx context.Context, cond, arg string, limit int) ([]risk.Raised, error) {
	rows, err := db.query(ctx, `SELECT w.data, w.matter_id, m.due_on, m.state FROM risk_warnings w JOIN matters m ON m.id = w.matter_id
		WHERE `+cond+` ORDER BY w.on_day DESC, w.key LIMIT ?`, arg, max(1, limit))
	if err != nil {
		return nil, internal("risk warnings", err)
	}
	defer rows.Close()
	out := []risk.Raised{}
	for rows.Next() {
		var r risk.Raised
		var data, due string
		if err := rows.Scan(&data, &r.Matter, &due, &r.State); err != nil {
			return nil, internal("risk warnings", err)
		}
		if err := json.Unmarshal([]byte(data), &r.Warning); err != nil {
			return nil, internal("decode risk warning", err)
		}
		r.Due, _ = trustmark.ParseDate(due)
		out = append(out, r)
	}
	return out, internal("risk warnings", rows.Err())
}

// riskClassesChunk bounds the placeholders of one RiskClasses query.
const riskClassesChunk = 500

// RiskClasses implements risk.Store: for the inspection draw, which weights
// its sampling rates by class. Subjects without a stored score are left
// out of the map: they have no signal, class A.
func (db *DB) RiskClasses(ctx context.Context, kind string, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if !credit.SubjectKind(kind).Valid() {
		return out, nil
	}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), riskClassesChunk)]
		ids = ids[len(chunk):]
		args := make([]any, 0, len(chunk)+1)
		args = append(args, kind)
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := db.query(ctx, `SELECT subject_id, class FROM risk_scores WHERE subject_kind = ? AND subject_id IN (`+
			strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+`)`, args...)
		if err != nil {
			return nil, internal("risk classes", err)
		}
		for rows.Next() {
			var id, class string
			if err := rows.Scan(&id, &class); err != nil {
				rows.Close()
				return nil, internal("risk classes", err)
			}
			out[id] = class
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, internal("risk classes", err)
		}
	}
	return out, nil
}
