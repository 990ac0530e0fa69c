package trustmark

import "testing"

// TestWhoMayWriteCertificates walks the whole decision table of
// CanWriteCertificate: every kind of actor, on its own certificate and on
// another's, in its region and outside it.
func TestWhoMayWriteCertificates(t *testing.T) {
	const own, other = "CNCA-R-2002-001", "CNCA-R-2002-002"
	tests := []struct {
		name       string
		actor      Party
		body       string // the certificate's body
		bodyRegion string
		want       bool
	}{
		{"a body writes its own certificate", Party{PartyBody, own}, own, "110105", true},
		{"a body may not write another body's certificate", Party{PartyBody, own}, other, "110105", false},
		{"a laboratory may not write certificates", Party{PartyLab, "240109200001"}, own, "110105", false},
		{"a national regulator writes anywhere", Party{PartyRegulator, NationalRegion}, own, "540102", true},
		{"a provincial regulator writes in its province", Party{PartyRegulator, "110000"}, own, "110105", true},
		{"a provincial regulator may not write in another province", Party{PartyRegulator, "310000"}, own, "110105", false},
		{"Chongqing's regulator may not write in Sichuan", Party{PartyRegulator, "500000"}, own, "510104", false},
		{"a city regulator writes in its counties", Party{PartyRegulator, "131000"}, own, "131082", true},
		{"Langfang's regulator may not write in Hengshui", Party{PartyRegulator, "131000"}, own, "131102", false},
		{"a county regulator may not write in the next county", Party{PartyRegulator, "130110"}, own, "130111", false},
		{"a regulator of an unknown region writes nowhere", Party{PartyRegulator, "990000"}, own, "990101", false},
		{"the system writes any certificate", System, other, "110105", true},
		{"an import writes any certificate", Party{PartyImport, "file.csv"}, other, "110105", true},
		{"an unknown kind writes nothing", Party{"person", "2026-NQA-0001"}, own, "110105", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Certificate{Number: "00126Q30001R0M", BodyApprovalNo: tt.body}
			err := tt.actor.CanWriteCertificate(c, tt.bodyRegion)
			if got := err == nil; got != tt.want {
				t.Fatalf("%s.CanWriteCertificate(body %s in %s) = %v, want allowed=%v", tt.actor, tt.body, tt.bodyRegion, err, tt.want)
			}
			if err != nil && ErrorCode(err) != EForbidden {
				t.Errorf("%s.CanWriteCertificate error code %q, want forbidden", tt.actor, ErrorCode(err))
			}
			// The check without a target never refuses what the full one
			// allows: handlers may call it first.
			if err == nil && tt.actor.CanWriteCertificates() != nil {
				t.Errorf("%s.CanWriteCertificates() = %v, but CanWriteCertificate allows", tt.actor, tt.actor.CanWriteCertificates())
			}
		})
	}
}

func TestCanWriteCertificatesRefusesOnlyKindsThatNeverWrite(t *testing.T) {
	for _, kind := range []string{PartyBody, PartyRegulator, PartySystem, PartyImport, PartyLab, "person", ""} {
		t.Run(kind, func(t *testing.T) {
			err := Party{Kind: kind, ID: "x"}.CanWriteCertificates()
			want := kind == PartyBody || kind == PartyRegulator || kind == PartySystem || kind == PartyImport
			if got := err == nil; got != want {
				t.Errorf("Party{%q}.CanWriteCertificates() = %v, want allowed=%v", kind, err, want)
			}
		})
	}
}

func TestWhoMayWriteReports(t *testing.T) {
	const lab = "240109200001"
	tests := []struct {
		name  string
		actor Party
		want  bool
	}{
		{"a laboratory submits its own reports", Party{PartyLab, lab}, true},
		{"a laboratory may not submit another's reports", Party{PartyLab, "240109200002"}, false},
		{"a body may not submit reports", Party{PartyBody, "CNCA-R-2002-001"}, false},
		{"a regulator may not submit reports", Party{PartyRegulator, NationalRegion}, false},
		{"the system submits any report", System, true},
		{"an import submits any report", Party{PartyImport, "reports.csv"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.actor.CanWriteReport(&Report{Number: "R-1", LabCMANo: lab})
			if got := err == nil; got != tt.want {
				t.Fatalf("%s.CanWriteReport = %v, want allowed=%v", tt.actor, err, tt.want)
			}
			if err != nil && (ErrorCode(err) != EForbidden || ErrorField(err) != "lab_cma_no") {
				t.Errorf("%s.CanWriteReport error %q on %q, want forbidden on lab_cma_no", tt.actor, ErrorCode(err), ErrorField(err))
			}
		})
	}
}

func TestChangedStatusSince(t *testing.T) {
	today, prev := NewDate(2026, 12, 7), NewDate(2021, 8, 14)
	for _, tc := range []struct {
		name        string
		given, want Date
	}{
		{"a day between the old status and today is kept", NewDate(2026, 3, 5), NewDate(2026, 3, 5)},
		{"today is kept", today, today},
		{"no day is today", Date{}, today},
		{"a day still to come is today", today.AddDate(0, 0, 1), today},
		{"the old status's own day (a copy of the record) is today", prev, today},
		{"a day before the old status began is today", prev.AddDate(0, 0, -1), today},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ChangedStatusSince(tc.given, prev, today); got != tc.want {
				t.Errorf("ChangedStatusSince(%s, %s, %s) = %s, want %s", tc.given, prev, today, got, tc.want)
			}
		})
	}
}
