package search

import (
	"context"
	"slices"
	"strings"

	"trustmark"
)

// Fragments returns a trustmark.NameSearch over the store's name-fragment
// listings, for a server without an index (tests, or an index being built):
// slower at scale, unranked and unpaged (Result.Fragments), but honest. It
// folds traditional characters as the index does.
func Fragments(st trustmark.Store) trustmark.NameSearch { return fragments{st} }

type fragments struct{ st trustmark.Store }

// Search implements trustmark.NameSearch: up to q.Limit (default 20) of
// each kind the query allows.
func (f fragments) Search(ctx context.Context, q Query) (*Result, error) {
	text := Simplify(strings.TrimSpace(q.Text))
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	want := func(k Kind) bool { return len(q.Kinds) == 0 || slices.Contains(q.Kinds, k) }
	var hits []Hit
	pf := trustmark.PartyFilter{Q: text, Region: q.Region, Limit: limit}
	if want(KindOrg) && q.Type == "" && q.Status == "" {
		page, err := f.st.Orgs(ctx, pf)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Items {
			hits = append(hits, Hit{SearchDoc: OrgDoc(o)})
		}
	}
	if want(KindBody) && q.Type == "" && q.Status == "" {
		page, err := f.st.Bodies(ctx, pf)
		if err != nil {
			return nil, err
		}
		for _, b := range page.Items {
			hits = append(hits, Hit{SearchDoc: BodyDoc(b)})
		}
	}
	if want(KindLab) && q.Type == "" && q.Status == "" {
		page, err := f.st.Labs(ctx, pf)
		if err != nil {
			return nil, err
		}
		for _, l := range page.Items {
			hits = append(hits, Hit{SearchDoc: LabDoc(l)})
		}
	}
	if want(KindCertificate) {
		page, err := f.st.Certificates(ctx, trustmark.CertificateFilter{Q: text, Type: q.Type, Status: trustmark.CertStatus(q.Status), Region: q.Region, Limit: limit})
		if err != nil {
			return nil, err
		}
		for _, c := range page.Items {
			hits = append(hits, Hit{SearchDoc: CertificateDoc(c, c.HolderUSCC.RegionCode())})
		}
	}
	return &Result{Total: uint64(len(hits)), Hits: hits, Fragments: true}, nil
}
