package webhook_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"trustmark"
	"trustmark/webhook"
)

// The server's own network: a resolver and a local address that a watch's
// owner must never be shown.
const (
	resolver = "10.255.255.53:53"
	local    = "10.0.3.17:41234"
)

// callError wraps err as http.Client.Do returns it for a POST to u.
func callError(u string, err error) error {
	return &url.Error{Op: "Post", URL: u, Err: err}
}

func dialError(err error) error {
	src, _ := net.ResolveTCPAddr("tcp", local)
	dst, _ := net.ResolveTCPAddr("tcp", "93.184.215.14:443")
	return &net.OpError{Op: "dial", Net: "tcp", Source: src, Addr: dst, Err: err}
}

func TestProblemSpeaksOfTheReceiver(t *testing.T) {
	const hook = "https://hooks.platform.example/trustmark"
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"a host name that does not exist", callError(hook, dialError(&net.DNSError{Err: "no such host", Name: "hooks.platform.example", Server: resolver, IsNotFound: true})),
			"the host name hooks.platform.example does not exist (DNS)"},
		{"a lookup that timed out", callError(hook, dialError(&net.DNSError{Err: "i/o timeout", Name: "hooks.platform.example", Server: resolver, IsTimeout: true})),
			"looking up the host name hooks.platform.example timed out (DNS)"},
		{"a lookup that failed otherwise", callError(hook, dialError(&net.DNSError{Err: "server misbehaving", Name: "hooks.platform.example", Server: resolver, IsTemporary: true})),
			"the host name hooks.platform.example could not be looked up (DNS)"},
		{"a refused connection", callError(hook, dialError(os.NewSyscallError("connect", syscall.ECONNREFUSED))),
			"hooks.platform.example refused the connection"},
		{"a reset connection", callError(hook, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}),
			"hooks.platform.example closed the connection without an answer"},
		{"an unreachable network", callError(hook, dialError(os.NewSyscallError("connect", syscall.ENETUNREACH))),
			"hooks.platform.example cannot be reached"},
		{"no answer in time", callError(hook, context.DeadlineExceeded),
			"hooks.platform.example did not answer within 10s"},
		{"a certificate of an unknown authority", callError(hook, &tlsVerifyError{x509.UnknownAuthorityError{}}),
			"the TLS certificate of hooks.platform.example is not signed by a known authority"},
		{"a certificate for another name", callError(hook, x509.HostnameError{Certificate: &x509.Certificate{}, Host: "hooks.platform.example"}),
			"the TLS certificate of hooks.platform.example is not valid for that host name"},
		{"an expired certificate", callError(hook, x509.CertificateInvalidError{Reason: x509.Expired}),
			"the TLS certificate of hooks.platform.example is not valid: it has expired or is not yet valid"},
		{"an error the notifier does not know", callError(hook, fmt.Errorf("proxyconnect tcp: dial tcp %s: weird", local)),
			"the call to hooks.platform.example failed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := webhook.Problem(tc.err, hook, 10*time.Second)
			if got != tc.want {
				t.Errorf("Problem(%v) = %q, want %q", tc.err, got, tc.want)
			}
			for _, secret := range []string{resolver, "10.255.255.53", local, "10.0.3.17", "93.184.215.14", "lookup", "dial"} {
				if strings.Contains(got, secret) {
					t.Errorf("Problem(%v) = %q shows %q", tc.err, got, secret)
				}
			}
		})
	}
}

// tlsVerifyError wraps a certificate error as crypto/tls does.
type tlsVerifyError struct{ err error }

func (e *tlsVerifyError) Error() string { return "tls: failed to verify certificate: " + e.err.Error() }
func (e *tlsVerifyError) Unwrap() error { return e.err }

// TestDeliveryErrorHidesTheServersResolver delivers through this machine's
// own resolver configuration to a host name that cannot be looked up (the
// resolver is unreachable to the test), as the fault was found: the
// delivery's last error, which the watch's owner reads, names the host
// name and not the server's resolver.
func TestDeliveryErrorHidesTheServersResolver(t *testing.T) {
	storeClock := storeNow
	db := openStoreClock(t, &storeClock)
	const host = "hooks.platform.example"
	noDNS := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Addr: udpAddr(address), Err: os.NewSyscallError("connect", syscall.ENETUNREACH)}
	}}
	_, lookupErr := noDNS.LookupHost(ctx, host)
	var dnsErr *net.DNSError
	if !errors.As(lookupErr, &dnsErr) {
		t.Fatalf("lookup through an unreachable resolver = %v, want a *net.DNSError", lookupErr)
	}
	dialer := &net.Dialer{Resolver: noDNS, Timeout: 5 * time.Second}
	client := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext, Proxy: nil}}

	addWatch(t, db, "w_dns", "https://"+host+"/trustmark", "s3cret-s3cret-s3cret", storeNow.Add(time.Minute),
		trustmark.WatchItem{Kind: trustmark.WatchCertificate, Key: cccValid})
	storeClock = storeNow.Add(time.Hour)
	if _, err := db.TransitionCertificate(ctx, trustmark.System, cccValid, trustmark.Transition{To: trustmark.StatusSuspended, Reason: "监督审核"}); err != nil {
		t.Fatal(err)
	}
	n := webhook.NewNotifier(webhook.Config{Feed: feed(db), Watches: db, Client: client, Clock: func() time.Time { return storeClock }, Logger: quiet})
	if _, attempted, err := n.Step(ctx); attempted != 1 || err != nil {
		t.Fatalf("Step attempted %d (%v), want 1", attempted, err)
	}
	ds, err := db.Deliveries(ctx, "w_dns", 1)
	if err != nil || len(ds) != 1 {
		t.Fatalf("Deliveries = %v, %v", ds, err)
	}
	got := ds[0].LastError
	if want := "the host name " + host + " could not be looked up (DNS)"; got != want {
		t.Errorf("last error = %q, want %q", got, want)
	}
	if dnsErr.Server != "" && strings.Contains(got, dnsErr.Server) {
		t.Errorf("last error %q shows the server's resolver %s", got, dnsErr.Server)
	}
}

func udpAddr(address string) net.Addr {
	a, _ := net.ResolveUDPAddr("udp", address)
	return a
}
