package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"trustmark/importer/hostile"
)

// hostileUploads are the probe's files with the limit each refusal must
// name, in English and in Chinese.
var hostileUploads = []struct {
	name    string
	write   func(w io.Writer) error
	en, zh  string
	maxBody int64
}{
	{"a 60 MiB inline cell in 63 KB", func(w io.Writer) error { return hostile.InlineCell(w, []string{"number"}, 60<<20) },
		"longer than 65536 bytes", "超过65536字节的上限", 0},
	{"a 1 GiB inline cell in 1 MB", func(w io.Writer) error { return hostile.InlineCell(w, []string{"number"}, 1<<30) },
		"decompresses to more than 67108864 bytes", "解压后超过67108864字节的上限", 4 << 20},
	{"3 GiB of whitespace in 3 MB", func(w io.Writer) error { return hostile.Whitespace(w, []string{"number"}, 3<<30) },
		"decompresses to more than 67108864 bytes", "解压后超过67108864字节的上限", 4 << 20},
	{"3 GiB of whitespace over the body limit", func(w io.Writer) error { return hostile.Whitespace(w, []string{"number"}, 3<<30) },
		"larger than the 1048576 bytes allowed", "超过1048576字节的上限", 0},
	{"a 1 GiB shared string", func(w io.Writer) error { return hostile.GiantSharedString(w, []string{"number"}, 1<<30) },
		"decompresses to more than 67108864 bytes", "解压后超过67108864字节的上限", 4 << 20},
	{"a 63 MiB shared string", func(w io.Writer) error { return hostile.GiantSharedString(w, []string{"number"}, 63<<20) },
		"longer than 65536 bytes", "超过65536字节的上限", 0},
	{"a million shared strings", func(w io.Writer) error { return hostile.ManySharedStrings(w, []string{"number"}, 1<<20) },
		"more than 200000 entries", "超过200000项的上限", 0},
	{"a cell of small rich-text runs past the cell limit", func(w io.Writer) error { return hostile.RichTextCell(w, []string{"number"}, 4<<20) },
		"longer than 4096 bytes", "超过4096字节的上限", 0},
	{"elements nested a million deep", func(w io.Writer) error { return hostile.Nested(w, []string{"number"}, 1<<20) },
		"more than 64 deep", "嵌套超过64层的上限", 0},
	{"a CSV line of 4 MiB", func(w io.Writer) error { return hostile.LongLine(w, []string{"number"}, 4<<20) },
		"longer than 1048576 bytes", "超过1048576字节的上限", 8 << 20},
}

// TestHostileUploadsAreRefused uploads each hostile file to the page and
// checks that it is refused with 413, naming the limit in the page's
// language, and that the heap rose by no more than 64 MB meanwhile.
func TestHostileUploadsAreRefused(t *testing.T) {
	for _, tc := range hostileUploads {
		var file bytes.Buffer
		if err := tc.write(&file); err != nil {
			t.Fatal(err)
		}
		srv := newVerifyServer(t, tc.maxBody)
		for _, lang := range []string{"zh", "en"} {
			t.Run(tc.name+" is refused in "+lang, func(t *testing.T) {
				body, ct := uploadForm(lang, "hostile.xlsx", file.Bytes())
				var w *httptest.ResponseRecorder
				peak := hostile.PeakHeap(func() { w = post(srv, "/verify?lang="+lang, ct, body, "X-Client", "a") })
				t.Logf("%d bytes: heap +%.1f MiB", file.Len(), float64(peak)/(1<<20))
				if peak > 64<<20 {
					t.Errorf("the upload raised the heap by %d MiB, want at most 64 MiB", peak>>20)
				}
				want := tc.zh
				if lang == "en" {
					want = tc.en
				}
				if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), want) {
					t.Errorf("status %d, want 413 and a page saying %q; page error: %s", w.Code, want, pageError(w.Body.String()))
				}
			})
		}
	}
}

// pageError returns the error paragraph of a page, for messages.
func pageError(page string) string {
	if i := strings.Index(page, `class="error"`); i >= 0 {
		return page[i:min(len(page), i+300)]
	}
	return "(none)"
}

// TestConcurrentHostileUploads sends 30 hostile uploads at once, as the
// probe did, from one address and from 30: the server reads a bounded
// number at once, refuses the others before reading them, and its heap
// stays far below 1 GiB.
func TestConcurrentHostileUploads(t *testing.T) {
	var file bytes.Buffer
	if err := hostile.InlineCell(&file, []string{"number"}, 1<<30); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newVerifyServer(t, 4<<20))
	defer srv.Close()
	for _, clients := range []int{1, 30} {
		t.Run(fmt.Sprintf("30 uploads from %d clients", clients), func(t *testing.T) {
			var (
				mu    sync.Mutex
				codes = map[int]int{}
			)
			peak := hostile.PeakHeap(func() {
				var wg sync.WaitGroup
				for i := range 30 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						body, ct := uploadForm("en", "hostile.xlsx", file.Bytes())
						req, _ := http.NewRequest("POST", srv.URL+"/verify", body)
						req.Header.Set("Content-Type", ct)
						req.Header.Set("X-Client", fmt.Sprint(i%clients))
						resp, err := http.DefaultClient.Do(req)
						if err != nil {
							t.Error(err)
							return
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						mu.Lock()
						codes[resp.StatusCode]++
						mu.Unlock()
					}()
				}
				wg.Wait()
			})
			t.Logf("statuses %v: heap +%.1f MiB", codes, float64(peak)/(1<<20))
			if peak > 256<<20 {
				t.Errorf("30 hostile uploads raised the heap by %d MiB, want at most 256 MiB (the server must stay under 1 GiB)", peak>>20)
			}
			for code, n := range codes {
				switch code {
				case http.StatusRequestEntityTooLarge, http.StatusTooManyRequests, http.StatusServiceUnavailable:
				default:
					t.Errorf("%d uploads answered %d, want each refused (413, 429 or 503)", n, code)
				}
			}
			if codes[http.StatusRequestEntityTooLarge] == 0 {
				t.Errorf("no upload was read and refused for its content: %v", codes)
			}
		})
	}
}

// TestUploadGate checks the gate's refusals: a client past its uploads
// at once gets 429, the server past its own 503, both with Retry-After and
// the limit named in the page's language.
func TestUploadGate(t *testing.T) {
	f := newFixture(t)
	release := make(chan struct{})
	entered := make(chan struct{}, 8)
	h := NewHandler(Config{Store: f.store, Clock: f.clock, Logger: f.quiet(),
		MaxUploads: 3, MaxUploadsPerClient: 2, ClientKey: func(r *http.Request) string { return r.Header.Get("X-Client") }})
	// A body that blocks until released keeps its upload inside the gate.
	blocked := func(client string) {
		r := httptest.NewRequest("POST", "/verify", &blockingBody{entered: entered, release: release})
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Client", client)
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	var wg sync.WaitGroup
	for _, c := range []string{"a", "a", "b"} {
		wg.Add(1)
		go func() { defer wg.Done(); blocked(c) }()
	}
	for range 3 {
		<-entered
	}
	for _, tc := range []struct {
		client, lang string
		status       int
		want         string
	}{
		{"a", "zh", http.StatusTooManyRequests, "本地址已有2个上传正在处理"},
		{"a", "en", http.StatusTooManyRequests, "2 uploads from this address are being read"},
		{"c", "zh", http.StatusServiceUnavailable, "服务器正在处理3个上传"},
		{"c", "en", http.StatusServiceUnavailable, "The server is reading 3 uploads"},
	} {
		r := httptest.NewRequest("POST", "/verify?lang="+tc.lang, strings.NewReader("items="+certCCC))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Client", tc.client)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tc.status || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), tc.want) {
			t.Errorf("client %s (%s): status %d, Retry-After %q, want %d with Retry-After and %q", tc.client, tc.lang, w.Code, w.Header().Get("Retry-After"), tc.status, tc.want)
		}
	}
	close(release)
	wg.Wait()
	r := httptest.NewRequest("POST", "/verify", strings.NewReader("items="+certCCC))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("X-Client", "a")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Errorf("after the uploads finished: status %d, want 200", w.Code)
	}
}

// blockingBody is a request body whose first read waits for release.
type blockingBody struct {
	entered chan<- struct{}
	release <-chan struct{}
	once    sync.Once
	done    bool
}

func (b *blockingBody) Read(p []byte) (int, error) {
	b.once.Do(func() {
		b.entered <- struct{}{}
		<-b.release
	})
	if b.done {
		return 0, io.EOF
	}
	b.done = true
	return copy(p, "items=x"), nil
}
