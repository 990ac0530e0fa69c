package sqlstore

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"trustmark"
)

// The bulk import spends much of its time encoding the Data of events; these
// encoders write exactly the bytes json.Marshal writes for the same value
// (fastjson_test.go checks it), only faster. Anything unusual in a string
// falls back to encoding/json.

// certJSON returns json.Marshal(c).
func certJSON(c *trustmark.Certificate) json.RawMessage {
	b := make([]byte, 0, 256+len(c.Scope)+len(c.Product)+len(c.Standard))
	b = append(b, `{"number":`...)
	b = appendJSONString(b, c.Number)
	b = append(b, `,"type":`...)
	b = appendJSONString(b, string(c.Type))
	b = append(b, `,"body_approval_no":`...)
	b = appendJSONString(b, c.BodyApprovalNo)
	b = append(b, `,"holder_uscc":`...)
	b = appendJSONString(b, string(c.HolderUSCC))
	b = append(b, `,"scope":`...)
	b = appendJSONString(b, c.Scope)
	if c.Standard != "" {
		b = append(b, `,"standard":`...)
		b = appendJSONString(b, c.Standard)
	}
	if c.Product != "" {
		b = append(b, `,"product":`...)
		b = appendJSONString(b, c.Product)
	}
	if c.CCCCategory != "" {
		b = append(b, `,"ccc_category":`...)
		b = appendJSONString(b, c.CCCCategory)
	}
	b = append(b, `,"issued_on":`...)
	b = appendJSONDate(b, c.IssuedOn)
	b = append(b, `,"expires_on":`...)
	b = appendJSONDate(b, c.ExpiresOn)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, string(c.Status))
	b = append(b, `,"status_since":`...)
	b = appendJSONDate(b, c.StatusSince)
	return append(b, '}')
}

func appendJSONDate(b []byte, d trustmark.Date) []byte {
	if d.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = appendDate(b, d)
	return append(b, '"')
}

// appendDate appends d as YYYY-MM-DD (years 1000-9999 are four digits).
func appendDate(b []byte, d trustmark.Date) []byte {
	t := d.Time()
	y, m, day := t.Date()
	if y < 1000 || y > 9999 {
		return append(b, d.String()...)
	}
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, '-', byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+day/10), byte('0'+day%10))
	return b
}

// dateString is d.String() without time.Format's generality.
func dateString(d trustmark.Date) string {
	if d.IsZero() {
		return ""
	}
	var buf [10]byte
	return string(appendDate(buf[:0], d))
}

// appendJSONString appends s as encoding/json would: strings of plain
// printable text are copied; anything needing escapes goes through
// json.Marshal.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendSlow(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return appendSlow(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendSlow(b []byte, s string) []byte {
	q, _ := json.Marshal(s)
	return append(b, q...)
}
