package trustmark

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Limits of watches: the items of one watchlist, and the watches of one
// party.
const (
	MaxWatchItems      = 10_000
	MaxWatchesPerOwner = 100
)

// WatchKind is what a watch item names.
type WatchKind string

// Watch item kinds.
const (
	WatchCertificate WatchKind = "certificate" // a certificate number
	WatchOrg         WatchKind = "org"         // an organisation's USCC
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
	Kind WatchKind `json:"kind"`
	Key  string    `json:"key"`
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

	// EnqueueDeliveries stores new pending deliveries; a delivery for a
	// (watch, event) already stored is skipped. Called from the handler of
	// a Follower with InTransaction, it writes in the transaction that
	// moves the follower's cursor.
	EnqueueDeliveries(ctx context.Context, ds []*Delivery) error
	// DueDeliveries returns up to limit pending deliveries whose next
	// attempt is due at now, oldest first, with their watch's URL and secret.
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]*Delivery, error)
	// UpdateDelivery stores the outcome of an attempt: State, Attempts,
	// NextAttemptAt, LastStatus, LastError, DeliveredAt.
	UpdateDelivery(ctx context.Context, d *Delivery) error
	// Deliveries returns a watch's latest deliveries, newest first.
	Deliveries(ctx context.Context, watchID string, limit int) ([]*Delivery, error)

	// AcquireLease takes the lease name for holder until now+ttl and
	// reports whether it did: it does when the lease is free, expired at
	// now, or already holder's (which renews it). It is atomic, so that of
	// several servers sharing the database exactly one holds a lease at a
	// time (so long as their clocks agree within the ttl).
	AcquireLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error)
	// ReleaseLease frees the lease name if holder holds it.
	ReleaseLease(ctx context.Context, name, holder string) error
}

// ParseWatchItem reads one item of a watchlist: a certificate number (kept
// in canonical form, CertNumber, and matched so) or a USCC, in any form
// Identify understands. A malformed item is refused with the reason of its
// identifier's rule, so that it is said in the reader's language.
func ParseWatchItem(s string) (WatchItem, error) {
	id := Identify(s)
	switch {
	case id.Kind == IDUSCC && id.Err == nil:
		return WatchItem{Kind: WatchOrg, Key: string(id.USCC)}, nil
	case id.Kind == IDCertKey && id.Err == nil:
		return WatchItem{Kind: WatchCertificate, Key: string(id.Key.Number)}, nil
	case id.CertNumber != "":
		return WatchItem{Kind: WatchCertificate, Key: string(id.CertNumber)}, nil
	case id.Err != nil:
		e := &Error{Code: EInvalid, Field: "items", Message: fmt.Sprintf("%q cannot be watched: %s", s, ErrorMessage(id.Err))}
		var why *Error
		if errors.As(id.Err, &why) {
			e.Reason, e.Args = why.Reason, why.Args
		}
		return WatchItem{}, e
	}
	return WatchItem{}, Invalidf("watch.item_kind", "items", "%q cannot be watched: only certificate numbers and unified social credit codes can", s)
}
