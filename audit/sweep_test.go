package audit

import (
	"testing"
	"time"

	"trustmark"
	"trustmark/matter"
)

// springAudit is testAudit moved to Friday 2026-02-13, the last working
// day before the Spring Festival holiday (2026-02-15 to 02-23, with
// 02-14 and 02-28 worked instead).
func springAudit(t testing.TB) *Audit {
	a := testAudit(t)
	a.Plan.OpeningAt, a.Plan.ClosingAt, a.Plan.ClosingEndsAt = cst(t, "2026-02-13 09:00"), cst(t, "2026-02-13 16:00"), cst(t, "2026-02-13 17:00")
	return a
}

func TestSweepMissingAtTheEndDate(t *testing.T) {
	a := springAudit(t)
	open := CheckIn{ID: "C1", Audit: a.ID, Person: "P1", Kind: Open, At: cst(t, "2026-02-13 09:05")}
	tests := []struct {
		name     string
		checkins []CheckIn
		now      string
		missing  string
	}{
		{"the last day, a minute before midnight in China", []CheckIn{open}, "2026-02-13 23:59", ""},
		{"the day after, at midnight in China (16:00 UTC)", []CheckIn{open}, "2026-02-14 00:00", "close"},
		{"no check-in at all", nil, "2026-02-14 00:00", "open,close"},
		{"months later, both check-ins made", []CheckIn{open, {ID: "C2", Kind: Close, At: cst(t, "2026-02-13 17:10")}}, "2026-06-01 00:00", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rules.Sweep([]Swept{{Audit: *a, CheckIns: tt.checkins}}, nil, cst(t, tt.now))
			if tt.missing == "" {
				if len(got) != 0 {
					t.Fatalf("Sweep = %v, want nothing", got)
				}
				return
			}
			if len(got) != 1 || got[0].Rule != MissingCheckin || got[0].Evidence["missing"] != tt.missing {
				t.Fatalf("Sweep = %+v, want missing_checkin of %q", got, tt.missing)
			}
		})
	}
}

// The body explains within 5 working days after the audit's last day
// (cnca-checkin-explanation-deadline): from Friday 13 February, Saturday
// 14 (worked) is the first, the holiday does not count, and Friday 27 is
// the fifth.
func TestSweepMissingMatterAcrossSpringFestival(t *testing.T) {
	a := springAudit(t)
	sweep := func(now string) []Anomaly { return rules.Sweep([]Swept{{Audit: *a}}, nil, cst(t, now)) }
	first, later := sweep("2026-02-14 00:00"), sweep("2026-02-25 10:00")
	if len(first) != 1 || len(later) != 1 {
		t.Fatalf("sweeps = %v, %v", first, later)
	}
	if first[0].Key != later[0].Key {
		t.Errorf("keys %q and %q differ: a later sweep would raise the anomaly again", first[0].Key, later[0].Key)
	}
	for _, an := range []Anomaly{first[0], later[0]} {
		m, _, err := matter.Official().Open(an.Matter)
		if err != nil {
			t.Fatal(err)
		}
		if want := date(t, "2026-02-27"); m.Due.Date != want {
			t.Errorf("raised %s: due %s, want %s", an.RaisedAt, m.Due.Date, want)
		}
		if an.Matter.Party.ID != a.Body {
			t.Errorf("the matter is for %v, want the body %s", an.Matter.Party, a.Body)
		}
	}
}

func TestSweepSurveillance(t *testing.T) {
	c := CertificateFacts{Number: "00126Q0001", Body: "CNCA-R-2002-001", Region: "330106", Status: trustmark.StatusValid, IssuedOn: date(t, "2025-03-01")}
	at := func(s string) time.Time { return cst(t, s) }
	if got := rules.Sweep(nil, []CertificateFacts{c}, at("2026-03-01 23:59")); len(got) != 0 {
		t.Errorf("on the due day: %v", got)
	}
	got := rules.Sweep(nil, []CertificateFacts{c}, at("2026-03-02 00:00"))
	if len(got) != 1 || got[0].Rule != SurveillanceOverdue || got[0].Key != "certificate:00126Q0001/surveillance_overdue/2026-03-01" {
		t.Fatalf("the day after the due day: %+v", got)
	}
	c.Status = trustmark.StatusSuspended
	if got := rules.Sweep(nil, []CertificateFacts{c}, at("2026-03-02 00:00")); len(got) != 0 {
		t.Errorf("a suspended certificate: %v", got)
	}
	c.Status, c.LastAudit = trustmark.StatusValid, date(t, "2026-02-20")
	if got := rules.Sweep(nil, []CertificateFacts{c}, at("2027-02-21 00:00")); len(got) != 1 || got[0].Key == "certificate:00126Q0001/surveillance_overdue/2026-03-01" {
		t.Errorf("overdue again after a later audit must be a new anomaly: %+v", got)
	}
}

func TestLastSurveillance(t *testing.T) {
	a := testAudit(t) // surveillance of 00126Q0001 on 2026-03-02
	open := []CheckIn{{Kind: Open}}
	recert := *a
	recert.Plan.Kind, recert.Plan.OpeningAt, recert.Plan.ClosingEndsAt = Recertification, cst(t, "2026-05-10 09:00"), cst(t, "2026-05-11 17:00")
	other := *a
	other.Plan.Certificate = "00126Q0002"
	audits := []Swept{{*a, open}, {recert, nil}, {other, open}}
	if got := LastSurveillance("00126Q0001", audits, date(t, "2026-06-01")); got != date(t, "2026-03-02") {
		t.Errorf("LastSurveillance = %s: a recertification nobody checked in to does not count", got)
	}
	audits[1].CheckIns = open
	if got := LastSurveillance("00126Q0001", audits, date(t, "2026-05-10")); got != date(t, "2026-03-02") {
		t.Errorf("LastSurveillance before the recertification ended = %s", got)
	}
	if got := LastSurveillance("00126Q0001", audits, date(t, "2026-05-11")); got != date(t, "2026-05-11") {
		t.Errorf("LastSurveillance on its last day = %s", got)
	}
}
