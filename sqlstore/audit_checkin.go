package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"trustmark"
	"trustmark/audit"
)

// audit.MaxPhotoBytes bounds one check-in photo: a phone's photo resized for
// upload is a few hundred kilobytes.

// CheckIn decides and stores a check-in to an audit: the server's clock is
// the time of record; photos are stored once by content hash; the device
// is kept only as a hash. It evaluates every anomaly rule on the audit's
// earlier check-ins, the person's history, the photos and the device, and
// opens a matter for each anomaly. A request key seen before for the same
// person returns the check-in already made.
//
// Concurrent check-ins are committed together (group commit, see
// checkInQueue): the caller waits for the transaction that holds its
// check-in, as it would for its own.
func (db *DB) CheckIn(ctx context.Context, auditID, requestKey string, req audit.CheckInRequest, photos [][]byte) (audit.CheckInResult, error) {
	it, err := prepareCheckIn(audit.CheckInItem{Audit: auditID, RequestKey: requestKey, Request: req, Photos: photos})
	if err != nil {
		return audit.CheckInResult{}, err
	}
	return db.enqueueCheckIn(ctx, it)
}

// CheckInAlone is CheckIn in a transaction of its own, committed before it
// returns without waiting for any other check-in: for tools that store one
// check-in at a time, and to measure what the group commit saves.
func (db *DB) CheckInAlone(ctx context.Context, auditID, requestKey string, req audit.CheckInRequest, photos [][]byte) (audit.CheckInResult, error) {
	it, err := prepareCheckIn(audit.CheckInItem{Audit: auditID, RequestKey: requestKey, Request: req, Photos: photos})
	if err != nil {
		return audit.CheckInResult{}, err
	}
	res, errs, err := db.checkInTx(ctx, []audit.CheckInItem{it})
	if err != nil {
		return audit.CheckInResult{}, err
	}
	return res[0], errs[0]
}

// CheckInBatch stores check-ins that arrived together in one transaction,
// each decided and evaluated as CheckIn does it, in order, so that later
// ones see earlier ones: one commit for many phones (group commit). A
// check-in refused by a rule leaves nothing behind and does not stop the
// others; its error is in errs at its place.
func (db *DB) CheckInBatch(ctx context.Context, items []audit.CheckInItem) (res []audit.CheckInResult, errs []error, err error) {
	for i := range items {
		items[i].At = time.Time{} // the server's clock is the time of record
		if items[i], err = prepareCheckIn(items[i]); err != nil {
			return nil, nil, err
		}
	}
	return db.checkInTx(ctx, items)
}

// checkInTx stores prepared check-ins in one transaction, in order. res
// and errs always have one place per item; err is set when the
// transaction failed as a whole.
func (db *DB) checkInTx(ctx context.Context, items []audit.CheckInItem) (res []audit.CheckInResult, errs []error, err error) {
	err = db.Transact(ctx, func(tx *Tx) error {
		var err error
		res, errs, err = tx.checkInGroup(ctx, items)
		return err
	})
	if err != nil {
		res, errs = make([]audit.CheckInResult, len(items)), make([]error, len(items))
	}
	return res, errs, err
}

// groupItem is one check-in of a group, decided (or refused, err).
type groupItem struct {
	i      int
	a      *audit.Audit
	person string
	key    string
	retry  bool // the client's request key, which may repeat
	c      audit.CheckIn
	err    error
	photos [][]byte
}

// checkInGroup decides, evaluates and stores a group of check-ins in
// order, each as if stored on its own after the ones before it: the
// audits, the stored request keys and the rules' context for the whole
// group are read first, in a few statements (loadBatch); audit.Batch
// then gives each check-in its context with the group's earlier ones
// counted, and the rows are written at the end with multi-row inserts.
// Nothing is written before every check-in is evaluated, so the reads
// see only what was stored before the group.
func (tx *Tx) checkInGroup(ctx context.Context, items []audit.CheckInItem) ([]audit.CheckInResult, []error, error) {
	res, errs := make([]audit.CheckInResult, len(items)), make([]error, len(items))
	var ids keySet[string]
	for _, it := range items {
		ids.add(it.Audit)
	}
	audits, err := tx.auditsByID(ctx, ids.list)
	if err != nil {
		return nil, nil, err
	}
	rules := auditRules()
	var group, decided []groupItem
	for i, it := range items {
		a := audits[it.Audit]
		if a == nil {
			errs[i] = notFound("id", "no audit %s", it.Audit)
			continue
		}
		g := groupItem{i: i, a: a, person: it.Request.Person, key: it.RequestKey, retry: it.RequestKey != "", photos: it.Photos}
		if !g.retry {
			g.key = tx.db.ids.next("K", tx.Now())
		}
		req := it.Request
		req.ID = tx.db.ids.next("C", tx.Now())
		if g.c, g.err = rules.DecideCheckIn(a, req, checkInAt(tx, it)); g.err == nil {
			decided = append(decided, g)
		}
		group = append(group, g)
	}
	stored, err := tx.checkInsByKey(ctx, group)
	if err != nil {
		return nil, nil, err
	}
	b := audit.NewBatch(rules, maxNearPhotos, maxDeviceUses)
	if err := tx.loadBatch(ctx, b, audits, decided); err != nil {
		return nil, nil, err
	}
	var w checkInRows
	made := map[personKey]int{} // the group's check-ins by request key
	for _, g := range group {
		k := personKey{g.person, g.key}
		if j, ok := made[k]; g.retry && ok {
			res[g.i], errs[g.i] = replayOf(res[j].CheckIn, res[j].Anomalies, g.a.ID, g.key)
			continue
		}
		if c, ok := stored[k]; g.retry && ok {
			if res[g.i], errs[g.i] = tx.replay(ctx, g.a.ID, g.key, c); errs[g.i] != nil && !trustmark.IsClientError(errs[g.i]) {
				return nil, nil, errs[g.i]
			}
			continue
		}
		if g.err != nil {
			errs[g.i] = g.err
			continue
		}
		earlier, cx := b.Context(g.a, g.c)
		anomalies := rules.EvaluateCheckIn(g.a, earlier, g.c, cx)
		if err := w.add(tx, g.c, g.a.SiteOf(g.c), g.key, g.photos, b.PhotoKnown); err != nil {
			return nil, nil, err
		}
		b.Add(g.a, g.c)
		if err := tx.raise(ctx, anomalies); err != nil {
			// Never a refusal that would leave a group half written.
			return nil, nil, &trustmark.Error{Code: trustmark.EInternal, Message: "internal error", Err: err}
		}
		res[g.i], made[k] = audit.CheckInResult{CheckIn: g.c, Anomalies: anomalies}, g.i
	}
	return res, errs, w.write(ctx, tx)
}

// prepareCheckIn bounds a check-in's request key and photos, hashes the
// photos by content and by perception (decoding them, within
// audit.MaxPhotoPixels) and the device id, before any transaction: in the
// caller's goroutine, not in the one that commits.
func prepareCheckIn(it audit.CheckInItem) (audit.CheckInItem, error) {
	if err := audit.CheckRequestKey(it.RequestKey); err != nil {
		return it, err
	}
	req := &it.Request
	req.Photos = req.Photos[:0:0]
	for i, p := range it.Photos {
		if len(p) > audit.MaxPhotoBytes {
			return it, trustmark.Reasonf(trustmark.ETooLarge, "audit.photo_size", "photos", "photo %d has %d bytes; at most %d", i+1, len(p), audit.MaxPhotoBytes)
		}
		h := sha256.Sum256(p)
		ph, _, err := audit.PhotoHash(p)
		if err != nil {
			return it, err
		}
		req.Photos = append(req.Photos, audit.Photo{SHA256: hex.EncodeToString(h[:]), PHash: ph})
	}
	if req.Device != "" {
		h := sha256.Sum256([]byte(req.Device))
		req.Device = hex.EncodeToString(h[:16])
	}
	return it, nil
}

// replay returns stored check-in c, which a person made with request key
// key, as the answer to a request repeating it.
func (tx *Tx) replay(ctx context.Context, auditID, key string, c audit.CheckIn) (audit.CheckInResult, error) {
	recs, err := auditAnomalies(ctx, tx.tx, tx.db.dialect, c.Audit)
	if err != nil {
		return audit.CheckInResult{}, err
	}
	var anomalies []audit.Anomaly
	for _, r := range recs {
		if strings.Contains(r.Key, c.ID) {
			anomalies = append(anomalies, r.Anomaly)
		}
	}
	return replayOf(c, anomalies, auditID, key)
}

// replayOf answers a request repeating check-in c with request key key:
// c and its anomalies, or a conflict when the request is to another audit.
func replayOf(c audit.CheckIn, anomalies []audit.Anomaly, auditID, key string) (audit.CheckInResult, error) {
	if c.Audit != auditID {
		return audit.CheckInResult{}, trustmark.Errorf(trustmark.EConflict, "request_id", "request id %s was used for a check-in to another audit", key)
	}
	return audit.CheckInResult{CheckIn: c, Anomalies: anomalies, Replayed: true}, nil
}

const checkInCols = `id, audit_id, person, kind, at, device_time, lat, lng, datum, wgs_lat, wgs_lng, accuracy_m, device_hash, photos`

// checkIns reads the check-ins a WHERE clause selects.
func (tx *Tx) checkIns(ctx context.Context, where string, args ...any) ([]audit.CheckIn, error) {
	rows, err := tx.queryPrepared(ctx, `SELECT `+checkInCols+` FROM checkins `+where, args...)
	return scanCheckIns(rows, err)
}

func scanCheckIns(rows *sql.Rows, err error) ([]audit.CheckIn, error) {
	if err != nil {
		return nil, internal("read check-ins", err)
	}
	defer rows.Close()
	var out []audit.CheckIn
	for rows.Next() {
		c, err := scanCheckIn(rows)
		if err != nil {
			return nil, internal("scan check-in", err)
		}
		out = append(out, c)
	}
	return out, internal("read check-ins", rows.Err())
}

// scanCheckIn reads a row of checkInCols, then extra.
func scanCheckIn(rows *sql.Rows, extra ...any) (audit.CheckIn, error) {
	var c audit.CheckIn
	var kind, datum, photos string
	var at, dt int64
	dest := append([]any{&c.ID, &c.Audit, &c.Person, &kind, &at, &dt, &c.Lat, &c.Lng, &datum,
		&c.Position.Lat, &c.Position.Lng, &c.AccuracyM, &c.Device, &photos}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return c, err
	}
	c.Kind, c.Datum, c.At = audit.CheckKind(kind), audit.Datum(datum), fromMicros(at)
	if dt != 0 {
		c.DeviceTime = fromMicros(dt)
	}
	for _, h := range splitPhotos(photos) {
		c.Photos = append(c.Photos, audit.Photo{SHA256: h})
	}
	return c, nil
}

// joinPhotos and splitPhotos keep a check-in's photo hashes, in the order
// they were sent, in one column, separated as every list column is
// (splitList: ";"). splitPhotos also reads rows stored with ",", which
// earlier versions wrote: a hash is hex and never holds either.
func joinPhotos(hashes []string) string { return strings.Join(hashes, ";") }

func splitPhotos(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' })
}

// AuditCheckIns returns the check-ins of an audit, first to last.
func (db *DB) AuditCheckIns(ctx context.Context, auditID string) ([]audit.CheckIn, error) {
	rows, err := db.query(ctx, `SELECT `+checkInCols+` FROM checkins WHERE audit_id = ? ORDER BY at, id`, auditID)
	return scanCheckIns(rows, err)
}

// recordCheckIn records check-in c's event, of an audit at site (the
// nearest of its sites, audit.Audit.SiteOf). The public log says how far
// from the site, not where: the position, its
// accuracy, the device time and the device are committed to only by
// salted hash (Event.Personal).
func (tx *Tx) recordCheckIn(c audit.CheckIn, site audit.Point) error {
	data, err := json.Marshal(c.Public(site))
	if err != nil {
		return internal("encode check-in", err)
	}
	tx.Record(trustmark.Event{Actor: "person:" + c.Person, Entity: EntityCheckIn, Key: c.ID, Action: string(c.Kind), Data: data,
		Personal: c.Personal()})
	return nil
}

// execPrepared and queryPrepared run a statement prepared once per
// transaction: a batch of check-ins runs the same few statements hundreds
// of times.
func (tx *Tx) execPrepared(ctx context.Context, q string, args ...any) (sql.Result, error) {
	s, err := tx.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (tx *Tx) queryPrepared(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s, err := tx.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}
