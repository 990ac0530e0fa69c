package trustmark

import (
	"strings"
	"testing"
)

func TestParseWatchItem(t *testing.T) {
	uscc := MakeUSCC("9111010800000001")
	good := []struct {
		in   string
		want WatchItem
	}{
		{"2025010901000001", WatchItem{Kind: WatchCertificate, Key: "2025010901000001"}},
		{"00125q10001r0m", WatchItem{Kind: WatchCertificate, Key: "00125Q10001R0M"}},
		{"QMS/00125Q10001R0M", WatchItem{Kind: WatchCertificate, Key: "00125Q10001R0M"}},
		{strings.ToLower(string(uscc)), WatchItem{Kind: WatchOrg, Key: string(uscc)}},
	}
	for _, tt := range good {
		if got, err := ParseWatchItem(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseWatchItem(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	bad := []struct {
		in, reason string
	}{
		{"海尔", "watch.item_kind"},
		{"CNCA-R-2002-001", "watch.item_kind"},
		// A malformed identifier keeps its rule's reason, so that it is
		// said in the reader's language.
		{"有机码：123", "organic_code.format"},
		{"CNCA-R-20-1", "approval_no.format"},
	}
	for _, tt := range bad {
		_, err := ParseWatchItem(tt.in)
		e, ok := err.(*Error)
		if !ok || e.Code != EInvalid || e.Reason != tt.reason || e.Field != "items" || !strings.Contains(e.Message, "cannot be watched") {
			t.Errorf("ParseWatchItem(%q) error = %#v, want invalid items with reason %q", tt.in, err, tt.reason)
		}
	}
}
