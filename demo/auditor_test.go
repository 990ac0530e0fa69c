package demo_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/audit"
	"trustmark/demo"
	"trustmark/sqlstore"
)

// loadDemoOn generates the tiny data set as of day into a store whose clock
// reads noon in China on that day, and gives the demo accounts their links.
func loadDemoOn(t *testing.T, day trustmark.Date) (*sqlstore.DB, demo.Summary, map[account.Email]account.Role) {
	t.Helper()
	ctx := context.Background()
	now := day.Time().Add(4 * time.Hour) // Date.Time is midnight UTC, eight in the morning in China
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "trustmark.db"), sqlstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sum, err := demo.Generate(ctx, db, demo.Options{Scale: demo.ScaleTiny, Seed: 1, Today: day})
	if err != nil {
		t.Fatal(err)
	}
	links, err := demo.Accounts(ctx, db, db, rand.Reader, now)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[account.Email]account.Role{}
	for _, l := range links {
		a, err := db.AccountByEmail(ctx, l.Email)
		if err != nil {
			t.Fatal(err)
		}
		roles[l.Email] = a.Roles[0]
	}
	return db, sum, roles
}

// TestDemoAuditorHasAudits: on the day the demo is loaded, whatever its
// weekday, the demo auditor is on the team of an audit opening that day
// that waits for their check-in, has audits behind them with their
// check-ins (one of the last month raising an anomaly) and one to come;
// every one reported by the demo body, whose registered auditor they are,
// and of a type they are qualified for.
func TestDemoAuditorHasAudits(t *testing.T) {
	ctx := context.Background()
	for _, day := range []trustmark.Date{today, trustmark.NewDate(2026, time.March, 21), trustmark.NewDate(2026, time.March, 22)} {
		t.Run(fmt.Sprintf("loaded on a %s", day.Time().Weekday()), func(t *testing.T) {
			db, _, roles := loadDemoOn(t, day)
			regNo, body := roles["auditor@trustmark.example"].ID, roles["body@trustmark.example"].ID
			p, err := db.Person(ctx, regNo)
			if err != nil {
				t.Fatalf("the demo auditor %q: %v", regNo, err)
			}
			if p.BodyApprovalNo != body || p.Status != trustmark.PartyActive {
				t.Fatalf("the demo auditor %s is %s with %s, want active with the demo body %s", regNo, p.Status, p.BodyApprovalNo, body)
			}
			as, err := db.FindAudits(ctx, audit.Query{Person: regNo, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			waiting, checkedIn, anomalous, coming := 0, 0, 0, 0
			for _, a := range as {
				if a.Body != body {
					t.Errorf("audit %s of the demo auditor is reported by %s, want the demo body %s", a.ID, a.Body, body)
				}
				if !slices.Contains(p.Qualifications, a.Plan.Type) {
					t.Errorf("audit %s is of %s; the demo auditor is qualified for %v", a.ID, a.Plan.Type, p.Qualifications)
				}
				cs, err := db.AuditCheckIns(ctx, a.ID)
				if err != nil {
					t.Fatal(err)
				}
				theirs := slices.ContainsFunc(cs, func(c audit.CheckIn) bool { return c.Person == regNo })
				switch opening := trustmark.DateOf(a.Plan.OpeningAt); {
				case opening == day && !theirs:
					waiting++
				case opening.Before(day) && theirs:
					checkedIn++
					recs, err := db.AuditAnomalies(ctx, a.ID)
					if err != nil {
						t.Fatal(err)
					}
					if len(recs) > 0 && !opening.Before(day.AddDate(0, -1, 0)) {
						anomalous++
					}
				case opening.After(day):
					coming++
				}
			}
			if waiting == 0 || checkedIn < 2 || anomalous == 0 || coming == 0 {
				t.Errorf("the demo auditor %s has %d audits opening %s without their check-in, %d before it with their check-ins (%d of the last month with an anomaly), %d to come; want at least 1, 2, 1, 1",
					regNo, waiting, day, checkedIn, anomalous, coming)
			}
		})
	}
}

// TestDemoCertificatesExpireAroundToday: the demo holds certificates of
// the demo body expiring the day before its day, on it and the day after,
// named among the examples it prints: valid through the expiry date,
// expired from the day after (the one of yesterday recorded as expired).
func TestDemoCertificatesExpireAroundToday(t *testing.T) {
	ctx := context.Background()
	db, sum, roles := loadDemoOn(t, today)
	ex := sum.Examples
	var printed strings.Builder
	if _, err := ex.WriteTo(&printed); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		number string
		days   int
		stored trustmark.CertStatus
		today  trustmark.CertStatus
	}{
		{ex.ExpiredYesterday, -1, trustmark.StatusExpired, trustmark.StatusExpired},
		{ex.ExpiresToday, 0, trustmark.StatusValid, trustmark.StatusValid},
		{ex.ExpiresTomorrow, 1, trustmark.StatusValid, trustmark.StatusValid},
	} {
		want := today.AddDate(0, 0, c.days)
		cert, err := db.Certificate(ctx, c.number)
		if err != nil {
			t.Errorf("the certificate expiring %s: Certificate(%q): %v", want, c.number, err)
			continue
		}
		if cert.ExpiresOn != want || cert.Status != c.stored || cert.BodyApprovalNo != roles["body@trustmark.example"].ID {
			t.Errorf("certificate %s expires %s, is stored %s, issued by %s; want %s, %s, the demo body", c.number, cert.ExpiresOn, cert.Status, cert.BodyApprovalNo, want, c.stored)
		}
		if got, _ := cert.EffectiveStatus(today); got != c.today {
			t.Errorf("certificate %s expiring %s is %s on %s, want %s", c.number, cert.ExpiresOn, got, today, c.today)
		}
		if got, _ := cert.EffectiveStatus(cert.ExpiresOn); got != trustmark.StatusValid && c.days >= 0 {
			t.Errorf("certificate %s is %s on its expiry date %s, want valid", c.number, got, cert.ExpiresOn)
		}
		if got, _ := cert.EffectiveStatus(cert.ExpiresOn.AddDate(0, 0, 1)); got != trustmark.StatusExpired {
			t.Errorf("certificate %s is %s the day after its expiry date %s, want expired", c.number, got, cert.ExpiresOn)
		}
		if !strings.Contains(printed.String(), c.number) {
			t.Errorf("the demo's examples do not name certificate %s:\n%s", c.number, printed.String())
		}
	}
}
