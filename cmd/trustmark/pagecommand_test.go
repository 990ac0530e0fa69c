package main

import (
	"html"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// pageCommand is the command a certificate page gives under its timeline.
var pageCommand = regexp.MustCompile(`trustmark verify --log [^<]+`)

// TestPageVerifyCommandRuns: the command a certificate page shows for
// checking its record without trusting the site, run as shown against the
// server that showed it, verifies the certificate's events.
func TestPageVerifyCommandRuns(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "trustmark.db")
	fill(t, dsn)
	m, stop := startWithLog(t, dsn)
	defer stop()

	var cmd string
	for deadline := time.Now().Add(10 * time.Second); cmd == ""; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(m.URL() + "/certificates/00125Q10001R0M")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		cmd = html.UnescapeString(pageCommand.FindString(string(page)))
		if cmd == "" && time.Now().After(deadline) {
			t.Fatalf("the certificate page gives no verify command:\n%s", page)
		}
	}
	args := strings.Fields(strings.TrimPrefix(cmd, "trustmark verify "))
	if strings.ContainsAny(cmd, `'"\`) {
		t.Fatalf("the page's command %q needs a shell to read; want plain words", cmd)
	}
	code, stdout, stderr := logCmd(runVerify, args...)
	if code != 0 || !strings.Contains(stdout, "events of 00125Q10001R0M included") {
		t.Errorf("%s = %d\n%s%s", cmd, code, stdout, stderr)
	}
}
