package audit

import (
	"math"
	"strings"

	"trustmark"
)

// Datum is the geodetic datum a position was given in. Phones report
// WGS-84; Chinese web maps (AutoNavi, Tencent) give GCJ-02, which is WGS-84
// shifted by a published obfuscation of several hundred metres. Trustmark
// keeps the datum a client sent and computes every distance in WGS-84.
type Datum string

// Datums.
const (
	WGS84 Datum = "wgs84"
	GCJ02 Datum = "gcj02"
)

// Point is a position in WGS-84, in degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// ParseDatum reads a datum as clients send it: "wgs84" or "gcj02", in any
// case, with or without the hyphen ("WGS-84", "GCJ-02").
func ParseDatum(s string) (Datum, error) {
	switch strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "") {
	case "wgs84":
		return WGS84, nil
	case "gcj02":
		return GCJ02, nil
	}
	return "", trustmark.Invalidf("audit.datum", "datum", "datum %q is not wgs84 or gcj02", s)
}

// ParsePosition reads a position a client gave in datum and returns it in
// WGS-84. It refuses what is not a position on Earth (NaN, infinities,
// latitude outside ±90, longitude outside ±180). A GCJ-02 position outside
// China is taken as it is: the obfuscation applies only inside China, and
// every published implementation leaves other points unchanged.
func ParsePosition(lat, lng float64, datum string) (Point, Datum, error) {
	d, err := ParseDatum(datum)
	if err != nil {
		return Point{}, "", err
	}
	switch {
	case math.IsNaN(lat) || math.IsInf(lat, 0) || lat < -90 || lat > 90:
		return Point{}, "", trustmark.Invalidf("audit.lat", "lat", "latitude %v is not between -90 and 90", lat)
	case math.IsNaN(lng) || math.IsInf(lng, 0) || lng < -180 || lng > 180:
		return Point{}, "", trustmark.Invalidf("audit.lng", "lng", "longitude %v is not between -180 and 180", lng)
	}
	p := Point{Lat: lat, Lng: lng}
	if d == GCJ02 {
		p = GCJToWGS(p)
	}
	return p, d, nil
}

// The GCJ-02 obfuscation, as published by the reverse-engineered
// implementations every Chinese map library uses: the Krasovsky 1940
// ellipsoid's semi-major axis and first eccentricity squared, and two
// polynomial-plus-sine offsets centred on (105°E, 35°N). Written from the
// formulas of github.com/googollee/eviltransform (transform.go: delta,
// transformLat, transformLon, outOfChina) and github.com/wandergis/
// coordtransform (index.js), whose published sample points the tests use.
const (
	gcjA  = 6378245.0
	gcjEE = 0.00669342162296594323
)

// inChina is the rectangle the obfuscation is applied in (eviltransform's
// outOfChina, inverted): a bounding box, so it includes some neighbours'
// land, as every implementation does.
func inChina(p Point) bool {
	return p.Lng >= 72.004 && p.Lng <= 137.8347 && p.Lat >= 0.8293 && p.Lat <= 55.8271
}

func gcjOffsetLat(x, y float64) float64 {
	r := -100 + 2*x + 3*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	r += (20*math.Sin(6*x*math.Pi) + 20*math.Sin(2*x*math.Pi)) * 2 / 3
	r += (20*math.Sin(y*math.Pi) + 40*math.Sin(y/3*math.Pi)) * 2 / 3
	r += (160*math.Sin(y/12*math.Pi) + 320*math.Sin(y*math.Pi/30)) * 2 / 3
	return r
}

func gcjOffsetLng(x, y float64) float64 {
	r := 300 + x + 2*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	r += (20*math.Sin(6*x*math.Pi) + 20*math.Sin(2*x*math.Pi)) * 2 / 3
	r += (20*math.Sin(x*math.Pi) + 40*math.Sin(x/3*math.Pi)) * 2 / 3
	r += (150*math.Sin(x/12*math.Pi) + 300*math.Sin(x/30*math.Pi)) * 2 / 3
	return r
}

// WGSToGCJ returns the GCJ-02 position of a WGS-84 point; outside China
// the point itself.
func WGSToGCJ(p Point) Point {
	if !inChina(p) {
		return p
	}
	dLat := gcjOffsetLat(p.Lng-105, p.Lat-35)
	dLng := gcjOffsetLng(p.Lng-105, p.Lat-35)
	rad := p.Lat / 180 * math.Pi
	magic := 1 - gcjEE*math.Sin(rad)*math.Sin(rad)
	sq := math.Sqrt(magic)
	dLat = dLat * 180 / ((gcjA * (1 - gcjEE)) / (magic * sq) * math.Pi)
	dLng = dLng * 180 / (gcjA / sq * math.Cos(rad) * math.Pi)
	return Point{Lat: p.Lat + dLat, Lng: p.Lng + dLng}
}

// GCJToWGS returns the WGS-84 position of a GCJ-02 point; outside China the
// point itself. The obfuscation has no closed inverse: the answer is found
// by fixed-point iteration (as eviltransform's GCJtoWGSExact), to 1e-9
// degree (a millimetre), where the one-step inverse most libraries use is
// off by a few metres.
func GCJToWGS(g Point) Point {
	if !inChina(g) {
		return g
	}
	w := g
	for range 30 {
		c := WGSToGCJ(w)
		dLat, dLng := c.Lat-g.Lat, c.Lng-g.Lng
		w.Lat -= dLat
		w.Lng -= dLng
		if math.Abs(dLat) < 1e-9 && math.Abs(dLng) < 1e-9 {
			break
		}
	}
	return w
}

// earthRadiusM is the mean Earth radius (IUGG R1 = 6,371,008.8 m): the
// sphere on which haversine distances are within 0.5% of the ellipsoid's,
// far finer than a 5 km rule needs.
const earthRadiusM = 6371008.8

// DistanceM returns the great-circle (haversine) distance between two
// WGS-84 points, in metres.
func DistanceM(a, b Point) float64 {
	la1, la2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dLat := la2 - la1
	dLng := (b.Lng - a.Lng) * math.Pi / 180
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusM * math.Asin(math.Min(1, math.Sqrt(h)))
}
