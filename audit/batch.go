package audit

import (
	"cmp"
	"slices"
	"time"
)

// Batch is the context of a group of check-ins stored together (a group
// commit), for the rules that look beyond the audit. The adapter reads
// what the stored record holds for the whole group in a few statements
// and hands it to the Batch (the Load methods); Batch then answers, for
// each check-in in turn, what reading the record for that check-in alone
// would have returned, with every check-in of the group stored before it
// (Add) counted as stored: the person's audits around the audit and
// whether the person checked in to them (overlap, lent-out), the person's
// check-ins just before and after (travel), the other uses of its photos,
// other persons' check-ins from its device and, for a closing check-in,
// the audit's earlier check-ins (on-site time). The statements the
// adapter runs so no longer grow with the check-ins, and the rules stay
// here. A Batch is used by one goroutine at a time.
type Batch struct {
	rules      *Rules
	maxNear    int
	maxDevices int
	seq        int
	persons    map[string]*personRecord
	uses       map[string][]PhotoUse // every use of a photo, by its SHA-256 (Photo unset)
	near       map[nearKey][]PhotoUse
	bands      map[bandKey][]PhotoUse // the group's photos with a perceptual hash, by band
	devices    map[DeviceKey][]DeviceUse
	byDevice   map[string][]CheckIn // the group's check-ins, by device
	checkins   map[string][]CheckIn // audits' check-ins, for the on-site rule
}

// personRecord is one person's loaded audits (a History sharing its spans
// with each check-in's) and check-ins, by time and then by the order they
// were stored in.
type personRecord struct {
	spans *History
	fixes []seqFix
}

type seqFix struct {
	Fix
	seq int
}

type nearKey struct{ sha, audit string }

type bandKey struct {
	band int
	bits uint16
}

// DeviceKey names the other persons' check-ins from one device around one
// instant that the adapter loaded: within Rules.DeviceWindow of At.
type DeviceKey struct {
	Device, Person string
	At             time.Time
}

// PhotoBands is how many 16-bit bands a perceptual hash is cut into for
// finding near copies (multi-index hashing): two hashes within 3 bits
// share at least one band exactly.
const PhotoBands = 4

// PhotoBand returns band n of perceptual hash h, band 0 the high bits.
func PhotoBand(h uint64, n int) uint16 { return uint16(h >> (48 - 16*n)) }

// NewBatch returns an empty Batch deciding with r. maxNear and maxDevices
// bound the near photos and the device's other uses a check-in is given,
// as the adapter bounds what it loads for one check-in.
func NewBatch(r *Rules, maxNear, maxDevices int) *Batch {
	return &Batch{rules: r, maxNear: maxNear, maxDevices: maxDevices, persons: map[string]*personRecord{},
		uses: map[string][]PhotoUse{}, near: map[nearKey][]PhotoUse{}, bands: map[bandKey][]PhotoUse{},
		devices: map[DeviceKey][]DeviceUse{}, byDevice: map[string][]CheckIn{}, checkins: map[string][]CheckIn{}}
}

func (b *Batch) person(p string) *personRecord {
	rec := b.persons[p]
	if rec == nil {
		rec = &personRecord{spans: NewHistory(nil, nil)}
		b.persons[p] = rec
	}
	return rec
}

// LoadSpans gives the person's audits around every audit the group's
// check-ins of that person are made to: at least those overlapping
// Rules.LentOutWindow around each.
func (b *Batch) LoadSpans(person string, spans []Span) {
	b.person(person).spans = NewHistory(spans, nil)
}

// LoadFixes gives stored check-ins of the person: at least, for the
// earliest and latest instants t of the group's check-ins of that person,
// the last check-in at or before the earliest, every one after it up to
// the latest, and the first after the latest. Of check-ins at one
// instant, the one given last counts as the latest stored.
func (b *Batch) LoadFixes(person string, fixes []Fix) {
	rec := b.person(person)
	for _, f := range fixes {
		rec.addFix(f, &b.seq)
	}
}

func (rec *personRecord) addFix(f Fix, seq *int) {
	*seq++
	sf := seqFix{f, *seq}
	i, _ := slices.BinarySearchFunc(rec.fixes, sf, func(a, b seqFix) int { return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.seq, b.seq)) })
	rec.fixes = slices.Insert(rec.fixes, i, sf)
}

// PhotoKnown reports whether the photo with this SHA-256 has a use,
// stored or earlier in the group: its bytes are then stored already.
func (b *Batch) PhotoKnown(sha string) bool { return len(b.uses[sha]) > 0 }

// LoadPhotoUses gives the stored uses of photos, by SHA-256 (u.Photo.SHA256).
func (b *Batch) LoadPhotoUses(uses []PhotoUse) {
	for _, u := range uses {
		b.uses[u.Photo.SHA256] = append(b.uses[u.Photo.SHA256], PhotoUse{Audit: u.Audit, CheckIn: u.CheckIn})
	}
}

// LoadNear gives the stored uses, in audits other than audit, of other
// photos than sha whose perceptual hash shares a band with that photo's:
// the candidates for the perceptual comparison.
func (b *Batch) LoadNear(sha, audit string, uses []PhotoUse) {
	k := nearKey{sha, audit}
	b.near[k] = append(b.near[k], uses...)
}

// LoadDevices gives other persons' stored check-ins from k.Device within
// Rules.DeviceWindow of k.At.
func (b *Batch) LoadDevices(k DeviceKey, uses []DeviceUse) {
	b.devices[k] = append(b.devices[k], uses...)
}

// LoadCheckIns gives the stored check-ins of an audit that a closing
// check-in of the group is made to.
func (b *Batch) LoadCheckIns(audit string, cs []CheckIn) {
	b.checkins[audit] = append(b.checkins[audit], cs...)
}

// Context returns what the rules beyond audit a see for check-in c: the
// audit's earlier check-ins (for a closing one) and the person's, the
// photos' and the device's record, the group's earlier check-ins
// included.
func (b *Batch) Context(a *Audit, c CheckIn) (earlier []CheckIn, cx Context) {
	rec := b.person(c.Person)
	cx.History = rec.history(c.At)
	for _, p := range c.Photos {
		for _, u := range b.uses[p.SHA256] {
			cx.Photos = append(cx.Photos, PhotoUse{Audit: u.Audit, CheckIn: u.CheckIn, Photo: p})
		}
		if p.PHash != 0 {
			cx.Photos = append(cx.Photos, b.nearOf(p, a.ID)...)
		}
	}
	if c.Device != "" {
		cx.Devices = b.devicesOf(c)
	}
	if c.Kind == Close {
		earlier = slices.Clone(b.checkins[a.ID])
		slices.SortStableFunc(earlier, func(x, y CheckIn) int { return cmp.Or(x.At.Compare(y.At), cmp.Compare(x.ID, y.ID)) })
	}
	return earlier, cx
}

// history returns the person's history as a check-in at t sees it: the
// audits, and the last check-in at or before t and the first after it.
func (rec *personRecord) history(t time.Time) *History {
	j, _ := slices.BinarySearchFunc(rec.fixes, t, func(f seqFix, t time.Time) int {
		if f.At.After(t) {
			return 1
		}
		return -1
	})
	var fixes []Fix
	if j > 0 {
		fixes = append(fixes, rec.fixes[j-1].Fix)
	}
	if j < len(rec.fixes) {
		fixes = append(fixes, rec.fixes[j].Fix)
	}
	return rec.spans.withFixes(fixes)
}

// nearOf returns the candidates for the perceptual comparison of photo p
// of a check-in to audit: those loaded and those of the group sharing a
// band, at most maxNear.
func (b *Batch) nearOf(p Photo, audit string) []PhotoUse {
	out := b.near[nearKey{p.SHA256, audit}]
	out = out[:min(len(out), b.maxNear):min(len(out), b.maxNear)]
	for n := range PhotoBands {
		for _, u := range b.bands[bandKey{n, PhotoBand(p.PHash, n)}] {
			if len(out) == b.maxNear {
				return out
			}
			if u.Photo.SHA256 != p.SHA256 && u.Audit != audit {
				out = append(out, u)
			}
		}
	}
	return out
}

// devicesOf returns other persons' check-ins from c's device within
// Rules.DeviceWindow: those loaded and those of the group, at most
// maxDevices.
func (b *Batch) devicesOf(c CheckIn) []DeviceUse {
	out := b.devices[DeviceKey{c.Device, c.Person, c.At}]
	out = out[:min(len(out), b.maxDevices):min(len(out), b.maxDevices)]
	for _, o := range b.byDevice[c.Device] {
		if len(out) == b.maxDevices {
			break
		}
		if o.Person != c.Person && o.At.Sub(c.At).Abs() <= b.rules.DeviceWindow {
			out = append(out, DeviceUse{Person: o.Person, Audit: o.Audit, CheckIn: o.ID, At: o.At})
		}
	}
	return out
}

// Add counts check-in c to audit a as stored: the group's later
// check-ins see it.
func (b *Batch) Add(a *Audit, c CheckIn) {
	rec := b.person(c.Person)
	rec.spans.markCheckedIn(c.Audit)
	rec.addFix(Fix{CheckIn: c.ID, Audit: c.Audit, At: c.At, Position: c.Position}, &b.seq)
	for _, p := range c.Photos {
		b.uses[p.SHA256] = append(b.uses[p.SHA256], PhotoUse{Audit: c.Audit, CheckIn: c.ID})
		if p.PHash != 0 {
			for n := range PhotoBands {
				k := bandKey{n, PhotoBand(p.PHash, n)}
				b.bands[k] = append(b.bands[k], PhotoUse{Audit: c.Audit, CheckIn: c.ID, Photo: p})
			}
		}
	}
	if c.Device != "" {
		b.byDevice[c.Device] = append(b.byDevice[c.Device], c)
	}
	b.checkins[a.ID] = append(b.checkins[a.ID], c)
}
