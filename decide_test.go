package trustmark

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The decision tables, tested at their edges: the day of issue, the expiry
// date itself and the day after, each party, each missing input.

var (
	dateCmp     = cmp.AllowUnexported(Date{})
	decideToday = day("2026-03-15")
	bodyParty   = Party{PartyBody, "CNCA-R-2002-001"}
)

func decideBody() *Body {
	return &Body{ApprovalNo: "CNCA-R-2002-001", RegionCode: "110000", Status: PartyActive,
		Scopes: []CertType{TypeCCC, TypeQMS}, CCCCategories: []string{"0901"}, CCCCode: "01"}
}

func issueReq() IssueRequest {
	return IssueRequest{Number: "00126Q30999R0M", Type: TypeQMS, HolderUSCC: "91350100M000100Y43", Scope: "软件开发",
		IssuedOn: day("2026-03-14"), ExpiresOn: day("2029-03-13")}
}

func TestExpiryCutoff(t *testing.T) {
	for _, tt := range []struct {
		expires, today string
		lapsed         bool
	}{
		{"2026-12-07", "2026-12-06", false},
		{"2026-12-07", "2026-12-07", false}, // 有效期至 2026-12-07: valid on that day
		{"2026-12-07", "2026-12-08", true},  // and expired from the next
		{"2024-02-29", "2024-03-01", true},
		{"2026-12-31", "2027-01-01", true},
	} {
		c := Certificate{Status: StatusValid, ExpiresOn: day(tt.expires)}
		if got := c.LapsedOn(day(tt.today)); got != tt.lapsed {
			t.Errorf("LapsedOn(expires %s, today %s) = %v, want %v", tt.expires, tt.today, got, tt.lapsed)
		}
		if got := !day(tt.expires).After(ExpiryCutoff(day(tt.today))); got != tt.lapsed {
			t.Errorf("expires %s <= ExpiryCutoff(%s) = %v, want %v (the SQL form disagrees with LapsedOn)", tt.expires, tt.today, got, tt.lapsed)
		}
		if tt.lapsed {
			if _, since := c.EffectiveStatus(day(tt.today)); since != ExpiredFrom(day(tt.expires)) || since.After(day(tt.today)) {
				t.Errorf("EffectiveStatus since = %s, want the day after %s", since, tt.expires)
			}
		}
	}
	for _, s := range CertStatuses {
		want := s == StatusValid || s == StatusSuspended
		if got := s.Lapses(); got != want {
			t.Errorf("%s.Lapses() = %v, want %v", s, got, want)
		}
	}
}

func TestDecideIssue(t *testing.T) {
	p := DefaultPolicy()
	regulator := Party{PartyRegulator, "110000"}
	tests := []struct {
		name        string
		actor       Party
		edit        func(*IssueRequest, **Body, *bool, **Certificate)
		code, field string
	}{
		{"a body issues in its own name", bodyParty, nil, "", ""},
		{"a body issues today by default", bodyParty, func(r *IssueRequest, _ **Body, _ *bool, _ **Certificate) { r.IssuedOn = Date{} }, "", ""},
		{"not even the body's own regulator issues", regulator, func(r *IssueRequest, _ **Body, _ *bool, _ **Certificate) {
			r.BodyApprovalNo = "CNCA-R-2002-001"
		}, EForbidden, "body_approval_no"},
		{"a regulator must name the body", regulator, nil, EInvalid, "body_approval_no"},
		{"another region's regulator may not", Party{PartyRegulator, "310000"}, func(r *IssueRequest, _ **Body, _ *bool, _ **Certificate) {
			r.BodyApprovalNo = "CNCA-R-2002-001"
		}, EForbidden, "body_approval_no"},
		{"a body may not issue in another's name", Party{PartyBody, "CNCA-R-2003-002"}, func(r *IssueRequest, _ **Body, _ *bool, _ **Certificate) {
			r.BodyApprovalNo = "CNCA-R-2002-001"
		}, EForbidden, "body_approval_no"},
		{"an unknown body is not found", bodyParty, func(_ *IssueRequest, b **Body, _ *bool, _ **Certificate) { *b = nil }, ENotFound, "body_approval_no"},
		{"a suspended body may not issue", bodyParty, func(_ *IssueRequest, b **Body, _ *bool, _ **Certificate) { (*b).Status = PartySuspended }, EConflict, "body_approval_no"},
		{"a type outside the scopes is forbidden", bodyParty, func(r *IssueRequest, _ **Body, _ *bool, _ **Certificate) { r.Type = TypeEMS }, EForbidden, "type"},
		{"an unknown holder is not found", bodyParty, func(_ *IssueRequest, _ **Body, h *bool, _ **Certificate) { *h = false }, ENotFound, "holder_uscc"},
		{"a number taken is a conflict", bodyParty, func(_ *IssueRequest, _ **Body, _ *bool, e **Certificate) { *e = &Certificate{} }, EConflict, "number"},
		{"a missing number is invalid", bodyParty, func(r *IssueRequest, _ **Body, _ *bool, _ **Certificate) { r.Number = "" }, EInvalid, "number"},
		{"a missing expiry is invalid", bodyParty, func(r *IssueRequest, _ **Body, _ *bool, _ **Certificate) { r.ExpiresOn = Date{} }, EInvalid, "expires_on"},
		{"validity beyond the policy is invalid", bodyParty, func(r *IssueRequest, _ **Body, _ *bool, _ **Certificate) { r.ExpiresOn = day("2029-03-15") }, EInvalid, "expires_on"},
		{"issued tomorrow is invalid", bodyParty, func(r *IssueRequest, _ **Body, _ *bool, _ **Certificate) {
			r.IssuedOn, r.ExpiresOn = day("2026-03-16"), day("2029-03-15")
		}, EInvalid, "issued_on"},
		{"expiring today is in force", bodyParty, func(r *IssueRequest, _ **Body, _ *bool, _ **Certificate) {
			r.IssuedOn, r.ExpiresOn = day("2023-03-16"), day("2026-03-15")
		}, "", ""},
		{"expired yesterday is refused", bodyParty, func(r *IssueRequest, _ **Body, _ *bool, _ **Certificate) {
			r.IssuedOn, r.ExpiresOn = day("2023-03-15"), day("2026-03-14")
		}, EInvalid, "expires_on"},
		{"a CCC certificate takes its category from its number", bodyParty, func(r *IssueRequest, _ **Body, _ *bool, _ **Certificate) {
			r.Number, r.Type = "2026010901000001", TypeCCC
		}, "", ""},
		{"a CCC number must carry the body's code", bodyParty, func(r *IssueRequest, _ **Body, _ *bool, _ **Certificate) {
			r.Number, r.Type = "2026020901000001", TypeCCC
		}, EInvalid, "number"},
		{"a laboratory may not issue", Party{PartyLab, "240012340001"}, nil, EForbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, body, holderKnown := issueReq(), decideBody(), true
			var existing *Certificate
			if tt.edit != nil {
				tt.edit(&req, &body, &holderKnown, &existing)
			}
			c, ev, err := DecideIssue(existing, body, holderKnown, req, p, decideToday, tt.actor)
			if tt.code != "" {
				if ErrorCode(err) != tt.code || ErrorField(err) != tt.field || c != nil {
					t.Errorf("DecideIssue = %v, %v (code %q, field %q), want refused %s on %q", c, err, ErrorCode(err), ErrorField(err), tt.code, tt.field)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecideIssue error %v, want issued", err)
			}
			if c.Status != StatusValid || c.StatusSince != c.IssuedOn || c.IssuedOn.IsZero() || c.BodyApprovalNo != "CNCA-R-2002-001" {
				t.Errorf("issued = %s since %s (issued %s, body %s), want valid since its issue date, of CNCA-R-2002-001", c.Status, c.StatusSince, c.IssuedOn, c.BodyApprovalNo)
			}
			if c.Type == TypeCCC && c.CCCCategory != "0901" {
				t.Errorf("CCC category = %q, want 0901 from the number", c.CCCCategory)
			}
			want := Event{Actor: tt.actor.String(), Entity: EntityCertificate, Key: c.Key(), Action: ActionIssued, To: "valid", EffectiveOn: c.IssuedOn}
			if diff := cmp.Diff(want, ev, dateCmp); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecideImport(t *testing.T) {
	p := DefaultPolicy()
	importer := Party{PartyImport, "certs.csv"}
	stored := func() *Certificate {
		c := testCert()
		c.Number, c.Type, c.CCCCategory, c.ExpiresOn = "00124Q31234R0M", TypeQMS, "", day("2027-02-28")
		return &c
	}
	record := func(edit func(*Certificate)) *Certificate {
		c := stored()
		c.StatusSince = Date{}
		if edit != nil {
			edit(c)
		}
		return c
	}
	tests := []struct {
		name       string
		existing   *Certificate
		in         *Certificate
		actor      Party
		result     Result
		code       string
		status     CertStatus
		since      string
		event      string // action:from>to
		holderGone bool
	}{
		{"a new valid certificate is valid since its issue date", nil, record(nil), importer, Created, "", StatusValid, "2024-03-01", "created:>", false},
		{"a new certificate without a status is valid", nil, record(func(c *Certificate) { c.Status = "" }), importer, Created, "", StatusValid, "2024-03-01", "created:>", false},
		{"a new expired certificate is expired from the day after its expiry date", nil, record(func(c *Certificate) {
			c.Status, c.ExpiresOn = StatusExpired, day("2026-03-13")
		}), importer, Created, "", StatusExpired, "2026-03-14", "created:>", false},
		{"a new certificate expired today is expired since today at most", nil, record(func(c *Certificate) {
			c.Status, c.IssuedOn, c.ExpiresOn = StatusExpired, day("2025-03-20"), day("2026-03-15")
		}), importer, Created, "", StatusExpired, "2026-03-15", "created:>", false},
		{"a new suspended certificate is suspended since today", nil, record(func(c *Certificate) { c.Status = StatusSuspended }), importer, Created, "", StatusSuspended, "2026-03-15", "created:>", false},
		{"a new certificate issued in the future is valid since today", nil, record(func(c *Certificate) {
			c.IssuedOn, c.ExpiresOn = day("2026-04-01"), day("2029-03-31")
		}), importer, Created, "", StatusValid, "2026-03-15", "created:>", false},
		{"a new certificate of an unknown holder is rejected", nil, record(nil), importer, Rejected, ENotFound, "", "", "", true},
		{"a new certificate outside the body's scopes is rejected", nil, record(func(c *Certificate) { c.Type = TypeEMS }), importer, Rejected, EForbidden, "", "", "", false},
		{"another body may not import it", nil, record(nil), Party{PartyBody, "CNCA-R-2003-002"}, Rejected, EForbidden, "", "", "", false},
		{"a new certificate of an unknown body is rejected", nil, record(func(c *Certificate) { c.BodyApprovalNo = "" }), importer, Rejected, ENotFound, "", "", "", false},
		{"the same record changes nothing", stored(), record(nil), importer, Unchanged, "", "", "", "", true},
		{"a new scope is an update", stored(), record(func(c *Certificate) { c.Scope = "软件开发和服务" }), importer, Updated, "", StatusValid, "2024-03-01", "updated:>", false},
		{"a new holder must be registered", stored(), record(func(c *Certificate) { c.HolderUSCC = "91350100M000200Y44" }), importer, Rejected, ENotFound, "", "", "", true},
		{"a reported suspension takes effect today", stored(), record(func(c *Certificate) { c.Status = StatusSuspended }), importer, Updated, "", StatusSuspended, "2026-03-15", "status_changed:valid>suspended", false},
		{"a reported expiry after the expiry date", stored(), record(func(c *Certificate) {
			c.Status, c.ExpiresOn = StatusExpired, day("2026-03-14")
		}), importer, Updated, "", StatusExpired, "2026-03-15", "status_changed:valid>expired", false},
		{"a reported expiry on the expiry date is refused", stored(), record(func(c *Certificate) {
			c.Status, c.ExpiresOn = StatusExpired, day("2026-03-15")
		}), importer, Rejected, EInvalid, "", "", "", false},
		{"a certificate cannot move to another body", stored(), record(func(c *Certificate) { c.BodyApprovalNo = "CNCA-R-2003-002" }), importer, Rejected, EConflict, "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := decideBody()
			body.ApprovalNo = tt.in.BodyApprovalNo
			if body.ApprovalNo == "" {
				body = nil // the store found no body of that number
			}
			got, ev, result, err := DecideImport(tt.existing, tt.in, body, !tt.holderGone, p, decideToday, tt.actor)
			if result != tt.result || ErrorCode(err) != tt.code {
				t.Fatalf("DecideImport = result %v, error %v; want %v, code %q", result, err, tt.result, tt.code)
			}
			if result == Rejected || result == Unchanged {
				if got != nil || ev.Action != "" {
					t.Errorf("DecideImport returned %v, %v with result %v; want nothing to store", got, ev, result)
				}
				return
			}
			if got.Status != tt.status || got.StatusSince.String() != tt.since {
				t.Errorf("state = %s since %s, want %s since %s", got.Status, got.StatusSince, tt.status, tt.since)
			}
			if e := ev.Action + ":" + ev.From + ">" + ev.To; e != tt.event || ev.Actor != tt.actor.String() || ev.Key != got.Key() {
				t.Errorf("event = %s by %s on %s, want %s by %s on %s", e, ev.Actor, ev.Key, tt.event, tt.actor, got.Key())
			}
		})
	}
}

func TestDecideTransition(t *testing.T) {
	c := testCert() // valid since 2024-03-01, expires 2029-02-28
	t.Run("the issuing body suspends with an event", func(t *testing.T) {
		got, ev, err := DecideTransition(&c, decideBody(), Transition{To: StatusSuspended, Reason: "监督审核不合格"}, decideToday, bodyParty)
		if err != nil {
			t.Fatal(err)
		}
		want := Event{Actor: bodyParty.String(), Entity: EntityCertificate, Key: c.Key(), Action: ActionStatusChanged,
			From: "valid", To: "suspended", Reason: "监督审核不合格", EffectiveOn: decideToday}
		if diff := cmp.Diff(want, ev, dateCmp); diff != "" || got.Status != StatusSuspended || got.StatusSince != decideToday {
			t.Errorf("DecideTransition = %s since %s, event (-want +got):\n%s", got.Status, got.StatusSince, diff)
		}
	})
	for _, tt := range []struct {
		name    string
		actor   Party
		expires string
		code    string
	}{
		{"another body may not", Party{PartyBody, "CNCA-R-2003-002"}, "2029-02-28", EForbidden},
		{"another region's regulator may not", Party{PartyRegulator, "310000"}, "2029-02-28", EForbidden},
		{"the body's regulator may", Party{PartyRegulator, "110000"}, "2029-02-28", ""},
		{"on its expiry date it may still be suspended", bodyParty, "2026-03-15", ""},
		{"the day after, it is expired", bodyParty, "2026-03-14", EConflict},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := testCert()
			c.ExpiresOn = day(tt.expires)
			_, _, err := DecideTransition(&c, decideBody(), Transition{To: StatusSuspended, Reason: "x"}, decideToday, tt.actor)
			if ErrorCode(err) != tt.code {
				t.Errorf("DecideTransition by %s (expires %s) = %v, want code %q", tt.actor, tt.expires, err, tt.code)
			}
		})
	}
}

func TestDecideExpiry(t *testing.T) {
	for _, tt := range []struct {
		status  CertStatus
		expires string
		due     bool
	}{
		{StatusValid, "2026-03-15", false}, // its last day
		{StatusValid, "2026-03-14", true},
		{StatusSuspended, "2026-03-14", true},
		{StatusRevoked, "2026-03-14", false},
		{StatusExpired, "2026-03-14", false},
	} {
		c := testCert()
		c.Status, c.ExpiresOn, c.HolderName = tt.status, day(tt.expires), "北京某某有限公司"
		got, ev := DecideExpiry(&c, decideToday)
		if (got != nil) != tt.due || (ev.Action != "") != tt.due {
			t.Fatalf("DecideExpiry(%s, expires %s) = %v, %v; want due %v", tt.status, tt.expires, got, ev, tt.due)
		}
		if !tt.due {
			continue
		}
		since := ExpiredFrom(day(tt.expires))
		want := Event{Actor: "system", Entity: EntityCertificate, Key: c.Key(), Action: ActionExpired, From: string(tt.status), To: "expired", EffectiveOn: since}
		if diff := cmp.Diff(want, ev, dateCmp); diff != "" || got.Status != StatusExpired || got.StatusSince != since || got.HolderName != "" {
			t.Errorf("DecideExpiry(%s) = %s since %s (holder name %q), event (-want +got):\n%s", tt.status, got.Status, got.StatusSince, got.HolderName, diff)
		}
	}
}

// TestIssuerFor: the body in whose name a request issues, for a party's
// token and for an account of none, one or several bodies, with and
// without a body named.
func TestIssuerFor(t *testing.T) {
	const a, b = "CNCA-R-2002-001", "CNCA-R-2003-002"
	account := Party{Kind: "account", ID: "acct-1"}
	for _, tt := range []struct {
		name   string
		named  string
		actor  Party
		bodies []string
		want   string
		reason string // the refusal's reason key, "" when none
	}{
		{"a body's token naming none issues in its own name", "", bodyParty, nil, a, ""},
		{"a body's token naming another body names that body", b, bodyParty, nil, b, ""},
		{"a regulator's token naming none names no body", "", Party{PartyRegulator, "110000"}, nil, "", ""},
		{"an account of no body names no body", "", account, nil, "", ""},
		{"an account of one body issues in its name", "", account, []string{a}, a, ""},
		{"an account with two roles of one body issues in its name", "", account, []string{a, a}, a, ""},
		{"an account of two bodies naming none is refused", "", account, []string{b, a}, "", "issue.body_ambiguous"},
		{"an account of two bodies naming one issues in its name", b, account, []string{a, b}, b, ""},
		{"an account of one body naming another names that body", b, account, []string{a}, b, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := issueReq()
			req.BodyApprovalNo = tt.named
			got, err := req.IssuerFor(tt.actor, tt.bodies)
			reason := ""
			if e, ok := err.(*Error); ok {
				reason = e.Reason
			} else if err != nil {
				reason = err.Error()
			}
			if got != tt.want || reason != tt.reason {
				t.Fatalf("IssuerFor(%v, %v) naming %q = %q, %v; want %q, reason %q", tt.actor, tt.bodies, tt.named, got, err, tt.want, tt.reason)
			}
			if err != nil && (ErrorField(err) != "body_approval_no" || !strings.Contains(err.Error(), a) || !strings.Contains(err.Error(), b)) {
				t.Errorf("refusal %v does not name the field and both bodies", err)
			}
			if tt.bodies == nil && req.Issuer(tt.actor) != tt.want {
				t.Errorf("Issuer(%v) = %q, want %q", tt.actor, req.Issuer(tt.actor), tt.want)
			}
		})
	}
}
