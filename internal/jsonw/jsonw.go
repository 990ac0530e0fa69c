// Package jsonw appends JSON values to a byte slice exactly as
// encoding/json would write them, for the few hot paths (the certificate
// lookup's answer, event data written in bulk) where reflection is the
// largest cost. Everything else uses encoding/json.
package jsonw

import (
	"strconv"
	"unicode/utf8"

	"trustmark"
)

const hex = "0123456789abcdef"

// AppendString appends s quoted as encoding/json quotes it: quote,
// backslash and control characters escaped, invalid UTF-8 as U+FFFD,
// U+2028 and U+2029 escaped, and with escapeHTML (json.Marshal's default)
// <, > and & as \u003c, \u003e and \u0026.
func AppendString(b []byte, s string, escapeHTML bool) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!escapeHTML || (c != '<' && c != '>' && c != '&')) {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendEscaped(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendEscaped appends the escape of ASCII byte c.
func appendEscaped(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
}

// AppendDate appends d as trustmark.Date.MarshalJSON writes it:
// "YYYY-MM-DD", or null when zero.
func AppendDate(b []byte, d trustmark.Date) []byte {
	if d.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = AppendDay(b, d)
	return append(b, '"')
}

// AppendDay appends d as YYYY-MM-DD, unquoted, without time.Format's
// generality (years outside 1000-9999 go through d.String()).
func AppendDay(b []byte, d trustmark.Date) []byte {
	t := d.Time()
	y, m, day := t.Date()
	if y < 1000 || y > 9999 {
		return append(b, d.String()...)
	}
	b = strconv.AppendInt(b, int64(y), 10)
	return append(b, '-', byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+day/10), byte('0'+day%10))
}
