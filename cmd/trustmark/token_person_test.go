package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTokenCreatePerson makes a token for a registered person (an
// auditor's phone) and refuses one for a person the registry does not hold.
func TestTokenCreatePerson(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	files := map[string]string{
		"bodies":  "approval_no,uscc,name,region_code,scopes\nCNCA-R-2002-001,91110105000000334C,中认检测认证集团,110105,QMS\n",
		"persons": "registration_no,name,body_approval_no,qualifications\n2026-NQA-0001,张伟,CNCA-R-2002-001,QMS\n",
	}
	ctx := context.Background()
	for _, kind := range []string{"bodies", "persons"} {
		path := filepath.Join(dir, kind+".csv")
		if err := os.WriteFile(path, []byte(files[kind]), 0o600); err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		if code := run(ctx, []string{"import", "--db", db, "--kind", kind, path}, &out, &errb); code != 0 {
			t.Fatalf("import %s = %d: %s", kind, code, errb.String())
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"a registered person gets a token", []string{"--person", "2026-NQA-0001"}, 0},
		{"an unknown person gets none", []string{"--person", "2026-NQA-9999"}, 1},
		{"a person and a body at once is refused", []string{"--person", "2026-NQA-0001", "--body", "CNCA-R-2002-001"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(ctx, append([]string{"token", "create", "--db", db}, tc.args...), &out, &errb)
			if code != tc.code {
				t.Fatalf("token create %q = %d (%s), want %d", tc.args, code, errb.String(), tc.code)
			}
			if tc.code == 0 && !strings.HasPrefix(out.String(), "tm_") {
				t.Errorf("token create printed %q, want a tm_ token", out.String())
			}
		})
	}
}
