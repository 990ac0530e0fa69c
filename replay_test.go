package trustmark

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// replayCert is the certificate the replay tests follow.
func replayCert() *Certificate {
	return &Certificate{Number: "00125Q10001R0M", Type: TypeQMS, BodyApprovalNo: "CNCA-R-2002-001", HolderUSCC: MakeUSCC("9111010800000001"),
		Scope: "精密仪器的设计和生产", IssuedOn: day("2025-01-10"), ExpiresOn: day("2028-01-09"), Status: StatusValid, StatusSince: day("2025-01-10")}
}

// change returns the change of an event about c as the store writes it:
// with Data, the certificate after the change, unless noData.
func change(seq int64, action string, c *Certificate, from, to string, noData bool) Change {
	e := Event{Seq: seq, Entity: EntityCertificate, Key: c.Key(), Action: action, From: from, To: to, EffectiveOn: c.StatusSince}
	if !noData {
		e.Data, _ = json.Marshal(c)
	}
	return NewChange(e)
}

func TestReplay(t *testing.T) {
	created := replayCert()
	revoked := replayCert()
	revoked.Status, revoked.StatusSince = StatusRevoked, day("2026-02-01")
	expired := replayCert()
	expired.Status, expired.StatusSince = StatusExpired, day("2028-01-10")
	other := replayCert()
	other.Number = "00125Q10002R0M"

	for _, tt := range []struct {
		name    string
		changes []Change
		want    *Certificate
		err     string
	}{
		{"a creation gives the state in its data", []Change{change(3, ActionCreated, created, "", "", false)}, created, ""},
		{"a status change replaces the state with its data",
			[]Change{change(3, ActionCreated, created, "", "", false), change(9, ActionStatusChanged, revoked, "valid", "revoked", false)}, revoked, ""},
		{"a status change without data applies To and EffectiveOn",
			[]Change{change(3, ActionCreated, created, "", "", false), change(9, ActionStatusChanged, revoked, "valid", "revoked", true)}, revoked, ""},
		{"an expiry without data applies To and EffectiveOn",
			[]Change{change(3, ActionIssued, created, "", "valid", false), change(9, ActionExpired, expired, "valid", "expired", true)}, expired, ""},
		{"a first event without data gives no state",
			[]Change{change(3, ActionCreated, created, "", "", true)}, nil, "gives no state"},
		{"data that does not hold the record is refused",
			[]Change{NewChange(Event{Seq: 3, Entity: EntityCertificate, Key: created.Key(), Action: ActionCreated, Data: json.RawMessage(`{"number":"X"}`)})}, nil, "does not hold"},
		{"a status change its own data contradicts is refused",
			[]Change{change(3, ActionCreated, created, "", "", false), change(9, ActionStatusChanged, revoked, "valid", "suspended", false)}, nil, "became suspended, but its data says revoked"},
		{"events of two records are refused",
			[]Change{change(3, ActionCreated, created, "", "", false), change(9, ActionCreated, other, "", "", false)}, nil, "not certificate"},
		{"events out of order are refused",
			[]Change{change(9, ActionCreated, created, "", "", false), change(3, ActionStatusChanged, revoked, "valid", "revoked", false)}, nil, "Seq order"},
		{"no events are refused", nil, nil, "no events"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Replay(tt.changes)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Replay = %v, want an error containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.Certificate, dateCmp); diff != "" {
				t.Errorf("Replay (-want +got):\n%s", diff)
			}
			if last := tt.changes[len(tt.changes)-1].Seq; got.Seq != last {
				t.Errorf("Replay Seq = %d, want the last event's %d", got.Seq, last)
			}
		})
	}
}

func TestReplayParties(t *testing.T) {
	t.Run("a person's name comes from the event's personal data", func(t *testing.T) {
		data := json.RawMessage(`{"registration_no":"2021-N1QMS-1234567","body_approval_no":"CNCA-R-2002-001","qualifications":["QMS"],"status":"active","status_since":"2025-01-10"}`)
		got, err := Replay([]Change{NewChange(Event{Seq: 1, Entity: EntityPerson, Key: "2021-N1QMS-1234567", Action: ActionCreated, Data: data,
			Personal: map[string]string{"name": "张三"}})})
		if err != nil || got.Person == nil || got.Person.Name != "张三" {
			t.Fatalf("Replay = %+v, %v; want the person named 张三", got.Person, err)
		}
	})
	t.Run("a body's status change without data keeps its other fields", func(t *testing.T) {
		b := &Body{ApprovalNo: "CNCA-R-2002-001", Name: "中国质量认证中心", RegionCode: "110000", Scopes: []CertType{TypeQMS}, Status: PartyActive, StatusSince: day("2020-01-01")}
		data, _ := json.Marshal(b)
		got, err := Replay([]Change{
			NewChange(Event{Seq: 1, Entity: EntityBody, Key: b.ApprovalNo, Action: ActionCreated, Data: data}),
			NewChange(Event{Seq: 2, Entity: EntityBody, Key: b.ApprovalNo, Action: ActionStatusChanged, From: "active", To: "suspended", EffectiveOn: day("2026-03-01")}),
		})
		want := *b
		want.Status, want.StatusSince = PartySuspended, day("2026-03-01")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&want, got.Body, dateCmp); diff != "" {
			t.Errorf("Replay (-want +got):\n%s", diff)
		}
	})
	t.Run("an organisation's status change without data is refused", func(t *testing.T) {
		o := &Org{USCC: MakeUSCC("9111010800000001"), Name: "北京海淀精密仪器有限公司", RegionCode: "110108"}
		data, _ := json.Marshal(o)
		_, err := Replay([]Change{
			NewChange(Event{Seq: 1, Entity: EntityOrg, Key: string(o.USCC), Action: ActionCreated, Data: data}),
			NewChange(Event{Seq: 2, Entity: EntityOrg, Key: string(o.USCC), Action: ActionStatusChanged, To: "revoked"}),
		})
		if err == nil || !strings.Contains(err.Error(), "which has none") {
			t.Errorf("Replay = %v, want a refusal", err)
		}
	})
	t.Run("a report number imported in lower case replays in canonical form", func(t *testing.T) {
		r := &Report{Number: "bj-2024-001", LabCMANo: "240012340001", Product: "电线", Conclusion: ConclusionPass, IssuedOn: day("2024-05-01")}
		data, _ := json.Marshal(r)
		got, err := Replay([]Change{NewChange(Event{Seq: 1, Entity: EntityReport, Key: r.Key(), Action: ActionCreated, Data: data})})
		if err != nil || got.Report.Number != "BJ-2024-001" || got.Report.Key() != "240012340001/BJ-2024-001" {
			t.Errorf("Replay = %+v, %v; want number BJ-2024-001", got.Report, err)
		}
	})
}

func TestCompareState(t *testing.T) {
	revoked := replayCert()
	revoked.Status, revoked.StatusSince = StatusRevoked, day("2026-02-01")
	edited := replayCert()
	edited.HolderName, edited.BodyName, edited.BodyStatus = "北京海淀精密仪器有限公司", "中国质量认证中心", PartyActive // read-only fields
	for _, tt := range []struct {
		name            string
		entity          string
		stored, implied Record
		want            []FieldDiff
	}{
		{"an identical record has no difference", EntityCertificate, replayCert(), replayCert(), nil},
		{"fields filled on reads are not compared", EntityCertificate, edited, replayCert(), nil},
		{"a revoked certificate stored as valid differs in status and its date", EntityCertificate, replayCert(), revoked, []FieldDiff{
			{Field: "status", Stored: "valid", Implied: "revoked"},
			{Field: "status_since", Stored: "2025-01-10", Implied: "2026-02-01"},
		}},
		{"an empty list is no list", EntityBody,
			&Body{ApprovalNo: "CNCA-R-2002-001", Scopes: nil, Status: PartyActive},
			&Body{ApprovalNo: "CNCA-R-2002-001", Scopes: []CertType{}, Status: PartyActive}, nil},
		{"a laboratory's validity", EntityLab,
			&Lab{CMANo: "240012340001", Status: PartyActive, ValidUntil: day("2030-01-01")},
			&Lab{CMANo: "240012340001", Status: PartyActive, ValidUntil: day("2027-01-01")},
			[]FieldDiff{{Field: "valid_until", Stored: "2030-01-01", Implied: "2027-01-01"}}},
		{"a number that is only in one of them", EntityOrg,
			&Org{USCC: "X", Name: "甲", Employees: 120}, &Org{USCC: "X", Name: "甲"},
			[]FieldDiff{{Field: "employees", Stored: "120", Implied: ""}}},
		{"a person's name is compared, its values not shown", EntityPerson,
			&Person{RegistrationNo: "P1", Name: "李四", Status: PartyActive}, &Person{RegistrationNo: "P1", Name: "张三", Status: PartyActive},
			[]FieldDiff{{Field: "name", Personal: true}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CompareState(tt.entity, tt.stored, tt.implied)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CompareState (-want +got):\n%s", diff)
			}
		})
	}
}
