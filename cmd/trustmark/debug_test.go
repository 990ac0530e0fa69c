package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func TestDebugAddr(t *testing.T) {
	m := NewMain()
	if err := m.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	if m.Config.DebugAddr != "" {
		t.Fatalf("--debug-addr is %q by default, want off", m.Config.DebugAddr)
	}
	for _, bad := range []string{":6060", "6060", "localhost"} {
		if err := NewMain().ParseFlags([]string{"--debug-addr", bad}); err == nil {
			t.Errorf("--debug-addr %q accepted", bad)
		}
	}
	m = NewMain()
	if err := m.ParseFlags([]string{"--debug-addr", "127.0.0.1:6060"}); err != nil || m.Config.DebugAddr != "127.0.0.1:6060" {
		t.Fatalf("--debug-addr 127.0.0.1:6060: %v, %q", err, m.Config.DebugAddr)
	}

	d, err := startDebug("127.0.0.1:0", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for path, want := range map[string]string{"/debug/pprof/": "goroutine", "/debug/pprof/cmdline": ""} {
		resp, err := http.Get("http://" + d.ln.Addr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s: %d %.80q", path, resp.StatusCode, body)
		}
	}
}
