package translog

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"

	"trustmark"
)

// EntryVersion is the version of the entry format written by Entry. It is the
// first field of every entry, so a reader can tell formats apart forever.
const EntryVersion = 1

// MaxEntrySize is the largest entry the tlog-tiles entry bundle can carry: a
// bundle gives each entry a 16-bit length (c2sp.org/tlog-tiles, "Log entries").
const MaxEntrySize = math.MaxUint16

// Entry returns the canonical log entry of e: a JSON object whose fields
// always come in the order of docs/LOG.md, with no insignificant white space,
// the time in UTC with exactly six fractional digits, and the event's data
// re-encoded with sorted keys. The same event always gives the same bytes,
// whatever database stored it.
//
// Personal fields never appear in clear: each is replaced by its commitment
// (see PersonalCommitment), and any string in the data equal to a personal
// value is replaced by that commitment too, so a careless writer of
// Event.Data cannot leak a name into the public log.
func Entry(e trustmark.Event) ([]byte, error) {
	if e.Seq < 0 {
		return nil, fmt.Errorf("event has negative seq %d", e.Seq)
	}
	commitments := make(map[string]string, len(e.Personal))
	redact := make(map[string]string, len(e.Personal))
	for _, f := range sortedKeys(e.Personal) {
		v := e.Personal[f]
		c := PersonalCommitment(e.Salt, f, v)
		commitments[f] = c
		if v != "" {
			redact[v] = "personal:" + f + ":" + c
		}
	}
	if len(e.Personal) > 0 && len(e.Salt) < 16 {
		return nil, fmt.Errorf("event %d has personal data but a salt of %d bytes, want at least 16", e.Seq, len(e.Salt))
	}
	var data []byte
	if len(bytes.TrimSpace(e.Data)) > 0 {
		var err error
		data, err = canonicalJSON(e.Data, redact)
		if err != nil {
			return nil, fmt.Errorf("event %d: data: %w", e.Seq, err)
		}
	}

	b := entryBytes(e, data, commitments)
	if len(b) > MaxEntrySize {
		// Keep the entry within a tile bundle's 16-bit length: the data is
		// then committed to by its hash, still canonical and still checkable
		// by anyone holding the data.
		sum := sha256.Sum256(data)
		b = entryBytes(e, nil, commitments)
		b = append(b[:len(b)-1], `,"data_sha256":"`+hex.EncodeToString(sum[:])+`"}`...)
		if len(b) > MaxEntrySize {
			return nil, fmt.Errorf("event %d: entry is %d bytes even without its data, want at most %d", e.Seq, len(b), MaxEntrySize)
		}
	}
	return b, nil
}

func entryBytes(e trustmark.Event, data []byte, commitments map[string]string) []byte {
	var b bytes.Buffer
	b.Grow(256 + len(data))
	fmt.Fprintf(&b, `{"v":%d,"seq":%d,"at":`, EntryVersion, e.Seq)
	writeString(&b, e.At.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z"))
	field := func(name, v string, always bool) {
		if v == "" && !always {
			return
		}
		b.WriteString(`,"` + name + `":`)
		writeString(&b, v)
	}
	field("actor", e.Actor, true)
	field("entity", e.Entity, true)
	field("key", e.Key, true)
	field("action", e.Action, true)
	field("from", e.From, false)
	field("to", e.To, false)
	field("reason", e.Reason, false)
	field("effective_on", e.EffectiveOn.String(), false)
	if data != nil {
		b.WriteString(`,"data":`)
		b.Write(data)
	}
	if len(commitments) > 0 {
		b.WriteString(`,"personal":{`)
		for i, f := range sortedKeys(commitments) {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(&b, f)
			b.WriteByte(':')
			writeString(&b, commitments[f])
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return b.Bytes()
}

// PersonalCommitment returns the salted commitment to one personal field of
// an event, as the hex SHA-256 of
//
//	len(salt) as 1 byte || salt || len(field) as 1 byte || field || value
//
// The lengths make the encoding unambiguous, so a person holding the salt can
// prove the value of the field (and nothing else) to anyone who has the entry.
func PersonalCommitment(salt []byte, field, value string) string {
	h := sha256.New()
	h.Write([]byte{byte(min(len(salt), 255))})
	h.Write(salt[:min(len(salt), 255)])
	h.Write([]byte{byte(min(len(field), 255))})
	h.Write([]byte(field[:min(len(field), 255)]))
	h.Write([]byte(value))
	return hex.EncodeToString(h.Sum(nil))
}

// writeString writes s as a JSON string the way encoding/json does with
// HTML escaping off: UTF-8 as is, `"` and `\` escaped, \n \r \t \b \f short,
// other control characters and U+2028, U+2029 as \u00XX / \u20XX, and
// invalid UTF-8 replaced by U+FFFD. (Written out because it runs for every
// string of every entry; TestWriteString checks it against encoding/json.)
func writeString(b *bytes.Buffer, s string) {
	const hexDigits = "0123456789abcdef"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			case '\b':
				b.WriteString(`\b`)
			case '\f':
				b.WriteString(`\f`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(s[start:i])
			b.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b.WriteString(s[start:i])
			b.WriteString(`\u202`)
			b.WriteByte(hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// canonicalJSON re-encodes a JSON value with object keys sorted, no white
// space, numbers in their shortest form, and strings in redact replaced.
// It is a strict parser: one value, nothing after it.
func canonicalJSON(raw []byte, redact map[string]string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("more than one JSON value")
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("more than one JSON value")
	}
	var b bytes.Buffer
	if err := writeCanonical(&b, v, redact, 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeCanonical(b *bytes.Buffer, v any, redact map[string]string, depth int) error {
	if depth > 64 {
		return fmt.Errorf("nested more than 64 deep")
	}
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case json.Number:
		s, err := canonicalNumber(v)
		if err != nil {
			return err
		}
		b.WriteString(s)
	case string:
		if r, ok := redact[v]; ok {
			v = r
		}
		writeString(b, v)
	case []any:
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeCanonical(b, x, redact, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case map[string]any:
		b.WriteByte('{')
		for i, k := range sortedKeys(v) {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			if err := writeCanonical(b, v[k], redact, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("unexpected JSON value %T", v)
	}
	return nil
}

// canonicalNumber writes integers that fit in 64 bits as integers and every
// other number as the shortest float64 form, so that 1.50, 1.5 and 15e-1
// (which PostgreSQL's jsonb or another encoder might produce) agree.
func canonicalNumber(n json.Number) (string, error) {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return strconv.FormatInt(i, 10), nil
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "", fmt.Errorf("number %s out of range", n)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return strconv.FormatInt(int64(f), 10), nil
	}
	return strconv.FormatFloat(f, 'g', -1, 64), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// EntryView is the public content of a log entry, as read back by a
// verifier. Data stays raw JSON.
type EntryView struct {
	V           int               `json:"v"`
	Seq         int64             `json:"seq"`
	At          string            `json:"at"`
	Actor       string            `json:"actor"`
	Entity      string            `json:"entity"`
	Key         string            `json:"key"`
	Action      string            `json:"action"`
	From        string            `json:"from,omitempty"`
	To          string            `json:"to,omitempty"`
	Reason      string            `json:"reason,omitempty"`
	EffectiveOn string            `json:"effective_on,omitempty"`
	Data        json.RawMessage   `json:"data,omitempty"`
	DataSHA256  string            `json:"data_sha256,omitempty"`
	Personal    map[string]string `json:"personal,omitempty"`
}

// ParseEntry reads an entry from outside (a tile, a proof bundle). It accepts
// only entries of a known version that are canonical: re-encoding the parsed
// entry must give the same bytes, so one event cannot be shown two ways.
func ParseEntry(b []byte) (*EntryView, error) {
	if len(b) > MaxEntrySize {
		return nil, fmt.Errorf("entry of %d bytes, want at most %d", len(b), MaxEntrySize)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var v EntryView
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("entry is not a JSON object of the entry format: %v", err)
	}
	if v.V != EntryVersion {
		return nil, fmt.Errorf("entry version %d, want %d", v.V, EntryVersion)
	}
	at, err := time.Parse("2006-01-02T15:04:05.000000Z", v.At)
	if err != nil {
		return nil, fmt.Errorf("entry time %q is not UTC with microseconds", v.At)
	}
	e := trustmark.Event{
		Seq: v.Seq, At: at, Actor: v.Actor, Entity: v.Entity, Key: v.Key, Action: v.Action,
		From: v.From, To: v.To, Reason: v.Reason, Data: v.Data,
	}
	if v.EffectiveOn != "" {
		if e.EffectiveOn, err = trustmark.ParseDate(v.EffectiveOn); err != nil {
			return nil, fmt.Errorf("entry effective_on %q is not a date", v.EffectiveOn)
		}
	}
	var data []byte
	if len(v.Data) > 0 {
		if data, err = canonicalJSON(v.Data, nil); err != nil {
			return nil, fmt.Errorf("entry data: %v", err)
		}
	}
	re := entryBytes(e, data, v.Personal)
	if v.DataSHA256 != "" {
		re = append(re[:len(re)-1], `,"data_sha256":`...)
		var s bytes.Buffer
		writeString(&s, v.DataSHA256)
		re = append(append(re, s.Bytes()...), '}')
	}
	if !bytes.Equal(re, b) {
		return nil, fmt.Errorf("entry is not in canonical form")
	}
	return &v, nil
}

// LeafHash returns the RFC 6962 leaf hash of an entry, SHA-256(0x00 || entry),
// as the tlog-tiles level-0 tiles hold it.
func LeafHash(entry []byte) []byte { return hasher.HashLeaf(entry) }

// b64 and unb64 encode hashes as the C2SP formats do: standard base64.
func b64(h []byte) string { return base64.StdEncoding.EncodeToString(h) }

func unb64(s string) ([]byte, error) {
	h, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(h) != sha256.Size {
		return nil, fmt.Errorf("%q is not a base64 SHA-256 hash", s)
	}
	return h, nil
}
