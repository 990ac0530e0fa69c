package translog

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"trustmark"
)

func sampleEvent() trustmark.Event {
	return trustmark.Event{
		Seq:         42,
		At:          time.Date(2026, 11, 20, 15, 4, 5, 123456789, time.FixedZone("CST", 8*3600)),
		Actor:       "body:CNCA-R-2002-001",
		Entity:      trustmark.EntityCertificate,
		Key:         "QMS/00124Q31234R0M",
		Action:      trustmark.ActionStatusChanged,
		From:        "valid",
		To:          "suspended",
		Reason:      "监督审核不合格 <整改>",
		EffectiveOn: trustmark.NewDate(2026, 11, 21),
		Data:        json.RawMessage(`{"status":"suspended", "holder":{"uscc":"91350100M000100Y43","name":"福建某某有限公司"},"employees":120,"lat":26.07}`),
	}
}

func TestEntry(t *testing.T) {
	t.Run("an event gives the documented bytes", func(t *testing.T) {
		got, err := Entry(sampleEvent())
		if err != nil {
			t.Fatal(err)
		}
		want := `{"v":1,"seq":42,"at":"2026-11-20T07:04:05.123456Z","actor":"body:CNCA-R-2002-001","entity":"certificate","key":"QMS/00124Q31234R0M","action":"status_changed","from":"valid","to":"suspended","reason":"监督审核不合格 <整改>","effective_on":"2026-11-21","data":{"employees":120,"holder":{"name":"福建某某有限公司","uscc":"91350100M000100Y43"},"lat":26.07,"status":"suspended"}}`
		if string(got) != want {
			t.Errorf("Entry =\n%s\nwant\n%s", got, want)
		}
	})

	same := []struct {
		name string
		data string
	}{
		{"keys in another order", `{"lat":26.07,"employees":120,"status":"suspended","holder":{"name":"福建某某有限公司","uscc":"91350100M000100Y43"}}`},
		{"white space and unicode escapes as jsonb prints them", "{\"status\": \"suspended\",\n \"holder\": {\"uscc\": \"91350100M000100Y43\", \"name\": \"\\u798f\\u5efa\\u67d0\\u67d0\\u6709\\u9650\\u516c\\u53f8\"}, \"employees\": 120, \"lat\": 26.070}"},
		{"numbers written differently", `{"status":"suspended","holder":{"uscc":"91350100M000100Y43","name":"福建某某有限公司"},"employees":1.2e2,"lat":2.607E1}`},
	}
	base, _ := Entry(sampleEvent())
	for _, tc := range same {
		t.Run("the same data with "+tc.name+" gives the same entry", func(t *testing.T) {
			e := sampleEvent()
			e.Data = json.RawMessage(tc.data)
			got, err := Entry(e)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, base) {
				t.Errorf("Entry =\n%s\nwant\n%s", got, base)
			}
		})
	}

	t.Run("the time is UTC truncated to microseconds", func(t *testing.T) {
		e := sampleEvent()
		e.At = e.At.UTC().Truncate(time.Microsecond)
		got, _ := Entry(e)
		if !bytes.Equal(got, base) {
			t.Errorf("Entry with the same instant in UTC differs:\n%s\n%s", got, base)
		}
	})

	t.Run("personal data appears only as salted commitments", func(t *testing.T) {
		e := trustmark.Event{
			Seq: 7, At: time.Unix(1700000000, 0), Actor: "system", Entity: trustmark.EntityPerson,
			Key: "2023-N1QMS-1234567", Action: trustmark.ActionCreated,
			Data:     json.RawMessage(`{"registration_no":"2023-N1QMS-1234567","name":"张伟","grade":"senior"}`),
			Personal: map[string]string{"name": "张伟"},
			Salt:     bytes.Repeat([]byte{0xab}, 16),
		}
		got, err := Entry(e)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(got, []byte("张伟")) {
			t.Errorf("entry holds the person's name in clear: %s", got)
		}
		c := PersonalCommitment(e.Salt, "name", "张伟")
		if !bytes.Contains(got, []byte(`"personal":{"name":"`+c+`"}`)) {
			t.Errorf("entry lacks the commitment %s: %s", c, got)
		}
		if c == PersonalCommitment(bytes.Repeat([]byte{0xac}, 16), "name", "张伟") {
			t.Errorf("the commitment does not depend on the salt")
		}
		if c == PersonalCommitment(e.Salt, "name", "张伟 ") {
			t.Errorf("the commitment does not depend on the value")
		}
	})

	t.Run("personal data without a salt is refused", func(t *testing.T) {
		e := sampleEvent()
		e.Personal = map[string]string{"name": "张伟"}
		if _, err := Entry(e); err == nil {
			t.Errorf("Entry with personal data and no salt succeeded")
		}
	})

	t.Run("an oversized data is committed to by hash", func(t *testing.T) {
		e := sampleEvent()
		e.Data = json.RawMessage(`{"scope":"` + strings.Repeat("质", 30000) + `"}`)
		got, err := Entry(e)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) > MaxEntrySize || !bytes.Contains(got, []byte(`"data_sha256":"`)) {
			t.Errorf("entry of %d bytes, data_sha256 present: %v", len(got), bytes.Contains(got, []byte("data_sha256")))
		}
		if _, err := ParseEntry(got); err != nil {
			t.Errorf("ParseEntry of the hashed-data entry: %v", err)
		}
	})
}

func TestParseEntry(t *testing.T) {
	good, _ := Entry(sampleEvent())
	t.Run("an entry parses back to its fields", func(t *testing.T) {
		v, err := ParseEntry(good)
		if err != nil {
			t.Fatal(err)
		}
		if v.Seq != 42 || v.Key != "QMS/00124Q31234R0M" || v.To != "suspended" || v.EffectiveOn != "2026-11-21" {
			t.Errorf("ParseEntry = %+v", v)
		}
	})
	bad := []struct{ name, entry string }{
		{"white space", strings.Replace(string(good), `"seq":42`, `"seq": 42`, 1)},
		{"fields out of order", strings.Replace(string(good), `"v":1,"seq":42`, `"seq":42,"v":1`, 1)},
		{"an unknown version", strings.Replace(string(good), `"v":1`, `"v":2`, 1)},
		{"an unknown field", strings.Replace(string(good), `"v":1`, `"v":1,"x":1`, 1)},
		{"a local time", strings.Replace(string(good), `07:04:05.123456Z`, `15:04:05.123456+08:00`, 1)},
		{"data keys unsorted", strings.Replace(string(good), `"name":"福建某某有限公司","uscc":"91350100M000100Y43"`, `"uscc":"91350100M000100Y43","name":"福建某某有限公司"`, 1)},
		{"trailing bytes", string(good) + "x"},
		{"no object", `[]`},
	}
	for _, tc := range bad {
		t.Run("an entry with "+tc.name+" is refused", func(t *testing.T) {
			if v, err := ParseEntry([]byte(tc.entry)); err == nil {
				t.Errorf("ParseEntry(%s) = %+v, want an error", tc.entry, v)
			}
		})
	}
}

func FuzzParseEntry(f *testing.F) {
	good, _ := Entry(sampleEvent())
	f.Add(good)
	f.Add([]byte(`{"v":1,"seq":0,"at":"2026-01-01T00:00:00.000000Z","actor":"","entity":"","key":"","action":""}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := ParseEntry(b)
		if err != nil {
			return
		}
		// Whatever parses is canonical: the event it describes encodes to
		// the very same bytes.
		at, _ := time.Parse("2006-01-02T15:04:05.000000Z", v.At)
		eff, _ := trustmark.ParseDate(v.EffectiveOn)
		e := trustmark.Event{Seq: v.Seq, At: at, Actor: v.Actor, Entity: v.Entity, Key: v.Key, Action: v.Action,
			From: v.From, To: v.To, Reason: v.Reason, EffectiveOn: eff, Data: v.Data}
		if len(v.Personal) > 0 || v.DataSHA256 != "" {
			return
		}
		re, err := Entry(e)
		if err != nil {
			t.Fatalf("Entry of a parsed entry: %v", err)
		}
		if !bytes.Equal(re, b) {
			t.Fatalf("re-encoded entry\n%q\nwant\n%q", re, b)
		}
	})
}

func FuzzEntryData(f *testing.F) {
	f.Add([]byte(`{"a":1,"b":[true,null,"x"]}`))
	f.Add([]byte(`"\u0000\ud800"`))
	f.Add([]byte(`1e400`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e := sampleEvent()
		e.Data = data
		b, err := Entry(e)
		if err != nil {
			return
		}
		if _, err := ParseEntry(b); err != nil {
			t.Fatalf("ParseEntry(Entry(data %q)) = %v\nentry %s", data, err, b)
		}
		again, err := Entry(e)
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("Entry is not deterministic")
		}
	})
}

func TestWriteString(t *testing.T) {
	for _, s := range []string{"", "plain", "引号\"反斜杠\\", "\n\r\t\x00\x1f\x7f", "<&>", "\u2028\u2029", "bad \xff utf-8 \xe4\xb8", "😀"} {
		var got bytes.Buffer
		writeString(&got, s)
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		if got.String()+"\n" != want.String() {
			t.Errorf("writeString(%q) = %s, want encoding/json's %s", s, got.String(), want.String())
		}
	}
}

func FuzzWriteString(f *testing.F) {
	f.Add("引号\"\\\n\x00\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		var got, want bytes.Buffer
		writeString(&got, s)
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		if got.String()+"\n" != want.String() {
			t.Fatalf("writeString(%q) = %s, want %s", s, got.String(), want.String())
		}
	})
}
