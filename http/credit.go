package http

import (
	"context"
	nethttp "net/http"

	"trustmark"
	"trustmark/credit"
)

// SeriousViolations reads the public serious-violation list; the store
// implements it.
type SeriousViolations interface {
	// SeriousViolations returns the list on day on, in a stable order after
	// the cursor after, at most limit items, and the next page's cursor
	// ("" at the end).
	SeriousViolations(ctx context.Context, on trustmark.Date, after string, limit int) ([]credit.PublicListing, string, error)
}

// SeriousViolationJSON is one entry of GET /api/v1/credit/serious-violations:
// exactly credit.Public's view, so that nothing personal beyond it is shown.
type SeriousViolationJSON = credit.PublicListing

// creditSeriousViolations answers GET /api/v1/credit/serious-violations: the
// list as it stands today, public.
func (s *Server) creditSeriousViolations(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := parseQuery(r, "limit", "cursor")
	limit, cursor := q.limit(), q.str("cursor")
	if q.err != nil {
		Error(w, r, q.err)
		return
	}
	src, ok := s.cfg.Store.(SeriousViolations)
	if !ok {
		Error(w, r, trustmark.Errorf(trustmark.EUnavailable, "", "this server does not keep the serious-violation list"))
		return
	}
	items, next, err := src.SeriousViolations(r.Context(), s.today(), cursor, limit)
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, listJSON[SeriousViolationJSON]{Items: items, NextCursor: next})
}
