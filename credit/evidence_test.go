package credit

import (
	"strings"
	"testing"
)

func TestEvidenceFile(t *testing.T) {
	f := File{Name: "整改报告.pdf", Data: []byte("%PDF-1.4")}
	sha, name, ok := ParseRef(f.Ref())
	if !ok || sha != f.SHA256() || name != f.Name {
		t.Fatalf("ParseRef(%q) = %q %q %v", f.Ref(), sha, name, ok)
	}
	if _, _, ok := ParseRef("整改报告"); ok {
		t.Error("a text reads as a file")
	}
	for _, bad := range []File{{Name: "x.pdf"}, {Data: []byte("x")}, {Name: "big.pdf", Data: make([]byte, MaxEvidenceBytes+1)}} {
		if CheckFile(bad) == nil {
			t.Errorf("CheckFile(%q, %d bytes) accepted", bad.Name, len(bad.Data))
		}
	}
	if err := CheckFile(f); err != nil {
		t.Error(err)
	}
}

// FuzzParseRef: evidence references come from a party's form; whatever
// they hold, ParseRef neither panics nor reads a file reference that Ref
// would not have made.
func FuzzParseRef(f *testing.F) {
	f.Add("file:" + strings.Repeat("a", 64) + ":x.pdf")
	f.Add("file::")
	f.Add("整改报告")
	f.Fuzz(func(t *testing.T, s string) {
		sha, name, ok := ParseRef(s)
		if ok && (len(sha) != 64 || "file:"+sha+":"+name != s) {
			t.Fatalf("ParseRef(%q) = %q %q", s, sha, name)
		}
	})
}
