package audit

import (
	"errors"
	"testing"
	"time"

	"trustmark"
)

var rules = DefaultRules()

func errField(err error) string {
	var e *trustmark.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return "<not a *trustmark.Error>"
}

func errReason(err error) string {
	var e *trustmark.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// cst returns an instant given in China time, "2026-03-02 09:00".
func cst(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, chinaTime)
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}

func date(t testing.TB, s string) trustmark.Date {
	t.Helper()
	d, err := trustmark.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// site is a factory in Hangzhou, in WGS-84.
var site = Point{30.2741, 120.1551}

// north returns the point m metres due north of p.
func north(p Point, m float64) Point {
	return Point{Lat: p.Lat + m/earthRadiusM*180/3.141592653589793, Lng: p.Lng}
}

// testAudit is a one-day QMS surveillance audit of 3 auditor-days by a
// team of three auditors, on 2026-03-02 from 09:00 to the closing meeting
// at 16:00-17:00, China time.
func testAudit(t testing.TB) *Audit {
	return &Audit{ID: "A1", Body: "CNCA-R-2002-001", Region: "330106", Revision: 1, Plan: Plan{
		Certificate: "00126Q0001", HolderUSCC: "91330106MA2AXXXX01", Type: trustmark.TypeQMS, Kind: Surveillance,
		Site:      Site{Address: "杭州市西湖区", Lat: site.Lat, Lng: site.Lng, Datum: WGS84, WGS84: site},
		OpeningAt: cst(t, "2026-03-02 09:00"), ClosingAt: cst(t, "2026-03-02 16:00"), ClosingEndsAt: cst(t, "2026-03-02 17:00"),
		Team:        []Member{{"P1", Leader}, {"P2", Auditor}, {"P3", Auditor}, {"E1", Expert}},
		AuditorDays: 3, EffectivePersonnel: 120,
	}}
}

func checkIn(t testing.TB, id string, kind CheckKind, at string, p Point) CheckIn {
	return CheckIn{ID: id, Audit: "A1", Person: "P1", Kind: kind, At: cst(t, at), Position: p, Datum: WGS84,
		Photos: []Photo{{SHA256: "sha-" + id, PHash: 0xF0F0F0F0F0F0F0F0}}}
}
