package search

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"trustmark"
	"trustmark/sqlstore"
)

// BenchmarkCatchUp indexes an existing database from scratch and reports
// events a second:
//
//	TRUSTMARK_BENCH_DB=path/to/trustmark.db go test ./search -run '^$' -bench CatchUp -benchtime 1x
func BenchmarkCatchUp(b *testing.B) {
	path := os.Getenv("TRUSTMARK_BENCH_DB")
	if path == "" {
		b.Skip("set TRUSTMARK_BENCH_DB to a database to index")
	}
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := sqlstore.Open(ctx, path, sqlstore.WithLogger(quiet))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	for i := 0; i < b.N; i++ {
		ix, err := Open(filepath.Join(b.TempDir(), "idx"))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		n, err := ix.CatchUp(ctx, trustmark.NewFeed(st, trustmark.FeedOptions{Logger: quiet}), st)
		if err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		docs, _ := ix.Count()
		b.ReportMetric(float64(n)/el.Seconds(), "events/s")
		b.ReportMetric(float64(docs), "docs")
		ix.Close()
	}
}
