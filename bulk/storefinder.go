package bulk

import (
	"context"
	"strings"

	"trustmark"
)

// NewStoreFinder adapts any trustmark.Store to a Finder with one lookup per
// key. It is correct but slow; stores that can look up many keys in one
// query implement Finder themselves (sqlstore does).
func NewStoreFinder(s trustmark.Store) Finder { return storeFinder{s} }

type storeFinder struct{ s trustmark.Store }

func (f storeFinder) CertificatesByNumber(ctx context.Context, numbers []string) ([]*trustmark.Certificate, error) {
	var out []*trustmark.Certificate
	for _, n := range numbers {
		c, err := f.s.Certificate(ctx, n)
		if trustmark.IsNotFound(err) || trustmark.ErrorCode(err) == trustmark.EInvalid {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (f storeFinder) OrgsByUSCC(ctx context.Context, usccs []trustmark.USCC) ([]*trustmark.Org, error) {
	var out []*trustmark.Org
	for _, u := range usccs {
		o, err := f.s.Org(ctx, u)
		if trustmark.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

func (f storeFinder) LabsByCMANo(ctx context.Context, cmaNos []string) ([]*trustmark.Lab, error) {
	var out []*trustmark.Lab
	for _, n := range cmaNos {
		l, err := f.s.Lab(ctx, n)
		if trustmark.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

func (f storeFinder) ReportsByKey(ctx context.Context, keys []string) ([]*trustmark.Report, error) {
	var out []*trustmark.Report
	for _, k := range keys {
		cma, no, _ := strings.Cut(k, "/")
		r, err := f.s.Report(ctx, cma, no)
		if trustmark.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (f storeFinder) CertificateCounts(ctx context.Context, holders []trustmark.USCC, today trustmark.Date) (map[trustmark.USCC]map[trustmark.CertStatus]int, error) {
	out := map[trustmark.USCC]map[trustmark.CertStatus]int{}
	for _, h := range holders {
		m := map[trustmark.CertStatus]int{}
		filter := trustmark.CertificateFilter{HolderUSCC: h, Limit: 1000}
		for {
			page, err := f.s.Certificates(ctx, filter)
			if err != nil {
				return nil, err
			}
			for _, c := range page.Items {
				st, _ := c.EffectiveStatus(today)
				m[st]++
			}
			if page.NextCursor == "" || len(page.Items) == 0 {
				break
			}
			filter.Cursor = page.NextCursor
		}
		out[h] = m
	}
	return out, nil
}
