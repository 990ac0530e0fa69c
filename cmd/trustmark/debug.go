package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// debugServer serves net/http/pprof on its own listener (--debug-addr),
// never on the public one: profiles show the program's internals and a
// CPU profile costs the server while it runs. Off by default.
type debugServer struct {
	srv *http.Server
	ln  net.Listener
}

// debugMux is pprof's handlers on a mux of their own (importing
// net/http/pprof also registers them on http.DefaultServeMux, which the
// server never serves).
func debugMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// checkDebugAddr accepts HOST:PORT with an explicit host: an empty host
// would listen on every interface, which must be asked for by name
// (0.0.0.0 or ::), not by leaving it out.
func checkDebugAddr(addr string) error {
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--debug-addr %q is not HOST:PORT", addr)
	}
	if host == "" {
		return fmt.Errorf("--debug-addr %q names no host: give 127.0.0.1:PORT (or an address to expose profiles on)", addr)
	}
	return nil
}

// startDebug listens on addr and serves the profiles until stopped.
func startDebug(addr string, logger *slog.Logger) (*debugServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--debug-addr: %w", err)
	}
	d := &debugServer{ln: ln, srv: &http.Server{
		Handler:           debugMux(),
		ReadHeaderTimeout: 10 * time.Second,
	}}
	go func() {
		if err := d.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("debug listener stopped", "err", err)
		}
	}()
	logger.Warn("profiling endpoint on (--debug-addr): /debug/pprof/", "addr", ln.Addr().String())
	return d, nil
}

// Close stops the debug listener.
func (d *debugServer) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return d.srv.Shutdown(ctx)
}
