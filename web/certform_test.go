package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
)

func TestCertFormIssue(t *testing.T) {
	s := newMatterFixture(t)
	b := s.matterSignIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	if w := b.get("/work/certificates/new"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `name="holder_uscc"`) {
		t.Fatalf("GET /work/certificates/new = %d\n%s", w.Code, w.Body)
	}
	form := func(uscc string) url.Values {
		return url.Values{"body": {bodyA}, "number": {"00126Q30009R0M"}, "type": {"QMS"}, "holder_uscc": {uscc}, "scope": {"家用空调器的设计和生产"},
			"standard": {"GB/T 19001-2016"}, "expires_on": {"2029-03-14"}}
	}
	t.Run("a bad code is shown next to its field in Chinese", func(t *testing.T) {
		w := b.post("/work/certificates/new", form("91370200163562681X"))
		body := w.Body.String()
		if w.Code != http.StatusBadRequest || !strings.Contains(body, `id="err-holder_uscc"`) || !strings.Contains(body, "家用空调器的设计和生产") {
			t.Fatalf("bad USCC = %d, want the error at the field and the values kept\n%s", w.Code, body)
		}
		if i, j := strings.Index(body, `id="err-holder_uscc"`), strings.Index(body, `id="f-holder_uscc"`); i < j {
			t.Errorf("the error is not after its field")
		}
	})
	t.Run("and in English with ?lang=en", func(t *testing.T) {
		w := b.post("/work/certificates/new?lang=en", form("91370200163562681X"))
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Holder&#39;s unified social credit code") || !strings.Contains(w.Body.String(), `id="err-holder_uscc"`) {
			t.Fatalf("English refusal = %d\n%s", w.Code, w.Body)
		}
	})
	t.Run("another body's name is refused", func(t *testing.T) {
		f := form(string(haier))
		f.Set("body", bodyB)
		if w := b.post("/work/certificates/new", f); w.Code != http.StatusForbidden {
			t.Errorf("issuing as another body = %d", w.Code)
		}
	})
	w := b.post("/work/certificates/new", form(string(haier)))
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/work/certificates/") || !strings.HasSuffix(loc, "?done=issued") {
		t.Fatalf("issue = %d to %q\n%s", w.Code, loc, alerts(w.Body.String()))
	}
	number := strings.TrimSuffix(strings.TrimPrefix(loc, "/work/certificates/"), "?done=issued")
	c, err := s.store.Certificate(context.Background(), number)
	if err != nil || c.HolderUSCC != haier || c.BodyApprovalNo != bodyA || c.Status != trustmark.StatusValid {
		t.Fatalf("issued certificate %s = %+v, %v", number, c, err)
	}
	if page := b.get(loc).Body.String(); !strings.Contains(page, "证书已颁发并公开") {
		t.Errorf("the certificate's page does not say it was issued\n%s", page)
	}
}

func TestCertFormTransition(t *testing.T) {
	s := newMatterFixture(t)
	b := s.matterSignIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	s.advance(31 * time.Second)
	other := s.matterSignIn(t, "other@example.cn", role(t, account.Body, bodyB, false))
	s.advance(31 * time.Second)
	gd := s.matterSignIn(t, "gd@example.cn", role(t, account.Regulator, "440000", false))

	if w := other.get("/work/certificates/" + certQMS); w.Code != http.StatusForbidden {
		t.Errorf("another body's transition form = %d, want 403", w.Code)
	}
	if w := gd.get("/work/certificates/" + certQMS); w.Code != http.StatusForbidden {
		t.Errorf("a regulator outside the body's region = %d, want 403", w.Code)
	}
	if w := b.get("/work/certificates/" + certQMS); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `name="to"`) {
		t.Fatalf("transition form = %d\n%s", w.Code, w.Body)
	}
	t.Run("a suspension without a reason is refused", func(t *testing.T) {
		w := b.post("/work/certificates/"+certQMS, url.Values{"to": {"suspended"}})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `role="alert"`) {
			t.Errorf("no reason = %d\n%s", w.Code, w.Body)
		}
	})
	t.Run("a restore of a valid certificate is refused", func(t *testing.T) {
		w := b.post("/work/certificates/"+certQMS, url.Values{"to": {"valid"}, "reason": {"x"}})
		if w.Code < 400 || w.Code >= 500 {
			t.Errorf("restore of a valid one = %d\n%s", w.Code, w.Body)
		}
	})
	wantRedirect(t, b.post("/work/certificates/"+certQMS, url.Values{"to": {"suspended"}, "reason": {"监督审核发现严重不符合"}}), "/work/certificates/"+certQMS+"?done=1")
	c, err := s.store.Certificate(context.Background(), certQMS)
	if err != nil || c.Status != trustmark.StatusSuspended {
		t.Fatalf("after suspension: %+v, %v", c, err)
	}
	s.advance(31 * time.Second)
	bj := s.matterSignIn(t, "bj@example.cn", role(t, account.Regulator, "110000", false))
	wantRedirect(t, bj.post("/work/certificates/"+certQMS, url.Values{"to": {"revoked"}, "reason": {"拒不整改"}}), "/work/certificates/"+certQMS+"?done=1")
	if c, _ := s.store.Certificate(context.Background(), certQMS); c.Status != trustmark.StatusRevoked {
		t.Errorf("after the regulator's revocation: %s", c.Status)
	}
}

// alerts returns the alerts of a page, to say why a form was refused.
func alerts(body string) string {
	var out []string
	for _, part := range strings.Split(body, `role="alert"`)[1:] {
		out = append(out, part[:min(len(part), 300)])
	}
	return strings.Join(out, "\n")
}

// FuzzCertIssueForm: the issue form's fields are outside input; reading
// them never panics, and a refusal is a client's mistake naming a field.
func FuzzCertIssueForm(f *testing.F) {
	f.Add("00126Q30009R0M", "QMS", string(haier), "2026-03-01", "2029-02-28", "0901", bodyA)
	f.Add("", "", "91370200163562681X", "2026-02-30", "x", "99", "")
	f.Add("\x00", "ccc", "\xff", "9999-99-99", "", "\u202e", "CNCA-R-1989-001")
	f.Fuzz(func(t *testing.T, number, typ, uscc, issued, expires, ccc, body string) {
		v := map[string]string{"number": number, "type": typ, "holder_uscc": uscc, "issued_on": issued, "expires_on": expires, "ccc_category": ccc, "scope": number, "body": body}
		_, err := issueForm(v)
		if err != nil && trustmark.ErrorCode(err) == trustmark.EInternal {
			t.Fatalf("issueForm(%q) = internal error %v", v, err)
		}
		if err != nil && trustmark.ErrorField(err) == "" {
			t.Fatalf("issueForm(%q) refused without naming a field: %v", v, err)
		}
	})
}

// TestCertFormChoosesTheIssuer: a form that names no body issues in the
// name of the account's only body, and an account of two bodies is asked
// which, next to the body field, as the API asks it
// (trustmark.IssueRequest.IssuerFor).
func TestCertFormChoosesTheIssuer(t *testing.T) {
	ctx := context.Background()
	s := newMatterFixture(t)
	b := s.matterSignIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	form := func(number, body string) url.Values {
		return url.Values{"body": {body}, "number": {number}, "type": {"QMS"}, "holder_uscc": {string(haier)}, "scope": {"家用空调器的设计和生产"},
			"standard": {"GB/T 19001-2016"}, "expires_on": {"2029-03-14"}}
	}
	issued := func(t *testing.T, w *httptest.ResponseRecorder, number, body string) {
		t.Helper()
		if w.Code != http.StatusSeeOther {
			t.Fatalf("issue %s = %d, want 303\n%s", number, w.Code, alerts(w.Body.String()))
		}
		if c, err := s.store.Certificate(ctx, number); err != nil || c.BodyApprovalNo != body {
			t.Fatalf("certificate %s = %+v, %v; want issued by %s", number, c, err, body)
		}
	}
	t.Run("an account of one body issues in its name when the form names none", func(t *testing.T) {
		issued(t, b.post("/work/certificates/new", form("00126Q30011R0M", "")), "00126Q30011R0M", bodyA)
	})
	acct, err := s.store.AccountByEmail(ctx, "body@example.cn")
	if err != nil {
		t.Fatal(err)
	}
	acct.Roles = append(acct.Roles, role(t, account.Body, bodyB, false))
	if err := s.store.Apply(ctx, account.Change{Account: &acct}); err != nil {
		t.Fatal(err)
	}
	t.Run("an account of two bodies is asked which", func(t *testing.T) {
		w := b.post("/work/certificates/new", form("00126Q30012R0M", ""))
		body := w.Body.String()
		if w.Code != http.StatusBadRequest || !strings.Contains(body, `id="err-body"`) || !strings.Contains(body, bodyA) || !strings.Contains(alerts(body), bodyB) {
			t.Fatalf("issue naming no body = %d, want 400 at the body field naming both bodies\n%s", w.Code, alerts(body))
		}
		if _, err := s.store.Certificate(ctx, "00126Q30012R0M"); trustmark.ErrorCode(err) != trustmark.ENotFound {
			t.Errorf("the refused certificate was stored: %v", err)
		}
	})
	t.Run("an account of two bodies issues in the name it chooses", func(t *testing.T) {
		issued(t, b.post("/work/certificates/new", form("00126Q30013R0M", bodyB)), "00126Q30013R0M", bodyB)
	})
}
