package jsonw

import (
	"bytes"
	"encoding/json"
	"testing"

	"trustmark"
)

func encode(t *testing.T, v any, escapeHTML bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

var strs = []string{"", "plain", "上海市 质量认证", "a\"b\\c", "\x00\x01\x1f\t\n\r\b\f", "<a href='x'>&amp;</a>",
	"bad \xff utf8 \xc3", "line\u2028sep\u2029", "\ufffd literal", "\x7f del"}

func TestAppendStringIsEncodingJSON(t *testing.T) {
	for _, html := range []bool{false, true} {
		for _, s := range strs {
			if got, want := AppendString(nil, s, html), encode(t, s, html); !bytes.Equal(got, want) {
				t.Errorf("AppendString(%q, html=%v) = %s, want %s", s, html, got, want)
			}
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range strs {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, html bool) {
		if got, want := AppendString(nil, s, html), encode(t, s, html); !bytes.Equal(got, want) {
			t.Errorf("AppendString(%q, html=%v) = %s, want %s", s, html, got, want)
		}
	})
}

func TestAppendDateIsMarshalJSON(t *testing.T) {
	for _, d := range []trustmark.Date{{}, trustmark.NewDate(2026, 12, 7), trustmark.NewDate(2029, 1, 9), trustmark.NewDate(999, 3, 4)} {
		want, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendDate(nil, d); !bytes.Equal(got, want) {
			t.Errorf("AppendDate(%v) = %s, want %s", d, got, want)
		}
	}
}
