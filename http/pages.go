package http

import (
	nethttp "net/http"
	"strings"

	"trustmark"
)

// Pages is the front end for people (the portal, package web): the server
// sends it every request no other route takes, and the refusals the server
// itself makes of a page request (too many requests), so that a person is
// answered with a page in the page's language, never with the API's JSON.
type Pages interface {
	nethttp.Handler
	// ServeError answers err, a refusal of a page request, as a page with
	// the status of its code (StatusCode).
	ServeError(w nethttp.ResponseWriter, r *nethttp.Request, err error)
}

// MountPages mounts p at "/" and makes it answer the refusals of page
// requests. Call it before the server serves requests.
func (s *Server) MountPages(p Pages) {
	s.pages = p
	s.Mount("/", p)
}

// Refuse answers a refusal the server makes before any handler ran: as a
// page when the request is for a page and the server has Pages, else as
// the JSON error (Error). The API (/api/), the log's routes (/log/),
// /healthz and /metrics are answered in JSON.
func Refuse(w nethttp.ResponseWriter, r *nethttp.Request, err error) {
	info := infoOf(r)
	if info == nil || info.pages == nil || !pageRequest(r) {
		Error(w, r, err)
		return
	}
	info.errCode = trustmark.ErrorCode(err)
	info.pages.ServeError(w, r, err)
}

// pageRequest reports whether r is for one of the portal's pages.
func pageRequest(r *nethttp.Request) bool {
	p := r.URL.Path
	return !strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, "/log/") && p != "/healthz" && p != "/metrics"
}

// PagePatterns returns the patterns of the mounted pages (behind "/"),
// when they list them (web.Handler.Patterns), for the authorization walk.
func (s *Server) PagePatterns() []string {
	if p, ok := s.pages.(interface{ Patterns() []string }); ok {
		return p.Patterns()
	}
	return nil
}
