package main

import (
	"flag"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"trustmark/demo"
	tmhttp "trustmark/http"
	"trustmark/translog"
)

const serveUsage = `usage: trustmark serve [--db DSN] [--addr HOST:PORT] [--demo] [--anon-rate R --anon-burst B]
                       [--base-url URL] [--host NAME]... [--trusted-proxy CIDR]... [--webhook-allow-private]
                       [--witness VKEY=URL]... [--witness-threshold N] | [--witness-policy FILE]
                       [--witness-timeout D] [--witness-refresh D]

Runs the web pages and the JSON API (/api/v1, described at
/api/openapi.json), with /healthz and /metrics. Prints the URL it listens
on. --demo first fills an empty database with the demo data set. Stops
gracefully on SIGINT or SIGTERM.

Certificate pages print their address and its QR code: on --base-url, or on
the one of the --host names the request is for; never on a Host header the
server was not told of (anyone can send one, and a proxy may cache the page
for everyone). Without either, they point at the address the server
listens on.

With --witness, the traceability log asks each witness (C2SP tlog-witness)
to cosign every checkpoint and serves /log/checkpoint with their
cosignatures; when fewer than --witness-threshold (default: all) cosign
within --witness-timeout, the checkpoint is published anyway and the log
asks again later; while no entries arrive it has the same checkpoint
cosigned again every --witness-refresh, so that verifiers can tell a quiet
log from a frozen one (docs/LOG.md, "Witnesses"). --witness-policy reads
the witnesses and the quorum, with groups and thresholds, from a policy
file instead (tessera's and Sigsum's format: witness, group and quorum
lines); verifiers can check the same file with verify --witness-policy.

Flags:
`

// ParseFlags reads the serve command's flags into m.Config.
func (m *Main) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	c := &m.Config
	serverFlags(fs, c)
	siteFlags(fs, c)
	witnessFlags(fs, c)
	oidcFlags(fs, c)
	fs.Usage = func() {
		fmt.Fprint(m.Stderr, serveUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.DSN = resolveDSN(c.DSN)
	if key, err := secretKeyFromEnv(); err != nil {
		return err
	} else if key != nil {
		c.SecretKey = key
	}
	if err := checkServeFlags(c); err != nil {
		return err
	}
	return completeServeConfig(c)
}

// serverFlags adds the flags of the database, the listener, the limits on
// requests, the logs and the background jobs to fs.
func serverFlags(fs *flag.FlagSet, c *ServeConfig) {
	fs.StringVar(&c.DSN, "db", "", dbFlagHelp)
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on, HOST:PORT (port 0 picks a free one)")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "fill an empty database with the demo data set first")
	fs.StringVar(&c.DemoScale, "demo-scale", c.DemoScale, "scale of the --demo data set: tiny, small or national")
	fs.Float64Var(&c.AnonRate, "anon-rate", c.AnonRate, "requests a second allowed to each anonymous client address, API and pages (0: no limit; token holders get "+fmt.Sprint(tmhttp.DefaultTokenRate)+"/s)")
	fs.IntVar(&c.AnonBurst, "anon-burst", c.AnonBurst, "burst of requests allowed to each anonymous address")
	fs.DurationVar(&c.ExpiryInterval, "expiry-interval", c.ExpiryInterval, "how often to record the expiry of certificates past their date")
	fs.Int64Var(&c.MaxBodyBytes, "max-body", tmhttp.DefaultMaxBodyBytes, "largest request body accepted, in bytes")
	fs.IntVar(&c.MaxInFlight, "max-in-flight", c.MaxInFlight, "requests served at once (all but /healthz and /metrics); past it a request waits at most --max-wait, then is answered 503 with Retry-After (0: no limit)")
	fs.IntVar(&c.MaxQueued, "max-queued", c.MaxQueued, "requests that may wait for a place under --max-in-flight; past them a request is answered 503 at once (0: 64 × --max-in-flight)")
	fs.DurationVar(&c.MaxWait, "max-wait", c.MaxWait, "longest a request waits for a place under --max-in-flight before it is answered 503")
	fs.IntVar(&c.MaxInFlightPerClient, "max-in-flight-per-client", c.MaxInFlightPerClient, "requests of one client address served at once; its further requests wait for one of its own to finish, within --max-wait (0: half of --max-in-flight)")
	fs.IntVar(&c.LookupCache, "lookup-cache", c.LookupCache, "certificate lookup answers kept in memory (0: 16,384; negative: none); this server's writes are seen at once")
	fs.DurationVar(&c.LookupCacheTTL, "lookup-cache-ttl", c.LookupCacheTTL, "longest a cached lookup answer is served, so how late another server's write on the same database is seen (0: 1s)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format on standard error: text or json")
	fs.Float64Var(&c.StateCheckRate, "state-check-rate", c.StateCheckRate, "records and rows a second the background check of the stored state against the events reads (0: off)")
	fs.StringVar(&c.DebugAddr, "debug-addr", c.DebugAddr, "serve Go profiles (net/http/pprof) on this HOST:PORT, e.g. 127.0.0.1:6060 (default: off; never on the public address)")
}

// siteFlags adds the flags of the site's public names, the proxies in front
// of it and the network its webhooks may call to fs.
func siteFlags(fs *flag.FlagSet, c *ServeConfig) {
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public address of the site for links and QR codes, e.g. https://trustmark.example.cn (default: the first --host, else the address listened on)")
	fs.Func("host", "a host name (HOST or HOST:PORT) the site answers to; requests for it get links and QR codes on it (repeatable)", appendParsed(&c.Hosts, parseHost))
	fs.Func("trusted-proxy", "address or CIDR of a reverse proxy whose X-Forwarded-For is believed (repeatable)", appendParsed(&c.TrustedProxies, parseTrustedProxy))
	fs.BoolVar(&c.WebhookAllowPrivate, "webhook-allow-private", c.WebhookAllowPrivate, "let webhooks call loopback, private and link-local addresses (for receivers on the server's own network)")
}

// appendParsed returns the Set function of a repeatable flag: it appends
// each value, as parse reads it, to *list.
func appendParsed[T any](list *[]T, parse func(string) (T, error)) func(string) error {
	return func(v string) error {
		x, err := parse(v)
		if err != nil {
			return err
		}
		*list = append(*list, x)
		return nil
	}
}

// parseHost reads a --host value, HOST or HOST:PORT, in lower case: the
// form a request's Host header is compared with.
func parseHost(v string) (string, error) {
	u, err := url.Parse("http://" + v)
	if err != nil || u.Host != v || u.User != nil || u.Hostname() == "" {
		return "", fmt.Errorf("%q is not a host name or HOST:PORT", v)
	}
	return strings.ToLower(v), nil
}

// parseTrustedProxy reads a --trusted-proxy value: a CIDR prefix, or an
// address taken as the prefix of that one address.
func parseTrustedProxy(v string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(v)
	if err != nil {
		a, aerr := netip.ParseAddr(v)
		if aerr != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not an address or CIDR prefix", v)
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	return p.Masked(), nil
}

// witnessFlags adds the flags of the witnesses that cosign the log's
// checkpoints to fs.
func witnessFlags(fs *flag.FlagSet, c *ServeConfig) {
	fs.Func("witness", "a witness to cosign the log's checkpoints, VKEY=URL: its cosignature verifier key and its URL, where add-checkpoint is (repeatable)", appendParsed(&c.Witnesses, translog.ParseWitness))
	fs.Func("witness-policy", "a witness policy file (witness NAME VKEY URL, group NAME any|all|N MEMBER..., quorum NAME lines): the witnesses to ask and which of them must cosign; instead of --witness", func(file string) (err error) {
		c.WitnessPolicy, err = readWitnessPolicy(file)
		return err
	})
	fs.IntVar(&c.WitnessThreshold, "witness-threshold", c.WitnessThreshold, "how many of the witnesses must cosign each checkpoint (0: all)")
	fs.DurationVar(&c.WitnessTimeout, "witness-timeout", c.WitnessTimeout, "how long to wait for the witnesses before publishing a checkpoint without their cosignatures")
	fs.DurationVar(&c.WitnessRefresh, "witness-refresh", c.WitnessRefresh, "while no entries arrive, have the same checkpoint cosigned again this often")
}

// checkServeFlags refuses flag values out of their range, and witness flags
// given together that exclude each other.
func checkServeFlags(c *ServeConfig) error {
	switch {
	case c.AnonRate < 0:
		return fmt.Errorf("--anon-rate must be 0 or more")
	case c.AnonBurst < 1 && c.AnonRate > 0:
		return fmt.Errorf("--anon-burst must be at least 1")
	case c.ExpiryInterval < time.Second:
		return fmt.Errorf("--expiry-interval must be at least 1s")
	case c.LogFormat != "text" && c.LogFormat != "json":
		return fmt.Errorf("--log-format must be text or json")
	case c.WitnessPolicy != nil && (len(c.Witnesses) > 0 || c.WitnessThreshold != 0):
		return fmt.Errorf("--witness-policy names the witnesses and the quorum: give it without --witness and --witness-threshold")
	case c.WitnessThreshold < 0 || c.WitnessThreshold > len(c.Witnesses):
		return fmt.Errorf("--witness-threshold %d, but %d witnesses are given with --witness", c.WitnessThreshold, len(c.Witnesses))
	case c.WitnessTimeout <= 0:
		return fmt.Errorf("--witness-timeout must be more than 0")
	case c.WitnessRefresh <= 0:
		return fmt.Errorf("--witness-refresh must be more than 0")
	case c.StateCheckRate < 0:
		return fmt.Errorf("--state-check-rate must be 0 or more")
	case c.MaxInFlight < 0:
		return fmt.Errorf("--max-in-flight must be 0 (no limit) or more")
	case c.MaxQueued < 0:
		return fmt.Errorf("--max-queued must be 0 (64 × --max-in-flight) or more")
	case c.MaxWait <= 0:
		return fmt.Errorf("--max-wait must be more than 0")
	}
	return nil
}

// completeServeConfig derives what the flags imply (the witness policy of
// --witness, the base URL without its final slash, single sign-on's
// addresses) and checks the values that need parsing. The base URL comes
// before single sign-on, whose return address is on it.
func completeServeConfig(c *ServeConfig) error {
	if len(c.Witnesses) > 0 {
		g, err := translog.WitnessPolicy(c.WitnessThreshold, c.Witnesses...)
		if err != nil {
			return fmt.Errorf("--witness-threshold: %w", err)
		}
		c.WitnessPolicy = &g
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Errorf("--base-url %q is not an http(s) address without a path", c.BaseURL)
		}
		c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	}
	if err := checkDebugAddr(c.DebugAddr); err != nil {
		return err
	}
	if err := checkOIDC(c); err != nil {
		return err
	}
	if _, err := demo.ScaleSizes(c.DemoScale); err != nil {
		return fmt.Errorf("--demo-scale %q is not tiny, small or national", c.DemoScale)
	}
	return nil
}
