package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
		res, errs = make([]audit.CheckInResult, len(items)), make([]error, len(items))
		sc := &checkInScope{audits: map[string]*audit.Audit{}}
		for i, it := range items {
			res[i], errs[i] = tx.checkIn(ctx, sc, it)
			if errs[i] != nil && !isClientError(errs[i]) {
				return errs[i]
			}
		}
		return nil
	})
	if err != nil {
		res, errs = make([]audit.CheckInResult, len(items)), make([]error, len(items))
	}
	return res, errs, err
}

// checkInScope is what the check-ins of one transaction share: each audit
// they are made to, read and decoded once (a check-in never changes its
// audit).
type checkInScope struct {
	audits map[string]*audit.Audit
}

// audit returns the audit of id, from the scope or the database.
func (tx *Tx) scopedAudit(ctx context.Context, sc *checkInScope, id string) (*audit.Audit, error) {
	if a, ok := sc.audits[id]; ok {
		return a, nil
	}
	rows, err := tx.queryPrepared(ctx, `SELECT doc FROM audits WHERE id = ?`, id)
	if err != nil {
		return nil, internal("read audits", err)
	}
	as, err := scanAudits(rows)
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, notFound("id", "no audit %s", id)
	}
	sc.audits[id] = &as[0]
	return &as[0], nil
}

// isClientError reports whether err is a refusal a client caused, which
// a rule decided before anything was written.
func isClientError(err error) bool {
	code := trustmark.ErrorCode(err)
	return code != "" && code != trustmark.EInternal && code != trustmark.EUnavailable
}

// prepareCheckIn bounds a check-in's request key and photos, hashes the
// photos by content and by perception (decoding them, within
// audit.MaxPhotoPixels) and the device id, before any transaction: in the
// caller's goroutine, not in the one that commits.
func prepareCheckIn(it audit.CheckInItem) (audit.CheckInItem, error) {
	if len(it.RequestKey) > 128 {
		return it, trustmark.Invalidf("audit.request_key", "request_id", "a request id has at most 128 characters")
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

func (tx *Tx) checkIn(ctx context.Context, sc *checkInScope, it audit.CheckInItem) (audit.CheckInResult, error) {
	auditID, requestKey, req, photos := it.Audit, it.RequestKey, it.Request, it.Photos
	now := tx.Now()
	if !it.At.IsZero() {
		now = it.At.UTC().Truncate(time.Microsecond)
	}
	retry := requestKey != ""
	if !retry {
		requestKey = newID("K")
	}
	a, err := tx.scopedAudit(ctx, sc, auditID)
	if err != nil {
		return audit.CheckInResult{}, err
	}
	req.ID = newID("C")
	rules := auditRules()
	c, err := rules.DecideCheckIn(a, req, now)
	if err != nil {
		if retry { // a retry of a check-in made before the team changed
			if prev, ok, e := tx.replay(ctx, auditID, req.Person, requestKey); ok || e != nil {
				return prev, e
			}
		}
		return audit.CheckInResult{}, err
	}
	var earlier []audit.CheckIn
	if c.Kind == audit.Close { // only the on-site rule looks at the audit's other check-ins
		if earlier, err = tx.checkIns(ctx, `WHERE audit_id = ? ORDER BY at, id`, a.ID); err != nil {
			return audit.CheckInResult{}, err
		}
	}
	cx, err := tx.ruleContext(ctx, rules, a, c)
	if err != nil {
		return audit.CheckInResult{}, err
	}
	anomalies := rules.EvaluateCheckIn(a, earlier, c, cx)
	// A request key seen before is found by the insert itself, which
	// stores nothing then: no query for it on the common path.
	stored, err := tx.insertCheckIn(ctx, c, a.Plan.Site.WGS84, requestKey, photos)
	if err != nil {
		return audit.CheckInResult{}, err
	}
	if !stored {
		prev, ok, err := tx.replay(ctx, auditID, req.Person, requestKey)
		if !ok && err == nil {
			err = internal("replay check-in", fmt.Errorf("request key %s of %s taken but not found", requestKey, req.Person))
		}
		return prev, err
	}
	if err := tx.raise(ctx, anomalies); err != nil {
		// After the insert: never a refusal that would leave a batch half written.
		return audit.CheckInResult{}, &trustmark.Error{Code: trustmark.EInternal, Message: "internal error", Err: err}
	}
	return audit.CheckInResult{CheckIn: c, Anomalies: anomalies}, nil
}

// replay returns the check-in a person already made with a request key.
func (tx *Tx) replay(ctx context.Context, auditID, person, key string) (audit.CheckInResult, bool, error) {
	cs, err := tx.checkIns(ctx, `WHERE person = ? AND request_key = ?`, person, key)
	if err != nil || len(cs) == 0 {
		return audit.CheckInResult{}, false, err
	}
	c := cs[0]
	if c.Audit != auditID {
		return audit.CheckInResult{}, true, trustmark.Errorf(trustmark.EConflict, "request_id", "request id %s was used for a check-in to another audit", key)
	}
	res := audit.CheckInResult{CheckIn: c, Replayed: true}
	recs, err := tx.db.AuditAnomalies(ctx, auditID)
	for _, r := range recs {
		if strings.Contains(r.Key, c.ID) {
			res.Anomalies = append(res.Anomalies, r.Anomaly)
		}
	}
	return res, true, err
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
		var c audit.CheckIn
		var kind, datum, photos string
		var at, dt int64
		if err := rows.Scan(&c.ID, &c.Audit, &c.Person, &kind, &at, &dt, &c.Lat, &c.Lng, &datum,
			&c.Position.Lat, &c.Position.Lng, &c.AccuracyM, &c.Device, &photos); err != nil {
			return nil, internal("scan check-in", err)
		}
		c.Kind, c.Datum, c.At = audit.CheckKind(kind), audit.Datum(datum), fromMicros(at)
		if dt != 0 {
			c.DeviceTime = fromMicros(dt)
		}
		for _, h := range splitPhotos(photos) {
			c.Photos = append(c.Photos, audit.Photo{SHA256: h})
		}
		out = append(out, c)
	}
	return out, internal("read check-ins", rows.Err())
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

// insertCheckIn stores a check-in, its photos (once per content) and its
// event. The event commits to the position, the device time and the
// device only by salted hash and to the photos by their content hashes.
func (tx *Tx) insertCheckIn(ctx context.Context, c audit.CheckIn, site audit.Point, key string, photos [][]byte) (stored bool, err error) {
	hashes := make([]string, len(c.Photos))
	for i, p := range c.Photos {
		hashes[i] = p.SHA256
	}
	var dt int64
	if !c.DeviceTime.IsZero() {
		dt = micros(c.DeviceTime)
	}
	res, err := tx.execPrepared(ctx, `INSERT INTO checkins (`+checkInCols+`, request_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (person, request_key) DO NOTHING`,
		c.ID, c.Audit, c.Person, string(c.Kind), micros(c.At), dt, c.Lat, c.Lng, string(c.Datum),
		c.Position.Lat, c.Position.Lng, c.AccuracyM, c.Device, joinPhotos(hashes), key)
	if err != nil {
		return false, internal("insert check-in", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, internal("insert check-in", err)
	}
	for i, p := range photos {
		ph := c.Photos[i].PHash
		res, err = tx.execPrepared(ctx, `INSERT INTO photos (sha256, size, phash, data) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`, hashes[i], len(p), int64(ph), p)
		if err != nil {
			return false, internal("insert photo", err)
		}
		if n, _ := res.RowsAffected(); n > 0 && ph != 0 {
			for band := range photoBands {
				if _, err := tx.execPrepared(ctx, `INSERT INTO photo_bands (band, bits, sha256) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, band, bandBits(ph, band), hashes[i]); err != nil {
					return false, internal("insert photo band", err)
				}
			}
		}
		if _, err := tx.execPrepared(ctx, `INSERT INTO photo_uses (sha256, checkin_id, audit_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, hashes[i], c.ID, c.Audit); err != nil {
			return false, internal("insert photo use", err)
		}
	}
	// The public log says how far from the site, not where: the position,
	// its accuracy, the device time and the device are committed to only
	// by salted hash (Event.Personal).
	data, err := json.Marshal(c.Public(site))
	if err != nil {
		return false, internal("encode check-in", err)
	}
	e := trustmark.Event{Actor: "person:" + c.Person, Entity: EntityCheckIn, Key: c.ID, Action: string(c.Kind), Data: data,
		Personal: c.Personal()}
	tx.Record(e)
	return true, nil
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
