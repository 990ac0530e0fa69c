package audit

import (
	"math"
	"strconv"
	"strings"
	"time"

	"trustmark"
)

// CheckKind is a check-in's kind: at the opening meeting or the closing one.
type CheckKind string

// Kinds of check-in.
const (
	Open  CheckKind = "open"
	Close CheckKind = "close"
)

// Photo is a check-in photo as the rules see it: its SHA-256 (hex), and a
// 64-bit perceptual hash the adapter computes from the decoded image (0
// when it could not), so that a re-encoded or resized copy is caught too.
type Photo struct {
	SHA256 string `json:"sha256"`
	PHash  uint64 `json:"phash"`
}

// Photo limits of the check-in system (cnca-checkin-photos).
const (
	MinPhotos = 1
	MaxPhotos = 3
)

// CheckIn is one check-in: who, to which audit, of which kind, when by the
// server's clock (the time of record) and by the device's, where (in
// WGS-84, with the position and datum as reported) and how precisely, from
// which device, with which photos.
type CheckIn struct {
	ID         string    `json:"id"`
	Audit      string    `json:"audit"`
	Person     string    `json:"person"` // registration number
	Kind       CheckKind `json:"kind"`
	At         time.Time `json:"at"`
	DeviceTime time.Time `json:"device_time"`
	Position   Point     `json:"wgs84"`
	Lat        float64   `json:"lat"`
	Lng        float64   `json:"lng"`
	Datum      Datum     `json:"datum"`
	AccuracyM  float64   `json:"accuracy_m"`
	Device     string    `json:"device,omitempty"`
	Photos     []Photo   `json:"photos"`
}

// CheckInRequest is a check-in as a phone sends it (CONTRACT.md, POST
// /api/v1/audits/{id}/checkins), with the id the adapter gives it, the
// signed-in person and the photos' hashes.
type CheckInRequest struct {
	ID         string
	Person     string
	Kind       string
	Lat, Lng   float64
	AccuracyM  float64
	Datum      string
	DeviceTime time.Time
	Device     string
	Photos     []Photo
}

// maxAccuracyM bounds a reported accuracy: more is not a position.
const maxAccuracyM = 1e6

// DecideCheckIn checks a check-in to audit a at now. Only a member of the
// team checks in (forbidden otherwise); a check-in carries 1 to 3 photos,
// a position on Earth in a known datum and a finite accuracy. Any time is
// accepted: a late check-in is an anomaly, not a refusal (nothing about a
// real audit is lost).
func (r *Rules) DecideCheckIn(a *Audit, req CheckInRequest, now time.Time) (CheckIn, error) {
	if !a.OnTeam(req.Person) {
		return CheckIn{}, trustmark.Errorf(trustmark.EForbidden, "", "%s is not on the team of audit %s", req.Person, a.ID)
	}
	kind := CheckKind(strings.ToLower(strings.TrimSpace(req.Kind)))
	if kind != Open && kind != Close {
		return CheckIn{}, trustmark.Invalidf("audit.checkin_kind", "kind", "kind %q is not open or close", req.Kind)
	}
	if n := len(req.Photos); n < MinPhotos || n > MaxPhotos {
		return CheckIn{}, trustmark.Invalidf("audit.photos", "photos", "a check-in carries %d to %d photos, not %d", MinPhotos, MaxPhotos, n)
	}
	if math.IsNaN(req.AccuracyM) || req.AccuracyM < 0 || req.AccuracyM > maxAccuracyM {
		return CheckIn{}, trustmark.Invalidf("audit.accuracy", "accuracy_m", "accuracy %v m is not between 0 and %v", req.AccuracyM, maxAccuracyM)
	}
	p, d, err := ParsePosition(req.Lat, req.Lng, req.Datum)
	if err != nil {
		return CheckIn{}, err
	}
	if req.ID == "" {
		return CheckIn{}, trustmark.Invalidf("audit.checkin_id", "id", "a check-in needs an id")
	}
	return CheckIn{ID: req.ID, Audit: a.ID, Person: req.Person, Kind: kind, At: now, DeviceTime: req.DeviceTime,
		Position: p, Lat: req.Lat, Lng: req.Lng, Datum: d, AccuracyM: req.AccuracyM, Device: req.Device, Photos: req.Photos}, nil
}

// CheckWindow applies the real system's time windows to one check-in
// (cnca-checkin-opening-window, cnca-checkin-closing-window). An opening
// check-in may be early, but only on the day of the opening meeting in
// China; it is late when more than Rules.OpenLate after the meeting starts
// (exactly two hours is in time). A closing check-in is early before the
// closing meeting starts, late when more than Rules.CloseLate after it
// ends.
func (r *Rules) CheckWindow(a *Audit, c CheckIn) (Anomaly, bool) {
	ev := Evidence{"checkin": c.ID, "at": rfc(c.At)}
	switch c.Kind {
	case Open:
		start := a.Start()
		ev["opening_at"] = rfc(start)
		if c.At.After(start.Add(r.OpenLate)) {
			ev["late_by"] = c.At.Sub(start.Add(r.OpenLate)).String()
			return r.anomaly(a, LateOpen, Major, c.ID, ev, c.At), true
		}
		if c.At.Before(start) && trustmark.DateOf(c.At) != trustmark.DateOf(start) {
			return r.anomaly(a, EarlyOpen, Major, c.ID, ev, c.At), true
		}
	case Close:
		ev["closing_at"], ev["closing_ends_at"] = rfc(a.Plan.ClosingAt), rfc(a.End())
		if c.At.Before(a.Plan.ClosingAt) {
			ev["early_by"] = a.Plan.ClosingAt.Sub(c.At).String()
			return r.anomaly(a, EarlyClose, Major, c.ID, ev, c.At), true
		}
		if c.At.After(a.End().Add(r.CloseLate)) {
			ev["late_by"] = c.At.Sub(a.End().Add(r.CloseLate)).String()
			return r.anomaly(a, LateClose, Major, c.ID, ev, c.At), true
		}
	}
	return Anomaly{}, false
}

// CheckDistance raises far_from_site when a check-in is more than
// Rules.FarM from the nearest of the plan's sites (its evidence names that
// site by index and address), counting the reported accuracy in the
// auditor's favour: the check-in is far only when its whole accuracy
// circle lies beyond the limit, that is when distance − accuracy >
// Rules.FarM. The accuracy credited is capped at Rules.MaxAccuracyM, so
// that a phone reporting a vague fix cannot excuse any distance. Both the
// site and the check-in are compared in WGS-84, whatever datum each was
// reported in. Ten times the limit is severe.
func (r *Rules) CheckDistance(a *Audit, c CheckIn) (Anomaly, bool) {
	i, s, d := a.Plan.Nearest(c.Position)
	// Centimetres: no phone is finer, and "exactly 5 km" stays exact.
	d = math.Round(d*100) / 100
	credit := math.Min(c.AccuracyM, r.MaxAccuracyM)
	if d-credit <= r.FarM {
		return Anomaly{}, false
	}
	sev := Major
	if d-credit > 10*r.FarM {
		sev = Severe
	}
	return r.anomaly(a, FarFromSite, sev, c.ID, Evidence{"checkin": c.ID, "distance_m": metres(d),
		"accuracy_m": metres(c.AccuracyM), "credited_m": metres(credit), "limit_m": metres(r.FarM),
		"site": strconv.Itoa(i), "site_address": s.Address}, c.At), true
}

func metres(m float64) string { return strconv.FormatFloat(m, 'f', 0, 64) }

// CheckClock raises clock_skew when the device's time is more than
// Rules.ClockSkew from the server's (severe beyond Rules.ClockSkewHigh): a
// phone whose clock was set back to fake a check-in's time. A check-in
// without a device time is not judged.
func (r *Rules) CheckClock(a *Audit, c CheckIn) (Anomaly, bool) {
	if c.DeviceTime.IsZero() {
		return Anomaly{}, false
	}
	skew := c.DeviceTime.Sub(c.At)
	if skew.Abs() <= r.ClockSkew {
		return Anomaly{}, false
	}
	sev := Minor
	if skew.Abs() > r.ClockSkewHigh {
		sev = Major
	}
	return r.anomaly(a, ClockSkew, sev, c.ID, Evidence{"checkin": c.ID, "at": rfc(c.At), "device_time": rfc(c.DeviceTime), "skew": skew.String()}, c.At), true
}

// PublicCheckIn is what the public log says of a check-in: who checked in
// to which audit, when, how far from the nearest of its sites (rounded to
// 100 m) and with which photos (by content hash). Where the person stood,
// how precisely and from which device is personal data: the log commits
// to it only by salted hash (CheckIn.Personal).
type PublicCheckIn struct {
	ID        string    `json:"id"`
	Audit     string    `json:"audit"`
	Person    string    `json:"person"`
	Kind      CheckKind `json:"kind"`
	At        time.Time `json:"at"`
	DistanceM float64   `json:"distance_m"` // from the nearest site, rounded to 100 m
	Photos    []Photo   `json:"photos"`
}

// Public returns what the public log says of c, made to an audit at site:
// for a plan of several sites, the nearest (Plan.Nearest).
func (c CheckIn) Public(site Point) PublicCheckIn {
	p := PublicCheckIn{ID: c.ID, Audit: c.Audit, Person: c.Person, Kind: c.Kind, At: c.At,
		DistanceM: math.Round(DistanceM(c.Position, site)/100) * 100, Photos: make([]Photo, len(c.Photos))}
	for i, ph := range c.Photos {
		p.Photos[i] = Photo{SHA256: ph.SHA256} // the perceptual hash stays private
	}
	return p
}

// Personal returns the personal fields of c that the public log commits
// to by salted hash: the position as reported and in WGS-84, its accuracy,
// the device time and the device (already a hash).
func (c CheckIn) Personal() map[string]string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	m := map[string]string{"lat": f(c.Lat), "lng": f(c.Lng), "datum": string(c.Datum),
		"wgs84_lat": f(c.Position.Lat), "wgs84_lng": f(c.Position.Lng), "accuracy_m": f(c.AccuracyM)}
	if !c.DeviceTime.IsZero() {
		m["device_time"] = c.DeviceTime.UTC().Format(time.RFC3339Nano)
	}
	if c.Device != "" {
		m["device"] = c.Device
	}
	return m
}
