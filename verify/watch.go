package verify

import (
	"net/url"
	"strings"

	"trustmark"
)

// Limits of one watch.
const (
	MaxWatchItems     = trustmark.MaxWatchItems
	MaxWatchesPerUser = 100
	maxURLBytes       = 2048
	minSecretBytes    = 16
	maxSecretBytes    = 256
)

// Watch, WatchItem, Delivery and WatchStore are domain types; these aliases
// keep this package's names.
type (
	Watch      = trustmark.Watch
	WatchItem  = trustmark.WatchItem
	Delivery   = trustmark.Delivery
	WatchStore = trustmark.WatchStore
)

// Delivery states.
const (
	DeliveryPending   = trustmark.DeliveryPending
	DeliveryDelivered = trustmark.DeliveryDelivered
	DeliveryFailed    = trustmark.DeliveryFailed
)

// ParseWatchItem reads one item of a watchlist: a certificate number
// (kept upper-cased, and matched so) or a USCC, in any form Classify
// understands.
func ParseWatchItem(s string) (WatchItem, error) {
	it := Classify(s)
	if it.Kind == KindOrg && it.Err == nil {
		return WatchItem{Kind: trustmark.WatchOrg, Key: string(it.USCC)}, nil
	}
	if it.CertNumber {
		return WatchItem{Kind: trustmark.WatchCertificate, Key: it.Norm}, nil
	}
	if it.Err != nil {
		return WatchItem{}, trustmark.Errorf(trustmark.EInvalid, "items", "%q cannot be watched: %s", s, trustmark.ErrorMessage(it.Err))
	}
	return WatchItem{}, trustmark.Errorf(trustmark.EInvalid, "items", "%q cannot be watched: only certificate numbers and unified social credit codes can", s)
}

// checkWebhookURL validates a webhook address: absolute http or https, no
// credentials, of reasonable length. Where it may point is checked when it
// is called (see the notifier's dialer).
func checkWebhookURL(s string) (string, error) {
	if len(s) > maxURLBytes {
		return "", trustmark.Errorf(trustmark.EInvalid, "url", "webhook URL is %d bytes, want at most %d", len(s), maxURLBytes)
	}
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", trustmark.Errorf(trustmark.EInvalid, "url", "webhook URL %q is not an absolute http:// or https:// address", s)
	}
	if u.User != nil {
		return "", trustmark.Errorf(trustmark.EInvalid, "url", "webhook URL must not contain a user name or password")
	}
	u.Fragment = ""
	return u.String(), nil
}
