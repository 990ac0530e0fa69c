package web

import (
	"context"
	"strconv"
	"strings"

	"trustmark"
)

// statusOrder is the order in which a body's page lists its certificates
// when no status is chosen: those in force first, then the suspended, the
// sanctioned and the withdrawn, and the lapsed last.
var statusOrder = trustmark.CertStatuses

// certsByStatus lists one page of the certificates f selects. With no
// status in f it goes through statusOrder, one status after the other;
// its cursor is then "i:cursor", the status's index and the store's
// cursor within it.
func (h *Handler) certsByStatus(ctx context.Context, f trustmark.CertificateFilter) ([]*trustmark.Certificate, string, error) {
	if f.Status != "" {
		page, err := h.cfg.Store.Certificates(ctx, f)
		return page.Items, page.NextCursor, err
	}
	limit := f.Limit
	phase, cursor := 0, f.Cursor
	if i, rest, ok := strings.Cut(f.Cursor, ":"); ok {
		if n, err := strconv.Atoi(i); err == nil && n >= 0 && n < len(statusOrder) {
			phase, cursor = n, rest
		}
	}
	var certs []*trustmark.Certificate
	for ; phase < len(statusOrder); phase, cursor = phase+1, "" {
		f.Status, f.Cursor, f.Limit = statusOrder[phase], cursor, limit-len(certs)
		page, err := h.cfg.Store.Certificates(ctx, f)
		if err != nil {
			return nil, "", err
		}
		certs = append(certs, page.Items...)
		if page.NextCursor != "" {
			return certs, strconv.Itoa(phase) + ":" + page.NextCursor, nil
		}
		if len(certs) >= limit && phase+1 < len(statusOrder) {
			return certs, strconv.Itoa(phase+1) + ":", nil
		}
	}
	return certs, "", nil
}
