package audit

import (
	"testing"
	"time"

	"trustmark"
	"trustmark/matter"
)

func TestCheckWindowAtItsEdges(t *testing.T) {
	a := testAudit(t) // opening 09:00; closing meeting 16:00-17:00, 2026-03-02
	tests := []struct {
		name string
		kind CheckKind
		at   string
		want Rule // "" for in time
	}{
		{"an opening check-in at the start is in time", Open, "2026-03-02 09:00", ""},
		{"an opening check-in exactly 2 hours after the start is in time", Open, "2026-03-02 11:00", ""},
		{"an opening check-in a minute past 2 hours is late", Open, "2026-03-02 11:01", LateOpen},
		{"an opening check-in at midnight starting the day is in time", Open, "2026-03-02 00:00", ""},
		{"an opening check-in the evening before is early", Open, "2026-03-01 23:59", EarlyOpen},
		{"an opening check-in the next day is late", Open, "2026-03-03 08:00", LateOpen},
		{"a closing check-in at the closing meeting's start is in time", Close, "2026-03-02 16:00", ""},
		{"a closing check-in a minute before it is early", Close, "2026-03-02 15:59", EarlyClose},
		{"a closing check-in exactly 2 hours after the meeting ends is in time", Close, "2026-03-02 19:00", ""},
		{"a closing check-in a minute later is late", Close, "2026-03-02 19:01", LateClose},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			an, ok := rules.CheckWindow(a, checkIn(t, "C1", tt.kind, tt.at, site))
			if got := an.Rule; ok != (tt.want != "") || got != tt.want {
				t.Errorf("CheckWindow(%s at %s) = %q, %v, want %q", tt.kind, tt.at, got, ok, tt.want)
			}
		})
	}
}

func TestOpeningDayIsTheDayInChina(t *testing.T) {
	a := testAudit(t)
	a.Plan.OpeningAt = cst(t, "2026-03-02 07:30") // 2026-03-01 23:30 UTC
	for _, tt := range []struct {
		at   string
		want bool
	}{{"2026-03-02 00:00", false}, {"2026-03-01 23:59", true}} {
		_, ok := rules.CheckWindow(a, checkIn(t, "C1", Open, tt.at, site))
		if ok != tt.want {
			t.Errorf("CheckWindow(open at %s CST, meeting 07:30 CST) flagged %v, want %v", tt.at, ok, tt.want)
		}
	}
}

func TestCheckDistanceAtItsEdges(t *testing.T) {
	a := testAudit(t)
	gcjSite := *a
	g := WGSToGCJ(site)
	gcjSite.Plan.Site = Site{Address: "杭州市西湖区", Lat: g.Lat, Lng: g.Lng, Datum: GCJ02, WGS84: GCJToWGS(g)}
	tests := []struct {
		name     string
		a        *Audit
		metres   float64
		accuracy float64
		want     Severity // "" for not far
	}{
		{"exactly 5 km is not more than 5 km", a, 5000, 0, ""},
		{"a metre more is far", a, 5001, 0, Major},
		{"5.3 km with a 300 m accuracy circle reaching 5 km is not far", a, 5300, 300, ""},
		{"5.3 km with a 299 m circle wholly beyond 5 km is far", a, 5300, 299, Major},
		{"an accuracy of 50 km is credited only 1 km", a, 6001, 50000, Major},
		{"an accuracy of 50 km at 6 km is not far", a, 6000, 50000, ""},
		{"more than ten times the limit is severe", a, 51001, 0, Severe},
		{"a site from a GCJ-02 map and a WGS-84 phone at the same place agree", &gcjSite, 0, 0, ""},
		{"a GCJ-02 site is 5 km in WGS-84, not in its own datum", &gcjSite, 5000, 0, ""},
		{"a GCJ-02 site and a phone 5,001 m north of it", &gcjSite, 5001, 0, Major},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := checkIn(t, "C1", Open, "2026-03-02 09:00", north(site, tt.metres))
			c.AccuracyM = tt.accuracy
			an, ok := rules.CheckDistance(tt.a, c)
			if ok != (tt.want != "") || an.Severity != tt.want {
				t.Errorf("CheckDistance(%v m, accuracy %v) = %v %q, want %q (evidence %v)", tt.metres, tt.accuracy, ok, an.Severity, tt.want, an.Evidence)
			}
		})
	}
	// Compared without converting, the two datums disagree by hundreds of metres.
	if d := DistanceM(Point{g.Lat, g.Lng}, site); d < 300 {
		t.Fatalf("the GCJ-02 shift in Hangzhou is %.0f m; the datum test above would prove nothing", d)
	}
}

func TestDecideCheckIn(t *testing.T) {
	a := testAudit(t)
	now := cst(t, "2026-03-02 09:05")
	good := CheckInRequest{ID: "C1", Person: "P2", Kind: "open", Lat: site.Lat, Lng: site.Lng, AccuracyM: 20, Datum: "wgs84",
		DeviceTime: now, Photos: []Photo{{SHA256: "x"}}}
	c, err := rules.DecideCheckIn(a, good, now)
	if err != nil || c.Kind != Open || !c.At.Equal(now) || c.Position != site {
		t.Fatalf("DecideCheckIn(good) = %+v, %v", c, err)
	}
	tests := []struct {
		name  string
		edit  func(*CheckInRequest)
		code  string
		field string
	}{
		{"a person not on the team", func(r *CheckInRequest) { r.Person = "X1" }, trustmark.EForbidden, ""},
		{"no photo", func(r *CheckInRequest) { r.Photos = nil }, trustmark.EInvalid, "photos"},
		{"four photos", func(r *CheckInRequest) { r.Photos = make([]Photo, 4) }, trustmark.EInvalid, "photos"},
		{"a negative accuracy", func(r *CheckInRequest) { r.AccuracyM = -1 }, trustmark.EInvalid, "accuracy_m"},
		{"an unknown kind", func(r *CheckInRequest) { r.Kind = "lunch" }, trustmark.EInvalid, "kind"},
		{"no datum", func(r *CheckInRequest) { r.Datum = "" }, trustmark.EInvalid, "datum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good
			tt.edit(&r)
			_, err := rules.DecideCheckIn(a, r, now)
			if trustmark.ErrorCode(err) != tt.code || errField(err) != tt.field {
				t.Errorf("DecideCheckIn error = %v, want %s about %q", err, tt.code, tt.field)
			}
		})
	}
}

func TestCheckClock(t *testing.T) {
	a := testAudit(t)
	for _, tt := range []struct {
		name string
		skew string
		want Severity
	}{{"ten minutes fast is tolerated", "2026-03-02 09:10", ""}, {"eleven minutes slow is skew", "2026-03-02 08:49", Minor},
		{"two days back is major", "2026-02-28 09:00", Major}} {
		c := checkIn(t, "C1", Open, "2026-03-02 09:00", site)
		c.DeviceTime = cst(t, tt.skew)
		an, ok := rules.CheckClock(a, c)
		if ok != (tt.want != "") || an.Severity != tt.want {
			t.Errorf("%s: CheckClock = %v %q, want %q", tt.name, ok, an.Severity, tt.want)
		}
	}
}

func TestCheckMissingOnceTheLastDayHasPassed(t *testing.T) {
	a := testAudit(t)
	open := []CheckIn{checkIn(t, "C1", Open, "2026-03-02 09:00", site)}
	tests := []struct {
		name     string
		checkins []CheckIn
		now      string
		missing  string
	}{
		{"not on the last day itself", open, "2026-03-02 23:59", ""},
		{"from the next day in China", open, "2026-03-03 00:00", "close"},
		{"both missing", nil, "2026-03-03 00:00", "open,close"},
		{"none when both are there", append(open, checkIn(t, "C2", Close, "2026-03-02 17:00", site)), "2026-03-09 00:00", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			an, ok := rules.CheckMissing(a, tt.checkins, cst(t, tt.now))
			if ok != (tt.missing != "") || an.Evidence["missing"] != tt.missing {
				t.Errorf("CheckMissing at %s = %v %v, want missing %q", tt.now, ok, an.Evidence, tt.missing)
			}
		})
	}
}

func TestCheckOnsite(t *testing.T) {
	a := testAudit(t) // 3 auditor-days, 3 auditors: 8 hours each; 80% is 6 h 24 min
	tests := []struct {
		name        string
		open, close string
		short       bool
	}{
		{"exactly 80% is enough", "2026-03-02 09:00", "2026-03-02 15:24", false},
		{"a minute less is short", "2026-03-02 09:00", "2026-03-02 15:23", true},
		{"a night counts at most 8 hours a day", "2026-03-01 20:00", "2026-03-02 08:00", false},
		{"two hours each side of midnight are 4 hours", "2026-03-01 22:00", "2026-03-02 02:00", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := []CheckIn{checkIn(t, "C1", Open, tt.open, site), checkIn(t, "C2", Close, tt.close, site)}
			an, ok := rules.CheckOnsite(a, cs, cst(t, "2026-03-02 20:00"))
			if ok != tt.short {
				t.Errorf("CheckOnsite(%s to %s) = %v %v, want short %v", tt.open, tt.close, ok, an.Evidence, tt.short)
			}
		})
	}
	b := testAudit(t)
	b.Minimum = &Minimum{Days: 6} // the MD 5 minimum weighs when it is more than the plan
	cs := []CheckIn{checkIn(t, "C1", Open, "2026-03-02 09:00", site), checkIn(t, "C2", Close, "2026-03-02 17:00", site)}
	if an, ok := rules.CheckOnsite(b, cs, cst(t, "2026-03-02 20:00")); !ok || an.Evidence["basis"] != "md5_minimum" {
		t.Errorf("CheckOnsite against a minimum of 6 days = %v %v, want short on md5_minimum", ok, an.Evidence)
	}
}

func TestAnomalyMattersAreDueFiveWorkingDaysAfterTheAudit(t *testing.T) {
	mr := matter.Official()
	tests := []struct {
		name, opening, closing, raised, due string
	}{
		{"an audit ending on a Monday", "2026-03-02 09:00", "2026-03-02 16:00", "2026-03-02 12:00", "2026-03-09"},
		{"across Spring Festival 2026 (15-23 February off, Saturday 14 February worked)", "2026-02-12 09:00", "2026-02-12 16:00", "2026-02-12 12:00", "2026-02-26"},
		{"raised on the first day of a three-day audit, counted from its last", "2026-02-10 09:00", "2026-02-12 16:00", "2026-02-10 12:00", "2026-02-26"},
		{"raised by the sweep days after the audit", "2026-02-12 09:00", "2026-02-12 16:00", "2026-02-25 00:00", "2026-02-26"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := testAudit(t)
			a.Plan.OpeningAt, a.Plan.ClosingAt, a.Plan.ClosingEndsAt = cst(t, tt.opening), cst(t, tt.closing), cst(t, tt.closing).Add(rules.ClosingLen)
			an := rules.anomaly(a, LateOpen, Major, "C1", Evidence{}, cst(t, tt.raised))
			m, _, err := mr.Open(an.Matter)
			if err != nil {
				t.Fatalf("matter.Open(%+v): %v", an.Matter, err)
			}
			if m.Due.Date != date(t, tt.due) || m.Subject != "audit:A1/late_open" || m.Party.ID != bodyNo {
				t.Errorf("matter = due %s, subject %s, party %v, want due %s", m.Due.Date, m.Subject, m.Party, tt.due)
			}
		})
	}
}

func TestSurveillanceOverdue(t *testing.T) {
	tests := []struct {
		name           string
		issued, last   string
		today, dueWant string
		overdue        bool
	}{
		{"due 12 months after issue: the due day is in time", "2025-03-01", "", "2026-03-01", "2026-03-01", false},
		{"overdue the day after", "2025-03-01", "", "2026-03-02", "2026-03-01", true},
		{"counted from the last audit when later", "2025-03-01", "2026-02-10", "2026-03-02", "2027-02-10", false},
		{"issued 29 February, due 28 February", "2024-02-29", "", "2025-03-01", "2025-02-28", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := CertificateFacts{Number: "00126Q0001", Body: bodyNo, Region: "330106", Status: trustmark.StatusValid, IssuedOn: date(t, tt.issued)}
			if tt.last != "" {
				c.LastAudit = date(t, tt.last)
			}
			if got := rules.SurveillanceDue(c); got != date(t, tt.dueWant) {
				t.Errorf("SurveillanceDue = %s, want %s", got, tt.dueWant)
			}
			now := date(t, tt.today).Time().Add(2 * time.Hour)
			an, ok := rules.CheckSurveillance(c, now)
			if ok != tt.overdue {
				t.Fatalf("CheckSurveillance on %s = %v, want %v", tt.today, ok, tt.overdue)
			}
			if ok {
				if _, _, err := matter.Official().Open(an.Matter); err != nil || an.Evidence["required"] != "suspend" {
					t.Errorf("surveillance matter: %v, evidence %v", err, an.Evidence)
				}
			}
		})
	}
}
