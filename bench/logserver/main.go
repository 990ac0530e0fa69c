// Command logserver serves Trustmark's log engine (package translog) on a
// file backend, durable as in production (an add is answered once
// fdatasync'd; tiles and checkpoints are synced before the checkpoint is
// published), on the surface Tessera's tools expect, at the root: POST /add
// (the body is the entry; the answer its decimal index; 503 with
// Retry-After when overloaded), GET /checkpoint, /tile/<L>/<N>[.p/<W>] and
// /tile/entries/<N>[.p/<W>]. --key-file holds a note signer key
// (PRIVATE+KEY+...); the log's origin is the key's name. bench/tessera.sh
// runs it against Tessera's POSIX server; it is not part of the product.
//
//	cd bench && go run ./logserver --addr 127.0.0.1:2025 --dir /tmp/log --key-file KEY
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/valyala/fasthttp"

	"trustmark/bench/filelog"
	"trustmark/translog"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "logserver: %v\n", err)
		os.Exit(1)
	}
}

// config is what the command line asks for.
type config struct {
	addr       string
	dir        string
	keyFile    string
	interval   time.Duration
	maxPending uint64
	pprofAddr  string
	frontend   string
	batchMax   int
	newKey     string
	origin     string
	nargs      int // arguments after the flags: serving takes none
}

// run serves the log until ctx is done, or with --new-key writes a key;
// args are the command line after the command's name.
func run(ctx context.Context, args []string) error {
	c, err := parseFlags(args)
	if err != nil {
		return err
	}
	if c.newKey != "" {
		return writeNewKey(c.newKey, c.origin)
	}
	if err := c.check(); err != nil {
		return err
	}
	key, err := translog.LoadKey(c.keyFile)
	if err != nil {
		return err
	}
	st, err := translog.NewDirStorage(c.dir, true)
	if err != nil {
		return err
	}
	st.SyncFS = filelog.SyncFS
	fe, err := filelog.OpenFileEntries(filepath.Join(c.dir, "entries"))
	if err != nil {
		return err
	}
	defer fe.Close()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	l, err := translog.Open(ctx, fe, st, key, translog.Options{Interval: c.interval, Batch: 1 << 20, Logger: logger})
	if err != nil {
		return err
	}
	app := filelog.NewAppender(fe, l, logger, c.maxPending, c.batchMax)
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	bg, cancel := context.WithCancel(context.Background())
	defer cancel()
	go app.Run(bg)
	go l.Run(bg)
	shutdown := serve(ln, app, c.frontend, logger)
	if c.pprofAddr != "" {
		servePprof(c.pprofAddr)
	}
	fmt.Printf("Trustmark log engine %s (%s) serving http://%s/ with %d entries\n", l.Origin(), l.VerifierKey(), ln.Addr(), fe.Size())
	<-ctx.Done()
	sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer scancel()
	return shutdown(sctx)
}

// parseFlags reads the command line.
func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("logserver", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:2025", "address to listen on")
	fs.StringVar(&c.dir, "dir", "", "directory of the log's files (created)")
	fs.StringVar(&c.keyFile, "key-file", "", "file holding the note signer key, PRIVATE+KEY+...")
	fs.DurationVar(&c.interval, "checkpoint-interval", time.Second, "how often a checkpoint is published while entries arrive")
	fs.Uint64Var(&c.maxPending, "max-pending", 1<<22, "entries durable but not yet in a checkpoint beyond which adds are refused with 503")
	fs.StringVar(&c.pprofAddr, "pprof", "", "serve Go's profiler on this address (for benchmarking the engine)")
	fs.StringVar(&c.frontend, "frontend", "fasthttp", "HTTP front end: fasthttp (POST /add on fasthttp, reads through net/http) or nethttp (all on net/http)")
	fs.IntVar(&c.batchMax, "batch-max", 256, "most entries written and synced as one batch (Tessera's conformance server: 256)")
	fs.StringVar(&c.newKey, "new-key", "", "instead of serving, write a new signing key for --origin to this file (mode 0600) and print its verifier key")
	fs.StringVar(&c.origin, "origin", "bench.trustmark.example/log", "the origin of a key made with --new-key")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	c.nargs = fs.NArg()
	return c, nil
}

// check refuses a configuration that cannot serve.
func (c config) check() error {
	switch {
	case c.dir == "" || c.keyFile == "" || c.nargs > 0:
		return fmt.Errorf("give --dir and --key-file")
	case c.frontend != "fasthttp" && c.frontend != "nethttp":
		return fmt.Errorf("--frontend: want fasthttp or nethttp, got %q", c.frontend)
	case c.batchMax < 1:
		return fmt.Errorf("--batch-max: want at least 1")
	}
	return nil
}

// serve serves app on ln with the front end named (fasthttp or nethttp)
// and returns the function that shuts the server down.
func serve(ln net.Listener, app *filelog.Appender, frontend string, logger *slog.Logger) func(context.Context) error {
	if frontend == "fasthttp" {
		fast := &fasthttp.Server{Handler: app.FastHandler(), ReadTimeout: time.Minute, NoDefaultDate: true, NoDefaultServerHeader: true, Logger: slogPrinter{logger}}
		go fast.Serve(ln)
		return fast.ShutdownWithContext
	}
	srv := &http.Server{Handler: app.Handler(), ReadHeaderTimeout: 5 * time.Second}
	// HTTP/1.1 and unencrypted HTTP/2 (h2c), as Tessera's conformance
	// server offers: the hammer's --force_http2 multiplexes its writers.
	srv.Protocols = new(http.Protocols)
	srv.Protocols.SetHTTP1(true)
	srv.Protocols.SetUnencryptedHTTP2(true)
	go srv.Serve(ln)
	return srv.Shutdown
}

// servePprof starts serving Go's profiler on addr.
func servePprof(addr string) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go http.ListenAndServe(addr, mux)
}

// writeNewKey writes a new note signer key for origin to path, which must
// not exist, and prints its verifier key: one key for both logs of
// bench/tessera.sh.
func writeNewKey(path, origin string) error {
	skey, err := translog.GenerateKey(nil, origin)
	if err != nil {
		return err
	}
	k, err := translog.ParseKey(skey)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Println(k.VerifierKey)
	return nil
}

// slogPrinter is fasthttp's Logger on slog.
type slogPrinter struct{ l *slog.Logger }

func (p slogPrinter) Printf(format string, args ...any) { p.l.Info(fmt.Sprintf(format, args...)) }
