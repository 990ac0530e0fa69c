package sqlstore

import (
	"math"
	"strconv"

	"trustmark/credit"
	"trustmark/internal/jsonw"
	"trustmark/risk"
)

// The daily rescoring writes every due score's explanation; encoding/json
// took a tenth of its time. scoreJSON writes exactly the bytes json.Marshal
// writes for a risk.Score (risk_json_test.go checks it, fuzzed), in one
// buffer the caller reuses.

// appendScoreJSON appends json.Marshal(s) to b.
func appendScoreJSON(b []byte, s *risk.Score) []byte {
	if !finiteScore(s) {
		return append(b, mustJSON(s)...) // panics as mustJSON does
	}
	b = append(b, `{"subject":`...)
	b = appendSubjectJSON(b, s.Subject)
	b = append(b, `,"on":`...)
	b = jsonw.AppendDate(b, s.On)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(s.Version), 10)
	b = append(b, `,"total":`...)
	b = appendFloatJSON(b, s.Total)
	b = append(b, `,"class":`...)
	b = jsonw.AppendString(b, string(s.Class), true)
	b = append(b, `,"parts":`...)
	if s.Parts == nil {
		return append(b, "null}"...)
	}
	b = append(b, '[')
	for i := range s.Parts {
		if i > 0 {
			b = append(b, ',')
		}
		p := &s.Parts[i]
		b = append(b, `{"signal":`...)
		b = appendSignalJSON(b, &p.Signal)
		b = append(b, `,"weight":`...)
		b = appendFloatJSON(b, p.Weight)
		b = append(b, `,"age_days":`...)
		b = strconv.AppendInt(b, int64(p.AgeDays), 10)
		b = append(b, `,"half_life_days":`...)
		b = strconv.AppendInt(b, int64(p.HalfLifeDays), 10)
		b = append(b, `,"decay":`...)
		b = appendFloatJSON(b, p.Decay)
		b = append(b, `,"contribution":`...)
		b = appendFloatJSON(b, p.Contribution)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

func appendSignalJSON(b []byte, g *risk.Signal) []byte {
	b = append(b, `{"id":`...)
	b = jsonw.AppendString(b, g.ID, true)
	b = append(b, `,"subject":`...)
	b = appendSubjectJSON(b, g.Subject)
	b = append(b, `,"region":`...)
	b = jsonw.AppendString(b, g.Region, true)
	b = append(b, `,"kind":`...)
	b = jsonw.AppendString(b, string(g.Kind), true)
	b = append(b, `,"on":`...)
	b = jsonw.AppendDate(b, g.On)
	b = append(b, `,"source":`...)
	b = jsonw.AppendString(b, g.Source, true)
	if g.Value != 0 {
		b = append(b, `,"value":`...)
		b = appendFloatJSON(b, g.Value)
	}
	return append(b, '}')
}

func appendSubjectJSON(b []byte, s credit.Subject) []byte {
	b = append(b, `{"kind":`...)
	b = jsonw.AppendString(b, string(s.Kind), true)
	b = append(b, `,"id":`...)
	b = jsonw.AppendString(b, s.ID, true)
	return append(b, '}')
}

// appendFloatJSON appends a finite f as encoding/json writes a float64:
// the shortest decimal, in exponent form only below 1e-6 or from 1e21, the
// exponent without a leading zero.
func appendFloatJSON(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

func finiteScore(s *risk.Score) bool {
	ok := func(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
	if !ok(s.Total) {
		return false
	}
	for i := range s.Parts {
		p := &s.Parts[i]
		if !ok(p.Weight) || !ok(p.Decay) || !ok(p.Contribution) || !ok(p.Signal.Value) {
			return false
		}
	}
	return true
}
