package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"

	"trustmark"
	"trustmark/account"
	"trustmark/matter"
)

// maxInbox bounds the matters one role's inbox lists: a national
// regulator's region is every matter there is.
const maxInbox = 500

// MaxMatterFile is the largest file an answer may attach.
const MaxMatterFile = 5 << 20

// waiting are the states in which a matter waits for someone: its party
// (opened, paused) or its regulator (answered).
var waiting = []matter.State{matter.Opened, matter.Paused, matter.Answered}

// Inbox returns the matters waiting for the holder of roles (web.Inbox):
// for each role those its own unit must act on, and for a regulator also
// every matter still open in its region (trustmark.Regions.Covers decides
// which regions those are). A matter is listed once however many roles
// reach it; the order is the caller's (matter.SortInbox).
func (db *DB) Inbox(ctx context.Context, roles []account.Role) ([]matter.Matter, error) {
	seen := map[string]bool{}
	var out []matter.Matter
	add := func(ms []matter.Matter, keep func(matter.Matter) bool) {
		for _, m := range ms {
			if !seen[m.ID] && keep(m) {
				seen[m.ID] = true
				out = append(out, m)
			}
		}
	}
	all := func(matter.Matter) bool { return true }
	for _, r := range roles {
		own, err := db.matters(ctx, `party_kind = ? AND party_id = ? AND state IN (?, ?)`,
			string(r.Kind), r.ID, string(matter.Opened), string(matter.Paused))
		if err != nil {
			return nil, err
		}
		add(own, all)
		if r.Kind != account.Regulator {
			continue
		}
		regions := trustmark.DefaultRegions()
		// The prefix only narrows the scan (the divisions table holds it to
		// Covers); Covers decides.
		prefix := regions.Prefix(r.ID)
		where := `state IN (?, ?, ?)`
		args := []any{string(waiting[0]), string(waiting[1]), string(waiting[2])}
		if r.ID != trustmark.NationalRegion && prefix != "" {
			// Codes that start with prefix: a range the region index serves.
			where += ` AND region >= ? AND region < ?`
			args = append(args, prefix, prefix[:len(prefix)-1]+string(prefix[len(prefix)-1]+1))
		}
		inRegion, err := db.matters(ctx, where, args...)
		if err != nil {
			return nil, err
		}
		add(inRegion, func(m matter.Matter) bool { return regions.Covers(r.ID, m.Region) })
	}
	return out, nil
}

// matters returns the matters where cond holds, the soonest due first.
func (db *DB) matters(ctx context.Context, cond string, args ...any) ([]matter.Matter, error) {
	rows, err := db.query(ctx, `SELECT doc FROM matters WHERE `+cond+` ORDER BY due_on, opened_at LIMIT `+itoa(maxInbox), args...)
	if err != nil {
		return nil, internal("read inbox", err)
	}
	defer rows.Close()
	var out []matter.Matter
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, internal("scan inbox", err)
		}
		var m matter.Matter
		if err := json.Unmarshal([]byte(doc), &m); err != nil {
			return nil, internal("decode matter", err)
		}
		out = append(out, m)
	}
	return out, internal("read inbox", rows.Err())
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		if n /= 10; n == 0 {
			return string(b[i:])
		}
	}
}

// OpenMatter opens a matter (matter.Rules.Open) and stores it with its
// first step, in the public log. An Opening without At is opened now.
func (db *DB) OpenMatter(ctx context.Context, o matter.Opening) (matter.Matter, error) {
	err := db.Transact(ctx, func(tx *Tx) error {
		if o.At.IsZero() {
			o.At = tx.Now()
		}
		return tx.openMatter(ctx, o)
	})
	if err != nil {
		return matter.Matter{}, err
	}
	m, err := db.Matter(ctx, o.ID)
	if err != nil {
		return matter.Matter{}, err
	}
	return *m, nil
}

// MatterSteps returns the steps of a matter in order; step n is at n-1.
func (db *DB) MatterSteps(ctx context.Context, id string) ([]matter.Event, error) {
	rows, err := db.query(ctx, `SELECT event FROM matter_steps WHERE matter_id = ? ORDER BY step`, id)
	if err != nil {
		return nil, internal("read matter steps", err)
	}
	defer rows.Close()
	var out []matter.Event
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, internal("scan matter step", err)
		}
		var ev matter.Event
		if err := json.Unmarshal([]byte(doc), &ev); err != nil {
			return nil, internal("decode matter step", err)
		}
		out = append(out, ev)
	}
	return out, internal("read matter steps", rows.Err())
}

// StepMatter takes a step on the matter of id: extend (by days), pause,
// resume, accept, escalate or close, decided by package matter. The step
// goes to the public log. At zero in s means now.
func (db *DB) StepMatter(ctx context.Context, id string, a matter.Action, s matter.Step, days int) (matter.Matter, error) {
	return db.stepMatter(ctx, id, s, func(r *matter.Rules, m matter.Matter, s matter.Step) (matter.Matter, matter.Event, error) {
		switch a {
		case matter.Extend:
			return r.ExtendBy(m, s, days)
		case matter.Pause:
			return r.PauseFor(m, s)
		case matter.Resume:
			return r.ResumeAt(m, s)
		case matter.Accept:
			return r.Accept(m, s)
		case matter.Escalate:
			return r.Escalate(m, s)
		case matter.Close:
			return r.Close(m, s)
		}
		return m, matter.Event{}, trustmark.Invalidf("matter.action", "action", "%q is not a step this form takes", a)
	}, nil)
}

// AnswerMatter records the party's answer (matter.Rules.Answer): the step
// in the public log, and its text and attached file (may be empty) kept
// beside it for those who may see the matter.
func (db *DB) AnswerMatter(ctx context.Context, id string, s matter.Step, text, fileName string, file []byte) (matter.Matter, error) {
	text, fileName = strings.TrimSpace(text), strings.TrimSpace(fileName)
	switch {
	case text == "" && len(file) == 0:
		return matter.Matter{}, trustmark.Invalidf("matter.answer_empty", "text", "an answer needs a text or a file")
	case len(file) > MaxMatterFile:
		return matter.Matter{}, trustmark.Invalidf("matter.file_size", "file", "an attached file is at most %d bytes", MaxMatterFile)
	}
	s.Reason = ""
	return db.stepMatter(ctx, id, s, (*matter.Rules).Answer, func(tx *Tx, n int) error {
		sum, data := "", any(nil)
		if len(file) > 0 {
			h := sha256.Sum256(file)
			sum, data = hex.EncodeToString(h[:]), file
		}
		_, err := tx.Exec(ctx, `INSERT INTO matter_answers (matter_id, step, text, file_name, file_sha256, file_data) VALUES (?, ?, ?, ?, ?, ?)`,
			id, n, text, fileName, sum, data)
		return internal("insert matter answer", err)
	})
}

// stepMatter loads the matter, lets decide take the step, and stores the
// matter, the step and whatever after adds, in one transaction.
func (db *DB) stepMatter(ctx context.Context, id string, s matter.Step,
	decide func(*matter.Rules, matter.Matter, matter.Step) (matter.Matter, matter.Event, error),
	after func(tx *Tx, n int) error) (matter.Matter, error) {
	var out matter.Matter
	err := db.Transact(ctx, func(tx *Tx) error {
		var doc string
		var n int
		if err := tx.QueryRow(ctx, `SELECT doc FROM matters WHERE id = ?`, id).Scan(&doc); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("id", "no matter %s", id)
			}
			return internal("read matter", err)
		}
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(step), 0) FROM matter_steps WHERE matter_id = ?`, id).Scan(&n); err != nil {
			return internal("read matter steps", err)
		}
		var m matter.Matter
		if err := json.Unmarshal([]byte(doc), &m); err != nil {
			return internal("decode matter", err)
		}
		st := s
		if st.At.IsZero() {
			st.At = tx.Now()
		}
		next, ev, err := decide(matterRules(), m, st)
		if err != nil {
			return err
		}
		nd, err := json.Marshal(next)
		if err != nil {
			return internal("encode matter", err)
		}
		// The old document guards the update: a step decided on a matter
		// another request changed meanwhile is run again (conflict).
		res, err := tx.Exec(ctx, `UPDATE matters SET state = ?, due_on = ?, doc = ? WHERE id = ? AND doc = ?`,
			string(next.State), next.Due.Date.String(), string(nd), id, doc)
		if err != nil {
			return internal("update matter", err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return trustmark.Errorf(trustmark.EConflict, "id", "matter %s changed meanwhile; try again", id)
		}
		if err := tx.matterStep(ctx, n+1, ev); err != nil {
			return err
		}
		if after != nil {
			if err := after(tx, n+1); err != nil {
				return err
			}
		}
		out = next
		return nil
	})
	return out, err
}

// MatterAnswerOf returns the answer of step n of the matter of id, or
// not_found when that step is not an answer.
func (db *DB) MatterAnswerOf(ctx context.Context, id string, n int) (text, fileName string, fileSize int, err error) {
	var size sql.NullInt64
	err = db.queryRow(ctx, `SELECT text, file_name, LENGTH(file_data) FROM matter_answers WHERE matter_id = ? AND step = ?`, id, n).Scan(&text, &fileName, &size)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", 0, notFound("step", "step %d of matter %s is not an answer", n, id)
	}
	if err != nil {
		return "", "", 0, internal("read matter answer", err)
	}
	return text, fileName, int(size.Int64), nil
}

// MatterFile returns the file attached to the answer of step n of the
// matter of id.
func (db *DB) MatterFile(ctx context.Context, id string, n int) (name string, data []byte, err error) {
	err = db.queryRow(ctx, `SELECT file_name, file_data FROM matter_answers WHERE matter_id = ? AND step = ? AND file_data IS NOT NULL`, id, n).Scan(&name, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, notFound("step", "step %d of matter %s has no file", n, id)
	}
	if err != nil {
		return "", nil, internal("read matter file", err)
	}
	return name, data, nil
}
