package sqlstore

// The path of check-ins before issue 13's group loads: every check-in
// read its rules' context and wrote its rows in statements of its own
// (about seven). Kept for the tests only, so that BenchmarkCheckInBatch
// measures it side by side with checkInGroup (sub-benchmark "each").

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"trustmark"
	"trustmark/audit"
)

// CheckInBatchEach is CheckInBatch as it was before the group's context
// was read at once: each check-in read and wrote on its own.
func (db *DB) CheckInBatchEach(ctx context.Context, items []audit.CheckInItem) (res []audit.CheckInResult, errs []error, err error) {
	for i := range items {
		items[i].At = time.Time{}
		if items[i], err = prepareCheckIn(items[i]); err != nil {
			return nil, nil, err
		}
	}
	err = db.Transact(ctx, func(tx *Tx) error {
		res, errs = make([]audit.CheckInResult, len(items)), make([]error, len(items))
		sc := &checkInScopeOne{audits: map[string]*audit.Audit{}}
		for i, it := range items {
			res[i], errs[i] = tx.checkInOne(ctx, sc, it)
			if errs[i] != nil && !trustmark.IsClientError(errs[i]) {
				return errs[i]
			}
		}
		return nil
	})
	return res, errs, err
}

// checkInScopeOne is what the check-ins of one transaction share: each audit
// they are made to, read and decoded once (a check-in never changes its
// audit).
type checkInScopeOne struct {
	audits map[string]*audit.Audit
}

// audit returns the audit of id, from the scope or the database.
func (tx *Tx) scopedAuditOne(ctx context.Context, sc *checkInScopeOne, id string) (*audit.Audit, error) {
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

func (tx *Tx) checkInOne(ctx context.Context, sc *checkInScopeOne, it audit.CheckInItem) (audit.CheckInResult, error) {
	auditID, requestKey, req, photos := it.Audit, it.RequestKey, it.Request, it.Photos
	now := tx.Now()
	if !it.At.IsZero() {
		now = it.At.UTC().Truncate(time.Microsecond)
	}
	retry := requestKey != ""
	if !retry {
		requestKey = newID("K")
	}
	a, err := tx.scopedAuditOne(ctx, sc, auditID)
	if err != nil {
		return audit.CheckInResult{}, err
	}
	req.ID = newID("C")
	rules := auditRules()
	c, err := rules.DecideCheckIn(a, req, now)
	if err != nil {
		if retry { // a retry of a check-in made before the team changed
			if prev, ok, e := tx.replayOne(ctx, auditID, req.Person, requestKey); ok || e != nil {
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
	cx, err := tx.ruleContextOne(ctx, rules, a, c)
	if err != nil {
		return audit.CheckInResult{}, err
	}
	anomalies := rules.EvaluateCheckIn(a, earlier, c, cx)
	// A request key seen before is found by the insert itself, which
	// stores nothing then: no query for it on the common path.
	stored, err := tx.insertCheckInOne(ctx, c, a.Plan.Site.WGS84, requestKey, photos)
	if err != nil {
		return audit.CheckInResult{}, err
	}
	if !stored {
		prev, ok, err := tx.replayOne(ctx, auditID, req.Person, requestKey)
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

// replayOne returns the check-in a person already made with a request key.
func (tx *Tx) replayOne(ctx context.Context, auditID, person, key string) (audit.CheckInResult, bool, error) {
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

// insertCheckIn stores a check-in, its photos (once per content) and its
// event. The event commits to the position, the device time and the
// device only by salted hash and to the photos by their content hashes.
func (tx *Tx) insertCheckInOne(ctx context.Context, c audit.CheckIn, site audit.Point, key string, photos [][]byte) (stored bool, err error) {
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
		res, err = tx.execPrepared(ctx, `INSERT INTO photos (checkin_id, sha256, size, data) SELECT ?, ?, CAST(? AS BIGINT), CAST(? AS BYTEA)
			WHERE NOT EXISTS (SELECT 1 FROM photo_uses WHERE sha256 = ?)`, c.ID, hashes[i], len(p), p, hashes[i])
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
		if _, err := tx.execPrepared(ctx, `INSERT INTO photo_uses (sha256, checkin_id, audit_id, phash) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, hashes[i], c.ID, c.Audit, int64(ph)); err != nil {
			return false, internal("insert photo use", err)
		}
	}
	if c.Device != "" {
		if _, err := tx.execPrepared(ctx, `INSERT INTO device_persons (device_hash, week, person) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			c.Device, micros(c.At)/deviceWeek, c.Person); err != nil {
			return false, internal("insert device use", err)
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

// ruleContext loads what the rules that look beyond the audit need, and
// only that: the person's audits within the lent-out window (overlap and
// lent-out), the person's check-ins just before and after this one
// (travel), other uses of its photos, and other persons' check-ins from
// its device. Every query is an index range, so that a person with
// thousands of audits costs no more than one with a few.
func (tx *Tx) ruleContextOne(ctx context.Context, r *audit.Rules, a *audit.Audit, c audit.CheckIn) (audit.Context, error) {
	var cx audit.Context
	spans, err := tx.spansOne(ctx, c.Person, a)
	if err != nil {
		return cx, err
	}
	var fixes []audit.Fix
	// The person's check-ins just before and just after, in one statement.
	rows, err := tx.queryPrepared(ctx, `SELECT * FROM (SELECT `+checkInCols+` FROM checkins WHERE person = ? AND at <= ? ORDER BY at DESC LIMIT 1) p
		UNION ALL SELECT * FROM (SELECT `+checkInCols+` FROM checkins WHERE person = ? AND at > ? ORDER BY at LIMIT 1) n`,
		c.Person, micros(c.At), c.Person, micros(c.At))
	cs, err := scanCheckIns(rows, err)
	if err != nil {
		return cx, err
	}
	for _, o := range cs {
		fixes = append(fixes, audit.Fix{CheckIn: o.ID, Audit: o.Audit, At: o.At, Position: o.Position})
	}
	cx.History = audit.NewHistory(spans, fixes)
	for _, p := range c.Photos {
		rows, err := tx.queryPrepared(ctx, `SELECT audit_id, checkin_id FROM photo_uses WHERE sha256 = ?`, p.SHA256)
		if err != nil {
			return cx, internal("read photo uses", err)
		}
		for rows.Next() {
			u := audit.PhotoUse{Photo: p}
			if err := rows.Scan(&u.Audit, &u.CheckIn); err != nil {
				rows.Close()
				return cx, internal("scan photo use", err)
			}
			cx.Photos = append(cx.Photos, u)
		}
		rows.Close()
		if p.PHash != 0 {
			near, err := tx.nearPhotosOne(ctx, p, a.ID)
			if err != nil {
				return cx, err
			}
			cx.Photos = append(cx.Photos, near...)
		}
	}
	if c.Device != "" {
		lo, hi := micros(c.At.Add(-r.DeviceWindow)), micros(c.At.Add(r.DeviceWindow))
		cs, err := tx.checkIns(ctx, `WHERE person IN (SELECT person FROM device_persons WHERE device_hash = ? AND week >= ? AND week <= ? AND person <> ?)
			AND device_hash = ? AND at >= ? AND at <= ? LIMIT ?`, c.Device, lo/deviceWeek, hi/deviceWeek, c.Person, c.Device, lo, hi, maxDeviceUses)
		if err != nil {
			return cx, err
		}
		for _, o := range cs {
			cx.Devices = append(cx.Devices, audit.DeviceUse{Person: o.Person, Audit: o.Audit, CheckIn: o.ID, At: o.At})
		}
	}
	return cx, nil
}

// spans returns the person's other audits that may overlap audit a or fall
// within the lent-out window around it, with whether the person checked in
// to each.
func (tx *Tx) spansOne(ctx context.Context, person string, a *audit.Audit) ([]audit.Span, error) {
	r := auditRules()
	rows, err := tx.queryPrepared(ctx, `SELECT a.doc, EXISTS (SELECT 1 FROM checkins c WHERE c.audit_id = a.id AND c.person = ?)
		FROM audit_members m JOIN audits a ON a.id = m.audit_id
		WHERE m.registration_no = ? AND m.start_at > ? AND m.start_at < ? AND m.end_at > ? AND m.audit_id <> ?`,
		person, person, micros(a.Start().Add(-r.LentOutWindow-maxAuditSpan)), micros(a.End().Add(r.LentOutWindow)),
		micros(a.Start().Add(-r.LentOutWindow)), a.ID)
	if err != nil {
		return nil, internal("read person's audits", err)
	}
	defer rows.Close()
	var out []audit.Span
	for rows.Next() {
		var doc string
		var checked bool
		if err := rows.Scan(&doc, &checked); err != nil {
			return nil, internal("scan person's audit", err)
		}
		var o audit.Audit
		if err := json.Unmarshal([]byte(doc), &o); err != nil {
			return nil, internal("decode audit", err)
		}
		out = append(out, audit.Span{Audit: o.ID, Body: o.Body, Start: o.Start(), End: o.End(), Links: o.Links, CheckedIn: checked})
	}
	return out, internal("read person's audits", rows.Err())
}

// nearPhotos returns the uses of other photos whose perceptual hash shares
// a band with p's, in audits other than auditID: every photo within 3 bits of it and most within a few
// more. The rule (audit.Rules.CheckPhotos) compares the whole hashes.
func (tx *Tx) nearPhotosOne(ctx context.Context, p audit.Photo, auditID string) ([]audit.PhotoUse, error) {
	rows, err := tx.queryPrepared(ctx, `SELECT u.audit_id, u.checkin_id, u.sha256, u.phash
		FROM photo_bands b JOIN photo_uses u ON u.sha256 = b.sha256
		WHERE ((b.band = 0 AND b.bits = ?) OR (b.band = 1 AND b.bits = ?) OR (b.band = 2 AND b.bits = ?) OR (b.band = 3 AND b.bits = ?))
		AND b.sha256 <> ? AND u.audit_id <> ? LIMIT ?`,
		bandBits(p.PHash, 0), bandBits(p.PHash, 1), bandBits(p.PHash, 2), bandBits(p.PHash, 3), p.SHA256, auditID, maxNearPhotos)
	if err != nil {
		return nil, internal("read near photos", err)
	}
	defer rows.Close()
	var out []audit.PhotoUse
	for rows.Next() {
		var u audit.PhotoUse
		var ph int64
		if err := rows.Scan(&u.Audit, &u.CheckIn, &u.Photo.SHA256, &ph); err != nil {
			return nil, internal("scan near photo", err)
		}
		u.Photo.PHash = uint64(ph)
		out = append(out, u)
	}
	return out, internal("read near photos", rows.Err())
}
