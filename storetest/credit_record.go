package storetest

import (
	"strings"
	"testing"

	"trustmark"
	"trustmark/credit"
)

// testCreditRecordBy checks RecordCreditEntryBy: the decision is given the
// subject's region as the registry holds it (a person's is its body's) and
// its archive; a refusal stores nothing; the entry is an event whose data
// holds no person's summary; and a lifetime ban so recorded stops every
// body registering the person, naming the decision.
func testCreditRecordBy(t *testing.T, s CreditStore) {
	seed(t, s)
	wantResults(t, importAll(t, s, trustmark.KindPersons, person("P-0020", "周八", bodyA, trustmark.PartyActive)), trustmark.Created)
	subj := credit.Subject{Kind: credit.Person, ID: "P-0020"}
	if r, err := s.CreditSubjectRegion(ctx, subj); err != nil || !strings.HasPrefix(r, "11") {
		t.Errorf("CreditSubjectRegion(%v) = %q, %v; want its body's Beijing region", subj, r, err)
	}
	if _, err := s.CreditSubjectRegion(ctx, credit.Subject{Kind: credit.Person, ID: "P-9999"}); !trustmark.IsNotFound(err) {
		t.Errorf("CreditSubjectRegion of a person not registered = %v, want not found", err)
	}
	req := credit.EntryRequest{Subject: subj, Kind: credit.Ban, Summary: "伪造审核记录", Decision: "京市监罚〔2026〕21号",
		LegalBasis: "《认证认可条例》第七十三条", On: d("2026-02-01")}
	record := func(req credit.EntryRequest, n int) (credit.Entry, error) {
		return s.RecordCreditEntryBy(ctx, subj, func(region string, a credit.Archive) (credit.Entry, error) {
			if !strings.HasPrefix(region, "11") {
				return credit.Entry{}, trustmark.Errorf(trustmark.EForbidden, "", "region %s", region)
			}
			_, e, err := a.RecordRequest(req, credit.Recording{ID: "E-" + string(rune('0'+n)), At: creditAt(n), By: "regulator:110000"})
			return e, err
		})
	}
	bad := req
	bad.ValidUntil = d("2030-01-01")
	if _, err := record(bad, 1); trustmark.ErrorCode(err) != trustmark.EInvalid {
		t.Errorf("RecordCreditEntryBy(a ban with an end) = %v, want invalid", err)
	}
	if a, err := s.CreditArchive(ctx, subj); err != nil || len(a.Entries) != 0 {
		t.Errorf("archive after a refusal = %+v, %v; want empty", a.Entries, err)
	}
	e, err := record(req, 2)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := s.Events(ctx, trustmark.EventFilter{Entity: "credit_entry", Key: subj.String(), After: -1})
	if err != nil || len(evs) != 1 || evs[0].Action != string(credit.Ban) || strings.Contains(string(evs[0].Data), "伪造审核记录") || !strings.Contains(string(evs[0].Data), e.Decision) {
		t.Errorf("events of %v = %+v, %v; want one ban event naming the decision without the summary", subj, evs, err)
	}
	for _, body := range []string{bodyA, bodyB} {
		out := importAll(t, s, trustmark.KindPersons, person("P-0020", "周八", body, trustmark.PartyActive))
		if body == bodyA {
			// The same row again changes nothing, and is taken.
			continue
		}
		wantResults(t, out, trustmark.Rejected)
		if err := out[0].Err; !strings.Contains(err.Error(), "京市监罚〔2026〕21号") || trustmark.ErrorField(err) != "registration_no" {
			t.Errorf("registering P-0020 at %s = %v, want a refusal naming the decision on registration_no", body, err)
		}
	}
}
