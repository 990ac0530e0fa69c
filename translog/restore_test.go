package translog_test

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/transparency-dev/tessera/client"

	"trustmark"
	tmhttp "trustmark/http"
	"trustmark/logclient"
	"trustmark/sqlstore"
	"trustmark/translog"
)

// backup copies the SQLite database at dsn to a new file, as an operator's
// backup would.
func backup(t *testing.T, dsn string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "backup.db")
	if _, err := rawDB(t, dsn).Exec(`VACUUM INTO ?`, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// restore puts the copy at path back into the live database at dsn, under
// the running application: every table is emptied and refilled from the
// copy in one transaction, so that the application's open connections see
// the restored state, as after an operator's restore.
func restore(t *testing.T, dsn, path string) {
	t.Helper()
	raw := rawDB(t, dsn)
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{`PRAGMA foreign_keys = OFF`, `ATTACH DATABASE '` + path + `' AS b`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	defer conn.ExecContext(ctx, `DETACH DATABASE b`)
	rows, err := conn.QueryContext(ctx, `SELECT name FROM b.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range tables {
		for _, q := range []string{`DELETE FROM main."` + name + `"`, `INSERT INTO main."` + name + `" SELECT * FROM b."` + name + `"`} {
			if _, err := tx.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// change records a status change of a certificate through the application.
func change(t *testing.T, db *sqlstore.DB, number string, to trustmark.CertStatus, reason string) {
	t.Helper()
	body := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}
	if _, err := db.TransitionCertificate(ctx, body, number, trustmark.Transition{To: to, Reason: reason}); err != nil {
		t.Fatal(err)
	}
}

// TestRestoredFromBackup restores an older copy of the database under a
// running log, as happened in a probe: the log must stop publishing, say
// why, never sign a checkpoint inconsistent with the one it published, and
// publish again consistently once the procedure of docs/LOG.md ("After a
// restore") is followed.
func TestRestoredFromBackup(t *testing.T) {
	// setup publishes a log, backs the database up, publishes more, and
	// restores the backup under the running log. It returns the state
	// file of a verifier that saw the published log.
	setup := func(t *testing.T) (db *sqlstore.DB, dsn string, l *translog.Log, key *translog.Key, newer, state string) {
		db, dsn = openSQLite(t)
		fillRegistry(t, db)
		l, key = registryLog(t, db)
		integrate(t, l)
		old := backup(t, dsn)
		change(t, db, qms2, trustmark.StatusSuspended, "监督审核不合格")
		change(t, db, qms3, trustmark.StatusSuspended, "证书持有人申请暂停")
		integrate(t, l)
		newer = backup(t, dsn)
		srv := serve(t, db, l)
		state = filepath.Join(t.TempDir(), "state")
		if err := check(t, srv, key, "", state); err != nil {
			t.Fatal(err)
		}
		restore(t, dsn, old)
		return db, dsn, l, key, newer, state
	}
	// wantHalted checks that l stopped at published and left the storage
	// alone.
	wantHalted := func(t *testing.T, db *sqlstore.DB, l *translog.Log, published translog.Checkpoint) {
		t.Helper()
		n, err := l.Integrate(ctx)
		if n != 0 || !errors.Is(err, translog.ErrHalted) {
			t.Fatalf("Integrate over a restored database = %d, %v; want %v", n, err, translog.ErrHalted)
		}
		var rb *translog.RollbackError
		if !errors.As(l.Halted(), &rb) || rb.Published != published.Size || rb.Stored >= published.Size {
			t.Errorf("Halted() = %v, want a rollback from %d entries", l.Halted(), published.Size)
		}
		if got := l.Published(); got.Size != published.Size || string(got.Signed) != string(published.Signed) {
			t.Errorf("the log serves a checkpoint of %d entries, want the published one of %d", got.Size, published.Size)
		}
		raw, _ := db.LogStorage().Checkpoint(ctx)
		if string(raw) == string(published.Signed) {
			t.Errorf("the halted log wrote its checkpoint into the restored database")
		}
	}

	t.Run("the log stops, even when events are written after the restore", func(t *testing.T) {
		db, _, l, _, _, _ := setup(t)
		published := l.Latest()
		wantHalted(t, db, l, published)
		change(t, db, qms1, trustmark.StatusValid, "written after the restore") // the API carries on
		wantHalted(t, db, l, published)
	})

	t.Run("restoring the newer copy lets it publish again", func(t *testing.T) {
		db, dsn, l, key, newer, state := setup(t)
		wantHalted(t, db, l, l.Latest())
		restore(t, dsn, newer)
		change(t, db, qms1, trustmark.StatusValid, "after the newer copy came back")
		integrate(t, l)
		if l.Halted() != nil {
			t.Fatalf("Halted() = %v after the newer copy was restored", l.Halted())
		}
		if err := check(t, serve(t, db, l), key, qms1, state); err != nil {
			t.Errorf("a verifier that saw the log before the restore: %v", err)
		}
	})

	t.Run("recovering the lost end, it publishes again consistently", func(t *testing.T) {
		db, _, l, key, _, state := setup(t)
		published := l.Latest()
		change(t, db, qms1, trustmark.StatusValid, "written after the restore")
		wantHalted(t, db, l, published)

		// The procedure: read the published log from the halted server,
		// which still serves it, and recover.
		srv := serve(t, db, l)
		u, _ := url.Parse(srv.URL + "/log/")
		f, err := client.NewHTTPFetcher(u, nil)
		if err != nil {
			t.Fatal(err)
		}
		cp, err := f.ReadCheckpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		src := translog.EventSource{Store: db, NextSeq: db.LogStorage().NextEventSeq}
		rep, err := translog.Recover(ctx, src, db.LogStorage(), key, cp, f.ReadTile)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Published != published.Size || rep.Lost.To != published.Size || rep.Lost.From >= rep.Lost.To {
			t.Fatalf("Recover = %+v, want the entries up to %d lost", rep, published.Size)
		}

		// The log resumes by itself: the event written after the restore
		// now follows the published entries.
		integrate(t, l)
		if l.Halted() != nil {
			t.Fatalf("Halted() = %v after the recovery", l.Halted())
		}
		if got, want := l.Latest().Size, published.Size+1; got != want {
			t.Errorf("log size %d after the recovery, want %d (the published log and the event written since)", got, want)
		}
		// The lost changes are entered again, as new events.
		change(t, db, qms2, trustmark.StatusSuspended, "监督审核不合格 (entered again after the restore)")
		integrate(t, l)
		if err := check(t, srv, key, qms2, state); err != nil {
			t.Errorf("a verifier that saw the log before the restore: %v", err)
		}

		rep2, err := translog.Audit(ctx, db, db.LogStorage(), key.Verifier, translog.AuditOptions{NextSeq: db.LogStorage().NextEventSeq})
		if err != nil {
			t.Fatal(err)
		}
		if !rep2.OK() || rep2.Lost != int64(rep.Lost.To-rep.Lost.From) {
			t.Errorf("audit after the recovery: %d lost, findings %v; want %d lost, none", rep2.Lost, rep2.Findings, rep.Lost.To-rep.Lost.From)
		}
		if _, err := l.EntryBundle(ctx, rep.Lost.From/256, uint8(l.Latest().Size%256)); !errors.Is(err, translog.ErrLost) {
			t.Errorf("the entry bundle holding lost entries: %v, want %v", err, translog.ErrLost)
		}
		if res, err := logclient.CheckLog(ctx, logclient.CheckOptions{LogURL: srv.URL + "/log/", Verifier: key.Verifier, Cert: qms2}); err != nil {
			t.Errorf("CheckLog of the recovered log: %v", err)
		} else if res.Events != 2 {
			t.Errorf("CheckLog proved %d events of %s, want 2 (created, and the suspension entered again)", res.Events, qms2)
		}
	})

	t.Run("a restart after the restore stays stopped, from the state file", func(t *testing.T) {
		db, dsn := openSQLite(t)
		fillRegistry(t, db)
		keyFile, stateFile := filepath.Join(t.TempDir(), "log.key"), filepath.Join(t.TempDir(), "log.key.checkpoint")
		open := func() (*translog.Log, *translog.Key) {
			t.Helper()
			key, _, err := translog.LoadOrCreateKey(ctx, keyFile, "trustmark.test/log", db.LogStorage())
			if err != nil {
				t.Fatal(err)
			}
			l, err := translog.Open(ctx, translog.EventSource{Store: db, NextSeq: db.LogStorage().NextEventSeq}, db.LogStorage(), key, translog.Options{Logger: quiet, StateFile: stateFile})
			if err != nil {
				t.Fatal(err)
			}
			return l, key
		}
		before, key := open()
		integrate(t, before)
		old := backup(t, dsn)
		change(t, db, qms2, trustmark.StatusSuspended, "监督审核不合格")
		integrate(t, before)
		published := before.Latest()
		restore(t, dsn, old)

		l, _ := open() // the server restarted over the restored database
		if l.Halted() == nil || l.Published().Size != published.Size {
			t.Fatalf("restarted log: Halted() = %v, serving %d entries; want halted at the published %d", l.Halted(), l.Published().Size, published.Size)
		}
		wantHalted(t, db, l, published)

		// The restarted server has lost the published tiles the database
		// lacks: they are read from another copy (the old process here, a
		// mirror in practice).
		srv := serve(t, db, before)
		u, _ := url.Parse(srv.URL + "/log/")
		f, _ := client.NewHTTPFetcher(u, nil)
		src := translog.EventSource{Store: db, NextSeq: db.LogStorage().NextEventSeq}
		if _, err := translog.Recover(ctx, src, db.LogStorage(), key, published.Signed, f.ReadTile); err != nil {
			t.Fatal(err)
		}
		change(t, db, qms2, trustmark.StatusSuspended, "监督审核不合格 (entered again)")
		integrate(t, l)
		proofs, err := l.NewProofs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		p, err := proofs.Consistency(ctx, published.Size)
		if err != nil {
			t.Fatal(err)
		}
		now := l.Latest()
		if err := translog.VerifyConsistency(published.Size, now.Size, p, published.Root, now.Root); err != nil || now.Size <= published.Size {
			t.Errorf("after the recovery: %d entries, consistency with the published %d: %v", now.Size, published.Size, err)
		}
	})

	t.Run("a server that reads the health of a halted log says so", func(t *testing.T) {
		db, _, l, _, _, _ := setup(t)
		l.Integrate(ctx)
		s := tmhttp.NewServer(tmhttp.Config{Store: db, Logger: quiet, Clock: clock})
		s.MountLog(l)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		if rec.Code != 503 {
			t.Errorf("GET /healthz = %d, want 503", rec.Code)
		}
		for path, want := range map[string]string{"/healthz": "stopped publishing", "/metrics": "trustmark_log_halted 1"} {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			if !strings.Contains(rec.Body.String(), want) {
				t.Errorf("GET %s = %d %s, want it to say %q", path, rec.Code, rec.Body, want)
			}
		}
	})
}

// TestPublishedEntryChanged changes the registry's event at the last index
// of the published tree while the stored checkpoint stays (an edit by hand,
// the events table alone restored): the check before each signature, which
// reads that entry with the batch, must stop the log before it signs.
func TestPublishedEntryChanged(t *testing.T) {
	for _, tc := range []struct {
		name, sql, reason string
		later             bool // an event is written after the change
	}{
		{"an edited entry, with an event to sign after it", `UPDATE events SET reason = 'edited' WHERE seq = ?`, "is not the one published", true},
		{"an edited entry, with nothing to sign", `UPDATE events SET reason = 'edited' WHERE seq = ?`, "is not the one published", false},
		{"a removed entry", `DELETE FROM events WHERE seq = ?`, "holds fewer than", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, dsn := openSQLite(t)
			fillRegistry(t, db)
			l, _ := registryLog(t, db)
			integrate(t, l)
			published := l.Latest()
			if _, err := rawDB(t, dsn).Exec(tc.sql, int64(published.Size-1)); err != nil {
				t.Fatal(err)
			}
			if tc.later {
				change(t, db, qms2, trustmark.StatusSuspended, "written after the change")
			}
			n, err := l.Integrate(ctx)
			var rb *translog.RollbackError
			if n != 0 || !errors.Is(err, translog.ErrHalted) || !errors.As(l.Halted(), &rb) || !strings.Contains(rb.Reason, tc.reason) {
				t.Fatalf("Integrate = %d, %v (Halted() = %v); want a halt that says %q", n, err, l.Halted(), tc.reason)
			}
			if raw, _ := db.LogStorage().Checkpoint(ctx); string(raw) != string(published.Signed) || l.Latest().Size != published.Size {
				t.Errorf("the halted log signed a checkpoint of %d entries, want none beyond the published %d", l.Latest().Size, published.Size)
			}
		})
	}
}
