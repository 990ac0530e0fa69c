package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/credit"
)

// TestAuditorsOfABody: a body's staff list its persons, register one and
// end a registration, each an event in the public log with the name
// committed by hash only; another body's staff and a regulator may not;
// a person banned for life is refused with the decision named.
func TestAuditorsOfABody(t *testing.T) {
	ctx := context.Background()
	s := newMatterFixture(t)
	ban, err := credit.BanEntry(credit.BanDecision{ID: "B-9", Subject: credit.Subject{Kind: credit.Person, ID: "2026-NQA-0666"}, Decision: "京市监罚〔2026〕66号",
		Grounds: "伪造审核记录", LegalBasis: "《认证认可条例》第七十三条", On: trustmark.DateOf(s.clock()).AddDate(0, 0, -30)}, s.clock().Add(-time.Hour), "regulator:110000")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.store.RecordCreditEntry(ctx, ban); err != nil {
		t.Fatal(err)
	}
	staffA := s.matterSignIn(t, "a@example.cn", role(t, account.Body, bodyA, false))
	staffB := s.matterSignIn(t, "b@example.cn", role(t, account.Body, bodyB, false))
	regulator := s.matterSignIn(t, "r@example.cn", role(t, account.Regulator, "110000", false))
	s.advance(31 * time.Second)

	page := func(c *client, want int, has ...string) string {
		t.Helper()
		w := c.get("/work/auditors")
		if w.Code != want {
			t.Fatalf("GET /work/auditors = %d, want %d\n%s", w.Code, want, w.Body)
		}
		for _, h := range has {
			if !strings.Contains(w.Body.String(), h) {
				t.Errorf("GET /work/auditors lacks %q", h)
			}
		}
		return w.Body.String()
	}
	page(staffA, 200, personNo, "张伟", "高级审核员", `action="/work/auditors/register"`)
	if en := staffA.get("/work/auditors?lang=en").Body.String(); !strings.Contains(en, "senior auditor") || strings.Contains(en, "高级审核员") {
		t.Errorf("GET /work/auditors?lang=en does not name the grade in English")
	}
	if en := s.get("/persons/" + personNo + "?lang=en").Body.String(); !strings.Contains(en, "<dd>senior auditor</dd>") {
		t.Errorf("GET /persons/%s?lang=en does not name the grade in English", personNo)
	}
	if got := page(staffB, 200); strings.Contains(got, personNo) || strings.Contains(got, "张伟") {
		t.Errorf("another body's staff sees body A's auditor")
	}
	page(regulator, 403)

	register := func(c *client, as, reg, name string, quals ...string) (int, string) {
		w := c.post("/work/auditors/register", url.Values{"as": {as}, "registration_no": {reg}, "name": {name}, "qualifications": quals, "grade": {"审核员"}})
		return w.Code, w.Body.String()
	}
	t.Run("a new person is registered, with an event that hides the name", func(t *testing.T) {
		code, body := register(staffA, bodyA, "2026-NQA-0100", "李娜", "QMS", "EMS")
		if code != 200 || !strings.Contains(body, "2026-NQA-0100") || !strings.Contains(body, "李娜") {
			t.Fatalf("register = %d\n%s", code, body)
		}
		evs, err := s.store.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityPerson, Key: "2026-NQA-0100", After: -1})
		if err != nil || len(evs) != 1 || evs[0].Action != trustmark.ActionCreated || evs[0].Actor != "body:"+bodyA {
			t.Fatalf("events of the registration = %+v, %v; want one created by body:%s", evs, err, bodyA)
		}
		if strings.Contains(string(evs[0].Data), "李娜") {
			t.Errorf("the event's public data holds the name: %s", evs[0].Data)
		}
	})
	t.Run("a person of another body is refused by the matrix", func(t *testing.T) {
		code, body := register(staffB, bodyB, personNo, "张伟", "QMS")
		if code != 403 || !strings.Contains(body, personNo) {
			t.Errorf("register %s with %s = %d, want 403 naming the person\n%s", personNo, bodyB, code, body)
		}
	})
	t.Run("a body that is not the caller's is refused", func(t *testing.T) {
		if code, _ := register(staffB, bodyA, "2026-NQA-0101", "王强", "QMS"); code != 403 {
			t.Errorf("register as %s by %s's staff = %d, want 403", bodyA, bodyB, code)
		}
	})
	t.Run("a person banned for life is refused with the decision named", func(t *testing.T) {
		code, body := register(staffA, bodyA, "2026-NQA-0666", "赵六", "QMS")
		if code != 403 || !strings.Contains(body, "京市监罚〔2026〕66号") {
			t.Errorf("register a banned person = %d, want 403 naming the decision\n%s", code, body)
		}
		if _, err := s.store.Person(ctx, "2026-NQA-0666"); trustmark.ErrorCode(err) != trustmark.ENotFound {
			t.Errorf("the banned person was stored: %v", err)
		}
	})
	t.Run("a person another body recorded as banned is refused with the decision named", func(t *testing.T) {
		const banned = "2026-NQA-0667"
		ban, err := credit.BanEntry(credit.BanDecision{ID: "B-10", Subject: credit.Subject{Kind: credit.Person, ID: banned}, Decision: "沪市监罚〔2026〕67号",
			Grounds: "伪造审核记录", LegalBasis: "《认证认可条例》第七十三条", On: trustmark.DateOf(s.clock()).AddDate(0, 0, -20)}, s.clock().Add(-time.Hour), "regulator:310000")
		if err == nil {
			err = s.store.RecordCreditEntry(ctx, ban)
		}
		var rec trustmark.Record
		if err == nil {
			rec, err = trustmark.ParseRecord(trustmark.KindPersons, trustmark.Row{"registration_no": banned, "name": "孙八", "body_approval_no": bodyB,
				"qualifications": "QMS", "status": string(trustmark.PartyBanned)}, trustmark.DefaultPolicy())
		}
		if err == nil {
			_, err = s.store.Import(ctx, trustmark.Party{Kind: trustmark.PartyBody, ID: bodyB}, trustmark.KindPersons, []trustmark.Record{rec})
		}
		if err != nil {
			t.Fatal(err)
		}
		code, body := register(staffA, bodyA, banned, "孙八", "QMS")
		if code != 403 || !strings.Contains(body, "沪市监罚〔2026〕67号") {
			t.Errorf("register %s, banned by %s = %d, want 403 naming the decision\n%s", banned, bodyB, code, body)
		}
		if p, err := s.store.Person(ctx, banned); err != nil || p.BodyApprovalNo != bodyB || p.Status != trustmark.PartyBanned {
			t.Errorf("after the refusal, person = %+v, %v; want still banned with %s", p, err, bodyB)
		}
	})
	t.Run("a row the registry refuses names its field", func(t *testing.T) {
		code, body := register(staffA, bodyA, "2026-NQA-0102", "钱七")
		if got := alerts(body); code != 400 || !strings.Contains(got, "资格（认证类型）") || !strings.Contains(got, "请至少选择一项资格") {
			t.Errorf("register without qualifications = %d %q, want 400 naming the qualifications in Chinese\n%s", code, got, body)
		}
		w := staffA.post("/work/auditors/register?lang=en", url.Values{"as": {bodyA}, "registration_no": {" "}, "name": {"钱七"}, "qualifications": {"QMS"}})
		if got := alerts(w.Body.String()); w.Code != 400 || !strings.Contains(got, "Registration number: a registration number is required") {
			t.Errorf("register without a number = %d %q, want 400 naming the field by its label", w.Code, got)
		}
	})
	t.Run("a registration is ended, and cannot be ended twice", func(t *testing.T) {
		w := staffA.post("/work/auditors/end", url.Values{"as": {bodyA}, "registration_no": {"2026-NQA-0100"}})
		if w.Code != 200 {
			t.Fatalf("end = %d\n%s", w.Code, w.Body)
		}
		p, err := s.store.Person(ctx, "2026-NQA-0100")
		if err != nil || p.Status != trustmark.PartyRevoked {
			t.Fatalf("after the end, person = %+v, %v; want revoked", p, err)
		}
		evs, _ := s.store.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityPerson, Key: "2026-NQA-0100", After: -1})
		if len(evs) != 2 || evs[1].To != string(trustmark.PartyRevoked) {
			t.Errorf("events after the end = %+v, want a status change to revoked", evs)
		}
		if w := staffA.post("/work/auditors/end", url.Values{"as": {bodyA}, "registration_no": {"2026-NQA-0100"}}); w.Code != 409 {
			t.Errorf("ending again = %d, want 409", w.Code)
		}
	})
	t.Run("another body may not end body A's registration", func(t *testing.T) {
		if w := staffB.post("/work/auditors/end", url.Values{"as": {bodyB}, "registration_no": {personNo}}); w.Code != 403 {
			t.Errorf("end by another body = %d, want 403", w.Code)
		}
	})
	t.Run("an ended registration may be taken up by another body", func(t *testing.T) {
		if code, body := register(staffB, bodyB, "2026-NQA-0100", "李娜", "QMS"); code != 200 {
			t.Errorf("register an ended person with %s = %d\n%s", bodyB, code, body)
		}
	})
	t.Run("a registered person the archive bans is marked with the decision", func(t *testing.T) {
		ban, err := credit.BanEntry(credit.BanDecision{ID: "B-11", Subject: credit.Subject{Kind: credit.Person, ID: personNo}, Decision: "京市监罚〔2026〕11号",
			Grounds: "伪造审核记录", LegalBasis: "《认证认可条例》第七十三条", On: trustmark.DateOf(s.clock()).AddDate(0, 0, -1)}, s.clock().Add(-time.Hour), "regulator:110000")
		if err == nil {
			err = s.store.RecordCreditEntry(ctx, ban)
		}
		if err != nil {
			t.Fatal(err)
		}
		got := page(staffA, 200)
		i := strings.Index(got, `id="person-`+personNo+`"`)
		if i < 0 {
			t.Fatalf("the page lacks %s's row", personNo)
		}
		row, _, _ := strings.Cut(got[i:], "</tr>")
		if !strings.Contains(row, "京市监罚〔2026〕11号") {
			t.Errorf("%s's row does not name the ban's decision:\n%s", personNo, row)
		}
	})
}

// FuzzAuditorsForm: whatever the registration form holds, the answer is
// never a server error, and a refused registration stores nothing.
func FuzzAuditorsForm(f *testing.F) {
	f.Add(bodyA, "2026-NQA-0200", "李娜", "QMS", "审核员")
	f.Add(bodyA, "a b/c", "", "XYZ", "")
	f.Add("body:"+bodyA, personNo, "\x00", "QMS;EMS", strings.Repeat("级", 300))
	f.Add(bodyB, "2026-NQA-0001", "张伟", "", "x")
	s := newMatterFixture(f)
	c := s.matterSignIn(f, "a@example.cn", role(f, account.Body, bodyA, false))
	var mu sync.Mutex // the client is one browser
	f.Fuzz(func(t *testing.T, as, reg, name, qual, grade string) {
		mu.Lock()
		defer mu.Unlock()
		_, err := s.store.Person(context.Background(), strings.TrimSpace(reg))
		was := trustmark.ErrorCode(err) != trustmark.ENotFound
		w := c.post("/work/auditors/register", url.Values{"as": {as}, "registration_no": {reg}, "name": {name}, "qualifications": {qual}, "grade": {grade}})
		if w.Code >= 500 {
			t.Fatalf("register %q %q %q %q %q = %d\n%s", as, reg, name, qual, grade, w.Code, w.Body)
		}
		if _, err := s.store.Person(context.Background(), strings.TrimSpace(reg)); w.Code != http.StatusOK && !was && trustmark.ErrorCode(err) != trustmark.ENotFound {
			t.Fatalf("a refused registration (%d) stored %q: %v", w.Code, reg, err)
		}
		if w := c.post("/work/auditors/end", url.Values{"as": {as}, "registration_no": {reg}}); w.Code >= 500 {
			t.Fatalf("end %q %q = %d", as, reg, w.Code)
		}
	})
}
