package sqlstore

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"trustmark"
	"trustmark/credit"
	"trustmark/risk"
)

// TestScoreJSONMatchesEncodingJSON: the explanation RescoreRisk stores is
// byte for byte what json.Marshal writes, so that readers cannot tell
// which path wrote it.
func TestScoreJSONMatchesEncodingJSON(t *testing.T) {
	body := credit.Subject{Kind: credit.Body, ID: "CNCA-R-2002-001"}
	on := trustmark.NewDate(2026, 6, 1)
	signals := []risk.Signal{
		{ID: "credit:body:CNCA-R-2002-001/P-1", Subject: body, Region: "110000", Kind: risk.PenaltySignal, On: on.AddDate(0, 0, -400), Source: "penalty:京市监罚〔2026〕1号 <&>"},
		{ID: "suspension_share:x", Subject: body, Region: "110000", Kind: risk.SuspensionShare, On: on.AddDate(0, 0, -3), Source: "certificates:3/10", Value: 2.718281828},
		{ID: "a", Subject: body, Region: "110000", Kind: risk.ListingSignal, On: on.AddDate(0, 0, -1094), Source: "\u2028\x01\"\\", Value: 1e-9},
		{ID: "b", Subject: body, Kind: risk.HighRiskField, On: on, Value: 3e21},
	}
	scores := []risk.Score{
		risk.DefaultRules().ScoreOn(body, signals, on),
		risk.DefaultRules().ScoreOn(body, nil, on),
		{Subject: body, Total: -0.000001, Parts: nil},
		{Total: 123456789.125, Class: risk.D, Version: 7, Parts: []risk.Part{{Decay: 5e-7, Weight: -1, Contribution: 1e20}}},
	}
	for _, s := range scores {
		checkScoreJSON(t, s)
	}
}

func checkScoreJSON(t *testing.T, s risk.Score) {
	t.Helper()
	want, err := json.Marshal(s)
	if err != nil {
		return // NaN and infinities: mustJSON panics on them either way
	}
	if got := appendScoreJSON(nil, &s); !bytes.Equal(got, want) {
		t.Errorf("appendScoreJSON =\n%s\nwant\n%s", got, want)
	}
}

func FuzzScoreJSON(f *testing.F) {
	f.Add("body", "CNCA-R-2002-001", "110000", "penalty", "penalty:1", 20260601, 25.0, 0.5, 1.0, 12.5, 400, 730, 1)
	f.Add("org", "\xff<>&\u2029", "", "x", "\"\\\n", 0, 1e-7, 1e21, -0.0, 3.0, -1, 0, 0)
	f.Fuzz(func(t *testing.T, kind, id, region, sigKind, source string, day int, weight, value, decay, total float64, age, half, version int) {
		if math.IsNaN(weight+value+decay+total) || math.IsInf(weight+value+decay+total, 0) {
			return
		}
		var on trustmark.Date
		if day > 0 {
			on = trustmark.NewDate(1900+day%200, 1, 1+day%28)
		}
		subj := credit.Subject{Kind: credit.SubjectKind(kind), ID: id}
		sig := risk.Signal{ID: id + source, Subject: subj, Region: region, Kind: risk.Kind(sigKind), On: on, Source: source, Value: value}
		checkScoreJSON(t, risk.Score{Subject: subj, On: on, Version: version, Total: total, Class: risk.Class(kind),
			Parts: []risk.Part{{Signal: sig, Weight: weight, AgeDays: age, HalfLifeDays: half, Decay: decay, Contribution: weight * value}, {}}})
	})
}

// TestDecodeSignalIsUnmarshal: decodeSignal reads what json.Marshal
// writes, and returns json.Unmarshal's result for whatever else it is given.
func TestDecodeSignalIsUnmarshal(t *testing.T) {
	body := credit.Subject{Kind: credit.Body, ID: "CNCA-R-2002-001"}
	for _, s := range []risk.Signal{
		{ID: "credit:body:CNCA-R-2002-001/P-1", Subject: body, Region: "110000", Kind: risk.PenaltySignal, On: trustmark.NewDate(2026, 1, 31), Source: "penalty:京市监罚〔2026〕1号 <&>"},
		{ID: "s", Subject: body, Kind: risk.SuspensionShare, On: trustmark.NewDate(2024, 2, 29), Source: "certificates:3/10", Value: 2.718281828},
		{ID: "e", Kind: risk.ListingSignal, Source: "\u2028\x01\"\\", Value: -1e-9},
		{ID: "f", Subject: body, Kind: risk.HighRiskField, On: trustmark.NewDate(2026, 6, 1), Value: 3e21},
	} {
		b, _ := json.Marshal(s)
		checkDecodeSignal(t, b)
		if got := fastSignal(b, new(risk.Signal)); !got && !bytes.ContainsAny(b, `\`) && !s.On.IsZero() {
			t.Errorf("fastSignal(%s) = false, want the fast path", b)
		}
	}
	for _, b := range []string{`{}`, `{"id":"x","value":"1"}`, `{"id":"a","subject":{"kind":"b","id":"c"},"region":"","kind":"k","on":"2026-02-30","source":""}`,
		`{"id":"a","subject":{"kind":"b","id":"c"},"region":"","kind":"k","on":"2026-01-01","source":"","value":01}`, `null`, ``} {
		checkDecodeSignal(t, []byte(b))
	}
}

func checkDecodeSignal(t *testing.T, b []byte) {
	t.Helper()
	var want, got risk.Signal
	werr := json.Unmarshal(b, &want)
	gerr := decodeSignal(b, &got)
	if (werr == nil) != (gerr == nil) || werr == nil && got != want {
		t.Errorf("decodeSignal(%q) = %+v, %v; want %+v, %v", b, got, gerr, want, werr)
	}
}

func FuzzDecodeSignal(f *testing.F) {
	f.Add([]byte(`{"id":"a","subject":{"kind":"body","id":"c"},"region":"110000","kind":"penalty","on":"2026-01-31","source":"x","value":1.5}`))
	f.Add([]byte(`{"id":"a","subject":{"kind":"b","id":"c"},"region":"","kind":"k","on":"0999-12-01","source":"","value":-0}`))
	// What the fast path must hand to encoding/json: escapes, a null day,
	// keys in another case or order, numbers ParseFloat reads and JSON does
	// not, invalid UTF-8, a day past the month's end.
	f.Add([]byte(`{"id":"\u4e2d","subject":{"kind":"body","id":"c"},"region":"1","kind":"penalty","on":null,"source":"s"}`))
	f.Add([]byte(`{"ID":"a","Subject":{"kind":"b","id":"c"},"region":"","kind":"k","on":"2026-01-01","source":"","value":1e400}`))
	f.Add([]byte(`{"id":"a","subject":{"kind":"b","id":"c"},"region":"","kind":"k","on":"2026-02-29","source":"\xff","value":0x10}`))
	f.Add([]byte("{\"id\":\"\xff\",\"subject\":{\"kind\":\"b\",\"id\":\"c\"},\"region\":\"\",\"kind\":\"k\",\"on\":\"2024-02-29\",\"source\":\"\",\"value\":1.50}"))
	f.Fuzz(func(t *testing.T, b []byte) { checkDecodeSignal(t, b) })
}

// BenchmarkDecodeSignal compares decodeSignal with json.Unmarshal on a
// stored signal of the national benchmark's form; a full recompute decodes
// about 2.7 million of them.
func BenchmarkDecodeSignal(b *testing.B) {
	s := risk.Signal{ID: "bench:org-0001234/3", Subject: credit.Subject{Kind: credit.Org, ID: "org-0001234"}, Region: "110000",
		Kind: risk.InspectionFinding, On: trustmark.NewDate(2025, 3, 14), Source: "inspection:123456"}
	data, err := json.Marshal(s)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		decode func([]byte, *risk.Signal) error
	}{
		{"decodeSignal", decodeSignal},
		{"encoding-json", func(b []byte, s *risk.Signal) error { return json.Unmarshal(b, s) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				var got risk.Signal
				if err := c.decode(data, &got); err != nil || got != s {
					b.Fatalf("decode = %+v, %v; want %+v", got, err, s)
				}
			}
		})
	}
}
