package storetest

import (
	"strings"
	"testing"

	"trustmark"
)

// testLookups holds every store to the identifiers' canonical forms: a
// certificate is found by its number in any spelling Identify accepts and
// by its key (type, number); a report by its number in any case.
func testLookups(t *testing.T, open func(t *testing.T) trustmark.Store) {
	s := open(t)
	seed(t, s)
	// A QMS certificate shares the CCC certificate's number: numbers are
	// unique per type only.
	twin := qms(cccNo, bodyB, org2)
	wantAll(t, importAll(t, s, trustmark.KindCertificates, twin), trustmark.Created)

	t.Run("a number finds its certificate in any spelling", func(t *testing.T) {
		for _, spelling := range []string{qmsNo, strings.ToLower(qmsNo), " " + qmsNo + "\t", "００１２５Ｑ１０００１Ｒ０Ｍ", "００１２５ｑ１０００１ｒ０ｍ"} {
			c, err := s.Certificate(ctx, spelling)
			if err != nil {
				t.Errorf("Certificate(%q) error %v, want %s", spelling, err, qmsNo)
				continue
			}
			if c.Number != qmsNo || c.Type != trustmark.TypeQMS {
				t.Errorf("Certificate(%q) = %s, want QMS/%s", spelling, c.Key(), qmsNo)
			}
		}
	})
	t.Run("a number shared by two types finds the first type", func(t *testing.T) {
		c, err := s.Certificate(ctx, cccNo)
		if err != nil || c.Type != trustmark.TypeCCC {
			t.Errorf("Certificate(%s) = %v, %v, want the CCC certificate (CCC comes first in CertTypes)", cccNo, c, err)
		}
	})
	t.Run("a key finds the certificate of its type", func(t *testing.T) {
		for _, k := range []trustmark.CertKey{{Type: trustmark.TypeCCC, Number: cccNo}, {Type: trustmark.TypeQMS, Number: cccNo}, {Type: trustmark.TypeQMS, Number: qmsNo}} {
			c, err := s.CertificateByKey(ctx, k)
			if err != nil {
				t.Errorf("CertificateByKey(%s) error %v", k, err)
				continue
			}
			if got := c.Key(); got != k.String() {
				t.Errorf("CertificateByKey(%s) = %s", k, got)
			}
		}
		c, err := s.CertificateByKey(ctx, trustmark.CertKey{Type: trustmark.TypeQMS, Number: cccNo})
		if err == nil && (c.HolderUSCC != org2 || c.BodyName == "" || c.HolderName == "") {
			t.Errorf("CertificateByKey(QMS/%s) = holder %s names %q %q, want org2's with the names", cccNo, c.HolderUSCC, c.HolderName, c.BodyName)
		}
	})
	t.Run("a key parsed from any spelling finds the certificate", func(t *testing.T) {
		k, err := trustmark.ParseCertKey("qms/" + strings.ToLower(qmsNo))
		if err != nil {
			t.Fatal(err)
		}
		if c, err := s.CertificateByKey(ctx, k); err != nil || c.Number != qmsNo {
			t.Errorf("CertificateByKey(%s) = %v, %v, want %s", k, c, err, qmsNo)
		}
	})
	t.Run("a key of a type without that number is not found", func(t *testing.T) {
		for _, k := range []trustmark.CertKey{{Type: trustmark.TypeEMS, Number: qmsNo}, {Type: trustmark.TypeQMS, Number: "NO-SUCH"}, {Type: trustmark.TypeQMS, Number: "A B"}} {
			_, err := s.CertificateByKey(ctx, k)
			wantCode(t, "CertificateByKey("+k.String()+")", err, trustmark.ENotFound, "")
		}
	})
	t.Run("a number no certificate can have is not found", func(t *testing.T) {
		for _, n := range []string{"", "A B", strings.Repeat("9", 65)} {
			_, err := s.Certificate(ctx, n)
			wantCode(t, "Certificate("+n+")", err, trustmark.ENotFound, "")
		}
	})
	t.Run("a report number finds its report in any case", func(t *testing.T) {
		for _, spelling := range []string{"R2026-0001", "r2026-0001", " r2026-0001 ", "ｒ２０２６－０００１"} {
			r, err := s.Report(ctx, lab1, spelling)
			if err != nil {
				t.Errorf("Report(%s, %q) error %v", lab1, spelling, err)
				continue
			}
			if r.Number != "R2026-0001" {
				t.Errorf("Report(%s, %q) = %s, want R2026-0001", lab1, spelling, r.Number)
			}
		}
		_, err := s.Report(ctx, lab1, "R2026/0001")
		wantCode(t, "Report with a slash", err, trustmark.ENotFound, "")
	})
}
