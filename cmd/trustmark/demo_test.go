package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestDemoCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "trustmark.db")
	ctx := context.Background()
	t.Run("fills an empty database and prints identifiers to try", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		if code := runDemo(ctx, []string{"--db", db, "--scale", "tiny", "--seed", "3"}, &stdout, &stderr); code != 0 {
			t.Fatalf("exit code %d, stderr:\n%s", code, stderr.String())
		}
		for _, want := range []string{"certificates", "valid CCC certificate", "suspended certificate", "test report"} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, stdout.String())
			}
		}
	})
	t.Run("refuses a database that holds data unless forced", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		if code := runDemo(ctx, []string{"--db", db, "--scale", "tiny"}, &stdout, &stderr); code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
		if !strings.Contains(stderr.String(), "already holds data") {
			t.Errorf("stderr = %q, want it to say the database already holds data", stderr.String())
		}
	})
	t.Run("rejects an unknown scale", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		if code := runDemo(ctx, []string{"--db", db, "--scale", "huge"}, &stdout, &stderr); code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
	})
}
