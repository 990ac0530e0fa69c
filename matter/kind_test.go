package matter

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"trustmark"
	"trustmark/account"
	"trustmark/data"
)

func asError(err error, e **trustmark.Error) bool { return errors.As(err, e) }

func TestOfficialKinds(t *testing.T) {
	tests := []struct {
		id        string
		days, ext int
		status    string
	}{
		{"anomaly_explanation", 5, 0, Check},
		{"rectification", 20, 0, Policy},
		{"complaint_acceptance", 7, 0, Verified},
		{"complaint_mediation", 45, 0, Verified},
		{"lead_verification", 15, 15, Verified},
		{"disclosure_request", 20, 20, Verified},
		{"licensing_decision", 20, 10, Verified},
		{"inspection_publication", 20, 0, Verified},
		{"risk_warning", 10, 0, Policy},
	}
	if got := len(rules.Kinds()); got != len(tests) {
		t.Errorf("Official() has %d kinds, want %d", got, len(tests))
	}
	for _, tt := range tests {
		k, ok := rules.Kind(tt.id)
		if !ok || k.WorkingDays != tt.days || k.ExtensionDays != tt.ext || k.Status() != tt.status {
			t.Errorf("kind %s = %d+%d working days, %s; want %d+%d, %s", tt.id, k.WorkingDays, k.ExtensionDays, k.Status(), tt.days, tt.ext, tt.status)
		}
		for _, s := range k.Sources {
			if s.Quote == "" || s.Topic == "" {
				t.Errorf("kind %s: source %s has no text", tt.id, s.ID)
			}
		}
	}
}

func readRef(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(data.Reference, "reference/"+name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sources(t testing.TB) Sources {
	s, err := ParseSources(bytes.NewReader(readRef(t, "supervision_rules.json")))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseKindsRefuses(t *testing.T) {
	sources := sources(t)
	kind := func(fields string) string {
		return `{"kinds": [{"id": "k", "name": "n", "name_en": "n", "runs_from": "r", "acts": ["body"], "working_days": 5, "rules": []` + fields + `}]}`
	}
	tests := []struct {
		name, file, reason string
	}{
		{"a period of no days", strings.Replace(kind(""), `"working_days": 5`, `"working_days": 0`, 1), "matter.kinds_period"},
		{"a period of years", strings.Replace(kind(""), `"working_days": 5`, `"working_days": 400`, 1), "matter.kinds_period"},
		{"a negative extension", kind(`, "extension_days": -1`), "matter.kinds_extension"},
		{"a rule the sources do not hold", strings.Replace(kind(""), `"rules": []`, `"rules": ["made-up"]`, 1), "matter.kinds_unknown_rule"},
		{"a party that is no kind of role", strings.Replace(kind(""), `["body"]`, `["court"]`, 1), "matter.kinds_acts"},
		{"nobody to act", strings.Replace(kind(""), `["body"]`, `[]`, 1), "matter.kinds_acts"},
		{"a settable range that excludes the default", kind(`, "settable": {"min": 6, "max": 10}`), "matter.kinds_settable"},
		{"an id with capitals", strings.Replace(kind(""), `"id": "k"`, `"id": "K"`, 1), "matter.kinds_id"},
		{"a pause reason with blanks", kind(`, "pauses": ["third party"]`), "matter.kinds_pauses"},
		{"a kind without a name", strings.Replace(kind(""), `"name": "n"`, `"name": ""`, 1), "matter.kinds_names"},
		{"a kind given twice", `{"kinds": [` + strings.TrimSuffix(strings.TrimPrefix(kind(""), `{"kinds": [`), `]}`) + `,` + strings.TrimSuffix(strings.TrimPrefix(kind(""), `{"kinds": [`), `]}`) + `]}`, "matter.kinds_duplicate"},
		{"no kinds", `{"kinds": []}`, "matter.kinds_empty"},
		{"not JSON", `{"kinds": [`, "matter.kinds_json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseKinds(strings.NewReader(tt.file), sources)
			var e *trustmark.Error
			if !asError(err, &e) || e.Reason != tt.reason {
				t.Errorf("ParseKinds = %v, want %s", err, tt.reason)
			}
		})
	}
	t.Run("a file over 1 MiB", func(t *testing.T) {
		big := `{"kinds": [], "pad": "` + strings.Repeat("x", 1<<20) + `"}`
		if _, err := ParseKinds(strings.NewReader(big), sources); trustmark.ErrorCode(err) != trustmark.ETooLarge {
			t.Errorf("ParseKinds(big) = %v, want too_large", err)
		}
	})
}

// FuzzParseKinds: a kinds file from an administrator is refused or gives
// kinds whose every period can be counted.
func FuzzParseKinds(f *testing.F) {
	sources := sources(f)
	// One kind of the shipped file and not the whole: the fuzzer's mutator
	// all but stalls on a 4 KB seed.
	f.Add([]byte(`{"kinds": [{"id": "disclosure_request", "name": "政府信息公开申请答复", "name_en": "Reply", "acts": ["regulator"], "working_days": 20, "extension_days": 20, "pauses": ["third_party_consultation"], "runs_from": "receipt", "rules": ["ogi-reply-20wd", "ogi-consultation-excluded"]}]}`))
	f.Add([]byte(`{"kinds": [{"id": "k", "name": "n", "name_en": "n", "runs_from": "r", "acts": ["org"], "working_days": 1, "settable": {"min": 1, "max": 1}, "rules": ["ogi-reply-20wd"]}]}`))
	f.Add([]byte(`{"kinds": null}`))
	f.Fuzz(func(t *testing.T, file []byte) {
		kinds, err := ParseKinds(bytes.NewReader(file), sources)
		if err != nil {
			if trustmark.ErrorCode(err) == trustmark.EInternal {
				t.Errorf("ParseKinds refused with an internal error: %v", err)
			}
			return
		}
		r := NewRules(kinds, rules.Calendar())
		for _, k := range kinds {
			o := Opening{ID: "m", Kind: k.ID, Subject: "s", Party: partyOf(k), Region: "330106", At: at(t, "2026-03-02")}
			m, _, err := r.Open(o)
			if err != nil || m.Due.Date.Before(date(t, "2026-03-03")) {
				t.Errorf("kind %+v: Open = %+v, %v", k, m, err)
			}
		}
	})
}

func partyOf(k Kind) account.Unit { return account.Unit{Kind: k.Acts[0], ID: "x"} }
