package verify

import "trustmark"

// Limits of one watch.
const (
	MaxWatchItems     = trustmark.MaxWatchItems
	MaxWatchesPerUser = 100
	minSecretBytes    = 16
	maxSecretBytes    = 256
)

// Watch, WatchItem, Delivery and WatchStore are domain types; these aliases
// keep this package's names. The webhooks themselves are called by package
// webhook.
type (
	Watch      = trustmark.Watch
	WatchItem  = trustmark.WatchItem
	Delivery   = trustmark.Delivery
	WatchStore = trustmark.WatchStore
)

// ParseWatchItem reads one item of a watchlist: a certificate number
// (kept in canonical form, trustmark.CertNumber, and matched so) or a USCC,
// in any form trustmark.Identify understands.
func ParseWatchItem(s string) (WatchItem, error) {
	id := trustmark.Identify(s)
	switch {
	case id.Kind == trustmark.IDUSCC && id.Err == nil:
		return WatchItem{Kind: trustmark.WatchOrg, Key: string(id.USCC)}, nil
	case id.Kind == trustmark.IDCertKey && id.Err == nil:
		return WatchItem{Kind: trustmark.WatchCertificate, Key: string(id.Key.Number)}, nil
	case id.CertNumber != "":
		return WatchItem{Kind: trustmark.WatchCertificate, Key: string(id.CertNumber)}, nil
	case id.Err != nil:
		return WatchItem{}, trustmark.Errorf(trustmark.EInvalid, "items", "%q cannot be watched: %s", s, trustmark.ErrorMessage(id.Err))
	}
	return WatchItem{}, trustmark.Errorf(trustmark.EInvalid, "items", "%q cannot be watched: only certificate numbers and unified social credit codes can", s)
}
