package search

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
)

// TestCatchUpFollowsTheRegistry indexes a real SQLite registry from its
// events, then follows a rename and a new certificate without reindexing
// what it already has.
func TestCatchUpFollowsTheRegistry(t *testing.T) {
	ctx := context.Background()
	clock := func() time.Time { return time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC) }
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	dbPath := filepath.Join(t.TempDir(), "trustmark.db")
	st, err := sqlstore.Open(ctx, dbPath, sqlstore.WithClock(clock), sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	holder := trustmark.MakeUSCC("9137020016356268")
	load := func(kind trustmark.Kind, rows ...trustmark.Row) {
		t.Helper()
		var recs []trustmark.Record
		for _, row := range rows {
			rec, err := trustmark.ParseRecord(kind, row, trustmark.DefaultPolicy())
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, rec)
		}
		out, err := st.Import(ctx, trustmark.System, kind, recs)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out {
			if o.Result == trustmark.Rejected {
				t.Fatal(o.Err)
			}
		}
	}
	load(trustmark.KindOrgs,
		trustmark.Row{"uscc": string(holder), "name": "青岛海尔电冰箱有限公司", "region_code": "370212"},
		trustmark.Row{"uscc": string(trustmark.MakeUSCC("9111010500000033")), "name": "中认检测认证集团有限公司", "region_code": "110105"})
	load(trustmark.KindBodies, trustmark.Row{"approval_no": "CNCA-R-2002-001", "uscc": string(trustmark.MakeUSCC("9111010500000033")),
		"name": "中认检测认证集团", "region_code": "110105", "scopes": "QMS"})
	load(trustmark.KindCertificates, trustmark.Row{"number": "00126Q30001R0M", "type": "QMS", "body_approval_no": "CNCA-R-2002-001",
		"holder_uscc": string(holder), "scope": "电冰箱的设计和生产", "issued_on": "2026-01-10", "expires_on": "2029-01-09"})

	feed := trustmark.NewFeed(st, trustmark.FeedOptions{Logger: quiet})
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	n, err := ix.CatchUp(ctx, feed, st)
	if err != nil || n == 0 {
		t.Fatalf("first CatchUp = %d, %v; want some events", n, err)
	}
	find := func(q string, kinds ...Kind) []string {
		t.Helper()
		r, err := ix.Search(ctx, Query{Text: q, Kinds: kinds})
		if err != nil {
			t.Fatal(err)
		}
		return numbers(r)
	}
	if got := find("海尔", KindCertificate); len(got) != 1 || got[0] != "00126Q30001R0M" {
		t.Errorf("certificates of 海尔 = %v, want the QMS certificate", got)
	}
	if got := find("冰箱 设计", KindCertificate); len(got) != 1 {
		t.Errorf("certificates by scope words = %v, want 1", got)
	}
	ix.Close()

	// The holder is renamed and a certificate issued; a reopened index
	// reads only the new events.
	load(trustmark.KindOrgs, trustmark.Row{"uscc": string(holder), "name": "海尔智家股份有限公司", "region_code": "370212"})
	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	before, _ := ix.LastSeq()
	n, err = ix.CatchUp(ctx, feed, st)
	if err != nil || n != 1 {
		t.Fatalf("CatchUp after a rename = %d events, %v; want 1", n, err)
	}
	if after, _ := ix.LastSeq(); after <= before {
		t.Errorf("LastSeq = %d after %d, want it to advance", after, before)
	}
	if got := find("海尔智家", KindCertificate); len(got) != 1 {
		t.Errorf("certificates under the new holder name = %v, want 1", got)
	}
	if got := find("电冰箱有限", KindOrg); len(got) != 0 {
		t.Errorf("organisations under the old name = %v, want none", got)
	}
	if n, _ := ix.CatchUp(ctx, feed, st); n != 0 {
		t.Errorf("CatchUp with nothing new read %d events", n)
	}
}

// newRegistry opens a SQLite registry in t.TempDir() with two organisations
// and returns it with its feed (which polls every hour, so that only a
// wake-up makes a follower read at once).
func newRegistry(t *testing.T) (*sqlstore.DB, *trustmark.Feed) {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "trustmark.db"),
		sqlstore.WithClock(func() time.Time { return time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC) }), sqlstore.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	addOrg(t, st, "9137020016356268", "青岛海尔电冰箱有限公司")
	addOrg(t, st, "9111010500000033", "中认检测认证集团有限公司")
	return st, trustmark.NewFeed(st, trustmark.FeedOptions{Poll: time.Hour, Logger: quiet})
}

func addOrg(t *testing.T, st *sqlstore.DB, uscc, name string) {
	t.Helper()
	out, err := st.Import(context.Background(), trustmark.System, trustmark.KindOrgs,
		[]trustmark.Record{&trustmark.Org{USCC: trustmark.USCC(uscc), Name: name, RegionCode: "370212"}})
	if err != nil || out[0].Result == trustmark.Rejected {
		t.Fatalf("import %s: %v %v", uscc, err, out)
	}
}

func lastSeq(t *testing.T, st *sqlstore.DB) int64 {
	t.Helper()
	evs, err := st.Events(context.Background(), trustmark.EventFilter{After: -1})
	if err != nil {
		t.Fatal(err)
	}
	return evs[len(evs)-1].Seq
}

func TestFollowIndexesANewEventAtOnce(t *testing.T) {
	st, feed := newRegistry(t)
	ix, err := Open(filepath.Join(t.TempDir(), "idx"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ix.Follow(ctx, feed, st, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	defer func() {
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("Follow = %v, want context.Canceled", err)
		}
	}()
	waitSeq := func(want int64) time.Duration {
		t.Helper()
		start := time.Now()
		for {
			if seq, _ := ix.LastSeq(); seq == want {
				return time.Since(start)
			}
			if time.Since(start) > 10*time.Second {
				t.Fatalf("the index did not reach event %d within 10 s (its feed polls hourly)", want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitSeq(lastSeq(t, st))
	addOrg(t, st, "9144030000000009", "深圳南山新成立电子有限公司")
	took := waitSeq(lastSeq(t, st))
	r, err := ix.Search(ctx, Query{Text: "南山新成立", Kinds: []Kind{KindOrg}})
	if err != nil || len(r.Hits) != 1 {
		t.Fatalf("search for the new organisation = %v, %v; want it", r, err)
	}
	t.Logf("indexed %s after the commit", took.Round(time.Millisecond))
}

func TestAnIndexFromBeforeTheFeedIsNotBuiltAgain(t *testing.T) {
	st, feed := newRegistry(t)
	ix, err := OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// An index as the previous version left it: the Seq of its last event,
	// no identity, no cursor in the database.
	last := lastSeq(t, st)
	if err := ix.put([]Doc{{Kind: KindOrg, Number: "9137020016356268", Name: "青岛海尔电冰箱有限公司"}}, last); err != nil {
		t.Fatal(err)
	}
	addOrg(t, st, "9144030000000009", "深圳南山新成立电子有限公司")
	n, err := ix.CatchUp(context.Background(), feed, st)
	if err != nil || n != 1 {
		t.Errorf("CatchUp of an index that held events 0-%d = %d events, %v; want only the 1 new one", last, n, err)
	}
}

func TestEventsAnIndexLostAreIndexedAgain(t *testing.T) {
	st, feed := newRegistry(t)
	ctx := context.Background()
	ix, err := OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.CatchUp(ctx, feed, st); err != nil {
		t.Fatal(err)
	}
	name, err := ix.CursorName()
	if err != nil {
		t.Fatal(err)
	}
	last := lastSeq(t, st)
	if c, _ := st.Cursor(ctx, name); c != last {
		t.Fatalf("cursor %s = %d after CatchUp, want %d", name, c, last)
	}
	// A crash lost the index's last batch, which had not reached the disk;
	// the database's cursor had moved past it.
	if err := ix.put(nil, last-1); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.CatchUp(ctx, feed, st); err != nil || n != 1 {
		t.Errorf("CatchUp of an index that lost event %d = %d events, %v; want that 1 again", last, n, err)
	}
}

func TestIndexesOnOneDatabaseFollowOnTheirOwn(t *testing.T) {
	st, feed := newRegistry(t)
	ctx := context.Background()
	var counts []int
	for range 2 {
		ix, err := OpenMem()
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		n, err := ix.CatchUp(ctx, feed, st)
		if err != nil {
			t.Fatal(err)
		}
		counts = append(counts, n)
	}
	if want := int(lastSeq(t, st) + 1); counts[0] != want || counts[1] != want {
		t.Errorf("two indexes of one database read %v events, want %d each", counts, want)
	}
}
