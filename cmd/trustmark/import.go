package main

import (
	"context"
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
	fs := newSubcommand("import", importUsage, stderr)
	o := importFlags(fs)
	if code, ok := o.parse(fs, args); !ok {
		return code
	}
	kind, code, ok := o.check(fs)
	if !ok {
		return code
	}
	o.dsn = resolveDSN(o.dsn)

	con := &console{w: stderr, tty: isTerminal(stderr), every: 10 * time.Second}
	log := slog.New(slog.NewTextHandler(con, nil))
	con.log = log
	store, err := openImportStore(ctx, o.dsn, con, log)
	if err != nil {
		return fs.fail("%v", err)
	}
	defer store.Close()

	im := &importer.Importer{
		Store:     store,
		Kind:      kind,
		BatchSize: o.batch,
		Format:    importer.Format(o.format),
		Sheet:     o.sheet,
		Log:       log,
		Reject:    func(r importer.Rejection) { con.line(r.String()) },
		Progress:  con.progress,
	}
	return importFiles(ctx, im, o.files, con, stdout)
}

// importOptions are the import command's flags and files.
type importOptions struct {
	dsn, kind, sheet, format string
	batch                    int
	files                    []string
}

// importFlags adds the import command's flags to fs; their values are read
// once parse has run.
func importFlags(fs *subcommand) *importOptions {
	o := &importOptions{}
	fs.StringVar(&o.dsn, "db", "", dbFlagHelp)
	fs.StringVar(&o.kind, "kind", "", "what the files hold: orgs, bodies, labs, persons, certificates or reports")
	fs.StringVar(&o.sheet, "sheet", "", "XLSX: the sheet to read (default the first)")
	fs.StringVar(&o.format, "format", "", "file format csv, jsonl or xlsx (default: detected from each file)")
	fs.IntVar(&o.batch, "batch", importer.DefaultBatchSize, "valid rows written per transaction")
	return o
}

// parse parses args into o; flags may come before or after the files. When
// ok is false the command must return code, as with subcommand.parse.
func (o *importOptions) parse(fs *subcommand, args []string) (code int, ok bool) {
	for {
		if code, ok := fs.parse(args); !ok {
			return code, false
		}
		if fs.NArg() == 0 {
			return 0, true
		}
		o.files = append(o.files, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// check checks the flags and that each file is there before anything is
// imported, and returns the kind of record the files hold. When ok is
// false the command must return code (the reason is said).
func (o *importOptions) check(fs *subcommand) (kind trustmark.Kind, code int, ok bool) {
	if o.kind == "" {
		fs.Usage()
		return "", fs.fail("--kind is required"), false
	}
	kind, err := trustmark.ParseKind(o.kind)
	if err != nil {
		return "", fs.fail("--kind: %v", err), false
	}
	if len(o.files) == 0 {
		fs.Usage()
		return "", fs.fail("no FILE to import"), false
	}
	switch importer.Format(o.format) {
	case "", importer.FormatCSV, importer.FormatJSONL, importer.FormatXLSX:
	default:
		return "", fs.fail("--format %q is not csv, jsonl or xlsx", o.format), false
	}
	if o.batch < 1 {
		return "", fs.fail("--batch must be at least 1"), false
	}
	for _, f := range o.files {
		if st, err := os.Stat(f); err != nil {
			return "", fs.fail("%v", err), false
		} else if st.IsDir() {
			return "", fs.fail("%s is a directory, not a file", f), false
		}
	}
	return kind, 0, true
}

// openImportStore opens the registry at dsn. An import run from the wrong
// directory would fill a new, empty registry and reject every row for a
// body it lacks: it says so on con when the registry is new.
func openImportStore(ctx context.Context, dsn string, con *console, log *slog.Logger) (*sqlstore.DB, error) {
	where, existed, err := sqlstore.HasRegistry(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("cannot open the database %s: %s", where, cliMessage(err))
	}
	store, err := sqlstore.Open(ctx, dsn, sqlstore.WithLogger(log))
	if err != nil {
		return nil, fmt.Errorf("cannot open the database %s: %v", dsn, err)
	}
	if !existed {
		con.line(fmt.Sprintf("trustmark import: created a new, empty registry at %s", where))
	}
	return store, nil
}

// importFiles imports files in turn with im, printing each file's counts
// when there are several and the total last, and returns the exit status:
// 1 at the first file that could not be imported (the files after it are
// left), else 2 when some rows were rejected.
func importFiles(ctx context.Context, im *importer.Importer, files []string, con *console, stdout io.Writer) int {
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
			im.Log.Info("import file done", "file", f, "kind", im.Kind, "rows", rows, "created", c.Created, "updated", c.Updated,
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
