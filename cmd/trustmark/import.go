package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"trustmark"
	"trustmark/importer"
	"trustmark/sqlstore"
)

const importUsage = `usage: trustmark import [--db DSN] --kind KIND [--sheet NAME] [--format F] [--batch N] FILE...

Loads registry records from CSV (UTF-8, UTF-8 with BOM, or GBK as Excel in
China saves it; detected), JSON Lines or XLSX files. KIND is one of orgs,
bodies, labs, persons, certificates, reports; import them in that order.

Each rejected row is one line on standard error, FILE:ROW: FIELD: message.
The last line on standard output is "imported N, unchanged M, rejected K".
Exit status: 0 every row accepted, 2 some rows rejected (the others are
imported), 1 the import could not run.

Flags:
`

// runImport is the import command: it loads each FILE in turn into the
// store, printing rejected rows as it goes. See importUsage and docs/IMPORT.md.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("db", "", dbFlagHelp)
	kindFlag := fs.String("kind", "", "what the files hold: orgs, bodies, labs, persons, certificates or reports")
	sheet := fs.String("sheet", "", "XLSX: the sheet to read (default the first)")
	format := fs.String("format", "", "file format csv, jsonl or xlsx (default: detected from each file)")
	batch := fs.Int("batch", importer.DefaultBatchSize, "valid rows written per transaction")
	fs.Usage = func() {
		fmt.Fprint(stderr, importUsage)
		fs.PrintDefaults()
	}
	// Flags may come before or after the files.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 1
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "trustmark import: "+format+"\n", a...)
		return 1
	}
	if *kindFlag == "" {
		fs.Usage()
		return fail("--kind is required")
	}
	kind, err := trustmark.ParseKind(*kindFlag)
	if err != nil {
		return fail("--kind: %v", err)
	}
	if len(files) == 0 {
		fs.Usage()
		return fail("no FILE to import")
	}
	switch importer.Format(*format) {
	case "", importer.FormatCSV, importer.FormatJSONL, importer.FormatXLSX:
	default:
		return fail("--format %q is not csv, jsonl or xlsx", *format)
	}
	if *batch < 1 {
		return fail("--batch must be at least 1")
	}
	for _, f := range files {
		if st, err := os.Stat(f); err != nil {
			return fail("%v", err)
		} else if st.IsDir() {
			return fail("%s is a directory, not a file", f)
		}
	}
	*dsn = resolveDSN(*dsn)

	con := &console{w: stderr, tty: isTerminal(stderr), every: 10 * time.Second}
	log := slog.New(slog.NewTextHandler(con, nil))
	con.log = log
	// An import run from the wrong directory would fill a new, empty
	// registry and reject every row for a body it lacks: say so.
	where, existed, err := sqlstore.HasRegistry(ctx, *dsn)
	if err != nil {
		return fail("cannot open the database %s: %s", where, cliMessage(err))
	}
	store, err := sqlstore.Open(ctx, *dsn, sqlstore.WithLogger(log))
	if err != nil {
		return fail("cannot open the database %s: %v", *dsn, err)
	}
	defer store.Close()
	if !existed {
		con.line(fmt.Sprintf("trustmark import: created a new, empty registry at %s", where))
	}

	im := &importer.Importer{
		Store:     store,
		Kind:      kind,
		BatchSize: *batch,
		Format:    importer.Format(*format),
		Sheet:     *sheet,
		Log:       log,
		Reject:    func(r importer.Rejection) { con.line(r.String()) },
		Progress:  con.progress,
	}
	var total importer.Counts
	for _, f := range files {
		start := time.Now()
		c, err := im.ImportFile(ctx, f)
		con.done()
		total = total.Add(c)
		if len(files) > 1 {
			fmt.Fprintf(stdout, "%s: %s\n", f, c)
		}
		if rows := c.Created + c.Updated + c.Unchanged + c.Rejected; err == nil || rows > 0 {
			secs := time.Since(start).Seconds()
			log.Info("import file done", "file", f, "kind", kind, "rows", rows, "created", c.Created, "updated", c.Updated,
				"unchanged", c.Unchanged, "rejected", c.Rejected, "seconds", fmt.Sprintf("%.2f", secs),
				"rows_per_second", int(float64(rows)/max(secs, 1e-9)))
		}
		if err != nil {
			if ctx.Err() != nil {
				con.line(fmt.Sprintf("trustmark import: %s: interrupted; the batches written before it are kept: import the file again to complete it", f))
			} else {
				con.line("trustmark import: " + err.Error())
			}
			fmt.Fprintln(stdout, total)
			return 1
		}
	}
	fmt.Fprintln(stdout, total)
	if total.Rejected > 0 {
		return 2
	}
	return 0
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// console serializes what the import writes to standard error: rejected
// rows, log lines, and either a progress bar (on a terminal) or a progress
// log line every so often.
type console struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	every time.Duration

	log      *slog.Logger // for progress lines; it writes through the console
	bar      *progressbar.ProgressBar
	barFile  string
	lastLog  time.Time
	fileFrom time.Time
}

// Write implements io.Writer for the logger.
func (c *console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bar != nil {
		c.bar.Clear()
	}
	return c.w.Write(p)
}

func (c *console) line(s string) {
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	c.Write([]byte(s))
}

func (c *console) progress(p importer.Progress) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if c.barFile != p.File {
		c.barFile, c.fileFrom, c.lastLog = p.File, now, now
		if c.tty {
			opts := []progressbar.Option{
				progressbar.OptionSetWriter(c.w),
				progressbar.OptionSetDescription(p.File),
				progressbar.OptionThrottle(100 * time.Millisecond),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionClearOnFinish(),
			}
			if p.Unit == "bytes" {
				opts = append(opts, progressbar.OptionShowBytes(true), progressbar.OptionShowTotalBytes(true))
			} else {
				opts = append(opts, progressbar.OptionShowCount())
			}
			c.bar = progressbar.NewOptions64(p.Total, opts...)
		}
	}
	if c.bar != nil {
		c.bar.Set64(p.Done)
		return
	}
	if now.Sub(c.lastLog) < c.every || c.log == nil {
		return
	}
	c.lastLog = now
	attrs := []any{"file", p.File, "rows", p.Rows}
	if p.Total > 0 {
		attrs = append(attrs, "percent", fmt.Sprintf("%.1f", 100*float64(p.Done)/float64(p.Total)))
	}
	if secs := now.Sub(c.fileFrom).Seconds(); secs > 0 {
		attrs = append(attrs, "rows_per_second", int(float64(p.Rows)/secs))
	}
	c.mu.Unlock()
	c.log.Info("import progress", attrs...)
	c.mu.Lock()
}

// done ends the progress display of the current file.
func (c *console) done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bar != nil {
		c.bar.Finish()
		c.bar.Clear()
		c.bar = nil
	}
	c.barFile = ""
}
