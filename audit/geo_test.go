package audit

import (
	"math"
	"testing"
)

// Published sample points: the first three from the tests of
// github.com/googollee/eviltransform, the last from the README of
// github.com/wandergis/coordtransform (wgs84togcj02(116.404, 39.915)).
var gcjSamples = []struct {
	name     string
	wgs, gcj Point
}{
	{"Shanghai", Point{31.1774276, 121.5272106}, Point{31.17530398364597, 121.531541859215}},
	{"Shenzhen", Point{22.543847, 113.912316}, Point{22.540796131694766, 113.9171764808363}},
	{"Beijing", Point{39.911954, 116.377817}, Point{39.91334545536069, 116.38404722455657}},
	{"Tiananmen", Point{39.915, 116.404}, Point{39.91640428150164, 116.41024449916938}},
}

func TestWGSToGCJMatchesPublishedPoints(t *testing.T) {
	for _, s := range gcjSamples {
		t.Run(s.name, func(t *testing.T) {
			got := WGSToGCJ(s.wgs)
			if math.Abs(got.Lat-s.gcj.Lat) > 1e-9 || math.Abs(got.Lng-s.gcj.Lng) > 1e-9 {
				t.Errorf("WGSToGCJ(%v) = %v, want %v", s.wgs, got, s.gcj)
			}
		})
	}
}

func TestGCJToWGSInvertsToTheMillimetre(t *testing.T) {
	for _, s := range gcjSamples {
		t.Run(s.name, func(t *testing.T) {
			got := GCJToWGS(s.gcj)
			if d := DistanceM(got, s.wgs); d > 0.01 {
				t.Errorf("GCJToWGS(%v) = %v, %.4f m from %v, want within 1 cm", s.gcj, got, d, s.wgs)
			}
			if d := DistanceM(s.gcj, s.wgs); d < 100 || d > 1000 {
				t.Errorf("the obfuscation at %s moves a point %.0f m, want hundreds of metres", s.name, d)
			}
		})
	}
}

func TestGCJLeavesPointsOutsideChinaAlone(t *testing.T) {
	for _, p := range []Point{{51.5007, -0.1246}, {-33.8568, 151.2153}, {0.5, 100}, {56, 120}, {35, 71.9}} {
		if got := GCJToWGS(p); got != p {
			t.Errorf("GCJToWGS(%v) = %v, want it unchanged outside China", p, got)
		}
		if got := WGSToGCJ(p); got != p {
			t.Errorf("WGSToGCJ(%v) = %v, want it unchanged outside China", p, got)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		name string
		a, b Point
		want float64 // metres
		tol  float64
	}{
		{"a point is 0 m from itself", Point{30, 120}, Point{30, 120}, 0, 0},
		{"one degree of latitude is 111.2 km on the mean sphere", Point{30, 120}, Point{31, 120}, 111195, 1},
		{"Beijing Capital to Shanghai Hongqiao airports is about 1,080 km", Point{40.0801, 116.5846}, Point{31.1979, 121.3363}, 1078000, 5000},
		{"antipodes are half the circumference", Point{0, 0}, Point{0, 180}, math.Pi * earthRadiusM, 1e-6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DistanceM(tt.a, tt.b); math.Abs(got-tt.want) > tt.tol {
				t.Errorf("DistanceM(%v, %v) = %.1f, want %.1f ± %v", tt.a, tt.b, got, tt.want, tt.tol)
			}
		})
	}
}

var goodPositions = []struct {
	lat, lng float64
	datum    string
	want     Datum
}{
	{30, 120, "wgs84", WGS84},
	{30, 120, "WGS-84", WGS84},
	{30, 120, " gcj02 ", GCJ02},
	{30, 120, "GCJ-02", GCJ02},
	{90, 180, "wgs84", WGS84},
	{-90, -180, "gcj02", GCJ02},
}

var badPositions = []struct {
	lat, lng float64
	datum    string
	field    string
}{
	{30, 120, "", "datum"},
	{30, 120, "bd09", "datum"},
	{90.0001, 120, "wgs84", "lat"},
	{math.NaN(), 120, "wgs84", "lat"},
	{30, math.Inf(1), "wgs84", "lng"},
	{30, -180.5, "gcj02", "lng"},
}

func TestParsePosition(t *testing.T) {
	for _, tt := range goodPositions {
		p, d, err := ParsePosition(tt.lat, tt.lng, tt.datum)
		if err != nil || d != tt.want {
			t.Errorf("ParsePosition(%v, %v, %q) = %v, %v, want datum %s", tt.lat, tt.lng, tt.datum, d, err, tt.want)
		}
		if d == GCJ02 && inChina(Point{tt.lat, tt.lng}) && p == (Point{tt.lat, tt.lng}) {
			t.Errorf("ParsePosition(%v, %v, %q) = %v, want it moved to WGS-84", tt.lat, tt.lng, tt.datum, p)
		}
	}
	for _, tt := range badPositions {
		_, _, err := ParsePosition(tt.lat, tt.lng, tt.datum)
		if err == nil || errField(err) != tt.field {
			t.Errorf("ParsePosition(%v, %v, %q) error = %v, want one about %s", tt.lat, tt.lng, tt.datum, err, tt.field)
		}
	}
}

func FuzzParsePosition(f *testing.F) {
	for _, p := range goodPositions {
		f.Add(p.lat, p.lng, p.datum)
	}
	for _, p := range badPositions {
		f.Add(p.lat, p.lng, p.datum)
	}
	f.Fuzz(func(t *testing.T, lat, lng float64, datum string) {
		p, d, err := ParsePosition(lat, lng, datum)
		if err != nil {
			return
		}
		if math.IsNaN(p.Lat) || math.IsNaN(p.Lng) || math.Abs(p.Lat) > 90.1 || math.Abs(p.Lng) > 180.1 {
			t.Fatalf("ParsePosition(%v, %v, %q) = %v: not a position", lat, lng, datum, p)
		}
		if dist := DistanceM(p, Point{lat, lng}); dist > 2000 {
			t.Fatalf("ParsePosition(%v, %v, %q) moved the point %.0f m, want at most the obfuscation's few hundred", lat, lng, datum, dist)
		}
		if d == GCJ02 && inChina(p) {
			if back := WGSToGCJ(p); DistanceM(back, Point{lat, lng}) > 0.01 {
				t.Fatalf("WGSToGCJ(GCJToWGS(%v, %v)) = %v, want the point back", lat, lng, back)
			}
		}
	})
}
