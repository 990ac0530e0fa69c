package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"

	"trustmark"
	"trustmark/audit"
	"trustmark/credit"
)

// teamRefused returns why a member of plan p's team may not be on an
// audit team, or nil: credit.Standing for JoinTeam on the day of the
// report and on the opening day, so that neither a ban in effect now nor
// one in effect when the audit takes place is passed over. The refusal
// names the decision and the member's field.
func (tx *Tx) teamRefused(ctx context.Context, p audit.Plan) error {
	ids := make([]string, len(p.Team))
	for i, m := range p.Team {
		ids[i] = m.RegistrationNo
	}
	archives, err := tx.creditArchives(ctx, credit.Person, ids)
	if err != nil {
		return err
	}
	days := []trustmark.Date{tx.today, trustmark.DateOf(p.OpeningAt)}
	for i, m := range p.Team {
		a, ok := archives[m.RegistrationNo]
		if !ok {
			continue
		}
		for _, d := range days {
			if err := credit.Standing(a, credit.JoinTeam, d).Err(); err != nil {
				return withField(err, "team["+strconv.Itoa(i)+"].registration_no")
			}
		}
	}
	return nil
}

// CreditExclusions returns, of the subjects of kind among ids, the decision
// that stops each from act on day on (credit.ExcludedFrom): for the
// inspection draw, whose pool marks such inspectors excluded
// (draw.Inspector.Banned), and for any workflow that checks many subjects
// at once. Subjects that may act are not in the map.
func (db *DB) CreditExclusions(ctx context.Context, kind credit.SubjectKind, ids []string, act credit.Act, on trustmark.Date) (map[string]credit.Entry, error) {
	var out map[string]credit.Entry
	err := db.Transact(ctx, func(tx *Tx) error {
		archives, err := tx.creditArchives(ctx, kind, ids)
		if err != nil {
			return err
		}
		out = credit.ExcludedFrom(archives, act, on)
		return nil
	})
	return out, err
}

// creditArchives reads the archives of the subjects of kind among ids that
// have entries, in chunks.
func (tx *Tx) creditArchives(ctx context.Context, kind credit.SubjectKind, ids []string) (map[string]credit.Archive, error) {
	archives := map[string]credit.Archive{}
	err := tx.forChunks(ctx, `SELECT subject_id, data FROM credit_entries WHERE subject_kind = '`+string(kind)+`' AND subject_id IN (%s) ORDER BY subject_id, pos`, ids,
		func(rows *sql.Rows) error {
			var id, data string
			var e credit.Entry
			if err := rows.Scan(&id, &data); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(data), &e); err != nil {
				return err
			}
			a := archives[id]
			a.Subject, a.Entries = e.Subject, append(a.Entries, e)
			archives[id] = a
			return nil
		})
	if err != nil {
		return nil, internal("read credit archives", err)
	}
	return archives, nil
}

// withField returns err naming field, when it is a *trustmark.Error.
func withField(err error, field string) error {
	var e *trustmark.Error
	if errors.As(err, &e) {
		c := *e
		c.Field = field
		return &c
	}
	return err
}
