package trustmark

import (
	"context"
	"time"
)

// NameSearch finds organisations, bodies, laboratories and certificates by
// the words of their names (the portal's search box, for what is not an
// identifier: Identify decides). The full-text index (package search)
// implements it; so does search.Fragments over any Store, unranked, for a
// server without an index. Implementations are safe for concurrent use; a
// query with nothing to search for is an invalid error with a reason.
type NameSearch interface {
	Search(ctx context.Context, q SearchQuery) (*SearchResult, error)
}

// SearchKind is the kind of record a search document describes.
type SearchKind string

// Search document kinds.
const (
	SearchOrg         SearchKind = "org"
	SearchBody        SearchKind = "body"
	SearchLab         SearchKind = "lab"
	SearchCertificate SearchKind = "certificate"
)

// SearchDoc is what a name search knows of one record. For a certificate,
// Name is the holder's name and Number the certificate number; for the
// others Number is the identifier (USCC, approval number, CMA number).
type SearchDoc struct {
	Kind       SearchKind
	Number     string
	Name       string
	NameEn     string
	Product    string // certificates
	Scope      string // certificates
	Type       CertType
	Status     string // stored status
	Region     string // 6-digit GB/T 2260 code
	ExpiresOn  Date
	HolderUSCC USCC
}

// ID returns the document's identity: kind and natural key.
func (d *SearchDoc) ID() string {
	if d.Kind == SearchCertificate {
		return string(d.Kind) + ":" + string(d.Type) + "/" + d.Number
	}
	return string(d.Kind) + ":" + d.Number
}

// EffectiveStatus is the certificate status to show on today (see
// Certificate.EffectiveStatus); other kinds return Status.
func (d *SearchDoc) EffectiveStatus(today Date) string {
	if d.Kind != SearchCertificate {
		return d.Status
	}
	c := Certificate{Status: CertStatus(d.Status), ExpiresOn: d.ExpiresOn}
	s, _ := c.EffectiveStatus(today)
	return string(s)
}

// SearchQuery is a name search: free text and filters. Empty filters match
// everything.
type SearchQuery struct {
	Text   string
	Kinds  []SearchKind
	Type   CertType
	Status string // a certificate status (matched as effective on Today) or a party status
	Region string // GB/T 2260 code of 2, 4 or 6 digits (trailing "00" pairs ignored)
	Today  Date   // for effective certificate status; zero means no expiry check
	Limit  int    // default 20, at most 100
	Offset int
}

// SearchHit is one found document.
type SearchHit struct {
	SearchDoc
	Score float64 // relevance, comparable within one answer
}

// SearchResult is a page of hits, best first, and the total number found.
// Fragments says the hits match name fragments, unranked and not paged
// (search.Fragments, a server without an index).
type SearchResult struct {
	Total     uint64
	Hits      []SearchHit
	Took      time.Duration
	Fragments bool
}
