package main

import "testing"

func TestFilesBesideTheDatabase(t *testing.T) {
	t.Setenv("TRUSTMARK_LOG_KEY_FILE", "")
	for _, tc := range []struct{ dsn, key, index string }{
		{"trustmark.db", "trustmark.db.logkey", "trustmark.db.search"},
		{"/var/lib/tm/x.db", "/var/lib/tm/x.db.logkey", "/var/lib/tm/x.db.search"},
		{"sqlite:///var/lib/tm/x.db", "/var/lib/tm/x.db.logkey", "/var/lib/tm/x.db.search"},
		{"file:x.db?_pragma=1", "x.db.logkey", "x.db.search"}, // the key and the index agree
		{"postgres://u@h/db", "trustmark-log.key", "trustmark.search"},
		{"postgresql://u@h/db", "trustmark-log.key", "trustmark.search"},
	} {
		if got := logKeyFile(tc.dsn); got != tc.key {
			t.Errorf("logKeyFile(%q) = %q, want %q", tc.dsn, got, tc.key)
		}
		if got := searchDir(tc.dsn); got != tc.index {
			t.Errorf("searchDir(%q) = %q, want %q", tc.dsn, got, tc.index)
		}
	}
	t.Setenv("TRUSTMARK_LOG_KEY_FILE", "/etc/trustmark/log.key")
	if got := logKeyFile("trustmark.db"); got != "/etc/trustmark/log.key" {
		t.Errorf("logKeyFile with $TRUSTMARK_LOG_KEY_FILE = %q", got)
	}
}
