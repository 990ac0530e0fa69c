package translog_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"trustmark"
	tmhttp "trustmark/http"
	"trustmark/logclient"
	"trustmark/sqlstore"
	"trustmark/translog"
)

// serve serves the log and the history API as `trustmark serve` does.
func serve(t testing.TB, db *sqlstore.DB, l *translog.Log) *httptest.Server {
	t.Helper()
	s := tmhttp.NewServer(tmhttp.Config{Store: db, Logger: quiet, Clock: clock})
	s.MountLog(l)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

func check(t testing.TB, srv *httptest.Server, key *translog.Key, cert, state string) error {
	t.Helper()
	_, err := logclient.CheckLog(ctx, logclient.CheckOptions{LogURL: srv.URL + "/log/", Verifier: key.Verifier, Cert: cert, StateFile: state})
	return err
}

// rebuild is what a dishonest operator does after editing events: throw the
// tree away and sign a new one with the log's own key.
func rebuild(t testing.TB, db *sqlstore.DB, dsn string, key *translog.Key) *translog.Log {
	t.Helper()
	raw := rawDB(t, dsn)
	for _, q := range []string{`DELETE FROM log_tiles`, `DELETE FROM log_checkpoint`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	l, err := translog.Open(ctx, translog.EventSource{Store: db}, db.LogStorage(), key, translog.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	integrate(t, l)
	return l
}

func wantFailure(t *testing.T, err error, words ...string) {
	t.Helper()
	var f *logclient.CheckFailure
	if !errors.As(err, &f) {
		t.Fatalf("CheckLog = %v, want a verification failure", err)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("CheckLog = %q, want it to say %q", err, w)
		}
	}
}

func TestVerify(t *testing.T) {
	setup := func(t *testing.T) (*sqlstore.DB, string, *translog.Log, *translog.Key, *httptest.Server, string) {
		db, dsn := openSQLite(t)
		fillRegistry(t, db)
		l, key := registryLog(t, db)
		integrate(t, l)
		srv := serve(t, db, l)
		state := filepath.Join(t.TempDir(), "state")
		if err := check(t, srv, key, qms1, state); err != nil {
			t.Fatalf("first verification of an honest log: %v", err)
		}
		return db, dsn, l, key, srv, state
	}

	t.Run("an honest log that grew verifies against the saved state", func(t *testing.T) {
		db, _, l, key, srv, state := setup(t)
		body := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}
		if _, err := db.TransitionCertificate(ctx, body, qms1, trustmark.Transition{To: trustmark.StatusValid, Reason: "整改完成"}); err != nil {
			t.Fatal(err)
		}
		integrate(t, l)
		res, err := logclient.CheckLog(ctx, logclient.CheckOptions{LogURL: srv.URL + "/log", Verifier: key.Verifier, Cert: qms1, StateFile: state})
		if err != nil {
			t.Fatal(err)
		}
		if res.Events != 3 || res.Previous == nil || res.Previous.Size >= res.Checkpoint.Size {
			t.Errorf("verified %d events, previous %+v, now %d entries", res.Events, res.Previous, res.Checkpoint.Size)
		}
	})

	t.Run("a forged checkpoint is caught", func(t *testing.T) {
		db, _, _, key, _, state := setup(t)
		// Another key with the log's name, as a forger would make.
		forger, _, err := translog.LoadOrCreateKey(ctx, filepath.Join(t.TempDir(), "forged.key"), "trustmark.test/log", emptyStorage(t))
		if err != nil {
			t.Fatal(err)
		}
		st, _ := translog.NewDirStorage(t.TempDir(), false)
		fl, err := translog.Open(ctx, translog.EventSource{Store: db}, st, forger, translog.Options{Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		integrate(t, fl)
		wantFailure(t, check(t, serve(t, db, fl), key, qms1, state), "checkpoint", "does not verify")
	})

	t.Run("a removed entry is caught", func(t *testing.T) {
		db, dsn, _, key, _, state := setup(t)
		raw := rawDB(t, dsn)
		// Remove the suspension of qms1 and renumber what follows, as if it
		// had never happened, then re-sign.
		var seq int64
		raw.QueryRow(`SELECT seq FROM events WHERE action = 'status_changed'`).Scan(&seq)
		for _, q := range []string{
			fmt.Sprintf(`DELETE FROM events WHERE seq = %d`, seq),
			fmt.Sprintf(`UPDATE events SET seq = seq - 1 WHERE seq > %d`, seq),
			`UPDATE counters SET value = value - 1 WHERE name = 'event_seq'`,
		} {
			if _, err := raw.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		l := rebuild(t, db, dsn, key)
		wantFailure(t, check(t, serve(t, db, l), key, qms1, state), "shrank")
		// And once it has grown past its old size again:
		body := trustmark.Party{Kind: trustmark.PartyBody, ID: bodyA}
		db.TransitionCertificate(ctx, body, qms2, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "x"})
		db.TransitionCertificate(ctx, body, qms3, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "x"})
		integrate(t, l)
		wantFailure(t, check(t, serve(t, db, l), key, qms1, state), "rewritten")
	})

	t.Run("a rewritten entry is caught", func(t *testing.T) {
		t.Run("when the server shows the edited event", func(t *testing.T) {
			_, dsn, _, key, srv, state := setup(t)
			if _, err := rawDB(t, dsn).Exec(`UPDATE events SET reason = '从未发生' WHERE action = 'status_changed'`); err != nil {
				t.Fatal(err)
			}
			wantFailure(t, check(t, srv, key, qms1, state), "not the log's entry")
		})
		t.Run("when the operator re-signs the edited log", func(t *testing.T) {
			db, dsn, _, key, _, state := setup(t)
			if _, err := rawDB(t, dsn).Exec(`UPDATE events SET reason = '从未发生' WHERE action = 'status_changed'`); err != nil {
				t.Fatal(err)
			}
			l := rebuild(t, db, dsn, key)
			wantFailure(t, check(t, serve(t, db, l), key, qms1, state), "fork")
		})
	})

	t.Run("a fork is caught", func(t *testing.T) {
		// Two logs signed by the same key that differ from entry 0: the
		// verifier saw one, the other is shown now.
		_, _, _, key, _, state := setup(t)
		db2, _ := openSQLite(t)
		db2.Import(ctx, imp, trustmark.KindOrgs, []trustmark.Record{&trustmark.Org{USCC: org2, Name: "另一家公司", RegionCode: "310115"}})
		fillRegistry(t, db2)
		l2, err := translog.Open(ctx, translog.EventSource{Store: db2}, db2.LogStorage(), key, translog.Options{Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		integrate(t, l2)
		wantFailure(t, check(t, serve(t, db2, l2), key, "", state), "not an extension")
	})

	t.Run("a history that hides an event is caught by a full check", func(t *testing.T) {
		db, _, l, key, _, _ := setup(t)
		// A server whose history API leaves out the suspension, each
		// remaining event still proved.
		mux := http.NewServeMux()
		mux.Handle("/log/", http.StripPrefix("/log", tmhttp.LogHandler(l)))
		mux.HandleFunc("GET /api/v1/certificates/{number}/history", func(w http.ResponseWriter, r *http.Request) {
			h, err := l.CertificateHistory(r.Context(), db, r.PathValue("number"), false)
			if err != nil {
				t.Error(err)
				return
			}
			kept := h.Items[:0]
			for _, he := range h.Items {
				if he.Action != trustmark.ActionStatusChanged {
					kept = append(kept, he)
				}
			}
			h.Items = kept
			json.NewEncoder(w).Encode(h)
		})
		srv := httptest.NewServer(mux)
		defer srv.Close()
		opts := logclient.CheckOptions{LogURL: srv.URL + "/log/", Verifier: key.Verifier, Cert: qms1}
		if _, err := logclient.CheckLog(ctx, opts); err != nil {
			t.Fatalf("without a full check the shortened history passes, as it should (each event shown is proved): %v", err)
		}
		opts.Full = true
		_, err := logclient.CheckLog(ctx, opts)
		wantFailure(t, err, "history API does not show it", "status_changed")
	})

	t.Run("a full check of an honest log reads every entry", func(t *testing.T) {
		_, _, _, key, srv, _ := setup(t)
		res, err := logclient.CheckLog(ctx, logclient.CheckOptions{LogURL: srv.URL + "/log/", Verifier: key.Verifier, Cert: qms1, Full: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Entries != res.Checkpoint.Size || res.Entries == 0 {
			t.Errorf("read %d entries of %d", res.Entries, res.Checkpoint.Size)
		}
	})

	t.Run("entry bundles that are not the signed log are caught by a full check", func(t *testing.T) {
		_, _, l, key, _, _ := setup(t)
		// A server that swaps two bytes of an entry in the bundle it serves:
		// the entry still parses, but the tree no longer matches.
		mux := http.NewServeMux()
		mux.HandleFunc("GET /log/tile/entries/", func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			http.StripPrefix("/log", tmhttp.LogHandler(l)).ServeHTTP(rec, r)
			b := bytes.Replace(rec.Body.Bytes(), []byte("监督"), []byte("督监"), 1)
			w.Write(b)
		})
		mux.Handle("/log/", http.StripPrefix("/log", tmhttp.LogHandler(l)))
		srv := httptest.NewServer(mux)
		defer srv.Close()
		_, err := logclient.CheckLog(ctx, logclient.CheckOptions{LogURL: srv.URL + "/log/", Verifier: key.Verifier, Full: true})
		wantFailure(t, err, "not the signed log")
	})

	t.Run("a missing state file is created only when all verifies", func(t *testing.T) {
		_, _, _, key, srv, _ := setup(t)
		state := filepath.Join(t.TempDir(), "state")
		wantFailure(t, check(t, srv, key, "NO-SUCH-CERT", state), "no such certificate")
		if _, err := os.Stat(state); !os.IsNotExist(err) {
			t.Errorf("state file written after a failure")
		}
	})
}

func emptyStorage(t testing.TB) translog.Storage {
	st, err := translog.NewDirStorage(t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
