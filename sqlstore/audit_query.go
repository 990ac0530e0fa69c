package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"trustmark"
	"trustmark/audit"
)

// The reads of the workbench's audit pages: lists of audits by region,
// body or team member, the number of anomalies of each, and a check-in
// photo for those entitled to see it (the adapter decides who is).

// FindAudits returns the audits q selects, latest opening first. A
// region filters with the divisions table's prefix (trustmark.RegionPrefix,
// held to Regions.Covers by its test).
func (db *DB) FindAudits(ctx context.Context, q audit.Query) ([]audit.Audit, error) {
	var w where
	if p := trustmark.RegionPrefix(q.Region); p != "" {
		w.add(`a.region LIKE ?`, likeEscape(p)+"%")
	}
	if q.Body != "" {
		w.add(`a.body = ?`, q.Body)
	}
	if q.Person != "" {
		w.add(`a.id IN (SELECT audit_id FROM audit_members WHERE registration_no = ?)`, q.Person)
	}
	if !q.From.IsZero() {
		w.add(`a.start_at >= ?`, micros(chinaDayStart(q.From)))
	}
	if !q.To.IsZero() {
		w.add(`a.start_at < ?`, micros(chinaDayStart(q.To).Add(24*time.Hour)))
	}
	if q.Anomalous {
		w.add(`EXISTS (SELECT 1 FROM anomalies n WHERE n.audit_id = a.id)`)
	}
	rows, err := db.query(ctx, `SELECT a.doc FROM audits a`+w.String()+
		fmt.Sprintf(` ORDER BY a.start_at DESC, a.id LIMIT %d`, limit(q.Limit)), w.args...)
	if err != nil {
		return nil, internal("find audits", err)
	}
	return scanAudits(rows)
}

// chinaDayStart is the instant day begins in China (UTC+8, no summer time).
func chinaDayStart(d trustmark.Date) time.Time { return d.Time().Add(-8 * time.Hour) }

// AuditAnomalyCounts returns the number of anomalies of each audit of ids
// that has any.
func (db *DB) AuditAnomalyCounts(ctx context.Context, ids []string) (map[string]int, error) {
	out := map[string]int{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.query(ctx, `SELECT audit_id, COUNT(*) FROM anomalies WHERE audit_id IN (?`+strings.Repeat(`, ?`, len(ids)-1)+`) GROUP BY audit_id`, args...)
	if err != nil {
		return nil, internal("count anomalies", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, internal("scan anomaly count", err)
		}
		out[id] = n
	}
	return out, internal("count anomalies", rows.Err())
}

// CheckInPhoto returns the photo stored under its SHA-256 (hex), or
// not_found. Photos are personal data: callers serve them only to those
// access.Decide entitles.
func (db *DB) CheckInPhoto(ctx context.Context, sha256 string) ([]byte, error) {
	var data []byte
	err := db.queryRow(ctx, `SELECT p.data FROM photo_uses u JOIN photos p ON p.checkin_id = u.checkin_id AND p.sha256 = u.sha256 WHERE u.sha256 = ? LIMIT 1`, sha256).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("photo", "no photo %s", sha256)
	}
	if err != nil {
		return nil, internal("read photo", err)
	}
	return data, nil
}
