package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"trustmark"
	"trustmark/sqlstore"
)

const testBody = "CNCA-R-2002-001"

func testUSCC(i int) string { return string(trustmark.MakeUSCC(fmt.Sprintf("91350100M%07d", i))) }

// writeCSV writes rows as a CSV file in dir and returns its path.
func writeCSV(t testing.TB, dir, name string, rows ...[]string) string {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(rows)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func orgFile(t testing.TB, dir string, n int) string {
	rows := [][]string{{"uscc", "name", "region_code"}}
	for i := 0; i < n; i++ {
		rows = append(rows, []string{testUSCC(i), fmt.Sprintf("福州市第%d电器有限公司", i), "350121"})
	}
	return writeCSV(t, dir, "orgs.csv", rows...)
}

func bodyFile(t testing.TB, dir string) string {
	return writeCSV(t, dir, "bodies.csv", []string{"approval_no", "uscc", "name", "region_code", "scopes"},
		[]string{testBody, string(trustmark.MakeUSCC("91110000100000XX")), "中国质量认证中心", "110000", "QMS;EMS"})
}

func certFile(t testing.TB, dir, name string, n, holders int) string {
	rows := [][]string{{"number", "type", "body_approval_no", "holder_uscc", "scope", "issued_on", "expires_on"}}
	for i := 0; i < n; i++ {
		rows = append(rows, []string{fmt.Sprintf("00124Q%07dR0M", i), "QMS", testBody, testUSCC(i % holders), "家用电器的设计和生产", "2024-03-01", "2027-02-28"})
	}
	return writeCSV(t, dir, name, rows...)
}

// runCmd runs the import command and returns its exit code, stdout and the
// lines of stderr that are not log lines.
func runCmd(t testing.TB, args ...string) (int, string, []string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runImport(context.Background(), args, &stdout, &stderr)
	var errLines []string
	for _, l := range strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n") {
		if l != "" && !strings.HasPrefix(l, "time=") {
			errLines = append(errLines, l)
		}
	}
	return code, stdout.String(), errLines
}

func lastLine(s string) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return l[len(l)-1]
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "trustmark.db")
	orgs, bodies := orgFile(t, dir, 5), bodyFile(t, dir)
	certs := certFile(t, dir, "certs.csv", 20, 5)

	steps := []struct {
		name     string
		args     []string
		code     int
		last     string
		stderr   []string // exact non-log lines; nil for none
		contains string   // instead of stderr: a fragment of its one line
	}{
		{"orgs load into a new registry, which the import says it created", []string{"--db", db, "--kind", "orgs", orgs}, 0, "imported 5, unchanged 0, rejected 0",
			[]string{"trustmark import: created a new, empty registry at " + db}, ""},
		{"flags may follow the files", []string{bodies, "--kind", "bodies", "--db", db}, 0, "imported 1, unchanged 0, rejected 0", nil, ""},
		{"certificates load with exit 0", []string{"--db", db, "--kind", "certificates", certs}, 0, "imported 20, unchanged 0, rejected 0", nil, ""},
		{"importing the same file again changes nothing", []string{"--db", db, "--kind", "certificates", certs}, 0, "imported 0, unchanged 20, rejected 0", nil, ""},
		{"rejected rows are named and exit 2",
			[]string{"--db", db, "--kind", "certificates", writeCSV(t, dir, "bad.csv",
				[]string{"number", "type", "body_approval_no", "holder_uscc", "scope", "issued_on", "expires_on"},
				[]string{"00124Q0000001R0M", "QMS", testBody, testUSCC(1), "家用电器的设计和生产", "2024-03-01", "2027-02-28"},
				[]string{"00124Q0000099R0M", "QMS", testBody, badCheck(), "家用电器", "2024-03-01", "2027-02-28"},
				[]string{"00124Q0000098R0M", "CCC", testBody, testUSCC(1), "家用电器", "2024-03-01", "2027-02-28"},
				[]string{"00124Q0000097R0M", "EMS", testBody, testUSCC(1), "家用电器", "2024-03-01", "2026-02-28"},
			)}, 2, "imported 1, unchanged 1, rejected 2",
			[]string{
				bad(dir) + `:2: holder_uscc: unified social credit code "` + badCheck() + `" has check character 0, want ` + testUSCC(198)[17:],
				bad(dir) + `:3: number: CCC certificate number "00124Q0000098R0M" is not 16 digits`,
			}, ""},
		{"a missing column refuses the file with exit 1",
			[]string{"--db", db, "--kind", "certificates", writeCSV(t, dir, "cols.csv", []string{"number", "type", "scope"})},
			1, "imported 0, unchanged 0, rejected 0", nil, `cols.csv: header: missing required column(s) "body_approval_no", "expires_on", "holder_uscc", "issued_on" for kind certificates`},
		{"an unknown column refuses the file with exit 1",
			[]string{"--db", db, "--kind", "orgs", writeCSV(t, dir, "unknown.csv", []string{"uscc", "name", "region_code", "legal_person"})},
			1, "imported 0, unchanged 0, rejected 0", nil, `unknown.csv: header: unknown column(s) "legal_person" for kind orgs`},
		{"a missing file is exit 1 before anything is imported",
			[]string{"--db", db, "--kind", "orgs", orgs, filepath.Join(dir, "nope.csv")}, 1, "", nil, "nope.csv: no such file or directory"},
		{"an unknown kind is exit 1", []string{"--db", db, "--kind", "holders", orgs}, 1, "", nil, `kind "holders" is not one of`},
		{"no kind is exit 1", []string{"--db", db, orgs}, 1, "", nil, "--kind is required"},
		{"no file is exit 1", []string{"--db", db, "--kind", "orgs"}, 1, "", nil, "no FILE to import"},
		{"an unreachable database is exit 1", []string{"--db", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", "--kind", "orgs", orgs}, 1, "", nil, "cannot open the database"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, s.args...)
			if code != s.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, s.code, strings.Join(stderr, "\n"))
			}
			if s.last != "" {
				if got := lastLine(stdout); got != s.last {
					t.Errorf("last line of stdout = %q, want %q", got, s.last)
				}
			}
			if s.contains != "" {
				if len(stderr) == 0 || !strings.Contains(stderr[len(stderr)-1], s.contains) {
					t.Errorf("stderr = %q, want a line containing %q", stderr, s.contains)
				}
				return
			}
			if diff := cmp.Diff(s.stderr, stderr); diff != "" {
				t.Errorf("stderr lines differ (-want +got):\n%s", diff)
			}
		})
	}
}

func bad(dir string) string { return filepath.Join(dir, "bad.csv") }

// badCheck is a USCC whose last (check) character is wrong.
func badCheck() string {
	return testUSCC(198)[:17] + "0" // whose check character is 5
}

func TestImportCommandSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TRUSTMARK_DB", filepath.Join(dir, "env.db"))
	runCmd(t, "--kind", "orgs", orgFile(t, dir, 3))
	runCmd(t, "--kind", "bodies", bodyFile(t, dir))
	a := certFile(t, dir, "a.csv", 10, 3)
	b := certFile(t, dir, "b.csv", 15, 3)
	code, stdout, stderr := runCmd(t, "--kind", "certificates", a, b)
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	want := a + ": imported 10, unchanged 0, rejected 0\n" + b + ": imported 5, unchanged 10, rejected 0\nimported 15, unchanged 10, rejected 0\n"
	if stdout != want {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "env.db")); err != nil {
		t.Errorf("$TRUSTMARK_DB was not used: %v", err)
	}
}

// TestImportKilled kills an import process mid-file and checks that the
// database holds whole batches only, and that importing the file again
// completes it.
func TestImportKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 50,000 rows")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "trustmark.db")
	runCmd(t, "--db", db, "--kind", "orgs", orgFile(t, dir, 100))
	runCmd(t, "--db", db, "--kind", "bodies", bodyFile(t, dir))
	const n, batch = 50_000, 1000
	certs := certFile(t, dir, "certs.csv", n, 100)

	cmd := exec.Command(os.Args[0], "-test.run=^TestImportHelperProcess$", "--", "--db", db, "--kind", "certificates", "--batch", fmt.Sprint(batch), certs)
	cmd.Env = append(os.Environ(), "TRUSTMARK_IMPORT_HELPER=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	store, err := sqlstore.Open(context.Background(), db, sqlstore.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatal(err)
	}
	count := func() int64 {
		st, err := store.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var c int64
		for _, v := range st.Certificates {
			c += v
		}
		return c
	}
	deadline := time.Now().Add(30 * time.Second)
	for count() < 3*batch && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	got := count()
	store.Close()
	t.Logf("killed after %d of %d rows", got, n)
	if got%batch != 0 {
		t.Errorf("%d certificates stored after the kill, want a multiple of the batch size %d", got, batch)
	}
	if got == n {
		t.Skip("the import finished before it could be killed")
	}
	code, stdout, stderr := runCmd(t, "--db", db, "--kind", "certificates", certs)
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	if got, want := lastLine(stdout), fmt.Sprintf("imported %d, unchanged %d, rejected 0", n-got, got); got != want {
		t.Errorf("re-import: %q, want %q", got, want)
	}
}

// TestImportHelperProcess is the import process TestImportKilled kills.
func TestImportHelperProcess(t *testing.T) {
	if os.Getenv("TRUSTMARK_IMPORT_HELPER") != "1" {
		t.Skip("run by TestImportKilled")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(runImport(context.Background(), args, io.Discard, io.Discard))
}
