// Command logdb measures the traceability log's integration through the
// database storage, as the product runs it: the registry's events in SQLite
// are the log's entries (translog.EventSource) and its tiles and checkpoint
// are kept beside them (sqlstore's LogStorage).
//
//	logdb fill -db F -n N        # a registry whose import writes about N events
//	logdb integrate -db F -batch B
//
// fill imports organisations, a certification body and certificates; integrate
// opens the log over F (its key beside F) and integrates every event, B
// entries under each checkpoint, then prints the entries and the time taken.
// The same source builds against older trees of the product (it uses only
// sqlstore.Open, Import, LogStorage and translog.Open, EventSource,
// Integrate), so that old and new binaries can be compared side by side;
// docs/BENCHMARKS.md has the commands.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"time"

	"trustmark"
	"trustmark/sqlstore"
	"trustmark/translog"
)

var (
	ctx   = context.Background()
	quiet = slog.New(slog.NewTextHandler(io.Discard, nil))
)

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: logdb fill|integrate [flags]")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	path := fs.String("db", "logdb.db", "the SQLite registry")
	n := fs.Int("n", 50000, "fill: about how many events to write")
	batch := fs.Int("batch", 16384, "integrate: entries under one checkpoint")
	fs.Parse(os.Args[2:])
	db, err := sqlstore.Open(ctx, *path, sqlstore.WithLogger(quiet))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	switch os.Args[1] {
	case "fill":
		err = fill(db, *n)
	case "integrate":
		err = integrate(db, *path+".key", *batch)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		log.Fatal(err)
	}
}

// fill imports n/10 organisations, one body and the rest certificates, a
// thousand at a time: one event each.
func fill(db *sqlstore.DB, n int) error {
	const body = "CNCA-R-2002-001"
	orgs := max(n/10, 1)
	uscc := func(i int) trustmark.USCC { return trustmark.MakeUSCC(fmt.Sprintf("91110108%08d", i)) }
	imp := trustmark.Party{Kind: trustmark.PartyImport, ID: "logdb.csv"}
	run := func(kind trustmark.Kind, count int, item func(i int) trustmark.Record) error {
		for from := 0; from < count; from += 1000 {
			var items []trustmark.Record
			for i := from; i < min(from+1000, count); i++ {
				items = append(items, item(i))
			}
			outs, err := db.Import(ctx, imp, kind, items)
			if err != nil {
				return err
			}
			for i, o := range outs {
				if o.Err != nil {
					return fmt.Errorf("%s %d: %w", kind, from+i, o.Err)
				}
			}
		}
		return nil
	}
	if err := run(trustmark.KindOrgs, orgs, func(i int) trustmark.Record {
		return &trustmark.Org{USCC: uscc(i), Name: fmt.Sprintf("北京海淀精密仪器第%d有限公司", i), RegionCode: "110108"}
	}); err != nil {
		return err
	}
	approved, _ := trustmark.ParseDate("2002-06-01")
	if err := run(trustmark.KindBodies, 1, func(int) trustmark.Record {
		return &trustmark.Body{ApprovalNo: body, USCC: trustmark.MakeUSCC("1211000040000010"), Name: "中国质量认证中心",
			RegionCode: "110000", Scopes: []trustmark.CertType{trustmark.TypeQMS}, Status: trustmark.PartyActive, ApprovedOn: approved}
	}); err != nil {
		return err
	}
	issued, _ := trustmark.ParseDate("2025-01-10")
	expires, _ := trustmark.ParseDate("2028-01-09")
	return run(trustmark.KindCertificates, max(n-orgs-1, 0), func(i int) trustmark.Record {
		return &trustmark.Certificate{Number: fmt.Sprintf("00125Q%05dR0M", i), Type: trustmark.TypeQMS, BodyApprovalNo: body,
			HolderUSCC: uscc(i % orgs), Scope: "精密仪器的设计和生产", Standard: "GB/T 19001-2016",
			IssuedOn: issued, ExpiresOn: expires, Status: trustmark.StatusValid}
	})
}

// integrate opens the log over db and integrates every event.
func integrate(db *sqlstore.DB, keyPath string, batch int) error {
	st := db.LogStorage()
	key, _, err := translog.LoadOrCreateKey(ctx, keyPath, "logdb.example/log", st)
	if err != nil {
		return err
	}
	src := &counted{Store: db}
	l, err := translog.Open(ctx, translog.EventSource{Store: src, NextSeq: st.NextEventSeq}, st, key, translog.Options{Batch: batch, Logger: quiet})
	if err != nil {
		return err
	}
	t0, total, batches := time.Now(), 0, 0
	for {
		n, err := l.Integrate(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
		total += n
		batches++
	}
	took := time.Since(t0)
	fmt.Printf("entries %d batches %d time %v per_entry %v size %d event_reads %d events_read %d\n",
		total, batches, took, took/time.Duration(max(total, 1)), l.Latest().Size, src.reads, src.entries)
	return nil
}

// counted counts the log's reads of the registry's events and the events
// they gave. It wraps the store, not the log's source, so that the log
// opens over an EventSource as the product does.
type counted struct {
	trustmark.Store
	reads, entries int
}

func (c *counted) Events(ctx context.Context, f trustmark.EventFilter) ([]trustmark.Event, error) {
	es, err := c.Store.Events(ctx, f)
	c.reads++
	c.entries += len(es)
	return es, err
}
