package credit

import (
	"errors"
	"strings"
	"testing"

	"trustmark"
)

var person = Subject{Person, "2026-NQA-0001"}

func banRequest(t *testing.T) EntryRequest {
	return EntryRequest{Subject: person, Kind: Ban, Summary: "伪造审核记录", Decision: "京市监罚〔2026〕9号",
		LegalBasis: "《认证认可条例》第七十三条", On: day(t, "2026-03-10")}
}

func TestRecordRequest(t *testing.T) {
	rec := Recording{ID: "E1", At: at(t, "2026-03-15T02:00:00Z"), By: "regulator:110000"}
	kept := true
	listed := Archive{Subject: person, Entries: []Entry{{ID: "L1", Subject: person, Kind: SeriousViolation, Summary: "列入", Source: "listing:L-1",
		RecordedBy: "regulator:110000", On: day(t, "2026-02-02"), ValidFrom: day(t, "2026-02-02"), ValidUntil: day(t, "2029-02-01"), RecordedAt: at(t, "2026-02-02T02:00:00Z")}}}
	bad := []struct {
		name         string
		a            Archive
		edit         func(*EntryRequest)
		reason, fild string
	}{
		{"a ban with an end date", Archive{Subject: person}, func(r *EntryRequest) { r.ValidUntil = day(t, "2030-01-01") }, "credit.ban_for_life", "valid_until"},
		{"a listing outside the listing procedure", Archive{Subject: person}, func(r *EntryRequest) { r.Kind = SeriousViolation }, "credit.entry_by_listing", "kind"},
		{"an unknown kind", Archive{Subject: person}, func(r *EntryRequest) { r.Kind = "fine" }, "credit.entry_kind", "kind"},
		{"a ban without its decision number", Archive{Subject: person}, func(r *EntryRequest) { r.Decision = " " }, "credit.entry_decision", "decision"},
		{"a penalty without its legal basis", Archive{Subject: person}, func(r *EntryRequest) { r.Kind, r.LegalBasis = Penalty, "" }, "credit.entry_legal_basis", "legal_basis"},
		{"no summary", Archive{Subject: person}, func(r *EntryRequest) { r.Summary = "" }, "credit.entry_summary", "summary"},
		{"kept on a penalty", Archive{Subject: person}, func(r *EntryRequest) { r.Kind, r.Kept = Penalty, &kept }, "credit.entry_kept", "kept"},
		{"a withdrawal naming nothing", Archive{Subject: person}, func(r *EntryRequest) { r.Withdrawn = true }, "credit.entry_withdrawn", "supersedes"},
		{"a correction of a listing", listed, func(r *EntryRequest) { r.Supersedes, r.Withdrawn = "L1", true }, "credit.entry_by_listing", "supersedes"},
		{"a correction of an entry not in the archive", Archive{Subject: person}, func(r *EntryRequest) { r.Supersedes = "X" }, "credit.supersedes", "supersedes"},
		{"an end before the start", Archive{Subject: person}, func(r *EntryRequest) { r.Kind, r.ValidUntil = Penalty, day(t, "2026-01-01") }, "credit.entry_dates", "valid_until"},
		{"no subject kind", Archive{Subject: person}, func(r *EntryRequest) { r.Subject.Kind = "" }, "credit.subject_missing", "subject_kind"},
	}
	for _, c := range bad {
		t.Run("refuses "+c.name, func(t *testing.T) {
			r := banRequest(t)
			c.edit(&r)
			_, _, err := c.a.RecordRequest(r, rec)
			var e *trustmark.Error
			if !asError(err, &e) || e.Reason != c.reason || e.Field != c.fild {
				t.Errorf("RecordRequest = %v, want reason %s on field %s", err, c.reason, c.fild)
			}
		})
	}
	t.Run("a ban takes effect on the day of the decision, with its source and recorder", func(t *testing.T) {
		a, e, err := Archive{Subject: person}.RecordRequest(banRequest(t), rec)
		if err != nil {
			t.Fatal(err)
		}
		if e.ValidFrom != day(t, "2026-03-10") || !e.ValidUntil.IsZero() || e.Source != "decision:京市监罚〔2026〕9号" || e.RecordedBy != "regulator:110000" || len(a.Entries) != 1 {
			t.Errorf("RecordRequest = %+v, want a ban from 2026-03-10 with no end, sourced from its decision", e)
		}
		err = Standing(a, Register, day(t, "2040-01-01")).Err()
		if err == nil || !strings.Contains(err.Error(), "京市监罚〔2026〕9号") {
			t.Errorf("Standing(Register) after the ban = %v, want a refusal naming the decision", err)
		}
	})
	t.Run("a commitment is recorded, then corrected as kept", func(t *testing.T) {
		r := EntryRequest{Subject: person, Kind: Commitment, Summary: "告知承诺：三个月内补交材料", Source: "commitment:2026-7"}
		a, _, err := Archive{Subject: person}.RecordRequest(r, rec)
		if err != nil {
			t.Fatal(err)
		}
		r.Kept, r.Supersedes = &kept, "E1"
		a, e, err := a.RecordRequest(r, Recording{ID: "E2", At: rec.At.Add(1), By: rec.By})
		if err != nil || e.On != trustmark.DateOf(rec.At) {
			t.Fatalf("RecordRequest(kept) = %+v, %v; want the correction dated today", e, err)
		}
		if known := a.Known(rec.At.Add(2)); len(known) != 1 || known[0].Kept == nil || !*known[0].Kept {
			t.Errorf("Known = %+v, want the commitment as kept", known)
		}
	})
}

func TestRegistrationRefused(t *testing.T) {
	on := day(t, "2026-03-15")
	banned, _, err := Archive{Subject: person}.RecordRequest(banRequest(t), Recording{ID: "E1", At: at(t, "2026-03-10T02:00:00Z"), By: "regulator:110000"})
	if err != nil {
		t.Fatal(err)
	}
	p := func(body string, st trustmark.PartyStatus) *trustmark.Person {
		return &trustmark.Person{RegistrationNo: person.ID, Name: "张三", BodyApprovalNo: body, Qualifications: []trustmark.CertType{"QMS"}, Status: st}
	}
	for _, c := range []struct {
		name      string
		old, next *trustmark.Person
		a         Archive
		reason    string
	}{
		{"a new person banned for life is refused naming the decision", nil, p("CNCA-R-2002-001", trustmark.PartyActive), banned, "credit.ban"},
		{"another body may not take a banned person", p("CNCA-R-2002-001", trustmark.PartyActive), p("CNCA-R-2003-002", trustmark.PartyActive), banned, "credit.ban"},
		{"a row that changes nothing is taken", p("CNCA-R-2002-001", trustmark.PartyActive), p("CNCA-R-2002-001", trustmark.PartyActive), banned, ""},
		{"a row recording the person suspended is taken", p("CNCA-R-2002-001", trustmark.PartyActive), p("CNCA-R-2002-001", trustmark.PartySuspended), banned, ""},
		{"a person without entries is registered", nil, p("CNCA-R-2002-001", trustmark.PartyActive), Archive{}, ""},
		{"the registry's own ban keeps the person with its body", p("CNCA-R-2002-001", trustmark.PartyBanned), p("CNCA-R-2003-002", trustmark.PartyBanned), Archive{}, "credit.banned_person"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := RegistrationRefused(c.old, c.next, c.a, on)
			var e *trustmark.Error
			switch {
			case c.reason == "" && err != nil:
				t.Errorf("RegistrationRefused = %v, want nil", err)
			case c.reason != "" && (!asError(err, &e) || e.Reason != c.reason):
				t.Errorf("RegistrationRefused = %v, want reason %s", err, c.reason)
			case c.reason == "credit.ban" && (e.Field != "registration_no" || !strings.Contains(err.Error(), "京市监罚〔2026〕9号")):
				t.Errorf("RegistrationRefused = %v on %q, want the decision named on registration_no", err, e.Field)
			}
		})
	}
}

var goodSubjects = []struct{ kind, id, want string }{
	{"body", " CNCA-R-2002-001 ", "CNCA-R-2002-001"},
	{"person", "2026-NQA-0001", "2026-NQA-0001"},
}

var badSubjects = []struct{ kind, id, field string }{
	{"company", "X", "subject_kind"},
	{"person", "", "subject_id"},
	{"person", "a\nb", "subject_id"},
	{"person", strings.Repeat("1", 65), "subject_id"},
	{"body", "not an approval number", "subject_id"},
}

func TestParseSubject(t *testing.T) {
	for _, c := range goodSubjects {
		if s, err := ParseSubject(c.kind, c.id); err != nil || s.ID != c.want {
			t.Errorf("ParseSubject(%q, %q) = %v, %v; want id %q", c.kind, c.id, s, err, c.want)
		}
	}
	for _, c := range badSubjects {
		_, err := ParseSubject(c.kind, c.id)
		var e *trustmark.Error
		if !asError(err, &e) || e.Field != c.field {
			t.Errorf("ParseSubject(%q, %q) = %v, want a refusal on %s", c.kind, c.id, err, c.field)
		}
	}
}

func FuzzParseSubject(f *testing.F) {
	for _, c := range goodSubjects {
		f.Add(c.kind, c.id)
	}
	for _, c := range badSubjects {
		f.Add(c.kind, c.id)
	}
	f.Fuzz(func(t *testing.T, kind, id string) {
		s, err := ParseSubject(kind, id)
		if err != nil {
			return
		}
		if !s.Kind.Valid() || s.ID == "" || len(s.ID) > 64 {
			t.Errorf("ParseSubject(%q, %q) = %v, accepted an invalid subject", kind, id, s)
		}
		if again, err := ParseSubject(kind, s.ID); err != nil || again != s {
			t.Errorf("ParseSubject of its own answer %v = %v, %v; want the same", s, again, err)
		}
	})
}

func asError(err error, target **trustmark.Error) bool { return errors.As(err, target) }
