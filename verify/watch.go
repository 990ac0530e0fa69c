package verify

import (
	"context"
	"net/url"
	"strings"
	"time"

	"trustmark"
)

// Limits of one watch.
const (
	MaxWatchItems     = 10_000
	MaxWatchesPerUser = 100
	maxURLBytes       = 2048
	minSecretBytes    = 16
	maxSecretBytes    = 256
)

// A Watch is a platform's webhook and the certificates and organisations it
// wants to hear about: when a watched certificate, or any certificate of a
// watched organisation, changes status, Trustmark POSTs a signed payload to
// URL.
type Watch struct {
	ID        string      `json:"id"`
	Owner     string      `json:"owner"` // the party that registered it, "kind:id"
	URL       string      `json:"url"`
	Secret    string      `json:"secret,omitempty"` // shown only when the watch is created
	Items     []WatchItem `json:"items"`
	CreatedAt time.Time   `json:"created_at"`
}

// WatchItem is one watched thing: a certificate number (Kind certificate) or
// an organisation's USCC (Kind org).
type WatchItem struct {
	Kind Kind   `json:"kind"`
	Key  string `json:"key"`
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed" // gave up after the last attempt
)

// Delivery is one webhook call for one event and one watch. Its state is
// stored, so that a restart neither loses nor repeats deliveries (beyond the
// one in flight, which receivers recognise by its ID).
type Delivery struct {
	ID            int64     `json:"id"`
	WatchID       string    `json:"watch_id"`
	EventSeq      int64     `json:"event_seq"`
	Payload       []byte    `json:"-"`
	State         string    `json:"state"`
	Attempts      int       `json:"attempts"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
	LastStatus    int       `json:"last_status,omitempty"` // HTTP status of the last attempt
	LastError     string    `json:"last_error,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	DeliveredAt   time.Time `json:"delivered_at,omitzero"`

	// URL and Secret are the watch's, filled by DueDeliveries.
	URL    string `json:"-"`
	Secret string `json:"-"`
}

// WatchStore keeps watches and the state of their deliveries. sqlstore.DB
// implements it. Lookups of a missing watch return ENotFound.
type WatchStore interface {
	// CreateWatch stores w, whose ID, Owner and CreatedAt are set.
	CreateWatch(ctx context.Context, w *Watch) error
	Watch(ctx context.Context, id string) (*Watch, error)
	// Watches returns the owner's watches, without their items.
	Watches(ctx context.Context, owner string) ([]*Watch, error)
	// UpdateWatchItems adds and removes items of a watch and returns how
	// many it holds afterwards.
	UpdateWatchItems(ctx context.Context, id string, add, remove []WatchItem) (int, error)
	// DeleteWatch removes a watch, its items and its pending deliveries.
	DeleteWatch(ctx context.Context, id string) error
	// MatchWatches returns, for each item some watch holds, those watches
	// (ID and CreatedAt only), in ID order.
	MatchWatches(ctx context.Context, items []WatchItem) (map[WatchItem][]*Watch, error)

	// NotifyCursor returns the Seq of the last event the notifier has
	// processed, -1 before the first.
	NotifyCursor(ctx context.Context) (int64, error)
	// EnqueueDeliveries stores new pending deliveries and moves the cursor
	// to seq, atomically. A delivery for a (watch, event) already stored is
	// skipped.
	EnqueueDeliveries(ctx context.Context, ds []*Delivery, seq int64) error
	// DueDeliveries returns up to limit pending deliveries whose next
	// attempt is due at now, oldest first, with their watch's URL and secret.
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]*Delivery, error)
	// UpdateDelivery stores the outcome of an attempt: State, Attempts,
	// NextAttemptAt, LastStatus, LastError, DeliveredAt.
	UpdateDelivery(ctx context.Context, d *Delivery) error
	// Deliveries returns a watch's latest deliveries, newest first.
	Deliveries(ctx context.Context, watchID string, limit int) ([]*Delivery, error)
}

// ParseWatchItem reads one item of a watchlist: a certificate number
// (kept upper-cased, and matched so) or a USCC, in any form Classify
// understands.
func ParseWatchItem(s string) (WatchItem, error) {
	it := Classify(s)
	if it.Kind == KindOrg && it.Err == nil {
		return WatchItem{Kind: KindOrg, Key: string(it.USCC)}, nil
	}
	if it.CertNumber {
		return WatchItem{Kind: KindCertificate, Key: it.Norm}, nil
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
