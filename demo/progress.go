package demo

import (
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
)

// progress shows how far a generation is: a bar per phase on a terminal,
// a log line every few seconds elsewhere, nothing without a writer.
type progress struct {
	w      io.Writer
	bar    *progressbar.ProgressBar
	logger *slog.Logger

	name  string
	total int
	done  int
	last  time.Time
	began time.Time
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if w == nil {
		return p
	}
	if f, ok := w.(*os.File); ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return p
	}
	p.logger = slog.New(slog.NewTextHandler(w, nil))
	p.w = nil
	return p
}

func (p *progress) start(name string, total int) {
	p.name, p.total, p.done = name, total, 0
	p.began, p.last = time.Now(), time.Now()
	switch {
	case p.w != nil:
		max := int64(total)
		if total >= 1<<30 {
			max = -1 // reports under a time budget: no known end
		}
		p.bar = progressbar.NewOptions64(max,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(padRight(name, 15)),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("rec"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionOnCompletion(func() { io.WriteString(p.w, "\n") }),
		)
	case p.logger != nil && total >= 1<<30:
		p.logger.Info("demo: loading", "phase", name, "total", "until the time budget is spent")
	case p.logger != nil:
		p.logger.Info("demo: loading", "phase", name, "total", total)
	}
}

func (p *progress) add(n int) {
	p.done += n
	switch {
	case p.bar != nil:
		p.bar.Add(n)
	case p.logger != nil && time.Since(p.last) > 3*time.Second:
		p.last = time.Now()
		if p.total >= 1<<30 { // a time budget, not a count
			p.logger.Info("demo: progress", "phase", p.name, "done", p.done, "per_s", int(float64(p.done)/time.Since(p.began).Seconds()))
		} else {
			p.logger.Info("demo: progress", "phase", p.name, "done", p.done, "total", p.total)
		}
	}
}

func (p *progress) finish() {
	switch {
	case p.bar != nil:
		p.bar.Finish()
		if p.bar.GetMax64() < 0 {
			io.WriteString(p.w, "\n")
		}
		p.bar = nil
	case p.logger != nil:
		p.logger.Info("demo: loaded", "phase", p.name, "records", p.done, "duration", time.Since(p.began).Round(time.Millisecond).String())
	}
}

func (p *progress) log(msg string, args ...any) {
	if p.logger != nil {
		p.logger.Info("demo: "+msg, args...)
	}
}

func padRight(s string, n int) string {
	for len(s) < n {
		s += " "
	}
	return s
}
