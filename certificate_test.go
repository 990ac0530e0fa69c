package trustmark

import (
	"strings"
	"testing"
)

func day(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func testCert() Certificate {
	return Certificate{
		Number: "2024010901000123", Type: TypeCCC, BodyApprovalNo: "CNCA-R-2002-001",
		HolderUSCC: "91350100M000100Y43", Scope: "微型计算机", CCCCategory: "0901",
		IssuedOn: day("2024-03-01"), ExpiresOn: day("2029-02-28"), Status: StatusValid, StatusSince: day("2024-03-01"),
	}
}

// TestLifecycleTable walks every pair of statuses and checks the lifecycle
// allows exactly the documented transitions by request.
func TestLifecycleTable(t *testing.T) {
	allowed := map[[2]CertStatus]bool{
		{StatusValid, StatusSuspended}:     true,
		{StatusValid, StatusRevoked}:       true,
		{StatusValid, StatusWithdrawn}:     true,
		{StatusSuspended, StatusValid}:     true, // restore
		{StatusSuspended, StatusRevoked}:   true,
		{StatusSuspended, StatusWithdrawn}: true,
	}
	today := day("2025-06-01")
	for _, from := range CertStatuses {
		for _, to := range CertStatuses {
			name := string(from) + " to " + string(to)
			t.Run(name, func(t *testing.T) {
				c := testCert()
				c.Status, c.StatusSince = from, day("2025-01-01")
				got, err := c.Apply(Transition{To: to, Reason: "surveillance audit overdue"}, today)
				if allowed[[2]CertStatus{from, to}] {
					if err != nil {
						t.Fatalf("Apply(%s → %s) error %v, want allowed", from, to, err)
					}
					if got.Status != to || got.StatusSince != today {
						t.Errorf("Apply(%s → %s) = status %s since %s, want %s since %s", from, to, got.Status, got.StatusSince, to, today)
					}
					return
				}
				if err == nil {
					t.Fatalf("Apply(%s → %s) allowed, want refused", from, to)
				}
				wantCode := EConflict
				if to == StatusExpired {
					wantCode = EInvalid // expiry comes by date, never by request
				}
				if ErrorCode(err) != wantCode {
					t.Errorf("Apply(%s → %s) error code %s (%v), want %s", from, to, ErrorCode(err), err, wantCode)
				}
				if got.Status != from {
					t.Errorf("refused Apply changed status to %s", got.Status)
				}
			})
		}
	}
}

func TestFinalStatuses(t *testing.T) {
	for _, s := range CertStatuses {
		want := s == StatusRevoked || s == StatusWithdrawn || s == StatusExpired
		if got := s.Final(); got != want {
			t.Errorf("%s.Final() = %v, want %v", s, got, want)
		}
	}
}

func TestApplyRules(t *testing.T) {
	today := day("2025-06-01")
	tests := []struct {
		name      string
		edit      func(*Certificate)
		tr        Transition
		wantCode  string
		wantField string
	}{
		{"a suspension needs a reason", nil, Transition{To: StatusSuspended}, EInvalid, "reason"},
		{"a restoration needs no reason", func(c *Certificate) { c.Status = StatusSuspended }, Transition{To: StatusValid}, "", ""},
		{"an effective date in the future is refused", nil, Transition{To: StatusRevoked, Reason: "x", EffectiveOn: day("2025-06-02")}, EInvalid, "effective_on"},
		{"an effective date before the current status is refused", nil, Transition{To: StatusRevoked, Reason: "x", EffectiveOn: day("2023-01-01")}, EInvalid, "effective_on"},
		{"a back-dated effective date after the current status is kept", nil, Transition{To: StatusRevoked, Reason: "x", EffectiveOn: day("2025-05-01")}, "", ""},
		{"an unknown status is invalid", nil, Transition{To: "cancelled", Reason: "x"}, EInvalid, "to"},
		{"the same status is a conflict", nil, Transition{To: StatusValid}, EConflict, "to"},
		{"a certificate past its expiry date cannot be suspended", func(c *Certificate) { c.ExpiresOn = day("2025-05-31") }, Transition{To: StatusSuspended, Reason: "x"}, EConflict, "to"},
		{"a certificate on its expiry date can be suspended", func(c *Certificate) { c.ExpiresOn = day("2025-06-01") }, Transition{To: StatusSuspended, Reason: "x"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCert()
			if tt.edit != nil {
				tt.edit(&c)
			}
			got, err := c.Apply(tt.tr, today)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("Apply error %v, want none", err)
				}
				if want := tt.tr.EffectiveOn; !want.IsZero() && got.StatusSince != want {
					t.Errorf("StatusSince = %s, want %s", got.StatusSince, want)
				}
				return
			}
			if ErrorCode(err) != tt.wantCode || ErrorField(err) != tt.wantField {
				t.Errorf("Apply error = %v (code %q, field %q), want code %q field %q", err, ErrorCode(err), ErrorField(err), tt.wantCode, tt.wantField)
			}
		})
	}
}

func TestEffectiveStatus(t *testing.T) {
	c := testCert()
	tests := []struct {
		stored    CertStatus
		today     string
		want      CertStatus
		wantSince string
	}{
		{StatusValid, "2029-02-27", StatusValid, "2024-03-01"},
		{StatusValid, "2029-02-28", StatusValid, "2024-03-01"},   // valid through its expiry date
		{StatusValid, "2029-03-01", StatusExpired, "2029-03-01"}, // expired from the day after
		{StatusSuspended, "2029-02-28", StatusSuspended, "2024-03-01"},
		{StatusSuspended, "2029-03-01", StatusExpired, "2029-03-01"},
		{StatusRevoked, "2030-01-01", StatusRevoked, "2024-03-01"}, // a final status stays what it is
		{StatusWithdrawn, "2029-03-01", StatusWithdrawn, "2024-03-01"},
		{StatusExpired, "2029-02-28", StatusExpired, "2024-03-01"}, // a stored expiry is not undone
	}
	for _, tt := range tests {
		c.Status = tt.stored
		got, since := c.EffectiveStatus(day(tt.today))
		if got != tt.want || since.String() != tt.wantSince {
			t.Errorf("EffectiveStatus(%s stored, %s) = %s since %s, want %s since %s", tt.stored, tt.today, got, since, tt.want, tt.wantSince)
		}
	}
}

// TestCheckIssue runs the rules of who may issue what through DecideIssue,
// the one decision of an issue: the certificate's own fields
// (Certificate.Validate), then its issuer (Policy.CheckIssuer).
func TestCheckIssue(t *testing.T) {
	p := DefaultPolicy()
	body := func() *Body {
		return &Body{ApprovalNo: "CNCA-R-2002-001", Status: PartyActive, Scopes: []CertType{TypeCCC, TypeQMS, TypeOrganic}, CCCCategories: []string{"0901", "0701"}, CCCCode: "01"}
	}
	tests := []struct {
		name      string
		edit      func(*Body, *Certificate)
		wantCode  string
		wantField string
	}{
		{"an active body issues within scope and category", nil, "", ""},
		{"a suspended body may not issue", func(b *Body, c *Certificate) { b.Status = PartySuspended }, EConflict, "body_approval_no"},
		{"a revoked body may not issue", func(b *Body, c *Certificate) { b.Status = PartyRevoked }, EConflict, "body_approval_no"},
		{"a body its credit standing stops may not issue", func(b *Body, c *Certificate) {
			b.CreditRefusal = Reasonf(EForbidden, "credit.listing", "subject", "body:%s is on the serious-violation list", b.ApprovalNo)
		}, EForbidden, "subject"},
		{"a type outside the approved scopes is forbidden", func(b *Body, c *Certificate) {
			c.Type, c.Number, c.CCCCategory, c.ExpiresOn = TypeEMS, "00125E0001R0M", "", day("2027-02-28")
		}, EForbidden, "type"},
		{"a CCC category not designated is forbidden", func(b *Body, c *Certificate) { c.Number, c.CCCCategory = "2024010201000123", "0201" }, EForbidden, "ccc_category"},
		{"CCC validity of 5 years is the limit", func(b *Body, c *Certificate) { c.ExpiresOn = day("2029-03-02") }, EInvalid, "expires_on"},
		{"organic validity is one year", func(b *Body, c *Certificate) {
			c.Type, c.Number, c.CCCCategory, c.ExpiresOn = TypeOrganic, "001OP2400123", "", day("2025-03-02")
		}, EInvalid, "expires_on"},
		{"management systems are valid 3 years at most", func(b *Body, c *Certificate) {
			b.Scopes = append(b.Scopes, TypeQMS)
			c.Type, c.Number, c.CCCCategory, c.ExpiresOn = TypeQMS, "00124Q31234R0M", "", day("2027-03-02")
		}, EInvalid, "expires_on"},
		{"expiry must follow issue", func(b *Body, c *Certificate) { c.ExpiresOn = c.IssuedOn }, EInvalid, "expires_on"},
		{"another body's certificate is forbidden", func(b *Body, c *Certificate) { c.BodyApprovalNo = "CNCA-R-2002-002" }, EForbidden, "body_approval_no"},
		{"a CCC number must carry its category", func(b *Body, c *Certificate) { c.CCCCategory = "0701" }, EInvalid, "ccc_category"},
		{"a CCC number must carry its body's code", func(b *Body, c *Certificate) { c.Number = "2024070901000123" }, EInvalid, "number"},
		{"a body without a CCC code issues no CCC certificate", func(b *Body, c *Certificate) { b.CCCCode = "" }, EConflict, "body_approval_no"},
		{"a body without a CCC code issues other types", func(b *Body, c *Certificate) {
			b.CCCCode = ""
			c.Type, c.Number, c.CCCCategory, c.ExpiresOn = TypeQMS, "00124Q31234R0M", "", day("2027-02-28")
		}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, c := body(), testCert()
			if tt.edit != nil {
				tt.edit(b, &c)
			}
			req := IssueRequest{Number: CertNumber(c.Number), Type: c.Type, BodyApprovalNo: c.BodyApprovalNo, HolderUSCC: c.HolderUSCC,
				Scope: c.Scope, CCCCategory: c.CCCCategory, IssuedOn: c.IssuedOn, ExpiresOn: c.ExpiresOn}
			_, _, err := DecideIssue(nil, b, true, req, p, c.IssuedOn, Party{Kind: PartyBody, ID: b.ApprovalNo})
			if ErrorCode(err) != tt.wantCode || ErrorField(err) != tt.wantField {
				t.Errorf("DecideIssue = %v (code %q, field %q), want code %q field %q", err, ErrorCode(err), ErrorField(err), tt.wantCode, tt.wantField)
			}
		})
	}
}

func TestPolicyIsData(t *testing.T) {
	p, err := ParsePolicy([]byte(`{"validity_years": {"QMS": 2}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.MaxValidity(TypeQMS); got != 2 {
		t.Errorf("MaxValidity(QMS) = %d, want 2", got)
	}
	for _, bad := range []string{`{"validity_years": {"XYZ": 2}}`, `{"validity_years": {"QMS": 0}}`, `{`} {
		if _, err := ParsePolicy([]byte(bad)); err == nil {
			t.Errorf("ParsePolicy(%s) = nil error, want one", bad)
		}
	}
	def := DefaultPolicy()
	for typ, want := range map[CertType]int{TypeQMS: 3, TypeService: 3, TypeGreen: 3, TypeCCC: 5, TypeOrganic: 1} {
		if got := def.MaxValidity(typ); got != want {
			t.Errorf("default MaxValidity(%s) = %d, want %d", typ, got, want)
		}
	}
}

func TestMergeCertificate(t *testing.T) {
	today := day("2025-06-01")
	old := testCert()
	t.Run("an identical row changes nothing", func(t *testing.T) {
		in := old
		_, changed, statusChanged, err := MergeCertificate(&old, &in, today)
		if err != nil || changed || statusChanged {
			t.Errorf("MergeCertificate(same) = changed %v, status %v, err %v; want false, false, nil", changed, statusChanged, err)
		}
	})
	t.Run("a new scope is a change", func(t *testing.T) {
		in := old
		in.Scope = "微型计算机、便携式计算机"
		got, changed, statusChanged, err := MergeCertificate(&old, &in, today)
		if err != nil || !changed || statusChanged || got.Scope != in.Scope {
			t.Errorf("MergeCertificate(new scope) = %q changed %v status %v err %v", got.Scope, changed, statusChanged, err)
		}
	})
	t.Run("a reported suspension follows the lifecycle", func(t *testing.T) {
		in := old
		in.Status = StatusSuspended
		got, _, statusChanged, err := MergeCertificate(&old, &in, today)
		if err != nil || !statusChanged || got.Status != StatusSuspended || got.StatusSince != today {
			t.Errorf("MergeCertificate(suspended) = %s since %s, status changed %v, err %v", got.Status, got.StatusSince, statusChanged, err)
		}
	})
	t.Run("a revoked certificate cannot be reported valid again", func(t *testing.T) {
		rev := old
		rev.Status = StatusRevoked
		in := old
		_, _, _, err := MergeCertificate(&rev, &in, today)
		if ErrorCode(err) != EConflict {
			t.Errorf("MergeCertificate(revoked → valid) error %v, want conflict", err)
		}
	})
	t.Run("another body cannot take a certificate over", func(t *testing.T) {
		in := old
		in.BodyApprovalNo = "CNCA-R-2002-009"
		_, _, _, err := MergeCertificate(&old, &in, today)
		if ErrorCode(err) != EConflict || !strings.Contains(err.Error(), "CNCA-R-2002-001") {
			t.Errorf("MergeCertificate(other body) error %v, want conflict naming the issuer", err)
		}
	})
	t.Run("an expiry reported after the expiry date is recorded from the day after it", func(t *testing.T) {
		o := old
		o.ExpiresOn = day("2025-05-31")
		in := o
		in.Status = StatusExpired
		got, _, _, err := MergeCertificate(&o, &in, today)
		if err != nil || got.Status != StatusExpired || got.StatusSince != today {
			t.Errorf("MergeCertificate(expired) = %s since %s, err %v; want expired since %s", got.Status, got.StatusSince, err, today)
		}
	})
	t.Run("an expiry reported on the expiry date is refused", func(t *testing.T) {
		o := old
		o.ExpiresOn = today
		in := o
		in.Status = StatusExpired
		_, _, _, err := MergeCertificate(&o, &in, today)
		if ErrorCode(err) != EInvalid || ErrorField(err) != "to" {
			t.Errorf("MergeCertificate(expired on its last day) error %v, want invalid on to", err)
		}
	})
}

func TestCanWriteCertificate(t *testing.T) {
	c := testCert()
	tests := []struct {
		p      Party
		region string
		ok     bool
	}{
		{Party{PartyBody, "CNCA-R-2002-001"}, "110000", true},
		{Party{PartyBody, "CNCA-R-2002-002"}, "110000", false},
		{Party{PartyLab, "240109200001"}, "110000", false},
		{Party{PartyRegulator, "000000"}, "330106", true},
		{Party{PartyRegulator, "330000"}, "330106", true},
		{Party{PartyRegulator, "330100"}, "330106", true},
		{Party{PartyRegulator, "320000"}, "330106", false},
		{System, "330106", true},
	}
	for _, tt := range tests {
		err := tt.p.CanWriteCertificate(&c, tt.region)
		if (err == nil) != tt.ok {
			t.Errorf("%s.CanWriteCertificate(body in %s) = %v, want ok=%v", tt.p, tt.region, err, tt.ok)
		}
		if err != nil && ErrorCode(err) != EForbidden {
			t.Errorf("%s.CanWriteCertificate error code %s, want forbidden", tt.p, ErrorCode(err))
		}
	}
}

func TestPersonBanIsForLife(t *testing.T) {
	if err := CheckPersonStatusChange(PartyBanned, PartyActive); ErrorCode(err) != EConflict {
		t.Errorf("banned → active = %v, want conflict", err)
	}
	if err := CheckPersonStatusChange(PartyActive, PartyBanned); err != nil {
		t.Errorf("active → banned = %v, want nil", err)
	}
	if err := CheckPersonStatusChange(PartyBanned, PartyBanned); err != nil {
		t.Errorf("banned → banned = %v, want nil", err)
	}
}

func TestCanIssueCertificate(t *testing.T) {
	c := testCert()
	if err := (Party{PartyBody, "CNCA-R-2002-001"}).CanIssueCertificate(&c, "110000"); err != nil {
		t.Errorf("own body: CanIssueCertificate = %v, want nil", err)
	}
	err := (Party{PartyBody, "CNCA-R-2002-002"}).CanIssueCertificate(&c, "110000")
	if ErrorCode(err) != EForbidden || ErrorField(err) != "body_approval_no" {
		t.Errorf("other body: CanIssueCertificate = %v, want forbidden on body_approval_no", err)
	}
	err = (Party{PartyRegulator, "320000"}).CanIssueCertificate(&c, "330106")
	if ErrorCode(err) != EForbidden || ErrorField(err) != "body_approval_no" {
		t.Errorf("regulator elsewhere: CanIssueCertificate = %v, want forbidden on body_approval_no", err)
	}
}
