package http

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for the writer's timer goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestLogWriter(t *testing.T) {
	t.Run("info lines wait for the interval, then all go out in order", func(t *testing.T) {
		var out lockedBuffer
		w := NewLogWriter(&out, 20*time.Millisecond)
		w.Write([]byte("level=INFO msg=request n=1\n"))
		w.Write([]byte("level=INFO msg=request n=2\n"))
		if got := out.String(); got != "" {
			t.Fatalf("written before the interval: %q", got)
		}
		deadline := time.Now().Add(5 * time.Second)
		for out.String() == "" && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if got, want := out.String(), "level=INFO msg=request n=1\nlevel=INFO msg=request n=2\n"; got != want {
			t.Errorf("after the interval: %q, want %q", got, want)
		}
	})
	t.Run("an error line goes out at once with the lines before it", func(t *testing.T) {
		var out lockedBuffer
		w := NewLogWriter(&out, time.Hour)
		w.Write([]byte("level=INFO msg=a\n"))
		w.Write([]byte("level=ERROR msg=b\n"))
		if got, want := out.String(), "level=INFO msg=a\nlevel=ERROR msg=b\n"; got != want {
			t.Errorf("after an error line: %q, want %q", got, want)
		}
		w.Write([]byte(`{"level":"WARN","msg":"c"}` + "\n"))
		if got := out.String(); !strings.HasSuffix(got, `"msg":"c"}`+"\n") {
			t.Errorf("a JSON warning waited: %q", got)
		}
	})
	t.Run("Close writes the rest", func(t *testing.T) {
		var out lockedBuffer
		w := NewLogWriter(&out, time.Hour)
		w.Write([]byte("level=INFO msg=last\n"))
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if got, want := out.String(), "level=INFO msg=last\n"; got != want {
			t.Errorf("after Close: %q, want %q", got, want)
		}
	})
	t.Run("a full buffer goes out without waiting", func(t *testing.T) {
		var out lockedBuffer
		w := NewLogWriter(&out, time.Hour)
		line := []byte("level=INFO msg=" + strings.Repeat("x", 1000) + "\n")
		for range logWriterSize/len(line) + 1 {
			w.Write(line)
		}
		if len(out.String()) < logWriterSize {
			t.Errorf("%d bytes written after %d buffered, want them all", len(out.String()), logWriterSize)
		}
	})
}
