package sqlstore

import (
	"context"
	"encoding/json"
	"time"

	"trustmark/audit"
)

// maxDeviceUses bounds the other persons' check-ins loaded for one device:
// a few prove the device shared.
const maxDeviceUses = 20

// maxAuditSpan bounds how long an audit lasts (package audit refuses
// longer plans), so that a person's audits ending after an instant are
// found among those starting at most this long before it.
const maxAuditSpan = 61 * 24 * time.Hour

// ruleContext loads what the rules that look beyond the audit need, and
// only that: the person's audits within the lent-out window (overlap and
// lent-out), the person's check-ins just before and after this one
// (travel), other uses of its photos, and other persons' check-ins from
// its device. Every query is an index range, so that a person with
// thousands of audits costs no more than one with a few.
func (tx *Tx) ruleContext(ctx context.Context, r *audit.Rules, a *audit.Audit, c audit.CheckIn) (audit.Context, error) {
	var cx audit.Context
	spans, err := tx.spans(ctx, c.Person, a)
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
			near, err := tx.nearPhotos(ctx, p, a.ID)
			if err != nil {
				return cx, err
			}
			cx.Photos = append(cx.Photos, near...)
		}
	}
	if c.Device != "" {
		cs, err := tx.checkIns(ctx, `WHERE device_hash = ? AND person <> ? AND at >= ? AND at <= ? LIMIT ?`,
			c.Device, c.Person, micros(c.At.Add(-r.DeviceWindow)), micros(c.At.Add(r.DeviceWindow)), maxDeviceUses)
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
func (tx *Tx) spans(ctx context.Context, person string, a *audit.Audit) ([]audit.Span, error) {
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

// photoBands is how many 16-bit bands a perceptual hash is cut into in
// photo_bands (migration 020).
const photoBands = 4

// maxNearPhotos bounds the candidates of the perceptual comparison loaded
// for one photo: a few prove it re-used.
const maxNearPhotos = 50

// bandBits returns band n of hash h (band 0 the high bits).
func bandBits(h uint64, n int) int64 { return int64(h >> (48 - 16*n) & 0xFFFF) }

// nearPhotos returns the uses of other photos whose perceptual hash shares
// a band with p's, in audits other than auditID: every photo within 3 bits of it and most within a few
// more. The rule (audit.Rules.CheckPhotos) compares the whole hashes.
func (tx *Tx) nearPhotos(ctx context.Context, p audit.Photo, auditID string) ([]audit.PhotoUse, error) {
	rows, err := tx.queryPrepared(ctx, `SELECT u.audit_id, u.checkin_id, ph.sha256, ph.phash
		FROM photo_bands b JOIN photos ph ON ph.sha256 = b.sha256 JOIN photo_uses u ON u.sha256 = b.sha256
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
