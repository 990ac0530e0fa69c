package translog_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/translog"
)

// sourceRegistry opens a SQLite registry with two organisations.
func sourceRegistry(t *testing.T) (*sqlstore.DB, string) {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "trustmark.db")
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sourceOrg(t, db, "9137020016356268", "青岛海尔电冰箱有限公司")
	sourceOrg(t, db, "9111010500000033", "中认检测认证集团有限公司")
	return db, dsn
}

func sourceOrg(t *testing.T, db *sqlstore.DB, uscc, name string) {
	t.Helper()
	out, err := db.Import(context.Background(), trustmark.System, trustmark.KindOrgs,
		[]trustmark.Record{&trustmark.Org{USCC: trustmark.USCC(uscc), Name: name, RegionCode: "370212"}})
	if err != nil || out[0].Err != nil {
		t.Fatalf("import %s: %v %v", uscc, err, out)
	}
}

// TestLogIsWokenByCommits runs the integrator with an hourly poll: woken by
// the feed after each commit (as serve wires it), it integrates a new event
// at once.
func TestLogIsWokenByCommits(t *testing.T) {
	db, _ := sourceRegistry(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	key, _, err := translog.LoadOrCreateKey(context.Background(), filepath.Join(t.TempDir(), "log.key"), "trustmark.test/log", db.LogStorage())
	if err != nil {
		t.Fatal(err)
	}
	l, err := translog.Open(context.Background(), translog.EventSource{Store: db, NextSeq: db.LogStorage().NextEventSeq}, db.LogStorage(), key,
		translog.Options{Logger: quiet, Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	feed := trustmark.NewFeed(db, trustmark.FeedOptions{Poll: time.Hour, Logger: quiet})
	go feed.OnCommit(ctx, l.Notify)
	go l.Run(ctx)
	waitSize := func(want uint64) time.Duration {
		t.Helper()
		start := time.Now()
		for l.Latest().Size != want {
			if time.Since(start) > 10*time.Second {
				t.Fatalf("the log's size is %d after 10 s, want %d (its own poll is hourly)", l.Latest().Size, want)
			}
			time.Sleep(5 * time.Millisecond)
		}
		return time.Since(start)
	}
	waitSize(2)
	sourceOrg(t, db, "9144030000000009", "深圳南山新成立电子有限公司")
	t.Logf("integrated %s after the commit", waitSize(3).Round(time.Millisecond))
}

// TestEventSourceStopsAtAGap deletes an event behind the registry's back:
// the log's source refuses to hand out entries over the gap.
func TestEventSourceStopsAtAGap(t *testing.T) {
	db, dsn := sourceRegistry(t)
	raw, err := sqlstore.OpenRaw(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DELETE FROM events WHERE seq = 0`); err != nil {
		t.Fatal(err)
	}
	src := translog.EventSource{Store: db, NextSeq: db.LogStorage().NextEventSeq}
	entries, err := src.Entries(context.Background(), 0, 10)
	var gap *trustmark.GapError
	if !errors.As(err, &gap) || gap.Missing != 0 || len(entries) != 0 {
		t.Errorf("Entries over a deleted event 0 = %d entries, %v; want none and a *GapError for 0", len(entries), err)
	}
}
