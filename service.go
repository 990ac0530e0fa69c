package trustmark

import (
	"context"
	"time"
)

// Store is the registry's storage: every read and write of the registry goes
// through it. Implementations must give the same behaviour on every database
// (see the conformance suite in storetest) and be safe for concurrent use.
//
// Every write records its events in the same transaction as the state, with
// Seq numbers assigned without gaps in commit order. Lookups of a missing
// record return an error with code ENotFound, never nil, nil.
type Store interface {
	Org(ctx context.Context, uscc USCC) (*Org, error)
	Body(ctx context.Context, approvalNo string) (*Body, error)
	Lab(ctx context.Context, cmaNo string) (*Lab, error)
	Person(ctx context.Context, registrationNo string) (*Person, error)
	// Certificate returns the certificate with this number. Numbers are unique
	// per type; when types share a number, the first in CertTypes order wins.
	Certificate(ctx context.Context, number string) (*Certificate, error)
	// CertificateByKey returns the certificate of the key's type and
	// number. Numbers, here and in Certificate, are compared in canonical
	// form (ParseCertNumber), however the caller spells them.
	CertificateByKey(ctx context.Context, k CertKey) (*Certificate, error)
	Report(ctx context.Context, cmaNo, number string) (*Report, error)

	Certificates(ctx context.Context, f CertificateFilter) (Page[Certificate], error)
	Reports(ctx context.Context, f ReportFilter) (Page[Report], error)
	Bodies(ctx context.Context, f PartyFilter) (Page[Body], error)
	Labs(ctx context.Context, f PartyFilter) (Page[Lab], error)
	Persons(ctx context.Context, f PartyFilter) (Page[Person], error)
	Orgs(ctx context.Context, f PartyFilter) (Page[Org], error)
	Stats(ctx context.Context) (Stats, error)

	// Events returns events in Seq order.
	Events(ctx context.Context, f EventFilter) ([]Event, error)

	// Import upserts one batch of records of one kind in one transaction, by
	// natural key: new records are created, changed ones updated, identical
	// ones left alone (for certificates as DecideImport decides); each
	// creation or change records an event. A record
	// that breaks a rule (unknown body, scope not approved, forbidden status
	// change) is rejected with its reason and does not block the others. The
	// outcomes are in the order of items.
	Import(ctx context.Context, actor Party, kind Kind, items []Record) ([]Outcome, error)

	// IssueCertificate registers the new certificate req asks actor to
	// issue, as DecideIssue decides, and returns it as stored.
	IssueCertificate(ctx context.Context, actor Party, req IssueRequest) (*Certificate, error)
	// TransitionCertificate changes a certificate's status, as
	// DecideTransition decides.
	TransitionCertificate(ctx context.Context, actor Party, number string, t Transition) (*Certificate, error)
	// ExpireCertificates records the expiry of every certificate that has
	// lapsed by today (DecideExpiry: valid or suspended, with an expiry date
	// before today), at most limit of them, and returns how many it expired.
	ExpireCertificates(ctx context.Context, today Date, limit int) (int, error)

	// CreateToken stores a new API token for party and returns it; only a
	// hash is kept. The party must exist.
	CreateToken(ctx context.Context, p Party) (string, error)
	// Authenticate returns the party of a token, or EUnauthorized.
	Authenticate(ctx context.Context, token string) (Party, error)

	Close() error
}

// BulkLoader is implemented by a Store that loads a large import faster
// when it knows of it in advance.
type BulkLoader interface {
	// BulkLoad runs load, which imports about rows records of kind through
	// the store's Import. The store may prepare for them and finish after
	// them (on SQLite, by building once at the end the indexes a large first
	// load would otherwise update row by row); its answers stay the same
	// meanwhile, if slower. It returns load's error, or its own.
	BulkLoad(ctx context.Context, kind Kind, rows int, load func(ctx context.Context) error) error
}

// Outcome is what Import did with one record.
type Outcome struct {
	Result Result
	Err    error // why the record was rejected
}

// Result is the fate of an imported record.
type Result int

// Import results.
const (
	Created Result = iota
	Updated
	Unchanged
	Rejected
)

// Page is one page of a listing; NextCursor is "" on the last page.
type Page[T any] struct {
	Items      []*T   `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// CertificateFilter selects certificates. Empty fields match everything.
type CertificateFilter struct {
	HolderUSCC     USCC
	BodyApprovalNo string
	Q              string // number prefix or holder name fragment
	Type           CertType
	Status         CertStatus // matched against the effective status
	Region         string     // holder's region code prefix (2, 4 or 6 digits)
	ChangedSince   Date       // status_since on or after this day
	Limit          int        // default 50, at most 1000
	Cursor         string
}

// ReportFilter selects test reports.
type ReportFilter struct {
	LabCMANo   string
	ClientUSCC USCC
	Limit      int
	Cursor     string
}

// PartyFilter selects bodies, labs, persons or orgs.
type PartyFilter struct {
	Q              string // name fragment
	Region         string
	BodyApprovalNo string // persons of a body
	Scope          string // laboratories whose scope has an item matching this fragment (MatchLabScope)
	Status         PartyStatus
	Limit          int
	Cursor         string
}

// Stats are the registry's headline counts.
type Stats struct {
	Orgs, Bodies, Labs, Persons, Reports int64
	Certificates                         map[CertStatus]int64
	Events                               int64
	LastEvent                            time.Time
}

// Clock gives the current time; tests fix it.
type Clock func() time.Time
