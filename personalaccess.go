package trustmark

import (
	"context"
	"time"
)

// PersonalAccess is one view of personal data by a signed-in caller (issue
// 12): who saw which personal fields of whom, when, on which route, and in
// which region the data belongs. It is kept in an append-only access log
// apart from the public log: the public log never holds personal data, and
// the access log is read by the regulators of the region.
type PersonalAccess struct {
	ID      int64     // the log's order; assigned when recorded
	At      time.Time // when the data was served
	Viewer  Party     // who saw it: a party, or account:ID for a person
	Role    string    // the role that let the viewer see it ("regulator:510000"), "" when none did by rule
	Subject string    // whose data: "person:REGISTRATION_NO"
	Fields  []string  // which personal fields were shown ("position", "photos", ...)
	Region  string    // the GB/T 2260 region the data belongs to, which scopes who reads the log
	Route   string    // why: the route (pattern) that served it
	Context string    // the record shown: "audit:ID"
}

// PersonalAccessFilter selects records of the access log. Region "" or
// NationalRegion selects all regions; otherwise records whose region the
// code covers (RegionCovers).
type PersonalAccessFilter struct {
	Subject string // "" for every subject
	Region  string
	Before  int64 // records with ID below this; 0 for the newest
	Limit   int   // default 100
}

// PersonalAccessLog keeps the access log of personal data.
type PersonalAccessLog interface {
	// RecordPersonalAccess appends records, in one transaction.
	RecordPersonalAccess(ctx context.Context, rs []PersonalAccess) error
	// PersonalAccesses returns records newest first.
	PersonalAccesses(ctx context.Context, f PersonalAccessFilter) ([]PersonalAccess, error)
}
