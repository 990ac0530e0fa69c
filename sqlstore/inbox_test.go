package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/matter"
	"trustmark/sqlstore"
)

func TestInboxSQLite(t *testing.T) { testInbox(t, openSQLite(t)) }

func TestInboxPostgres(t *testing.T) {
	pgDSN(t) // skip early
	testInbox(t, openPG(t))
}

func inboxIDs(t *testing.T, db *sqlstore.DB, roles ...account.Role) []string {
	t.Helper()
	ms, err := db.Inbox(context.Background(), roles)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids)
	return ids
}

func testInbox(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	body := account.Unit{Kind: account.Body, ID: "CNCA-R-2002-001"}
	open := func(id, region string, party account.Unit, kind string) {
		t.Helper()
		if _, err := db.OpenMatter(ctx, matter.Opening{ID: id, Kind: kind, Subject: "test:" + id, Party: party, Region: region, At: at, Actor: "system"}); err != nil {
			t.Fatalf("open %s: %v", id, err)
		}
	}
	open("M-QD", "370212", body, "anomaly_explanation") // Qingdao, Shandong
	open("M-SZ", "440307", body, "anomaly_explanation") // Shenzhen, Guangdong
	open("M-CQ", "500101", body, "anomaly_explanation") // Chongqing
	open("M-SC", "510104", body, "anomaly_explanation") // Chengdu, Sichuan
	open("M-REG", "370212", account.Unit{Kind: account.Regulator, ID: "370200"}, "risk_warning")

	reg := func(code string) account.Role {
		return account.Role{Unit: account.Unit{Kind: account.Regulator, ID: code}}
	}
	tests := []struct {
		name  string
		roles []account.Role
		want  []string
	}{
		{"a body sees what it must answer", []account.Role{{Unit: body}}, []string{"M-CQ", "M-QD", "M-SC", "M-SZ"}},
		{"a province sees its region's", []account.Role{reg("370000")}, []string{"M-QD", "M-REG"}},
		{"a city sees its own and its region's", []account.Role{reg("370200")}, []string{"M-QD", "M-REG"}},
		{"Chongqing does not cover Sichuan (51)", []account.Role{reg("500000")}, []string{"M-CQ"}},
		{"another province sees none of Shandong's", []account.Role{reg("440000")}, []string{"M-SZ"}},
		{"the nation sees all", []account.Role{reg(trustmark.NationalRegion)}, []string{"M-CQ", "M-QD", "M-REG", "M-SC", "M-SZ"}},
		{"two roles list a matter once", []account.Role{reg("370000"), {Unit: body}}, []string{"M-CQ", "M-QD", "M-REG", "M-SC", "M-SZ"}},
		{"another body sees nothing", []account.Role{{Unit: account.Unit{Kind: account.Body, ID: "CNCA-R-2003-002"}}}, nil},
	}
	for _, tc := range tests {
		if got := inboxIDs(t, db, tc.roles...); !slices.Equal(got, tc.want) {
			t.Errorf("%s: inbox = %v, want %v", tc.name, got, tc.want)
		}
	}

	// The body answers with a text and a file: its inbox no longer lists
	// the matter, the province's still does (it waits for its decision).
	step := matter.Step{At: at.Add(24 * time.Hour), Actor: "account:acc_test"}
	m, err := db.AnswerMatter(ctx, "M-QD", step, "审核员因病更换，附说明。", "说明.pdf", []byte("%PDF-1.4 test"))
	if err != nil || m.State != matter.Answered {
		t.Fatalf("answer = %v, %v", m.State, err)
	}
	if got := inboxIDs(t, db, account.Role{Unit: body}); slices.Contains(got, "M-QD") {
		t.Errorf("an answered matter stays in its party's inbox: %v", got)
	}
	if got := inboxIDs(t, db, reg("370000")); !slices.Contains(got, "M-QD") {
		t.Errorf("an answered matter is not in its regulator's inbox: %v", got)
	}
	text, name, size, err := db.MatterAnswerOf(ctx, "M-QD", 2)
	if err != nil || text != "审核员因病更换，附说明。" || name != "说明.pdf" || size != 13 {
		t.Errorf("answer of step 2 = %q %q %d %v", text, name, size, err)
	}
	if _, data, err := db.MatterFile(ctx, "M-QD", 2); err != nil || string(data) != "%PDF-1.4 test" {
		t.Errorf("file = %q, %v", data, err)
	}
	if _, _, err := db.MatterFile(ctx, "M-QD", 1); !trustmark.IsNotFound(err) {
		t.Errorf("file of the opening step: %v, want not found", err)
	}
	if _, err := db.AnswerMatter(ctx, "M-QD", step, "again", "", nil); trustmark.ErrorCode(err) != trustmark.EConflict {
		t.Errorf("a second answer: %v, want conflict", err)
	}
	if _, err := db.AnswerMatter(ctx, "M-SZ", step, " ", "", nil); trustmark.ErrorCode(err) != trustmark.EInvalid {
		t.Errorf("an empty answer: %v, want invalid", err)
	}
	if _, err := db.StepMatter(ctx, "M-QD", matter.Accept, matter.Step{At: at.Add(48 * time.Hour), Actor: "account:acc_reg"}, 0); err != nil {
		t.Fatal(err)
	}
	steps, err := db.MatterSteps(ctx, "M-QD")
	if err != nil || len(steps) != 3 || steps[1].Action != matter.Answer || steps[2].Action != matter.Accept || steps[1].Reason != "" {
		t.Fatalf("steps = %+v, %v", steps, err)
	}
	if got := inboxIDs(t, db, reg("370000")); slices.Contains(got, "M-QD") {
		t.Errorf("an accepted matter is still in an inbox: %v", got)
	}
	// Each step is an event of the public log; the answer's text is not.
	evs, err := db.Events(ctx, trustmark.EventFilter{Entity: sqlstore.EntityMatter, Key: "M-QD", After: -1})
	if err != nil || len(evs) != 3 {
		t.Fatalf("events of M-QD = %d, %v", len(evs), err)
	}
	for _, e := range evs {
		if strings.Contains(string(e.Data), "审核员") {
			t.Errorf("the public log holds the answer's text: %s", e.Data)
		}
	}

	// An extension past the law's limit is refused and changes nothing.
	if _, err := db.StepMatter(ctx, "M-REG", matter.Extend, matter.Step{At: at, Actor: "a", Reason: "r"}, 1); trustmark.ErrorCode(err) != trustmark.EConflict {
		t.Errorf("extending a kind without extension: %v, want conflict", err)
	}
	if _, err := db.StepMatter(ctx, "nope", matter.Close, matter.Step{At: at, Actor: "a", Reason: "r"}, 0); !trustmark.IsNotFound(err) {
		t.Errorf("a step on no matter: %v, want not found", err)
	}
}
