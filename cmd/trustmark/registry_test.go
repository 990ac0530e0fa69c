package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"trustmark"
	"trustmark/storetest"
)

// TestCommandsRefuseWithoutARegistry runs the commands that read an
// existing registry where there is none: each refuses (exit 1) naming the
// place it looked at, and creates nothing there (no database, no signing
// key). import into a new database says that it created one, and where.
func TestCommandsRefuseWithoutARegistry(t *testing.T) {
	t.Run("on SQLite", func(t *testing.T) {
		dir := t.TempDir()
		t.Chdir(dir)
		t.Setenv("TRUSTMARK_DB", "")
		t.Setenv("TRUSTMARK_LOG_KEY_FILE", "")
		abs, err := filepath.Abs("trustmark.db")
		if err != nil {
			t.Fatal(err)
		}
		checkCommandsRefuse(t, nil, "no registry at "+abs)
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("the refused commands left %d files in the directory (%s...)", len(entries), entries[0].Name())
		}
		checkImportSaysCreated(t, nil, abs)
	})
	t.Run("on PostgreSQL", func(t *testing.T) {
		dsn := storetest.PostgresDSN(t, "noreg") // a schema without the registry's tables
		t.Chdir(t.TempDir())
		t.Setenv("TRUSTMARK_LOG_KEY_FILE", "")
		checkCommandsRefuse(t, []string{"--db", dsn}, "no registry at postgres://")
		checkImportSaysCreated(t, []string{"--db", dsn}, "postgres://")
	})
}

// checkCommandsRefuse runs log key, token create and audit with the flags
// db and checks that each exits 1 saying want.
func checkCommandsRefuse(t *testing.T, db []string, want string) {
	t.Helper()
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		run  command
		args []string
	}{
		{"log key", runLog, append([]string{"key"}, db...)},
		{"token create", runToken, append([]string{"create", "--body", "CNCA-R-2002-001"}, db...)},
		{"audit", runAudit, append([]string{"--key", "trustmark.example/log+12345678+AQ=="}, db...)},
	} {
		var out, errb bytes.Buffer
		code := tc.run(ctx, tc.args, &out, &errb)
		if code != 1 || !strings.Contains(errb.String(), want) || out.Len() > 0 {
			t.Errorf("%s = %d, stdout %q, stderr %q; want exit 1 saying %q", tc.name, code, out.String(), errb.String(), want)
		}
	}
}

// checkImportSaysCreated imports into the empty place and then again: the
// first says on standard error that it created a registry at where, the
// second does not.
func checkImportSaysCreated(t *testing.T, db []string, where string) {
	t.Helper()
	ctx := context.Background()
	file := e2eCSV(t, t.TempDir(), "orgs.csv", "uscc,name,region_code", string(trustmark.MakeUSCC("9133010600000011"))+",杭州西湖精密机械有限公司,330106")
	for i, want := range []bool{true, false} {
		var out, errb bytes.Buffer
		code := runImport(ctx, append(append([]string{"--kind", "orgs"}, db...), file), &out, &errb)
		said := strings.Contains(errb.String(), "created a new, empty registry at "+where)
		if code != 0 || said != want {
			t.Errorf("import %d = %d, says it created a registry: %t, want %t\n%s", i+1, code, said, want, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := runToken(ctx, append([]string{"create", "--regulator", "000000"}, db...), &out, &errb); code != 0 {
		t.Errorf("token create after the import = %d: %s", code, errb.String())
	}
}
