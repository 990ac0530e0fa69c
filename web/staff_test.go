package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
)

var onceLink = regexp.MustCompile(`id="once-link" class="mono" readonly value="https://trustmark\.example\.cn(/signin/link/[^"]+)"`)

func TestStaffInviteWithinScope(t *testing.T) {
	s := newMatterFixture(t)
	city := s.matterSignIn(t, "qd-admin@example.cn", role(t, account.Regulator, "370200", true))
	page := city.get("/work/staff")
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "邀请工作人员") {
		t.Fatalf("GET /work/staff = %d\n%s", page.Code, page.Body)
	}
	t.Run("a city administrator cannot invite a provincial regulator", func(t *testing.T) {
		w := city.post("/work/staff/invite", url.Values{"as": {"regulator:370200"}, "email": {"sd@example.cn"}, "name": {"李明"}, "region": {"370000"}})
		if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), `id="form-error"`) {
			t.Fatalf("city inviting a province = %d\n%s", w.Code, w.Body)
		}
		if _, err := s.store.AccountByEmail(context.Background(), "sd@example.cn"); err == nil {
			t.Fatal("the provincial account was created")
		}
	})
	t.Run("nor a regulator of another city", func(t *testing.T) {
		w := city.post("/work/staff/invite", url.Values{"as": {"regulator:370200"}, "email": {"jn@example.cn"}, "name": {"李明"}, "region": {"370100"}})
		if w.Code != http.StatusForbidden {
			t.Fatalf("city inviting another city = %d", w.Code)
		}
	})
	t.Run("nor act as a role it does not hold", func(t *testing.T) {
		w := city.post("/work/staff/invite", url.Values{"as": {"regulator:370000"}, "email": {"x@example.cn"}, "name": {"李明"}, "region": {"370000"}})
		if w.Code != http.StatusForbidden {
			t.Fatalf("posing as the province = %d", w.Code)
		}
	})
	// A county of the city is within its scope: the link is shown once.
	w := city.post("/work/staff/invite", url.Values{"as": {"regulator:370200"}, "email": {"laoshan@example.cn"}, "name": {"赵敏"}, "region": {"370212"}})
	m := onceLink.FindStringSubmatch(w.Body.String())
	if w.Code != http.StatusOK || m == nil {
		t.Fatalf("inviting a county of the city = %d, want the one-time link\n%s", w.Code, w.Body)
	}
	a, err := s.store.AccountByEmail(context.Background(), "laoshan@example.cn")
	if err != nil || len(a.Roles) != 1 || a.Roles[0].ID != "370212" || a.Roles[0].Admin {
		t.Fatalf("invited account = %+v, %v", a, err)
	}
	if strings.Contains(city.get("/work/staff").Body.String(), m[1]) {
		t.Error("the one-time link is shown again")
	}
	if w := s.client().get(m[1]); w.Code != http.StatusOK {
		t.Errorf("the invitation link does not open: %d", w.Code)
	}
	t.Run("a body administrator invites only to its own body", func(t *testing.T) {
		s.advance(31 * time.Second)
		b := s.matterSignIn(t, "body-admin@example.cn", role(t, account.Body, bodyA, true))
		b.get("/work/staff")
		if w := b.post("/work/staff/invite", url.Values{"as": {"body:" + bodyA}, "email": {"staff@example.cn"}, "name": {"钱进"}}); w.Code != http.StatusOK || !onceLink.MatchString(w.Body.String()) {
			t.Fatalf("body invites its staff = %d\n%s", w.Code, w.Body)
		}
		if w := b.post("/work/staff/invite", url.Values{"as": {"body:" + bodyB}, "email": {"other@example.cn"}, "name": {"钱进"}}); w.Code != http.StatusForbidden {
			t.Errorf("body invites to another body = %d", w.Code)
		}
	})
}

func TestStaffResetAndRemove(t *testing.T) {
	s := newMatterFixture(t)
	s.person(t, "staff@example.cn", role(t, account.Body, bodyA, false), "")
	staff, err := s.store.AccountByEmail(context.Background(), "staff@example.cn")
	if err != nil {
		t.Fatal(err)
	}
	// The member signs in with the password.
	member := s.client()
	member.get("/signin")
	wantRedirect(t, member.post("/signin", url.Values{"email": {"staff@example.cn"}, "password": {testPassword}, "next": {"/work/"}}), "/work/")
	if w := member.get("/work/"); w.Code != http.StatusOK {
		t.Fatalf("member signed in = %d", w.Code)
	}
	s.advance(31 * time.Second)
	admin := s.matterSignIn(t, "admin@example.cn", role(t, account.Body, bodyA, true))
	if page := admin.get("/work/staff").Body.String(); !strings.Contains(page, "staff@example.cn") || !strings.Contains(page, `name="account" value="`+staff.ID+`"`) {
		t.Fatalf("the staff list does not show the member\n%s", page)
	}
	t.Run("an administrator cannot reset itself here", func(t *testing.T) {
		a, _ := s.store.AccountByEmail(context.Background(), "admin@example.cn")
		if w := admin.post("/work/staff/reset", url.Values{"as": {"body:" + bodyA}, "account": {a.ID}}); w.Code != http.StatusForbidden {
			t.Errorf("self reset = %d", w.Code)
		}
	})
	w := admin.post("/work/staff/reset", url.Values{"as": {"body:" + bodyA}, "account": {staff.ID}, "totp": {"1"}})
	m := onceLink.FindStringSubmatch(w.Body.String())
	if w.Code != http.StatusOK || m == nil {
		t.Fatalf("reset = %d\n%s", w.Code, w.Body)
	}
	if w := member.get("/work/"); w.Code != http.StatusSeeOther {
		t.Errorf("the member's session survived the reset: %d", w.Code)
	}
	again := s.client()
	again.get("/signin")
	if w := again.post("/signin", url.Values{"email": {"staff@example.cn"}, "password": {testPassword}, "next": {"/work/"}}); w.Code == http.StatusSeeOther && w.Header().Get("Location") == "/work/" {
		t.Error("the old password still works after a reset")
	}
	if w := s.client().get(m[1]); w.Code != http.StatusOK {
		t.Errorf("the reset link does not open: %d", w.Code)
	}

	wantNoRole := func() {
		t.Helper()
		a, err := s.store.Account(context.Background(), staff.ID)
		if err != nil || a.HasRole(account.Unit{Kind: account.Body, ID: bodyA}) {
			t.Errorf("after removal: %+v, %v", a.Roles, err)
		}
	}
	if w := admin.post("/work/staff/remove", url.Values{"as": {"body:" + bodyA}, "account": {staff.ID}, "unit": {"body:" + bodyA}}); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "已撤销该角色") {
		t.Fatalf("remove = %d\n%s", w.Code, w.Body)
	}
	wantNoRole()
	evs, err := s.store.Events(context.Background(), trustmark.EventFilter{Entity: account.Entity, Key: staff.ID, After: -1})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, e.Action)
	}
	joined := strings.Join(kinds, " ")
	for _, k := range []account.EventKind{account.EventCredentialsReset, account.EventLinkIssued, account.EventRoleRevoked} {
		if !strings.Contains(joined, strings.TrimPrefix(string(k), "account.")) {
			t.Errorf("the public log lacks %s: %v", k, kinds)
		}
	}
}

func TestStaffOfABureauBelow(t *testing.T) {
	s := newMatterFixture(t)
	s.person(t, "laoshan@example.cn", role(t, account.Regulator, "370212", false), testSecret)
	s.person(t, "shenzhen@example.cn", role(t, account.Regulator, "440307", false), testSecret)
	sd := s.matterSignIn(t, "sd-admin@example.cn", role(t, account.Regulator, "370000", true))
	county, _ := s.store.AccountByEmail(context.Background(), "laoshan@example.cn")
	sd.get("/work/staff")
	page := sd.post("/work/staff/find", url.Values{"email": {"laoshan@example.cn"}}).Body.String()
	if !strings.Contains(page, `name="account" value="`+county.ID+`"`) || !strings.Contains(page, `name="unit" value="regulator:370212"`) {
		t.Fatalf("the province does not find its county's staff\n%s", page)
	}
	if page := sd.post("/work/staff/find", url.Values{"email": {"shenzhen@example.cn"}}).Body.String(); strings.Contains(page, "shenzhen@example.cn</td>") {
		t.Errorf("the province finds another province's staff\n%s", page)
	}
	w := sd.post("/work/staff/reset", url.Values{"as": {"regulator:370000"}, "account": {county.ID}, "unit": {"regulator:370212"}, "totp": {"1"}})
	if w.Code != http.StatusOK || !onceLink.MatchString(w.Body.String()) {
		t.Fatalf("reset of a county's staff = %d\n%s", w.Code, w.Body)
	}
	gd, _ := s.store.AccountByEmail(context.Background(), "shenzhen@example.cn")
	if w := sd.post("/work/staff/reset", url.Values{"as": {"regulator:370000"}, "account": {gd.ID}, "unit": {"regulator:440307"}}); w.Code != http.StatusForbidden {
		t.Errorf("reset of another province's staff = %d, want 403", w.Code)
	}
	if c, _, _ := s.store.Credentials(context.Background(), gd.ID); c.TOTP.Secret == "" {
		t.Error("the refused reset cleared the authenticator")
	}
	if c, _, _ := s.store.Credentials(context.Background(), county.ID); c.TOTP.Secret != "" {
		t.Error("the reset for a lost phone kept the authenticator")
	}
}
