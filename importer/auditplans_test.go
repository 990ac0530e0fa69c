package importer

import (
	"errors"
	"strings"
	"testing"

	"trustmark"
)

func readPlans(t *testing.T, text string) []PlanLine {
	t.Helper()
	var out []PlanLine
	if err := ReadAuditPlans(strings.NewReader(text), func(l PlanLine) error { out = append(out, l); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReadAuditPlans: each line that holds something is passed with its
// number, a good plan decoded, a bad line refused naming its field, and
// the lines after a bad one still read.
func TestReadAuditPlans(t *testing.T) {
	good := `{"certificate":"00126Q30001R0M","kind":"surveillance","site":{"address":"杭州","lat":30.25,"lng":120.15,"datum":"wgs84"},` +
		`"opening_at":"2026-03-20T01:00:00Z","closing_at":"2026-03-20T08:00:00Z","team":[{"registration_no":"P-0001","role":"leader"}],"auditor_days":5}`
	text := good + "\n\n" +
		`{"certificate":"X","auditor_days":"five"}` + "\n" +
		`{"certificate":"X","colour":"red"}` + "\n" +
		`{"certificate":"X","opening_at":"tomorrow"}` + "\n" +
		`not json` + "\n" +
		`{"certificate":"X"} {"certificate":"Y"}` + "\n" +
		"{\"certificate\":\"\xff\"}\n" +
		`{"certificate":` + "\n" +
		"  " + good + "  " // the last line, without its end
	got := readPlans(t, text)
	want := []struct {
		line  int
		field string // "" for a good plan
	}{{1, ""}, {3, "auditor_days"}, {4, "colour"}, {5, "row"}, {6, "row"}, {7, "row"}, {8, "row"}, {9, "row"}, {10, ""}}
	if len(got) != len(want) {
		t.Fatalf("%d lines passed, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		l := got[i]
		if l.Line != w.line {
			t.Errorf("item %d is line %d, want %d", i, l.Line, w.line)
		}
		if w.field == "" {
			if l.Err != nil || l.Plan.Certificate != "00126Q30001R0M" || l.Plan.AuditorDays != 5 || len(l.Plan.Team) != 1 || l.Plan.Site.Lat != 30.25 {
				t.Errorf("line %d = %+v, %v; want the plan", l.Line, l.Plan, l.Err)
			}
			continue
		}
		if trustmark.ErrorCode(l.Err) != trustmark.EInvalid || trustmark.ErrorField(l.Err) != w.field {
			t.Errorf("line %d: err %v (field %q), want invalid naming %q", l.Line, l.Err, trustmark.ErrorField(l.Err), w.field)
		}
	}
}

// TestReadAuditPlansLongLine: a line over the bound is refused without
// being held, and the next line is read.
func TestReadAuditPlansLongLine(t *testing.T) {
	got := readPlans(t, `{"certificate":"`+strings.Repeat("A", maxRowBytes+10)+`"}`+"\n"+`{"certificate":"B"}`+"\n")
	if len(got) != 2 || got[0].Err == nil || !strings.Contains(got[0].Err.Error(), "over") || got[1].Err != nil || got[1].Plan.Certificate != "B" {
		t.Fatalf("got %+v", got)
	}
}

// TestReadAuditPlansStops: an error from each ends the reading with it.
func TestReadAuditPlansStops(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := ReadAuditPlans(strings.NewReader("{}\n{}\n{}\n"), func(PlanLine) error { n++; return stop })
	if err != stop || n != 1 {
		t.Fatalf("err %v after %d lines, want stop after 1", err, n)
	}
}

// FuzzReadAuditPlans: whatever the file, every line passed has a number
// that grows, a plan or an invalid error naming a field, and nothing
// panics.
func FuzzReadAuditPlans(f *testing.F) {
	f.Add([]byte(`{"certificate":"00126Q30001R0M","kind":"surveillance","team":[{"registration_no":"P-1","role":"leader"}]}` + "\n"))
	f.Add([]byte("{\"sites\":[{\"lat\":1e999}]}\n\n{\"opening_at\":\"x\"}"))
	f.Add([]byte("\xff\xfe{}\n{\"a\":1}{\"b\":2}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		last := 0
		err := ReadAuditPlans(strings.NewReader(string(data)), func(l PlanLine) error {
			if l.Line <= last {
				t.Fatalf("line %d after line %d", l.Line, last)
			}
			last = l.Line
			if l.Err != nil && (trustmark.ErrorCode(l.Err) != trustmark.EInvalid || trustmark.ErrorField(l.Err) == "") {
				t.Fatalf("line %d: %v, want invalid naming a field", l.Line, l.Err)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("reading from memory failed: %v", err)
		}
	})
}
