package webhook

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"trustmark"
)

// deliveryBatch is how many due deliveries one round attempts.
const deliveryBatch = 200

// deliver attempts the deliveries that are due.
func (n *Notifier) deliver(ctx context.Context) (int, error) {
	due, err := n.cfg.Watches.DueDeliveries(ctx, n.cfg.Clock(), deliveryBatch)
	if err != nil {
		return 0, err
	}
	var (
		wg    sync.WaitGroup
		sem   = make(chan struct{}, n.cfg.Workers)
		mu    sync.Mutex
		first error
		tried int
	)
	for _, d := range due {
		if ctx.Err() != nil {
			break // shut down, or the lease is lost: the rest stay due
		}
		tried++
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			n.attempt(ctx, d)
			if ctx.Err() != nil && d.State != trustmark.DeliveryDelivered {
				return // cut short by us, not the receiver: left due, as it was
			}
			// A call that succeeded is recorded even if ctx ended meanwhile,
			// lest the next holder of the lease repeat it.
			uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), n.cfg.Timeout)
			defer cancel()
			if err := n.cfg.Watches.UpdateDelivery(uctx, d); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return tried, first
}

// attempt makes one call and records its outcome in d.
func (n *Notifier) attempt(ctx context.Context, d *trustmark.Delivery) {
	ctx, cancel := context.WithTimeout(ctx, n.cfg.Timeout)
	defer cancel()
	now := n.cfg.Clock()
	d.Attempts++
	status, retryAfter, err := n.post(ctx, d, now)
	d.LastStatus = status
	if err == nil {
		d.State, d.DeliveredAt, d.LastError = trustmark.DeliveryDelivered, n.cfg.Clock(), ""
		return
	}
	// The watch's owner reads LastError; the server's own details (its
	// resolver, its addresses) go to the log only.
	d.LastError = Problem(err, d.URL, n.cfg.Timeout)
	if len(d.LastError) > 500 {
		d.LastError = strings.ToValidUTF8(d.LastError[:500], "")
	}
	n.cfg.Logger.Debug("webhook delivery attempt failed", "watch", d.WatchID, "event", d.EventSeq, "attempt", d.Attempts, "err", err)
	if d.Attempts >= n.cfg.MaxAttempts {
		d.State = trustmark.DeliveryFailed
		n.cfg.Logger.Warn("webhook delivery failed for good", "watch", d.WatchID, "event", d.EventSeq, "attempts", d.Attempts, "err", err)
		return
	}
	// A receiver that asks for more time (429, 503 with Retry-After) gets
	// it, within MaxBackoff.
	d.NextAttemptAt = now.Add(min(max(n.backoff(d.Attempts), retryAfter), n.cfg.MaxBackoff))
}

// backoff is the wait after the attempt-th failure: Backoff doubled each
// time, at most MaxBackoff.
func (n *Notifier) backoff(attempt int) time.Duration {
	d := n.cfg.Backoff
	for i := 1; i < attempt && d < n.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, n.cfg.MaxBackoff)
}

// statusError is a receiver's answer outside 2xx.
type statusError struct{ status string }

func (e *statusError) Error() string { return "webhook answered " + e.status }

// post makes one call and returns the answer's status and the wait it
// asked for in Retry-After (seconds), if any.
func (n *Notifier) post(ctx context.Context, d *trustmark.Delivery, now time.Time) (int, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return 0, 0, err
	}
	ts := now.Unix()
	var action struct {
		Event struct {
			Action string `json:"action"`
		} `json:"event"`
	}
	json.Unmarshal(d.Payload, &action)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Trustmark-Webhook/1")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(d.Secret, ts, d.Payload))
	req.Header.Set(HeaderDelivery, d.WatchID+":"+strconv.FormatInt(d.EventSeq, 10))
	req.Header.Set(HeaderEvent, action.Event.Action)
	resp, err := n.cfg.Client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var wait time.Duration
		if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs > 0 {
			wait = time.Duration(secs) * time.Second
		}
		return resp.StatusCode, wait, &statusError{resp.Status}
	}
	return resp.StatusCode, 0, nil
}

// errNotPublic is the dialer's refusal of a non-public address.
var errNotPublic = errors.New("not a public address")

// Problem says why a call to the webhook at rawURL failed, in the terms of
// the watch's owner: what failed at their end (their host name, their
// server's answer, their certificate), never the server's own network (its
// resolver's address, its local addresses, or where an internal host name
// resolves). timeout is the time a call is given.
func Problem(err error, rawURL string, timeout time.Duration) string {
	host := rawURL
	if u, perr := url.Parse(rawURL); perr == nil && u.Host != "" {
		host = u.Host
	}
	var (
		status  *statusError
		dns     *net.DNSError
		unknown x509.UnknownAuthorityError
		badHost x509.HostnameError
		invalid x509.CertificateInvalidError
		record  tls.RecordHeaderError
		netErr  net.Error
	)
	switch {
	case errors.As(err, &status):
		return status.Error()
	case errors.Is(err, errNotPublic):
		return fmt.Sprintf("%s is not at a public address; webhooks are only called on public addresses", host)
	case errors.As(err, &dns):
		name := cmp.Or(dns.Name, host)
		switch {
		case dns.IsNotFound:
			return fmt.Sprintf("the host name %s does not exist (DNS)", name)
		case dns.IsTimeout:
			return fmt.Sprintf("looking up the host name %s timed out (DNS)", name)
		}
		return fmt.Sprintf("the host name %s could not be looked up (DNS)", name)
	case errors.As(err, &unknown):
		return fmt.Sprintf("the TLS certificate of %s is not signed by a known authority", host)
	case errors.As(err, &badHost):
		return fmt.Sprintf("the TLS certificate of %s is not valid for that host name", host)
	case errors.As(err, &invalid):
		return fmt.Sprintf("the TLS certificate of %s is not valid: %s", host, certificateReason(invalid.Reason))
	case errors.As(err, &record):
		return fmt.Sprintf("%s did not answer in TLS (is it http:// rather than https://?)", host)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Sprintf("%s did not answer within %s", host, timeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("%s refused the connection", host)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Sprintf("%s closed the connection without an answer", host)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return fmt.Sprintf("%s cannot be reached", host)
	}
	return fmt.Sprintf("the call to %s failed", host)
}

// certificateReason names an x509.InvalidReason the ways that happen to a
// webhook's server.
func certificateReason(r x509.InvalidReason) string {
	switch r {
	case x509.Expired:
		return "it has expired or is not yet valid"
	case x509.NotAuthorizedToSign:
		return "it was signed by a certificate that may not sign others"
	case x509.IncompatibleUsage:
		return "it is not for server authentication"
	}
	return "it was refused"
}

// PublicClient returns an HTTP client that will not connect to loopback,
// private, link-local or otherwise non-public addresses, whatever a URL's
// host name resolves to, and does not follow redirects.
func PublicClient() *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		a, err := netip.ParseAddr(host)
		if err != nil {
			return err
		}
		a = a.Unmap()
		if !a.IsGlobalUnicast() || a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() {
			return fmt.Errorf("webhook address %s: %w", a, errNotPublic)
		}
		return nil
	}}
	tr := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: 5 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second, MaxIdleConnsPerHost: 4, Proxy: nil}
	return &http.Client{Transport: tr, CheckRedirect: noRedirects}
}

// noRedirects makes a client return a redirect as the answer: a webhook
// that moved must be registered again, not followed somewhere unchecked.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
