package filelog

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"trustmark/translog"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func testKey(t testing.TB) *translog.Key {
	t.Helper()
	skey, err := translog.GenerateKey(nil, "bench.test/log")
	if err != nil {
		t.Fatal(err)
	}
	k, err := translog.ParseKey(skey)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestAppender(t *testing.T) {
	t.Run("on net/http", func(t *testing.T) {
		testAppender(t, func(t *testing.T, app *Appender) string {
			srv := httptest.NewServer(app.Handler())
			t.Cleanup(srv.Close)
			return srv.URL
		})
	})
	t.Run("on fasthttp", func(t *testing.T) {
		testAppender(t, func(t *testing.T, app *Appender) string {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv := &fasthttp.Server{Handler: app.FastHandler()}
			go srv.Serve(ln)
			t.Cleanup(func() { srv.Shutdown() })
			return "http://" + ln.Addr().String()
		})
	})
}

func testAppender(t *testing.T, serve func(*testing.T, *Appender) string) {
	dir := t.TempDir()
	fe, err := OpenFileEntries(filepath.Join(dir, "entries"))
	if err != nil {
		t.Fatal(err)
	}
	st, _ := translog.NewDirStorage(dir, true)
	st.SyncFS = SyncFS
	key := testKey(t)
	l, err := translog.Open(context.Background(), fe, st, key, translog.Options{Interval: 10 * time.Millisecond, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	app := NewAppender(fe, l, quiet, 1<<20, 256)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go app.Run(ctx)
	ictx, stopIntegrator := context.WithCancel(ctx)
	defer stopIntegrator()
	go l.Run(ictx)
	base := serve(t, app)
	client := &http.Client{Timeout: 10 * time.Second}

	const writers, each = 32, 50
	seen := make([]int, writers*each)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				resp, err := client.Post(base+"/add", "application/octet-stream", strings.NewReader(fmt.Sprintf("writer %d entry %d", w, i)))
				if err != nil {
					t.Error(err)
					return
				}
				var b bytes.Buffer
				b.ReadFrom(resp.Body)
				resp.Body.Close()
				var idx int
				if _, err := fmt.Sscan(b.String(), &idx); err != nil || resp.StatusCode != 200 {
					t.Errorf("POST /add = %d %q", resp.StatusCode, b.String())
					return
				}
				mu.Lock()
				seen[idx]++
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	t.Run("every add gets its own index, without gaps", func(t *testing.T) {
		for i, n := range seen {
			if n != 1 {
				t.Fatalf("index %d given %d times", i, n)
			}
		}
	})
	t.Run("every added entry reaches a checkpoint", func(t *testing.T) {
		deadline := time.Now().Add(5 * time.Second)
		for l.Latest().Size < writers*each && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if got := l.Latest().Size; got != writers*each {
			t.Fatalf("checkpoint size %d, want %d", got, writers*each)
		}
	})
	t.Run("the entries survive a restart, a torn last record is cut", func(t *testing.T) {
		f, _ := os.OpenFile(filepath.Join(dir, "entries"), os.O_WRONLY|os.O_APPEND, 0)
		f.Write([]byte{0, 9, 'x'}) // a record cut short by a crash
		f.Close()
		fe2, err := OpenFileEntries(filepath.Join(dir, "entries"))
		if err != nil {
			t.Fatal(err)
		}
		if got := fe2.Size(); got != writers*each {
			t.Errorf("reopened with %d entries, want %d", got, writers*each)
		}
		a, _ := fe.Entries(context.Background(), 0, 5000)
		b, _ := fe2.Entries(context.Background(), 0, 5000)
		if len(a) != len(b) || !bytes.Equal(a[len(a)-1], b[len(b)-1]) {
			t.Errorf("entries differ after reopening")
		}
	})
	t.Run("an add beyond the pending bound is answered 503 with Retry-After", func(t *testing.T) {
		stopIntegrator() // so that the entry below stays pending
		time.Sleep(20 * time.Millisecond)
		app.maxPending = 0
		fe.Append([][]byte{[]byte("one more, not yet integrated")})
		resp, err := client.Post(base+"/add", "application/octet-stream", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
			t.Errorf("POST /add when overloaded = %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	})
	t.Run("reads are served too", func(t *testing.T) {
		resp, err := client.Get(base + "/checkpoint")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		resp.Body.Close()
		if _, err := translog.ParseCheckpoint(b.Bytes(), key.Verifier); resp.StatusCode != 200 || err != nil {
			t.Errorf("GET /checkpoint = %d, %v", resp.StatusCode, err)
		}
	})
}
