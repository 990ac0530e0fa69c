package translog_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"trustmark"
	"trustmark/translog"
)

func TestAuditCatchesDirectDatabaseEdits(t *testing.T) {
	edits := []struct {
		name      string
		sql       func(last int64) string
		integrate bool // let the integrator run after the edit
		kind      string
		seq       func(last int64) int64
	}{
		{"an UPDATE of an event's reason", func(int64) string { return `UPDATE events SET reason = 'nothing happened' WHERE seq = 3` },
			false, translog.FindingChanged, func(int64) int64 { return 3 }},
		{"an UPDATE of an event's data", func(int64) string {
			return `UPDATE events SET data = CAST('{"status":"valid"}' AS BLOBTYPE) WHERE seq = 1`
		}, false, translog.FindingChanged, func(int64) int64 { return 1 }},
		{"a DELETE of an event in the middle", func(int64) string { return `DELETE FROM events WHERE seq = 2` },
			false, translog.FindingDeleted, func(int64) int64 { return 2 }},
		{"a DELETE of the last event", func(last int64) string { return fmt.Sprintf(`DELETE FROM events WHERE seq = %d`, last) },
			false, translog.FindingDeleted, func(last int64) int64 { return last }},
		{"an INSERT of an event the application never wrote", func(last int64) string {
			return fmt.Sprintf(`INSERT INTO events (seq, at, actor, entity, key, action) VALUES (%d, 0, 'system', 'certificate', 'QMS/00125Q10001R0M', 'created')`, last+1)
		}, true, translog.FindingInserted, func(last int64) int64 { return last + 1 }},
		// (the integrator does not take the inserted row: its seq is beyond
		// the application's counter; the audit names it all the same)
	}
	for _, d := range databases() {
		t.Run(d.name, func(t *testing.T) {
			for _, tc := range edits {
				t.Run(tc.name+" is named", func(t *testing.T) {
					db, dsn := d.open(t)
					fillRegistry(t, db)
					l, key := registryLog(t, db)
					integrate(t, l)
					last := int64(l.Latest().Size) - 1
					q := tc.sql(last)
					if d.name == "postgres" {
						q = strings.ReplaceAll(q, "BLOBTYPE", "BYTEA")
					} else {
						q = strings.ReplaceAll(q, "BLOBTYPE", "BLOB")
					}
					if _, err := rawDB(t, dsn).Exec(q); err != nil {
						t.Fatal(err)
					}
					if tc.integrate {
						integrate(t, l)
					}
					rep, err := translog.Audit(ctx, db, db.LogStorage(), key.Verifier, translog.AuditOptions{NextSeq: db.LogStorage().NextEventSeq})
					if err != nil {
						t.Fatal(err)
					}
					want := tc.seq(last)
					found := false
					for _, f := range rep.Findings {
						if f.Kind == tc.kind && f.Seq == want {
							found = true
						}
					}
					if !found || len(rep.Findings) != 1 {
						t.Errorf("findings %v, want exactly one %s of seq %d", rep.Findings, tc.kind, want)
					}
				})
			}

			t.Run("a rewritten checkpoint row is caught", func(t *testing.T) {
				db, dsn := d.open(t)
				fillRegistry(t, db)
				l, key := registryLog(t, db)
				integrate(t, l)
				raw := string(l.Latest().Signed)
				forged := strings.Replace(raw, "\n"+strconv.FormatUint(l.Latest().Size, 10)+"\n", "\n3\n", 1)
				if _, err := rawDB(t, dsn).Exec(rebind(d.name, `UPDATE log_checkpoint SET note = ?, size = 3`), []byte(forged)); err != nil {
					t.Fatal(err)
				}
				rep, err := translog.Audit(ctx, db, db.LogStorage(), key.Verifier, translog.AuditOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if rep.OK() || rep.Findings[0].Kind != translog.FindingCheckpoint {
					t.Errorf("findings %v, want a checkpoint finding", rep.Findings)
				}
			})

			t.Run("a rewritten tree with an edited event is caught", func(t *testing.T) {
				db, dsn := d.open(t)
				fillRegistry(t, db)
				l, key := registryLog(t, db)
				integrate(t, l)
				raw := rawDB(t, dsn)
				raw.Exec(`UPDATE events SET reason = 'nothing happened' WHERE seq = 3`)
				e, _ := db.Events(ctx, trustmark.EventFilter{After: 2, Limit: 1})
				entry, _ := translog.Entry(e[0])
				var tile []byte
				raw.QueryRow(`SELECT hashes FROM log_tiles WHERE level = 0 AND idx = 0`).Scan(&tile)
				copy(tile[3*32:], translog.LeafHash(entry))
				if _, err := raw.Exec(rebind(d.name, `UPDATE log_tiles SET hashes = ? WHERE level = 0 AND idx = 0`), tile); err != nil {
					t.Fatal(err)
				}
				rep, err := translog.Audit(ctx, db, db.LogStorage(), key.Verifier, translog.AuditOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if rep.OK() || rep.Findings[0].Kind != translog.FindingTree {
					t.Errorf("findings %v, want a tree finding", rep.Findings)
				}
			})
		})
	}
}

func rebind(dialect, q string) string {
	if dialect != "postgres" {
		return q
	}
	for i := 1; strings.Contains(q, "?"); i++ {
		q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
	}
	return q
}

func TestIntegratorIgnoresRowsBeyondTheCounter(t *testing.T) {
	db, dsn := openSQLite(t)
	fillRegistry(t, db)
	l, _ := registryLog(t, db)
	integrate(t, l)
	size := l.Latest().Size
	if _, err := rawDB(t, dsn).Exec(fmt.Sprintf(`INSERT INTO events (seq, at, actor, entity, key, action) VALUES (%d, 0, 'system', 'certificate', 'QMS/X', 'created')`, size)); err != nil {
		t.Fatal(err)
	}
	integrate(t, l)
	if got := l.Latest().Size; got != size {
		t.Errorf("log size %d after a forged row, want %d", got, size)
	}
}

// TestAuditOfARunningServer: events the application writes while the audit
// reads the rows are not taken for forged ones; the counter the audit read
// before its scan has grown past them by the time it judges them.
func TestAuditOfARunningServer(t *testing.T) {
	db, _ := openSQLite(t)
	fillRegistry(t, db)
	l, key := registryLog(t, db)
	integrate(t, l)
	wrote := false
	next := func(context.Context) (int64, error) {
		n, err := db.LogStorage().NextEventSeq(ctx)
		if err == nil && !wrote {
			// the application writes right after the audit read its counter
			body := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}
			if _, err := db.TransitionCertificate(ctx, body, qms2, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "监督审核不合格"}); err != nil {
				t.Fatal(err)
			}
			wrote = true
		}
		return n, err
	}
	rep, err := translog.Audit(ctx, db, db.LogStorage(), key.Verifier, translog.AuditOptions{NextSeq: next})
	if err != nil {
		t.Fatal(err)
	}
	if !wrote || !rep.OK() {
		t.Errorf("audit while the application wrote: findings %v, want none", rep.Findings)
	}
}
