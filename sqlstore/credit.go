package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"trustmark"
	"trustmark/credit"
)

// Entities of the credit events in the public log.
const (
	EntityCreditEntry   = "credit_entry"   // an entry of an integrity archive; Key is the subject
	EntityCreditListing = "credit_listing" // a step of a serious-violation listing; Key is its id
)

// CreditArchive returns the integrity archive of s, every entry in record
// order; a subject with no entries has an empty archive.
func (db *DB) CreditArchive(ctx context.Context, s credit.Subject) (credit.Archive, error) {
	return creditArchive(ctx, db.r, db.dialect, s)
}

// RecordCreditEntry appends e to its subject's archive. The archive
// (credit.Archive.Record) decides whether it may; the entry becomes an event
// in the public log.
func (db *DB) RecordCreditEntry(ctx context.Context, e credit.Entry) error {
	return db.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		return tx.recordCreditEntry(ctx, e)
	})
}

// CreditStep runs one step of the listing procedure on listing id: step
// gets the listing as stored (found false, and the zero Listing, when there
// is none yet) and returns the new state and its event, as the credit.Rules
// methods do. The listing, the step, the archive entry the event carries
// and the public event are written in one transaction.
func (db *DB) CreditStep(ctx context.Context, id string, step func(l credit.Listing, found bool) (credit.Listing, credit.Event, error)) (credit.Listing, error) {
	return db.creditStep(ctx, id, nil, step)
}

// creditStep is CreditStep that also runs with, when not nil, in the same
// transaction after the step (the evidence files an application cites).
func (db *DB) creditStep(ctx context.Context, id string, with func(tx *Tx) error, step func(l credit.Listing, found bool) (credit.Listing, credit.Event, error)) (credit.Listing, error) {
	var out credit.Listing
	err := db.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockRegistry(ctx); err != nil {
			return err
		}
		l, version, err := tx.listing(ctx, id)
		if err != nil && !trustmark.IsNotFound(err) {
			return err
		}
		next, ev, err := step(l, version > 0)
		if err != nil {
			return err
		}
		if next.ID != id {
			return trustmark.Invalidf("credit.subject_missing", "id", "the step returned listing %q, not %q", next.ID, id)
		}
		if err := tx.saveListing(ctx, next, version); err != nil {
			return err
		}
		if err := tx.saveStep(ctx, next, ev, version+1); err != nil {
			return err
		}
		if ev.Entry != nil {
			if err := tx.recordCreditEntry(ctx, *ev.Entry); err != nil {
				return err
			}
		}
		if with != nil {
			if err := with(tx); err != nil {
				return err
			}
		}
		out = next
		return nil
	})
	return out, err
}

// CreditListing returns the listing id, or a not_found error.
func (db *DB) CreditListing(ctx context.Context, id string) (credit.Listing, error) {
	var data string
	err := db.queryRow(ctx, `SELECT data FROM credit_listings WHERE id = ?`, id).Scan(&data)
	return decodeListing(id, data, err)
}

// SeriousViolations returns the public serious-violation list on day on, in
// id order after the cursor after (the last id of the previous page), at
// most limit items, and the cursor of the next page ("" at the end).
// credit.Public decides what of each listing is shown.
func (db *DB) SeriousViolations(ctx context.Context, on trustmark.Date, after string, limit int) ([]credit.PublicListing, string, error) {
	day := on.String()
	rows, err := db.query(ctx, `SELECT id, data FROM credit_listings
		WHERE id > ? AND listed_on <> '' AND listed_on <= ? AND until_on >= ? AND (removed_on = '' OR removed_on > ?)
		ORDER BY id LIMIT ?`, after, day, day, day, limit+1)
	if err != nil {
		return nil, "", internal("serious violations", err)
	}
	defer rows.Close()
	items := []credit.PublicListing{}
	var last, next string
	for rows.Next() {
		var id, data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, "", internal("serious violations", err)
		}
		if len(items) == limit {
			next = last
			break
		}
		l, err := decodeListing(id, data, nil)
		if err != nil {
			return nil, "", err
		}
		if p, ok := credit.Public(l, on); ok {
			items = append(items, p)
		}
		last = id
	}
	if err := rows.Err(); err != nil {
		return nil, "", internal("serious violations", err)
	}
	return items, next, nil
}

func decodeListing(id, data string, err error) (credit.Listing, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return credit.Listing{}, notFound("id", "no listing %s", id)
	}
	if err != nil {
		return credit.Listing{}, internal("listing", err)
	}
	var l credit.Listing
	if err := json.Unmarshal([]byte(data), &l); err != nil {
		return credit.Listing{}, internal("decode listing "+id, err)
	}
	return l, nil
}

// listing returns the stored listing and its version, 0 when there is none.
func (tx *Tx) listing(ctx context.Context, id string) (credit.Listing, int64, error) {
	var data string
	var version int64
	err := tx.QueryRow(ctx, `SELECT data, version FROM credit_listings WHERE id = ?`, id).Scan(&data, &version)
	l, err := decodeListing(id, data, err)
	return l, version, err
}

func (tx *Tx) saveListing(ctx context.Context, l credit.Listing, version int64) error {
	data := string(mustJSON(l))
	var err error
	if version == 0 {
		_, err = tx.Exec(ctx, `INSERT INTO credit_listings (id, subject_kind, subject_id, region, state, listed_on, until_on, removed_on, version, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`, l.ID, string(l.Subject.Kind), l.Subject.ID, l.Region, string(l.State),
			l.ListedOn.String(), l.Until.String(), l.RemovedOn.String(), data)
	} else {
		var res sql.Result
		res, err = tx.Exec(ctx, `UPDATE credit_listings SET state = ?, listed_on = ?, until_on = ?, removed_on = ?, version = ?, data = ?
			WHERE id = ? AND version = ?`, string(l.State), l.ListedOn.String(), l.Until.String(), l.RemovedOn.String(), version+1, data, l.ID, version)
		if err == nil {
			if n, _ := res.RowsAffected(); n != 1 {
				return trustmark.Errorf(trustmark.EConflict, "id", "listing %s changed meanwhile; try again", l.ID)
			}
		}
	}
	return internal("save listing", err)
}

// saveStep stores the step as row n and records it in the public log. The
// event's data is the listing's public view (credit.Public) while it is on
// the list, else its procedural state without statements: a party's
// objection and repair statements are committed to by hash only.
func (tx *Tx) saveStep(ctx context.Context, l credit.Listing, ev credit.Event, n int64) error {
	if _, err := tx.Exec(ctx, `INSERT INTO credit_listing_steps (listing_id, n, action, from_state, to_state, on_day, at, actor, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, n, string(ev.Action), string(ev.From), string(ev.To), ev.On.String(),
		ev.At.UnixMicro(), ev.Actor, ev.Reason); err != nil {
		return internal("save listing step", err)
	}
	e := trustmark.Event{Actor: ev.Actor, Entity: EntityCreditListing, Key: l.ID, Action: string(ev.Action),
		From: string(ev.From), To: string(ev.To), Reason: ev.Reason, EffectiveOn: ev.On, Data: mustJSON(publicStep(l))}
	personal := map[string]string{}
	if l.Objection != "" {
		personal["objection"] = l.Objection
	}
	for i, r := range l.Repairs {
		personal[fmt.Sprintf("repair%d", i+1)] = r.Statement
	}
	if len(personal) > 0 {
		e.Personal = personal
	}
	tx.Record(e)
	return nil
}

// stepState is what the public log shows of a listing after a step.
type stepState struct {
	ID          string                `json:"id"`
	SubjectKind credit.SubjectKind    `json:"subject_kind"`
	SubjectID   string                `json:"subject_id"`
	Region      string                `json:"region"`
	State       credit.State          `json:"state"`
	Public      *credit.PublicListing `json:"public,omitempty"`
	RemovedOn   trustmark.Date        `json:"removed_on,omitempty"`
}

func publicStep(l credit.Listing) stepState {
	s := stepState{ID: l.ID, SubjectKind: l.Subject.Kind, SubjectID: l.Subject.ID, Region: l.Region, State: l.State, RemovedOn: l.RemovedOn}
	if p, ok := credit.Public(l, l.ListedOn); ok {
		s.Public = &p
	}
	return s
}

func (tx *Tx) recordCreditEntry(ctx context.Context, e credit.Entry) error {
	a, err := creditArchive(ctx, tx.tx, tx.db.dialect, e.Subject)
	if err != nil {
		return err
	}
	if _, err := a.Record(e); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO credit_entries (subject_kind, subject_id, pos, id, kind, valid_from, valid_until, recorded_at, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, string(e.Subject.Kind), e.Subject.ID, len(a.Entries)+1, e.ID, string(e.Kind),
		e.ValidFrom.String(), e.ValidUntil.String(), e.RecordedAt.UnixMicro(), string(mustJSON(e))); err != nil {
		return internal("record credit entry", err)
	}
	ev := trustmark.Event{Actor: e.RecordedBy, Entity: EntityCreditEntry, Key: e.Subject.String(), Action: string(e.Kind),
		EffectiveOn: e.ValidFrom, Data: mustJSON(e)}
	if e.Subject.Kind == credit.Person {
		// A person's entry may describe them; the log commits to its summary by hash.
		pub := e
		pub.Summary = ""
		ev.Data, ev.Personal = mustJSON(pub), map[string]string{"summary": e.Summary}
	}
	tx.Record(ev)
	return nil
}

// queryer is what both the reader pool and a transaction can read with.
type queryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func creditArchive(ctx context.Context, q queryer, d dialect, s credit.Subject) (credit.Archive, error) {
	a := credit.Archive{Subject: s}
	rows, err := q.QueryContext(ctx, d.rebind(`SELECT data FROM credit_entries WHERE subject_kind = ? AND subject_id = ? ORDER BY pos`),
		string(s.Kind), s.ID)
	if err != nil {
		return a, internal("credit archive", err)
	}
	defer rows.Close()
	for rows.Next() {
		var data string
		var e credit.Entry
		if err := rows.Scan(&data); err != nil {
			return a, internal("credit archive", err)
		}
		if err := json.Unmarshal([]byte(data), &e); err != nil {
			return a, internal("decode credit entry", err)
		}
		a.Entries = append(a.Entries, e)
	}
	return a, internal("credit archive", rows.Err())
}

// creditRefusals asks credit.Standing whether each subject of kind among
// ids may do act today, and returns the refusal (an error naming the
// decision that causes it) of those that may not. Only subjects with
// entries are read, in one query per chunk, so that a bulk import pays
// little for the check.
func (tx *Tx) creditRefusals(ctx context.Context, kind credit.SubjectKind, ids []string, act credit.Act) (map[string]error, error) {
	archives, err := tx.creditArchives(ctx, kind, ids)
	if err != nil {
		return nil, err
	}
	refused := map[string]error{}
	for id, a := range archives {
		if err := credit.Standing(a, act, tx.today).Err(); err != nil {
			refused[id] = err
		}
	}
	return refused, nil
}

// withRefusals sets, through set, the credit refusal of act of every
// record in m (keyed by the subject's id), so that the domain's rules
// (Policy.CheckIssuer, DecideReportImport) can weigh the standing.
func withRefusals[T any](ctx context.Context, tx *Tx, kind credit.SubjectKind, act credit.Act, m map[string]*T, set func(*T, error)) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	refused, err := tx.creditRefusals(ctx, kind, keys, act)
	if err != nil {
		return err
	}
	for k, err := range refused {
		if r := m[k]; r != nil {
			set(r, err)
		}
	}
	return nil
}

// withBodyRefusal sets b's credit refusal of issuing (b may be nil).
func (tx *Tx) withBodyRefusal(ctx context.Context, b *trustmark.Body) error {
	if b == nil {
		return nil
	}
	return withRefusals(ctx, tx, credit.Body, credit.Issue, map[string]*trustmark.Body{b.ApprovalNo: b}, func(b *trustmark.Body, err error) { b.CreditRefusal = err })
}
