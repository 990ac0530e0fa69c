package sqlstore

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"trustmark"

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

// decodeSignal decodes a stored signal (risk_signals.data). Signals are
// stored as json.Marshal writes them; decodeSignal reads that form
// directly, and hands anything else (escapes in a string, a field it does
// not expect, a date it cannot read at once) to json.Unmarshal, so that it
// returns what json.Unmarshal returns for every input it accepts
// (FuzzDecodeSignal checks it against json.Unmarshal).
//
// A full recompute decodes every stored signal (2.7 million at national
// scale). json.Unmarshal pays for reflection and for trustmark.Date's
// UnmarshalJSON (a nested Unmarshal and time.Parse); github.com/go-json-
// experiment/json (encoding/json/v2) with an unmarshaler for Date was
// measured at 1.5 to 4 times the time of this reader, side by side,
// so the library was not taken for a few seconds a day: the fast path is
// only the one fixed form, and everything else is encoding/json's.
func decodeSignal(data []byte, sig *risk.Signal) error {
	if fastSignal(data, sig) {
		return nil
	}
	*sig = risk.Signal{}
	return json.Unmarshal(data, sig)
}

// fastSignal reads the form json.Marshal writes for a risk.Signal, or
// reports false.
func fastSignal(b []byte, sig *risk.Signal) bool {
	r := signalReader{b: b}
	var on string
	ok := r.lit(`{"id":`) && r.str(&sig.ID) &&
		r.lit(`,"subject":{"kind":`) && r.str((*string)(&sig.Subject.Kind)) && r.lit(`,"id":`) && r.str(&sig.Subject.ID) &&
		r.lit(`},"region":`) && r.str(&sig.Region) && r.lit(`,"kind":`) && r.str((*string)(&sig.Kind)) &&
		r.lit(`,"on":`) && r.str(&on) && r.lit(`,"source":`) && r.str(&sig.Source)
	if !ok {
		return false
	}
	sig.Value = 0
	if r.lit(`,"value":`) {
		end := r.i
		for end < len(b) && b[end] != '}' {
			end++
		}
		v, err := strconv.ParseFloat(string(b[r.i:end]), 64)
		if err != nil || v == 0 || !validNumber(b[r.i:end]) {
			return false
		}
		sig.Value, r.i = v, end
	}
	if !r.lit("}") || r.i != len(b) {
		return false
	}
	d, ok := parseDay(on)
	sig.On = d
	return ok
}

type signalReader struct {
	b []byte
	i int
}

func (r *signalReader) lit(s string) bool {
	if len(r.b)-r.i < len(s) || string(r.b[r.i:r.i+len(s)]) != s {
		return false
	}
	r.i += len(s)
	return true
}

// str reads a string without escapes or control characters, of valid
// UTF-8, as json.Unmarshal would.
func (r *signalReader) str(dst *string) bool {
	if r.i >= len(r.b) || r.b[r.i] != '"' {
		return false
	}
	for j := r.i + 1; j < len(r.b); j++ {
		switch c := r.b[j]; {
		case c == '"':
			s := r.b[r.i+1 : j]
			if !utf8.Valid(s) {
				return false
			}
			*dst, r.i = string(s), j+1
			return true
		case c == '\\' || c < 0x20:
			return false
		}
	}
	return false
}

// validNumber reports whether b is a JSON number (ParseFloat accepts more:
// "+1", "0x10", "inf", "1_0").
func validNumber(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c == '-' || c == '.' || c == 'e' || c == 'E' || c == '+') {
			return false
		}
	}
	return len(b) > 0 && b[len(b)-1] >= '0' && b[len(b)-1] <= '9' && (b[0] == '-' || b[0] >= '0' && b[0] <= '9') &&
		!(len(b) > 1 && b[0] == '0' && b[1] >= '0' && b[1] <= '9') && !(len(b) > 2 && b[0] == '-' && b[1] == '0' && b[2] >= '0' && b[2] <= '9')
}

// parseDay reads YYYY-MM-DD as trustmark.ParseDate does, without
// time.Parse for the days every month has.
func parseDay(s string) (trustmark.Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return trustmark.Date{}, false
	}
	n := func(t string) int {
		v := 0
		for _, c := range []byte(t) {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, m, d := n(s[:4]), n(s[5:7]), n(s[8:])
	if y < 1000 || m < 1 || m > 12 || d < 1 || d > 28 {
		t, err := trustmark.ParseDate(s) // the 29th to the 31st, and what it refuses
		return t, err == nil
	}
	return trustmark.NewDate(y, time.Month(m), d), true
}
