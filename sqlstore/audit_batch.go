package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"trustmark/audit"
)

// The loads of a group of check-ins (checkInGroup): each reads, for every
// check-in of the group at once, what the rules beyond the audit need, in
// one statement per chunk of keys, and hands it to the audit.Batch, which
// answers for each check-in with the group's earlier ones counted. Keys
// travel as a VALUES list (the CTE q), so that one statement serves both
// SQLite and PostgreSQL, and each key's LIMIT stays its own
// (ROW_NUMBER() OVER (PARTITION BY q.i)).

// The statements go unprepared through Tx.Query and Tx.Exec: the drivers
// keep them prepared by text across transactions (mattn's connection
// statement cache, pgx's), where Tx.stmt would prepare them again in each.

// keySet collects keys in the order they first come, each once: a
// group's keys without a quadratic search.
type keySet[K comparable] struct {
	list []K
	seen map[K]struct{}
}

func (d *keySet[K]) add(k K) {
	if _, ok := d.seen[k]; ok {
		return
	}
	if d.seen == nil {
		d.seen = map[K]struct{}{}
	}
	d.seen[k] = struct{}{}
	d.list = append(d.list, k)
}

// groupKeys bounds the keys one statement of a group's loads carries.
const groupKeys = 250

// queryKeys runs, per chunk of n keys, "WITH q(cols) AS (VALUES row, ...)"
// followed by body; args appends key i's values (row's placeholders) and
// scan reads one result row.
func (tx *Tx) queryKeys(ctx context.Context, n int, cols, row, body string, args func([]any, int) []any, scan func(*sql.Rows) error) error {
	for start := 0; start < n; start += groupKeys {
		k := min(n-start, groupKeys)
		var vals []any
		for i := start; i < start+k; i++ {
			vals = args(vals, i)
		}
		rows, err := tx.Query(ctx, keysStatement(cols, row, body, k), vals...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// keysStatement is body with k keys, each of the form row, as the table q
// of columns cols.
func keysStatement(cols, row, body string, k int) string {
	return "WITH q(" + cols + ") AS (VALUES " + strings.Repeat(row+", ", k-1) + row + ") " + body
}

// queryIn runs "head IN (?, ...) tail" per chunk of keys. A chunk's list
// is padded to a power of two by repeating its last key, which IN ignores,
// so that a group's statements come in few shapes that the writer's cache
// of prepared statements keeps, whatever number of keys the group has.
func (tx *Tx) queryIn(ctx context.Context, keys []string, head, tail string, scan func(*sql.Rows) error) error {
	for len(keys) > 0 {
		k := min(len(keys), groupKeys)
		args := make([]any, min(groupKeys, 1<<bits.Len(uint(k-1))))
		for i := range args {
			args[i] = keys[min(i, k-1)]
		}
		rows, err := tx.Query(ctx, head+" IN ("+placeholders(len(args))+") "+tail, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		keys = keys[k:]
	}
	return nil
}

// auditsByID reads the audits of ids, each decoded once.
func (tx *Tx) auditsByID(ctx context.Context, ids []string) (map[string]*audit.Audit, error) {
	out := make(map[string]*audit.Audit, len(ids))
	err := tx.queryIn(ctx, ids, `SELECT doc FROM audits WHERE id`, ``, func(rows *sql.Rows) error {
		var doc sql.RawBytes
		if err := rows.Scan(&doc); err != nil {
			return err
		}
		a := new(audit.Audit)
		if err := json.Unmarshal(doc, a); err != nil {
			return err
		}
		out[a.ID] = a
		return nil
	})
	return out, internal("read audits", err)
}

type personKey struct{ person, key string }

// checkInsByKey returns the stored check-ins that the group's request keys
// name: those check-ins are replayed, not made again.
func (tx *Tx) checkInsByKey(ctx context.Context, group []groupItem) (map[personKey]audit.CheckIn, error) {
	var d keySet[personKey]
	for _, g := range group {
		if g.retry {
			d.add(personKey{g.person, g.key})
		}
	}
	keys := d.list
	out := map[personKey]audit.CheckIn{}
	err := tx.queryKeys(ctx, len(keys), `person, k`, `(?, ?)`,
		`SELECT `+prefixed("c.", checkInCols)+`, c.request_key FROM q JOIN checkins c ON c.person = q.person AND c.request_key = q.k`,
		func(args []any, i int) []any { return append(args, keys[i].person, keys[i].key) },
		func(rows *sql.Rows) error {
			var key string
			c, err := scanCheckIn(rows, &key)
			out[personKey{c.Person, key}] = c
			return err
		})
	return out, internal("read check-ins by request key", err)
}

func prefixed(p, cols string) string { return p + strings.ReplaceAll(cols, ", ", ", "+p) }

// loadBatch reads what the rules beyond the audit need for the group's
// check-ins (those decided, in group) into b. audits holds the audits
// decoded so far and gains the persons' other audits.
func (tx *Tx) loadBatch(ctx context.Context, b *audit.Batch, audits map[string]*audit.Audit, group []groupItem) error {
	for _, load := range []func(context.Context, *audit.Batch, map[string]*audit.Audit, []groupItem) error{
		tx.loadSpans, tx.loadFixes, tx.loadPhotos, tx.loadDevices, tx.loadAuditCheckIns,
	} {
		if err := load(ctx, b, audits, group); err != nil {
			return err
		}
	}
	return nil
}

// window is a time range per person, over the group's check-ins.
type window struct {
	person    string
	lo, hi, x int64
}

// windows returns, per person of the group in order of appearance, the
// union of f's ranges for that person's check-ins (lo and x the least, hi
// the greatest).
func windows(group []groupItem, f func(g groupItem) window) []window {
	var out []window
	at := map[string]int{}
	for _, g := range group {
		w := f(g)
		i, ok := at[g.person]
		if !ok {
			at[g.person] = len(out)
			out = append(out, w)
			continue
		}
		o := &out[i]
		o.lo, o.hi, o.x = min(o.lo, w.lo), max(o.hi, w.hi), min(o.x, w.x)
	}
	return out
}

// loadSpans reads each person's audits that may overlap an audit the
// person checks in to, or fall within the lent-out window around it, and
// whether the person checked in to each (audit.Batch.LoadSpans).
func (tx *Tx) loadSpans(ctx context.Context, b *audit.Batch, audits map[string]*audit.Audit, group []groupItem) error {
	r := auditRules()
	ws := windows(group, func(g groupItem) window {
		return window{g.person, micros(g.a.Start().Add(-r.LentOutWindow - maxAuditSpan)), micros(g.a.End().Add(r.LentOutWindow)),
			micros(g.a.Start().Add(-r.LentOutWindow))}
	})
	spans := map[string][]audit.Span{}
	err := tx.queryKeys(ctx, len(ws), `person, lo, hi, lo_end`, `(?, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))`,
		`SELECT m.registration_no, a.id, a.doc, EXISTS (SELECT 1 FROM checkins c WHERE c.audit_id = a.id AND c.person = m.registration_no)
		FROM q JOIN audit_members m ON m.registration_no = q.person AND m.start_at > q.lo AND m.start_at < q.hi AND m.end_at > q.lo_end
		JOIN audits a ON a.id = m.audit_id`,
		func(args []any, i int) []any { return append(args, ws[i].person, ws[i].lo, ws[i].hi, ws[i].x) },
		func(rows *sql.Rows) error {
			var person, id string
			var doc sql.RawBytes
			var checked bool
			if err := rows.Scan(&person, &id, &doc, &checked); err != nil {
				return err
			}
			o := audits[id]
			if o == nil { // decoded once, whoever else's audit it is too
				o = new(audit.Audit)
				if err := json.Unmarshal(doc, o); err != nil {
					return err
				}
				audits[id] = o
			}
			spans[person] = append(spans[person], audit.Span{Audit: o.ID, Body: o.Body, Start: o.Start(), End: o.End(), Links: o.Links, CheckedIn: checked})
			return nil
		})
	if err != nil {
		return internal("read persons' audits", err)
	}
	for p, ss := range spans {
		b.LoadSpans(p, ss)
	}
	return nil
}

// loadFixes reads each person's check-ins around the group's: the last at
// or before the earliest of the group's, every one after it up to the
// latest, and the first after that (audit.Batch.LoadFixes).
func (tx *Tx) loadFixes(ctx context.Context, b *audit.Batch, _ map[string]*audit.Audit, group []groupItem) error {
	ws := windows(group, func(g groupItem) window { t := micros(g.c.At); return window{g.person, t, t, t} })
	const cols = `c.person, c.id, c.audit_id, c.at, c.wgs_lat, c.wgs_lng`
	type fix struct {
		person string
		part   int // 0 before, 1 within, 2 after
		f      audit.Fix
	}
	var fixes []fix
	err := tx.queryKeys(ctx, len(ws), `person, lo, hi`, `(?, CAST(? AS BIGINT), CAST(? AS BIGINT))`,
		`SELECT 0, `+cols+` FROM q JOIN checkins c ON c.id = (SELECT id FROM checkins WHERE person = q.person AND at <= q.lo ORDER BY at DESC LIMIT 1)
		UNION ALL SELECT 1, `+cols+` FROM q JOIN checkins c ON c.person = q.person AND c.at > q.lo AND c.at <= q.hi
		UNION ALL SELECT 2, `+cols+` FROM q JOIN checkins c ON c.id = (SELECT id FROM checkins WHERE person = q.person AND at > q.hi ORDER BY at LIMIT 1)`,
		func(args []any, i int) []any { return append(args, ws[i].person, ws[i].lo, ws[i].hi) },
		func(rows *sql.Rows) error {
			var x fix
			var at int64
			if err := rows.Scan(&x.part, &x.person, &x.f.CheckIn, &x.f.Audit, &at, &x.f.Position.Lat, &x.f.Position.Lng); err != nil {
				return err
			}
			x.f.At = fromMicros(at)
			fixes = append(fixes, x)
			return nil
		})
	if err != nil {
		return internal("read persons' check-ins", err)
	}
	slices.SortStableFunc(fixes, func(x, y fix) int {
		return cmp.Or(strings.Compare(x.person, y.person), cmp.Compare(x.part, y.part), x.f.At.Compare(y.f.At))
	})
	for i := 0; i < len(fixes); {
		j := i
		var fs []audit.Fix
		for ; j < len(fixes) && fixes[j].person == fixes[i].person; j++ {
			fs = append(fs, fixes[j].f)
		}
		b.LoadFixes(fixes[i].person, fs)
		i = j
	}
	return nil
}

// nearPhotoQuery finds, for each band of a photo's perceptual hash (a
// row of q), the uses in other audits of other photos with that band:
// at most maxNearPhotos a band. q is joined first (CROSS JOIN, which
// SQLite never reorders): given a few hundred bands, SQLite's planner
// would otherwise scan every band of every photo stored, building an
// index on q instead (TestKeyedQueriesSearch). PostgreSQL plans a CROSS
// JOIN with a WHERE like the inner join it is.
const (
	nearPhotoCols = `i, band, bits, sha, aud`
	nearPhotoRow  = `(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?)`
)

var nearPhotoQuery = `SELECT i, audit_id, checkin_id, sha256, phash FROM (SELECT q.i, u.audit_id, u.checkin_id, u.sha256, u.phash,
			ROW_NUMBER() OVER (PARTITION BY q.i) AS n
			FROM q CROSS JOIN photo_bands b JOIN photo_uses u ON u.sha256 = b.sha256
			WHERE b.band = q.band AND b.bits = q.bits AND b.sha256 <> q.sha AND u.audit_id <> q.aud) m
		WHERE n <= ` + strconv.Itoa(maxNearPhotos)

// loadPhotos reads the stored uses of the group's photos and, for photos
// with a perceptual hash, the uses of other photos sharing one of its
// bands in other audits, at most maxNearPhotos for each photo and audit.
func (tx *Tx) loadPhotos(ctx context.Context, b *audit.Batch, _ map[string]*audit.Audit, group []groupItem) error {
	type nearKey struct {
		sha, audit string
		phash      uint64
	}
	var ds keySet[string]
	var dn keySet[nearKey]
	for _, g := range group {
		for _, p := range g.c.Photos {
			ds.add(p.SHA256)
			if p.PHash != 0 {
				dn.add(nearKey{p.SHA256, g.a.ID, p.PHash})
			}
		}
	}
	shas, near := ds.list, dn.list
	var uses []audit.PhotoUse
	err := tx.queryIn(ctx, shas, `SELECT sha256, audit_id, checkin_id FROM photo_uses WHERE sha256`, ``, func(rows *sql.Rows) error {
		var u audit.PhotoUse
		err := rows.Scan(&u.Photo.SHA256, &u.Audit, &u.CheckIn)
		uses = append(uses, u)
		return err
	})
	if err != nil {
		return internal("read photo uses", err)
	}
	b.LoadPhotoUses(uses)
	// Four keys a photo, one a band, numbered by the photo (i).
	found := make([][]audit.PhotoUse, len(near))
	err = tx.queryKeys(ctx, len(near)*audit.PhotoBands, nearPhotoCols, nearPhotoRow, nearPhotoQuery,
		func(args []any, i int) []any {
			k, band := near[i/audit.PhotoBands], i%audit.PhotoBands
			return append(args, i/audit.PhotoBands, band, bandBits(k.phash, band), k.sha, k.audit)
		},
		func(rows *sql.Rows) error {
			var i int
			var u audit.PhotoUse
			var ph int64
			if err := rows.Scan(&i, &u.Audit, &u.CheckIn, &u.Photo.SHA256, &ph); err != nil {
				return err
			}
			u.Photo.PHash = uint64(ph)
			found[i] = append(found[i], u)
			return nil
		})
	if err != nil {
		return internal("read near photos", err)
	}
	for i, k := range near {
		b.LoadNear(k.sha, k.audit, found[i][:min(len(found[i]), maxNearPhotos)])
	}
	return nil
}

// deviceWeek is the week (7 days of unix microseconds, from the epoch)
// under which device_persons records a device's use by a person.
const deviceWeek = 7 * 24 * 3600 * 1_000_000

// deviceQuery finds, for each device key (a row of q), the other persons'
// check-ins from that device within [lo, hi]: the persons who used the
// device in the weeks [wlo, whi] that cover the range, from
// device_persons, then their check-ins through checkins_person.
const (
	deviceCols  = `i, device, person, lo, hi, wlo, whi`
	deviceRow   = `(CAST(? AS BIGINT), ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT))`
	deviceQuery = `SELECT i, person, audit_id, id, at FROM (SELECT o.i, c.person, c.audit_id, c.id, c.at, ROW_NUMBER() OVER (PARTITION BY o.i) AS n
			FROM (SELECT DISTINCT q.i, q.device, q.lo, q.hi, d.person FROM q CROSS JOIN device_persons d
				WHERE d.device_hash = q.device AND d.week >= q.wlo AND d.week <= q.whi AND d.person <> q.person) o
			CROSS JOIN checkins c WHERE c.person = o.person AND c.at >= o.lo AND c.at <= o.hi AND c.device_hash = o.device) m
		WHERE n <= `
)

// loadDevices reads other persons' check-ins from the group's devices
// within the device window of each check-in, at most maxDeviceUses each.
func (tx *Tx) loadDevices(ctx context.Context, b *audit.Batch, _ map[string]*audit.Audit, group []groupItem) error {
	r := auditRules()
	var d keySet[audit.DeviceKey]
	for _, g := range group {
		if g.c.Device != "" {
			d.add(audit.DeviceKey{Device: g.c.Device, Person: g.person, At: g.c.At})
		}
	}
	keys := d.list
	found := make([][]audit.DeviceUse, len(keys))
	err := tx.queryKeys(ctx, len(keys), deviceCols, deviceRow, deviceQuery+strconv.Itoa(maxDeviceUses),
		func(args []any, i int) []any {
			k := keys[i]
			lo, hi := micros(k.At.Add(-r.DeviceWindow)), micros(k.At.Add(r.DeviceWindow))
			return append(args, i, k.Device, k.Person, lo, hi, lo/deviceWeek, hi/deviceWeek)
		},
		func(rows *sql.Rows) error {
			var i int
			var u audit.DeviceUse
			var at int64
			if err := rows.Scan(&i, &u.Person, &u.Audit, &u.CheckIn, &at); err != nil {
				return err
			}
			u.At = fromMicros(at)
			found[i] = append(found[i], u)
			return nil
		})
	if err != nil {
		return internal("read device uses", err)
	}
	for i, k := range keys {
		b.LoadDevices(k, found[i])
	}
	return nil
}

// loadAuditCheckIns reads the check-ins of the audits that a closing
// check-in of the group is made to, for the on-site rule.
func (tx *Tx) loadAuditCheckIns(ctx context.Context, b *audit.Batch, _ map[string]*audit.Audit, group []groupItem) error {
	var d keySet[string]
	for _, g := range group {
		if g.c.Kind == audit.Close {
			d.add(g.a.ID)
		}
	}
	ids := d.list
	byAudit := map[string][]audit.CheckIn{}
	err := tx.queryIn(ctx, ids, `SELECT `+checkInCols+` FROM checkins WHERE audit_id`, `ORDER BY at, id`, func(rows *sql.Rows) error {
		c, err := scanCheckIn(rows)
		byAudit[c.Audit] = append(byAudit[c.Audit], c)
		return err
	})
	if err != nil {
		return internal("read audits' check-ins", err)
	}
	for id, cs := range byAudit {
		b.LoadCheckIns(id, cs)
	}
	return nil
}

// checkInRows are the rows a group's check-ins write, each photo's bytes
// once.
type checkInRows struct {
	checkins, photos, bands, uses, devices [][]any
	seen                                   map[string]bool
}

// add takes the rows of check-in c and records its event. The event
// commits to the position, the device time and the device only by salted
// hash and to the photos by their content hashes. known reports a photo
// whose bytes are stored already (audit.Batch.PhotoKnown, asked before
// c joins the batch): only its use is written.
func (w *checkInRows) add(tx *Tx, c audit.CheckIn, site audit.Point, key string, photos [][]byte, known func(sha string) bool) error {
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	hashes := make([]string, len(c.Photos))
	for i, p := range c.Photos {
		hashes[i] = p.SHA256
	}
	var dt int64
	if !c.DeviceTime.IsZero() {
		dt = micros(c.DeviceTime)
	}
	w.checkins = append(w.checkins, []any{c.ID, c.Audit, c.Person, string(c.Kind), micros(c.At), dt, c.Lat, c.Lng, string(c.Datum),
		c.Position.Lat, c.Position.Lng, c.AccuracyM, c.Device, joinPhotos(hashes), key})
	for i, p := range photos {
		ph := int64(c.Photos[i].PHash)
		if !w.seen[hashes[i]] && !known(hashes[i]) {
			w.photos = append(w.photos, []any{c.ID, hashes[i], len(p), p})
			for band := range photoBands {
				if ph != 0 {
					w.bands = append(w.bands, []any{band, bandBits(uint64(ph), band), hashes[i]})
				}
			}
		}
		w.seen[hashes[i]] = true
		if use := hashes[i] + " " + c.ID; !w.seen[use] {
			w.seen[use] = true
			w.uses = append(w.uses, []any{hashes[i], c.ID, c.Audit, ph})
		}
	}
	if c.Device != "" {
		week := micros(c.At) / deviceWeek
		if k := "device " + c.Device + " " + strconv.FormatInt(week, 10) + " " + c.Person; !w.seen[k] {
			w.seen[k] = true
			w.devices = append(w.devices, []any{c.Device, week, c.Person})
		}
	}
	return tx.recordCheckIn(c, site)
}

// write stores the rows: the check-ins (by COPY on PostgreSQL when there
// are many), then their photos, bands and uses, with multi-row inserts.
func (w *checkInRows) write(ctx context.Context, tx *Tx) error {
	cols := strings.Split(checkInCols+", request_key", ", ")
	var err error
	if tx.conn != nil && len(w.checkins) >= copyMin {
		err = tx.copyRows(ctx, "checkins", cols, w.checkins)
	} else {
		err = tx.insertMany(ctx, `checkins (`+checkInCols+`, request_key) VALUES `, len(cols), ``, w.checkins, 250)
	}
	if err != nil {
		return err
	}
	for _, ins := range []struct {
		head string
		cols int
		rows [][]any
		at   int
	}{
		{`photos (checkin_id, sha256, size, data) VALUES `, 4, w.photos, 50}, // at most 100 MB of photos a statement
		{`photo_bands (band, bits, sha256) VALUES `, 3, w.bands, 1000},
		{`photo_uses (sha256, checkin_id, audit_id, phash) VALUES `, 4, w.uses, 1000},
		{`device_persons (device_hash, week, person) VALUES `, 3, w.devices, 1000},
	} {
		if err := tx.insertMany(ctx, ins.head, ins.cols, ` ON CONFLICT DO NOTHING`, ins.rows, ins.at); err != nil {
			return err
		}
	}
	return nil
}

// insertMany writes rows with multi-row INSERT statements of at most at
// rows: the dialect's insert, head (the table and its columns, then
// VALUES), the rows' placeholders, then tail.
func (tx *Tx) insertMany(ctx context.Context, head string, cols int, tail string, rows [][]any, at int) error {
	args := make([]any, 0, min(len(rows), at)*cols)
	for _, k := range statementRows(len(rows), at) {
		args = args[:0]
		for _, r := range rows[:k] {
			args = append(args, r...)
		}
		rows = rows[k:]
		if _, err := tx.Exec(ctx, tx.db.dialect.insert+head+rowsPlaceholders(k, cols)+tail, args...); err != nil {
			return internal("write check-ins", err)
		}
	}
	return nil
}

// checkInAt returns the time of record of an item: the server's clock,
// or the one an import gives.
func checkInAt(tx *Tx, it audit.CheckInItem) time.Time {
	if !it.At.IsZero() {
		return it.At.UTC().Truncate(time.Microsecond)
	}
	return tx.Now()
}
