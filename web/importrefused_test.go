package web

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"trustmark/account"
)

// csvOf returns a CSV file of rows.
func csvOf(rows [][]string) []byte {
	var b bytes.Buffer
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return b.Bytes()
}

// TestImportRefusedRowsOnDisk: the refused rows of an upload are kept on
// disk, not in memory: the page lists the first maxShownRejects and the
// download holds every one; the spool is bounded in size, served only to
// its uploader, gone after an hour, and removed by Close.
func TestImportRefusedRowsOnDisk(t *testing.T) {
	s := newMatterFixture(t)
	h := s.handler.(*Handler)
	c := s.matterSignIn(t, "body@example.cn", role(t, account.Body, bodyA, false))
	other := s.matterSignIn(t, "other@example.cn", role(t, account.Body, bodyA, false))
	s.advance(31 * time.Second)
	head := []string{"number", "type", "body_approval_no", "holder_uscc", "scope", "standard", "issued_on", "expires_on"}
	const bad = 3000
	rows := [][]string{head}
	for i := range bad {
		rows = append(rows, []string{fmt.Sprintf("00126Q3%04dR0M", i), "QMS", bodyB, string(haier), "冰箱的设计和生产", "GB/T 19001-2016", "2026-03-01", "2029-02-28"})
	}
	upload := func(c *client) (string, string) {
		t.Helper()
		w := c.postMultipart("/work/import", map[string]string{"kind": "certificates", "mode": "check"}, "many.csv", csvOf(rows))
		if w.Code != http.StatusOK {
			t.Fatalf("upload = %d\n%s", w.Code, w.Body)
		}
		m := refusedLink.FindStringSubmatch(w.Body.String())
		if m == nil {
			t.Fatalf("no download of the refused rows\n%s", w.Body)
		}
		return w.Body.String(), m[1]
	}
	body, link := upload(c)
	if n := strings.Count(body, `<td data-label="字段" class="mono">body_approval_no</td>`); n != maxShownRejects {
		t.Errorf("the page lists %d refused rows, want %d", n, maxShownRejects)
	}
	store := h.refusedFiles()
	spools, _ := filepath.Glob(filepath.Join(store.dir, "*.csv"))
	if len(spools) != 1 {
		t.Fatalf("spools on disk = %v, want 1", spools)
	}
	dl := c.get(link)
	if dl.Code != http.StatusOK {
		t.Fatalf("download = %d", dl.Code)
	}
	got := rowsOf(t, dl.Body.Bytes())
	if len(got) != bad+1 || got[0][len(got[0])-1] != "reason" || got[bad][0] != rows[bad][0] || !strings.HasPrefix(got[bad][len(got[bad])-1], "body_approval_no: ") {
		t.Fatalf("the workbook has %d rows (last %q), want %d with the reason", len(got), got[len(got)-1], bad+1)
	}
	if w := other.get(link); w.Code != http.StatusNotFound {
		t.Errorf("another account's download = %d, want 404", w.Code)
	}

	t.Run("a spool stops at its size", func(t *testing.T) {
		store.maxFile = 4096
		defer func() { store.maxFile = refusedFileBytes }()
		_, link := upload(c)
		id := strings.TrimPrefix(link, "/work/import/refused/")
		store.mu.Lock()
		size := store.files[id].size
		store.mu.Unlock()
		if size < 4096 || size > 4096+1024 {
			t.Errorf("spool size = %d, want 4096 and at most one row more", size)
		}
		if rows := rowsOf(t, c.get(link).Body.Bytes()); len(rows) < 2 || len(rows) > 100 {
			t.Errorf("the capped workbook has %d rows, want the first few", len(rows))
		}
	})
	t.Run("the spools together are bounded", func(t *testing.T) {
		store.maxTotal = store.total
		defer func() { store.maxTotal = refusedTotalBytes }()
		w := c.postMultipart("/work/import", map[string]string{"kind": "certificates", "mode": "check"}, "many.csv", csvOf(rows))
		if w.Code != http.StatusOK || refusedLink.MatchString(w.Body.String()) {
			t.Errorf("an upload past the space kept = %d with a download, want the page without one", w.Code)
		}
		if spools, _ := filepath.Glob(filepath.Join(store.dir, "*.csv")); len(spools) != 2 {
			t.Errorf("spools on disk = %d, want the 2 kept", len(spools))
		}
	})
	t.Run("after an hour the download is gone, from disk too", func(t *testing.T) {
		// The session would end first; ask the store as the download does.
		id := strings.TrimPrefix(link, "/work/import/refused/")
		store.mu.Lock()
		account := store.files[id].account
		store.mu.Unlock()
		if f, _, err := store.open(id, account, s.clock().Add(refusedTTL-time.Minute)); err != nil {
			t.Fatalf("open before the hour: %v", err)
		} else {
			f.Close()
		}
		if _, _, err := store.open(id, account, s.clock().Add(refusedTTL+time.Minute)); !os.IsNotExist(err) {
			t.Errorf("open after the hour: %v, want not found", err)
		}
		if spools, _ := filepath.Glob(filepath.Join(store.dir, "*.csv")); len(spools) != 0 || store.total != 0 {
			t.Errorf("spools on disk after an hour = %v (total %d), want none", spools, store.total)
		}
	})
	t.Run("Close removes the directory", func(t *testing.T) {
		dir := store.dir
		if err := h.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("after Close, %s: %v, want it gone", dir, err)
		}
	})
}

// BenchmarkImportRefusedRetained measures what an upload of 20,000
// refused rows leaves on the heap once it is answered (retained-B/op):
// the refused rows wait for their download on disk, not in memory.
func BenchmarkImportRefusedRetained(b *testing.B) {
	s := newMatterFixture(b)
	c := s.matterSignIn(b, "body@example.cn", role(b, account.Body, bodyA, false))
	s.advance(31 * time.Second)
	head := []string{"number", "type", "body_approval_no", "holder_uscc", "scope", "standard", "issued_on", "expires_on"}
	rows := [][]string{head}
	for i := range 20000 {
		rows = append(rows, []string{fmt.Sprintf("00126Q3%05dR0M", i), "QMS", bodyB, string(haier), "冰箱的设计和生产", "GB/T 19001-2016", "2026-03-01", "2029-02-28"})
	}
	file := csvOf(rows)
	var retained uint64
	var ms runtime.MemStats
	b.ReportAllocs()
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.HeapAlloc
		w := c.postMultipart("/work/import", map[string]string{"kind": "certificates", "mode": "check"}, "many.csv", file)
		if w.Code != http.StatusOK || !refusedLink.MatchString(w.Body.String()) {
			b.Fatalf("upload = %d without a download", w.Code)
		}
		w = nil
		runtime.GC()
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > before {
			retained += ms.HeapAlloc - before
		}
	}
	b.ReportMetric(float64(retained)/float64(b.N), "retained-B/op")
}
