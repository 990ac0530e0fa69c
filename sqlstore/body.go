package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"trustmark"
	"trustmark/credit"
)

const bodyCols = `b.approval_no, b.uscc, b.name, b.name_en, b.region_code, b.scopes, b.ccc_categories, b.ccc_code, b.status, b.approved_on, b.status_since, b.last_submission`

func scanBody(s interface{ Scan(...any) error }) (*trustmark.Body, error) {
	var (
		b                                    trustmark.Body
		uscc, scopes, cats, status, appr, ss string
		last                                 int64
	)
	if err := s.Scan(&b.ApprovalNo, &uscc, &b.Name, &b.NameEn, &b.RegionCode, &scopes, &cats, &b.CCCCode, &status, &appr, &ss, &last); err != nil {
		return nil, err
	}
	b.USCC, b.Scopes, b.CCCCategories, b.Status = trustmark.USCC(uscc), splitTypes(scopes), splitList(cats), trustmark.PartyStatus(status)
	var err error
	if b.ApprovedOn, err = parseDate(appr); err != nil {
		return nil, err
	}
	if b.StatusSince, err = parseDate(ss); err != nil {
		return nil, err
	}
	b.LastSubmission = fromMicros(last)
	return &b, nil
}

// Body implements trustmark.Store.
func (db *DB) Body(ctx context.Context, approvalNo string) (*trustmark.Body, error) {
	return getBody(ctx, db.reads(), db.dialect, approvalNo)
}

func getBody(ctx context.Context, q querier, d dialect, approvalNo string) (*trustmark.Body, error) {
	b, err := scanBody(q.QueryRowContext(ctx, d.rebind(`SELECT `+bodyCols+` FROM bodies b WHERE b.approval_no = ?`), approvalNo))
	if err == sql.ErrNoRows {
		return nil, notFound("approval_no", "no certification body with approval number %s", approvalNo)
	}
	if err != nil {
		return nil, internal("read body", err)
	}
	return b, nil
}

// Bodies implements trustmark.Store.
func (db *DB) Bodies(ctx context.Context, f trustmark.PartyFilter) (trustmark.Page[trustmark.Body], error) {
	var page trustmark.Page[trustmark.Body]
	cur, err := decodeCursor(f.Cursor, 1)
	if err != nil {
		return page, err
	}
	var w where
	if cur != nil {
		w.add(`b.approval_no > ?`, cur[0])
	}
	if f.Q != "" {
		w.add(`(b.name `+db.dialect.ilike+` ? ESCAPE '\' OR b.name_en `+db.dialect.ilike+` ? ESCAPE '\' OR b.approval_no = ?)`,
			"%"+likeEscape(f.Q)+"%", "%"+likeEscape(f.Q)+"%", strings.ToUpper(f.Q))
	}
	if f.Region != "" {
		w.add(`b.region_code LIKE ?`, likeEscape(trustmark.RegionPrefix(f.Region))+"%")
	}
	if f.Status != "" {
		w.add(`b.status = ?`, string(f.Status))
	}
	n := limit(f.Limit)
	return listPage(ctx, db, "bodies", `SELECT `+bodyCols+` FROM bodies b`+w.String()+fmt.Sprintf(` ORDER BY b.approval_no LIMIT %d`, n+1), w.args, n,
		scanBody,
		func(it *trustmark.Body) []string { return []string{it.ApprovalNo} })
}

func (tx *Tx) bodiesByKey(ctx context.Context, keys []string) (map[string]*trustmark.Body, error) {
	bodies, err := byKey(ctx, tx, `SELECT `+bodyCols+` FROM bodies b WHERE b.approval_no IN (%s)`, keys, scanBody)
	if err != nil {
		return nil, err
	}
	return bodies, withRefusals(ctx, tx, credit.Body, credit.Issue, bodies, func(b *trustmark.Body, err error) { b.CreditRefusal = err })
}

func sameBody(a, b *trustmark.Body) bool {
	return a.ApprovalNo == b.ApprovalNo && a.USCC == b.USCC && a.Name == b.Name && a.NameEn == b.NameEn &&
		a.RegionCode == b.RegionCode && slices.Equal(a.Scopes, b.Scopes) && slices.Equal(a.CCCCategories, b.CCCCategories) && a.CCCCode == b.CCCCode &&
		a.Status == b.Status && a.ApprovedOn == b.ApprovedOn
}

// partyStatusEvent fills in a status change's From and To.
func partyStatusEvent(ev *trustmark.Event, from, to trustmark.PartyStatus, since trustmark.Date) {
	ev.Action, ev.From, ev.To, ev.EffectiveOn = trustmark.ActionStatusChanged, string(from), string(to), since
}

func (tx *Tx) importBodies(ctx context.Context, actor trustmark.Party, items []trustmark.Record) ([]trustmark.Outcome, error) {
	recs, out := castAll[trustmark.Body](items)
	existing, err := tx.bodiesByKey(ctx, keysOf(recs))
	if err != nil {
		return nil, internal("read bodies", err)
	}
	codes, err := tx.cccCodeHolders(ctx, recs)
	if err != nil {
		return nil, internal("read CCC body codes", err)
	}
	fresh, changed, err := judgeAll(tx, actor, trustmark.EntityBody, recs, out, existing,
		func(old, in *trustmark.Body) (*trustmark.Body, *trustmark.Event, error) {
			next := *in
			if next.Status == "" {
				next.Status = trustmark.PartyActive
			}
			if err := codes.claim(old, &next); err != nil {
				return nil, nil, err
			}
			if old == nil {
				next.StatusSince = tx.today
				if next.Status == trustmark.PartyActive && !next.ApprovedOn.IsZero() && !next.ApprovedOn.After(tx.today) {
					next.StatusSince = next.ApprovedOn
				}
				return &next, &trustmark.Event{Data: mustJSON(next)}, nil
			}
			if sameBody(old, &next) {
				return old, nil, nil
			}
			next.StatusSince, next.LastSubmission = old.StatusSince, old.LastSubmission
			ev := &trustmark.Event{}
			if next.Status != old.Status {
				next.StatusSince = trustmark.ChangedStatusSince(in.StatusSince, old.StatusSince, tx.today)
				partyStatusEvent(ev, old.Status, next.Status, next.StatusSince)
			}
			ev.Data = mustJSON(next)
			return &next, ev, nil
		})
	if err != nil {
		return nil, err
	}
	row := func(b *trustmark.Body) []any {
		return []any{b.ApprovalNo, string(b.USCC), b.Name, b.NameEn, b.RegionCode, joinTypes(b.Scopes), strings.Join(b.CCCCategories, ";"), b.CCCCode,
			string(b.Status), b.ApprovedOn.String(), b.StatusSince.String(), micros(b.LastSubmission), micros(tx.now)}
	}
	return out, tx.write(ctx, "bodies", []string{"approval_no", "uscc", "name", "name_en", "region_code", "scopes", "ccc_categories", "ccc_code",
		"status", "approved_on", "status_since", "last_submission", "updated_at"}, 1, rowsOf(fresh, row), rowsOf(changed, row))
}

// cccCodes maps each CCC body code to the body that holds it: a code names
// one body, or CCC numbers could not be told apart.
type cccCodes map[string]string

// cccCodeHolders returns the holders of the CCC codes that recs name.
func (tx *Tx) cccCodeHolders(ctx context.Context, recs []*trustmark.Body) (cccCodes, error) {
	var want []string
	for _, b := range recs {
		if b != nil && b.CCCCode != "" {
			want = append(want, b.CCCCode)
		}
	}
	holders := cccCodes{}
	if len(want) == 0 {
		return holders, nil
	}
	slices.Sort(want)
	err := tx.forChunks(ctx, `SELECT ccc_code, approval_no FROM bodies WHERE ccc_code IN (%s)`, slices.Compact(want), func(rows *sql.Rows) error {
		var code, no string
		if err := rows.Scan(&code, &no); err != nil {
			return err
		}
		holders[code] = no
		return nil
	})
	return holders, err
}

// claim gives next's CCC code to next, whose stored record is old (nil
// when new), or refuses when another body holds it. Codes move in the order
// of the batch: a body may take a code that an earlier row released.
func (h cccCodes) claim(old, next *trustmark.Body) error {
	if c := next.CCCCode; c != "" {
		if holder := h[c]; holder != "" && holder != next.ApprovalNo {
			return trustmark.Errorf(trustmark.EConflict, "ccc_code", "CCC body code %s is held by certification body %s; a code names one body", c, holder)
		}
	}
	if old != nil && old.CCCCode != "" && old.CCCCode != next.CCCCode && h[old.CCCCode] == old.ApprovalNo {
		delete(h, old.CCCCode)
	}
	if next.CCCCode != "" {
		h[next.CCCCode] = next.ApprovalNo
	}
	return nil
}
