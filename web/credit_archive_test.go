package web

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
)

// TestCreditArchiveForm: a regulator records a lifetime ban on a person
// through the workbench's archive form; a ban with an end date is refused
// next to its field, a regulator of another region and a body are refused;
// after the ban, the person's body cannot register the person again, and
// the refusal names the decision.
func TestCreditArchiveForm(t *testing.T) {
	s := newMatterFixture(t)
	beijing := s.matterSignIn(t, "bj@example.cn", role(t, account.Regulator, "110000", false))
	s.advance(31 * time.Second)
	shanghai := s.matterSignIn(t, "sh@example.cn", role(t, account.Regulator, "310000", false))
	s.advance(31 * time.Second)
	staffA := s.matterSignIn(t, "a@example.cn", role(t, account.Body, bodyA, false))
	s.advance(31 * time.Second)

	const decision = "京市监罚〔2026〕12号"
	ban := func(edit ...string) url.Values {
		v := url.Values{"subject_kind": {"person"}, "subject_id": {personNo}, "kind": {"ban"}, "summary": {"伪造审核记录"},
			"decision": {decision}, "legal_basis": {"《认证认可条例》第七十三条"}, "on": {"2026-03-10"}}
		for i := 0; i+1 < len(edit); i += 2 {
			v.Set(edit[i], edit[i+1])
		}
		return v
	}

	t.Run("the regulators' credit page links to the archive form", func(t *testing.T) {
		if w := beijing.get("/work/credit"); !strings.Contains(w.Body.String(), `href="/work/credit/archive"`) {
			t.Errorf("GET /work/credit lacks the link to the archive page\n%s", w.Body)
		}
	})
	t.Run("the region's regulator looks the person up and sees the form", func(t *testing.T) {
		w := beijing.get("/work/credit/archive?kind=person&id=" + personNo)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `id="archive-record"`) || !strings.Contains(w.Body.String(), personNo) {
			t.Errorf("GET /work/credit/archive = %d, want the archive and the form\n%s", w.Code, w.Body)
		}
	})
	t.Run("the subject's risk page links to its archive", func(t *testing.T) {
		if w := beijing.get("/work/risk/person/" + personNo); !strings.Contains(w.Body.String(), "/work/credit/archive?id="+personNo+"&amp;kind=person") {
			t.Errorf("GET /work/risk/person/%s = %d, lacks the link to the archive page", personNo, w.Code)
		}
	})
	t.Run("in English the lookup keeps the language", func(t *testing.T) {
		w := beijing.get("/work/credit/archive?lang=en&kind=person&id=" + personNo)
		if body := w.Body.String(); !strings.Contains(body, `name="lang" value="en"`) || !strings.Contains(body, "Record an entry") {
			t.Errorf("GET /work/credit/archive?lang=en = %d, want the English form keeping lang", w.Code)
		}
	})
	t.Run("a body may not open the page", func(t *testing.T) {
		if w := staffA.get("/work/credit/archive"); w.Code != 403 {
			t.Errorf("GET /work/credit/archive by a body = %d, want 403", w.Code)
		}
	})
	t.Run("a ban with an end date is refused next to the field", func(t *testing.T) {
		w := beijing.post("/work/credit/archive", ban("valid_until", "2030-01-01"))
		body := w.Body.String()
		if w.Code != 400 || !strings.Contains(body, `id="err-valid_until"`) || !strings.Contains(body, "终身禁入没有终止日期") {
			t.Errorf("POST a ban with an end date = %d, want 400 with the refusal at valid_until\n%s", w.Code, body)
		}
		if !strings.Contains(body, "伪造审核记录") {
			t.Errorf("the refused form lost what was typed")
		}
	})
	t.Run("a date that is no date is refused next to its field", func(t *testing.T) {
		w := beijing.post("/work/credit/archive", ban("on", "2026-02-30"))
		if w.Code != 400 || !strings.Contains(w.Body.String(), `id="err-on"`) {
			t.Errorf("POST with on=2026-02-30 = %d, want 400 at on\n%s", w.Code, w.Body)
		}
	})
	t.Run("a regulator outside the person's region is refused", func(t *testing.T) {
		if w := shanghai.post("/work/credit/archive", ban()); w.Code != 403 {
			t.Errorf("POST by Shanghai = %d, want 403\n%s", w.Code, w.Body)
		}
	})
	t.Run("a body may not record", func(t *testing.T) {
		if w := staffA.post("/work/credit/archive", ban()); w.Code != 403 {
			t.Errorf("POST by a body = %d, want 403", w.Code)
		}
	})
	t.Run("the region's regulator records the ban", func(t *testing.T) {
		w := beijing.post("/work/credit/archive", ban())
		if w.Code != 303 || !strings.Contains(w.Header().Get("Location"), "/work/credit/archive?") {
			t.Fatalf("POST the ban = %d (%s), want 303 to the archive\n%s", w.Code, w.Header().Get("Location"), w.Body)
		}
		page := beijing.get(w.Header().Get("Location")).Body.String()
		for _, want := range []string{decision, "终身禁入", "伪造审核记录", `id="archive-done"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the archive after the ban lacks %q", want)
			}
		}
	})
	t.Run("the body cannot register the banned person again, and is told the decision", func(t *testing.T) {
		w := staffA.post("/work/auditors/register", url.Values{"as": {bodyA}, "registration_no": {personNo}, "name": {"张伟"},
			"qualifications": {"QMS", "EMS", "EnMS"}, "grade": {"审核员"}})
		if w.Code < 400 || !strings.Contains(w.Body.String(), decision) {
			t.Errorf("register the banned person = %d, want a refusal naming %s\n%s", w.Code, decision, w.Body)
		}
	})
}

func FuzzParseArchiveForm(f *testing.F) {
	f.Add("person", personNo, "ban", "2026-03-10", "", "2030-01-01", "", "")
	f.Add("body", bodyA, "commitment", "", "2026-02-30", "", "true", "on")
	f.Add("", "", "", "x", "y", "z", "maybe", "no")
	f.Fuzz(func(t *testing.T, kind, id, entry, on, from, until, kept, withdrawn string) {
		v := url.Values{"subject_kind": {kind}, "subject_id": {id}, "kind": {entry}, "on": {on}, "valid_from": {from},
			"valid_until": {until}, "kept": {kept}, "withdrawn": {withdrawn}}
		req, err := ParseArchiveForm(v)
		if err != nil {
			if !slices.Contains(archiveFields, trustmark.ErrorField(err)) {
				t.Errorf("ParseArchiveForm refused %v on field %q, not one of the form's", err, trustmark.ErrorField(err))
			}
			return
		}
		if (kept == "") != (req.Kept == nil) || req.Withdrawn != (withdrawn == "on" || withdrawn == "true") {
			t.Errorf("ParseArchiveForm(kept=%q, withdrawn=%q) = %v, %v", kept, withdrawn, req.Kept, req.Withdrawn)
		}
	})
}
