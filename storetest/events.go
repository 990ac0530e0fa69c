package storetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"trustmark"
)

func testEvents(t *testing.T, open func(t *testing.T) trustmark.Store) {
	t.Run("every write is an event numbered without gaps, failures leave none", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		asA := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}
		// Failed writes in between.
		if _, err := s.TransitionCertificate(ctx, asA, qmsNo, trustmark.Transition{To: trustmark.StatusExpired}); err == nil {
			t.Fatal("a refused transition succeeded")
		}
		dup := qms(qmsNo, bodyA, org1)
		dup.IssuedOn, dup.ExpiresOn = Today, Today.AddDate(1, 0, 0)
		if _, err := s.IssueCertificate(ctx, asA, IssueRequestOf(dup)); err == nil {
			t.Fatal("a duplicate issue succeeded")
		}
		importAll(t, s, trustmark.KindCertificates, qms("X-1", "CNCA-R-2009-099", org1))
		if _, err := s.TransitionCertificate(ctx, asA, qmsNo, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "复审不合格"}); err != nil {
			t.Fatal(err)
		}
		evs := events(t, s)
		checkGapless(t, evs)
		if want := 3 + 3 + 2 + 1 + 2 + 1 + 1; len(evs) != want {
			t.Errorf("got %d events, want %d", len(evs), want)
		}
		for _, e := range evs {
			if !e.At.Equal(Now) || e.At.Location().String() != "UTC" {
				t.Errorf("event %d at %v, want %v UTC", e.Seq, e.At, Now)
			}
			if e.Actor == "" || e.Entity == "" || e.Key == "" || e.Action == "" {
				t.Errorf("event %d is incomplete: %+v", e.Seq, e)
			}
		}
		after, err := s.Events(ctx, trustmark.EventFilter{After: 9, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != 2 || after[0].Seq != 10 || after[1].Seq != 11 {
			t.Errorf("Events(After 9, Limit 2) = %d events from %d, want 10 and 11", len(after), after[0].Seq)
		}
	})

	t.Run("concurrent writers get distinct gapless numbers in order", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		base := len(events(t, s))
		const writers, each = 6, 8
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					c := qms(fmt.Sprintf("C%02d-%03d", w, i), bodyA, org3)
					out, err := s.Import(ctx, importer, trustmark.KindCertificates, []trustmark.Record{c, qms(fmt.Sprintf("C%02d-%03d-B", w, i), bodyA, org3)})
					if err == nil && (out[0].Result != trustmark.Created || out[1].Result != trustmark.Created) {
						err = fmt.Errorf("outcomes %+v", out)
					}
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent import: %v", err)
		}
		evs := events(t, s)
		checkGapless(t, evs)
		if got, want := len(evs), base+writers*each*2; got != want {
			t.Errorf("got %d events, want %d", got, want)
		}
		// Each transaction's two events are adjacent: numbers follow commits.
		for i := base; i+1 < len(evs); i += 2 {
			if evs[i].Key+"-B" != strings.TrimPrefix(evs[i+1].Key, "") && evs[i].Key+"-B" != evs[i+1].Key {
				t.Errorf("events %d and %d (%s, %s) are from different transactions", i, i+1, evs[i].Key, evs[i+1].Key)
			}
		}
	})

	t.Run("concurrent transitions of one certificate: exactly one wins", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		asA := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}
		const n = 6
		errs := make(chan error, n)
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.TransitionCertificate(ctx, asA, qmsNo, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "并发暂停"})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			switch trustmark.ErrorCode(err) {
			case "":
				ok++
			case trustmark.EConflict:
			default:
				t.Errorf("concurrent transition: %v, want success or conflict", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d of %d concurrent suspensions succeeded, want exactly 1", ok, n)
		}
		evs, err := s.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: "QMS/" + qmsNo, After: -1})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 {
			t.Errorf("got %d events for the certificate, want 2 (created, one suspension)", len(evs))
		}
		checkGapless(t, events(t, s))
	})

	t.Run("events hold the public state after the change", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		evs, err := s.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: "QMS/" + qmsNo, After: -1})
		if err != nil {
			t.Fatal(err)
		}
		want := qms(qmsNo, bodyA, org1)
		want.StatusSince = want.IssuedOn
		b, _ := json.Marshal(want)
		if len(evs) != 1 || !bytes.Equal(evs[0].Data, b) {
			t.Fatalf("created event data = %s, want %s", evs[0].Data, b)
		}
		again := events(t, s)
		if diff := cmp.Diff(events(t, s), again, ignoreRead); diff != "" {
			t.Errorf("two reads of the events differ:\n%s", diff)
		}
	})

	t.Run("a person's name is personal data, salted, not in Data", func(t *testing.T) {
		s := open(t)
		seed(t, s)
		wantAll(t, importAll(t, s, trustmark.KindPersons, person("P-0009", "欧阳娜娜", bodyA, trustmark.PartyActive)), trustmark.Created)
		evs, err := s.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityPerson, Key: "P-0009", After: -1})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 {
			t.Fatalf("got %d events, want 1", len(evs))
		}
		e := evs[0]
		if strings.Contains(string(e.Data), "欧阳") {
			t.Errorf("event data %s holds the person's name", e.Data)
		}
		if e.Personal["name"] != "欧阳娜娜" || len(e.Salt) != 16 {
			t.Errorf("personal = %v, salt %d bytes; want the name and 16 bytes", e.Personal, len(e.Salt))
		}
		org, err := s.Events(ctx, trustmark.EventFilter{Entity: trustmark.EntityOrg, After: -1, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if org[0].Personal != nil || org[0].Salt != nil {
			t.Errorf("an org event has personal data %v, salt %x", org[0].Personal, org[0].Salt)
		}
	})
}

func testTokens(t *testing.T, open func(t *testing.T) trustmark.Store) {
	s := open(t)
	seed(t, s)
	for _, p := range []trustmark.Party{
		{Kind: trustmark.PartyBody, ID: bodyA},
		{Kind: trustmark.PartyLab, ID: lab1},
		{Kind: trustmark.PartyRegulator, ID: "330000"},
		{Kind: trustmark.PartyRegulator, ID: "000000"},
	} {
		t.Run("a token of "+p.String()+" authenticates it", func(t *testing.T) {
			tok, err := s.CreateToken(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(tok, "tm_") || len(tok) < 40 {
				t.Errorf("token %q does not look like tm_ and 32 random bytes", tok)
			}
			got, err := s.Authenticate(ctx, tok)
			if err != nil || got != p {
				t.Errorf("Authenticate = %v, %v; want %v", got, err, p)
			}
		})
	}
	for _, tc := range []struct {
		name string
		p    trustmark.Party
		code string
	}{
		{"an unknown body gets no token", trustmark.Party{Kind: trustmark.PartyBody, ID: "CNCA-R-2009-099"}, trustmark.ENotFound},
		{"an unknown laboratory gets no token", trustmark.Party{Kind: trustmark.PartyLab, ID: "240012340099"}, trustmark.ENotFound},
		{"a region that does not exist gets no token", trustmark.Party{Kind: trustmark.PartyRegulator, ID: "999999"}, trustmark.EInvalid},
		{"the system gets no token", trustmark.System, trustmark.EInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := s.CreateToken(ctx, tc.p)
			if tok != "" {
				t.Errorf("CreateToken returned %q with error %v", tok, err)
			}
			wantCode(t, tc.name, err, tc.code, "")
		})
	}
	t.Run("unknown tokens are unauthorized", func(t *testing.T) {
		for _, tok := range []string{"", "tm_AAAA", "Bearer x", "tm_" + strings.Repeat("A", 43)} {
			_, err := s.Authenticate(ctx, tok)
			wantCode(t, fmt.Sprintf("Authenticate(%q)", tok), err, trustmark.EUnauthorized, "")
		}
	})
}
