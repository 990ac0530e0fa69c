package trustmark

import "testing"

func TestIssuerStanding(t *testing.T) {
	since := day("2026-02-01")
	tests := []struct {
		name     string
		own      Tone
		issuer   PartyStatus
		wantTone Tone
		wantWarn bool
	}{
		{"a good record of an active issuer reads good", ToneGood, PartyActive, ToneGood, false},
		{"a good record of a suspended issuer reads caution", ToneGood, PartySuspended, ToneCaution, true},
		{"a good record of a revoked issuer reads caution", ToneGood, PartyRevoked, ToneCaution, true},
		{"a cautioned record of a revoked issuer stays caution", ToneCaution, PartyRevoked, ToneCaution, true},
		{"a bad record of a revoked issuer stays bad", ToneBad, PartyRevoked, ToneBad, true},
		{"a bad record of an active issuer stays bad", ToneBad, PartyActive, ToneBad, false},
		{"a record read without its issuer adds nothing", ToneGood, "", ToneGood, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := IssuerStanding(tt.own, tt.issuer, since)
			if got.Tone != tt.wantTone || got.IssuerWarning != tt.wantWarn {
				t.Errorf("IssuerStanding(%s, %s) = tone %s, warning %v; want %s, %v", tt.own, tt.issuer, got.Tone, got.IssuerWarning, tt.wantTone, tt.wantWarn)
			}
			if got.IssuerStatus != tt.issuer || got.IssuerSince != since {
				t.Errorf("IssuerStanding(%s, %s) issuer = %s since %s, want %s since %s", tt.own, tt.issuer, got.IssuerStatus, got.IssuerSince, tt.issuer, since)
			}
		})
	}
}

func TestCertificateStanding(t *testing.T) {
	tests := []struct {
		name     string
		status   CertStatus
		body     PartyStatus
		today    string
		wantTone Tone
		wantWarn bool
	}{
		{"a valid certificate of an active body is good", StatusValid, PartyActive, "2026-03-15", ToneGood, false},
		{"a valid certificate of a revoked body is not plainly good", StatusValid, PartyRevoked, "2026-03-15", ToneCaution, true},
		{"a suspended certificate calls for caution", StatusSuspended, PartyActive, "2026-03-15", ToneCaution, false},
		{"a revoked certificate is bad", StatusRevoked, PartyActive, "2026-03-15", ToneBad, false},
		{"a valid certificate past its expiry is bad", StatusValid, PartyActive, "2030-01-01", ToneBad, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Certificate{Status: tt.status, IssuedOn: day("2026-01-10"), ExpiresOn: day("2029-01-09"), BodyStatus: tt.body}
			got := c.Standing(day(tt.today))
			if got.Tone != tt.wantTone || got.IssuerWarning != tt.wantWarn {
				t.Errorf("Standing(%s) of a %s certificate of a %s body = %s, warning %v; want %s, %v",
					tt.today, tt.status, tt.body, got.Tone, got.IssuerWarning, tt.wantTone, tt.wantWarn)
			}
		})
	}
}

func TestReportStanding(t *testing.T) {
	tests := []struct {
		name       string
		conclusion Conclusion
		lab        PartyStatus
		wantTone   Tone
		wantWarn   bool
	}{
		{"a pass of an active laboratory is good", ConclusionPass, PartyActive, ToneGood, false},
		{"a pass of a suspended laboratory is not plainly good", ConclusionPass, PartySuspended, ToneCaution, true},
		{"a fail is bad", ConclusionFail, PartyActive, ToneBad, false},
		{"a fail of a revoked laboratory is bad and says so", ConclusionFail, PartyRevoked, ToneBad, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := (&Report{Conclusion: tt.conclusion, LabStatus: tt.lab}).Standing()
			if got.Tone != tt.wantTone || got.IssuerWarning != tt.wantWarn {
				t.Errorf("Standing of a %s report of a %s laboratory = %s, warning %v; want %s, %v", tt.conclusion, tt.lab, got.Tone, got.IssuerWarning, tt.wantTone, tt.wantWarn)
			}
		})
	}
}
