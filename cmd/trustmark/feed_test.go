package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
)

// TestServeFollowersWakeOnCommit runs serve with followers that would poll
// only hourly: a new organisation is searchable at once all the same, since
// the commit that recorded it wakes the search indexer.
func TestServeFollowersWakeOnCommit(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "trustmark.db")
	m := NewMain()
	logs := &syncBuffer{}
	m.Stderr = logs
	if err := m.ParseFlags([]string{"--db", dsn, "--addr", "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	m.Config.FeedPoll = time.Hour
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	}()
	addOrg := func(uscc trustmark.USCC, name string) {
		t.Helper()
		out, err := m.Store.Import(ctx, trustmark.System, trustmark.KindOrgs, []trustmark.Record{&trustmark.Org{USCC: uscc, Name: name, RegionCode: "330106"}})
		if err != nil || out[0].Err != nil {
			t.Fatalf("Import: %v %v", err, out)
		}
	}
	// The first event is indexed by the indexer's first read; once its
	// cursor stands there, the indexer is waiting.
	addOrg(trustmark.MakeUSCC("9133010600000011"), "杭州西湖精密机械有限公司")
	feedWait(t, "the search indexer's first read", func() bool { return searchCursor(t, dsn) == 0 })

	start := time.Now()
	addOrg(trustmark.MakeUSCC("9133010600000022"), "杭州拱墅新成立仪表有限公司")
	feedWait(t, "the new organisation to be searchable", func() bool {
		resp, err := http.Get(m.URL() + "/search?q=" + url.QueryEscape("新成立仪表"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return strings.Contains(string(body), "杭州拱墅新成立仪表有限公司")
	})
	t.Logf("searchable %s after the commit", time.Since(start).Round(time.Millisecond))
}

// searchCursor returns the Seq of the search indexer's cursor, -1 before
// it has one.
func searchCursor(t *testing.T, dsn string) int64 {
	t.Helper()
	raw, err := sqlstore.OpenRaw(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	seq := int64(-1)
	raw.QueryRow(`SELECT seq FROM feed_cursors WHERE name LIKE 'search/%'`).Scan(&seq)
	return seq
}

// feedWait polls cond for up to 10 s; the followers poll hourly.
func feedWait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
	}
}
