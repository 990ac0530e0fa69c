package http

import (
	"bytes"
	"io"
	"sync"
	"time"
)

// LogWriter batches the lines of a log into few writes: the request log's
// one line per request cost a write(2) each, about a tenth of a lookup's
// CPU under load. Lines are written at the latest after the interval
// given to NewLogWriter, at once when the buffer is full or the line is an
// error or a warning, and on Close. Safe for concurrent use.
type LogWriter struct {
	mu    sync.Mutex
	out   io.Writer
	buf   []byte
	err   error
	timer *time.Timer
	every time.Duration
}

// logWriterSize is the buffer past which a write goes out at once.
const logWriterSize = 64 << 10

// NewLogWriter returns a writer that passes lines on to out within every.
func NewLogWriter(out io.Writer, every time.Duration) *LogWriter {
	return &LogWriter{out: out, every: every, buf: make([]byte, 0, logWriterSize)}
}

// Write buffers p, one or more whole lines from a log handler.
func (w *LogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	if len(w.buf) >= logWriterSize || urgent(p) {
		w.flushLocked()
	} else if w.timer == nil {
		w.timer = time.AfterFunc(w.every, w.Flush)
	}
	return len(p), nil
}

// urgent reports whether a line is a warning or an error (slog's text or
// JSON form), which an operator watching the log sees at once.
func urgent(p []byte) bool {
	return bytes.Contains(p, []byte("level=ERROR")) || bytes.Contains(p, []byte("level=WARN")) ||
		bytes.Contains(p, []byte(`"level":"ERROR"`)) || bytes.Contains(p, []byte(`"level":"WARN"`))
}

// Flush writes what is buffered.
func (w *LogWriter) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.flushLocked()
}

func (w *LogWriter) flushLocked() {
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	if len(w.buf) == 0 {
		return
	}
	if _, err := w.out.Write(w.buf); err != nil && w.err == nil {
		w.err = err
	}
	w.buf = w.buf[:0]
}

// Close writes what is buffered and returns the first error of a write.
func (w *LogWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.flushLocked()
	return w.err
}
