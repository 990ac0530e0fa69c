package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"trustmark"
)

// Watchlists and webhook deliveries (trustmark.WatchStore), tables of
// migration 003_notify. None of this is registry state: nothing here records
// an event. The notifier's cursor is a feed cursor (feed.go).

var _ trustmark.WatchStore = (*DB)(nil)

// watchItemChunk is how many items go into one INSERT (3 values each).
const watchItemChunk = 300

// CreateWatch implements trustmark.WatchStore.
func (db *DB) CreateWatch(ctx context.Context, w *trustmark.Watch) error {
	return db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO watches (id, owner, url, secret, created_at) VALUES (?, ?, ?, ?, ?)`,
			w.ID, w.Owner, w.URL, w.Secret, micros(w.CreatedAt)); err != nil {
			return internal("insert watch", err)
		}
		return insertWatchItems(ctx, tx, w.ID, w.Items)
	})
}

func insertWatchItems(ctx context.Context, tx *Tx, id string, items []trustmark.WatchItem) error {
	for len(items) > 0 {
		k := min(len(items), watchItemChunk)
		args := make([]any, 0, 3*k)
		for _, it := range items[:k] {
			args = append(args, id, string(it.Kind), it.Key)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO watch_items (watch_id, kind, key) VALUES `+rowsPlaceholders(k, 3)+
			` ON CONFLICT (watch_id, kind, key) DO NOTHING`, args...); err != nil {
			return internal("insert watch items", err)
		}
		items = items[k:]
	}
	return nil
}

// UpdateWatchItems implements trustmark.WatchStore.
func (db *DB) UpdateWatchItems(ctx context.Context, id string, add, remove []trustmark.WatchItem) (int, error) {
	var n int
	err := db.Transact(ctx, func(tx *Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM watches WHERE id = ?`, id).Scan(&one); err == sql.ErrNoRows {
			return notFound("id", "no watch with id %q", id)
		} else if err != nil {
			return internal("read watch", err)
		}
		for _, it := range remove {
			if _, err := tx.Exec(ctx, `DELETE FROM watch_items WHERE watch_id = ? AND kind = ? AND key = ?`, id, string(it.Kind), it.Key); err != nil {
				return internal("delete watch item", err)
			}
		}
		if err := insertWatchItems(ctx, tx, id, add); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM watch_items WHERE watch_id = ?`, id).Scan(&n); err != nil {
			return internal("count watch items", err)
		}
		if n > trustmark.MaxWatchItems {
			return trustmark.Errorf(trustmark.ETooLarge, "add", "the watch would hold %d items; at most %d", n, trustmark.MaxWatchItems)
		}
		return nil
	})
	return n, err
}

// Watch implements trustmark.WatchStore.
func (db *DB) Watch(ctx context.Context, id string) (*trustmark.Watch, error) {
	var (
		w       trustmark.Watch
		created int64
	)
	err := db.queryRow(ctx, `SELECT id, owner, url, created_at FROM watches WHERE id = ?`, id).Scan(&w.ID, &w.Owner, &w.URL, &created)
	if err == sql.ErrNoRows {
		return nil, notFound("id", "no watch with id %q", id)
	}
	if err != nil {
		return nil, internal("read watch", err)
	}
	w.CreatedAt = fromMicros(created)
	rows, err := db.query(ctx, `SELECT kind, key FROM watch_items WHERE watch_id = ? ORDER BY kind, key`, id)
	if err != nil {
		return nil, internal("read watch items", err)
	}
	defer rows.Close()
	w.Items = []trustmark.WatchItem{}
	for rows.Next() {
		var it trustmark.WatchItem
		var kind string
		if err := rows.Scan(&kind, &it.Key); err != nil {
			return nil, internal("scan watch item", err)
		}
		it.Kind = trustmark.WatchKind(kind)
		w.Items = append(w.Items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read watch items", err)
	}
	return &w, nil
}

// Watches implements trustmark.WatchStore.
func (db *DB) Watches(ctx context.Context, owner string) ([]*trustmark.Watch, error) {
	rows, err := db.query(ctx, `SELECT id, owner, url, created_at FROM watches WHERE owner = ? ORDER BY created_at, id`, owner)
	if err != nil {
		return nil, internal("list watches", err)
	}
	defer rows.Close()
	out := []*trustmark.Watch{}
	for rows.Next() {
		var (
			w       trustmark.Watch
			created int64
		)
		if err := rows.Scan(&w.ID, &w.Owner, &w.URL, &created); err != nil {
			return nil, internal("scan watch", err)
		}
		w.CreatedAt = fromMicros(created)
		out = append(out, &w)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("list watches", err)
	}
	return out, nil
}

// DeleteWatch implements trustmark.WatchStore.
func (db *DB) DeleteWatch(ctx context.Context, id string) error {
	return db.Transact(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM watches WHERE id = ?`, id)
		if err != nil {
			return internal("delete watch", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return internal("delete watch", err)
		} else if n == 0 {
			return notFound("id", "no watch with id %q", id)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM watch_items WHERE watch_id = ?`, id); err != nil {
			return internal("delete watch items", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM webhook_deliveries WHERE watch_id = ?`, id); err != nil {
			return internal("delete deliveries", err)
		}
		return nil
	})
}

// MatchWatches implements trustmark.WatchStore.
func (db *DB) MatchWatches(ctx context.Context, items []trustmark.WatchItem) (map[trustmark.WatchItem][]*trustmark.Watch, error) {
	args := make([]any, len(items))
	for i, it := range items {
		args[i] = [2]string{string(it.Kind), it.Key}
	}
	out := map[trustmark.WatchItem][]*trustmark.Watch{}
	err := db.queryIn(ctx, "match watches", `SELECT i.kind, i.key, w.id, w.created_at FROM watch_items i JOIN watches w ON w.id = i.watch_id
		WHERE (i.kind, i.key) IN (%s) ORDER BY w.id`, 2, args, nil, func(rows *sql.Rows) error {
		var (
			kind, key, id string
			created       int64
		)
		if err := rows.Scan(&kind, &key, &id, &created); err != nil {
			return err
		}
		it := trustmark.WatchItem{Kind: trustmark.WatchKind(kind), Key: key}
		out[it] = append(out[it], &trustmark.Watch{ID: id, CreatedAt: fromMicros(created)})
		return nil
	})
	return out, err
}

// EnqueueDeliveries implements trustmark.WatchStore. Called by the
// notifier's feed handler, it writes in the transaction that moves the
// notifier's cursor (followerTransact).
func (db *DB) EnqueueDeliveries(ctx context.Context, ds []*trustmark.Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	return db.followerTransact(ctx, func(tx *Tx) error {
		for _, d := range ds {
			if _, err := tx.Exec(ctx, `INSERT INTO webhook_deliveries (watch_id, event_seq, payload, state, attempts, next_attempt_at, created_at)
				VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (watch_id, event_seq) DO NOTHING`,
				d.WatchID, d.EventSeq, string(d.Payload), trustmark.DeliveryPending, micros(d.NextAttemptAt), micros(d.CreatedAt)); err != nil {
				return internal("insert delivery", err)
			}
		}
		return nil
	})
}

const deliveryCols = `d.id, d.watch_id, d.event_seq, d.payload, d.state, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.created_at, d.delivered_at`

func scanDelivery(s interface{ Scan(...any) error }, extra ...any) (*trustmark.Delivery, error) {
	var (
		d                        trustmark.Delivery
		payload                  string
		next, created, delivered int64
	)
	dest := append([]any{&d.ID, &d.WatchID, &d.EventSeq, &payload, &d.State, &d.Attempts, &next, &d.LastStatus, &d.LastError, &created, &delivered}, extra...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	d.Payload = []byte(payload)
	d.NextAttemptAt, d.CreatedAt, d.DeliveredAt = fromMicros(next), fromMicros(created), fromMicros(delivered)
	return &d, nil
}

// DueDeliveries implements trustmark.WatchStore.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]*trustmark.Delivery, error) {
	rows, err := db.query(ctx, `SELECT `+deliveryCols+`, w.url, w.secret FROM webhook_deliveries d JOIN watches w ON w.id = d.watch_id
		WHERE d.state = ? AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?`, trustmark.DeliveryPending, micros(now), limit)
	if err != nil {
		return nil, internal("list due deliveries", err)
	}
	defer rows.Close()
	var out []*trustmark.Delivery
	for rows.Next() {
		var url, secret string
		d, err := scanDelivery(rows, &url, &secret)
		if err != nil {
			return nil, internal("scan delivery", err)
		}
		d.URL, d.Secret = url, secret
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("list due deliveries", err)
	}
	return out, nil
}

// UpdateDelivery implements trustmark.WatchStore.
func (db *DB) UpdateDelivery(ctx context.Context, d *trustmark.Delivery) error {
	return db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?, last_status = ?, last_error = ?, delivered_at = ?
			WHERE id = ?`, d.State, d.Attempts, micros(d.NextAttemptAt), d.LastStatus, d.LastError, micros(d.DeliveredAt), d.ID); err != nil {
			return internal("update delivery", err)
		}
		return nil
	})
}

// Deliveries implements trustmark.WatchStore.
func (db *DB) Deliveries(ctx context.Context, watchID string, limit int) ([]*trustmark.Delivery, error) {
	rows, err := db.query(ctx, `SELECT `+deliveryCols+` FROM webhook_deliveries d WHERE d.watch_id = ? ORDER BY d.id DESC LIMIT ?`, watchID, limit)
	if err != nil {
		return nil, internal("list deliveries", err)
	}
	defer rows.Close()
	out := []*trustmark.Delivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, internal("scan delivery", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("list deliveries", err)
	}
	return out, nil
}
