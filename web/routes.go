package web

import (
	"net/http"

	thttp "trustmark/http"
)

// patternMux is a ServeMux that remembers the patterns registered on it,
// so that the pages' routes can be listed (Handler.Patterns) for the
// authorization walk, which fails on a route it does not know. The
// workbench's mux (workMux) shares the list of the portal's.
type patternMux struct {
	*http.ServeMux
	patterns *[]string
}

func newPatternMux() *patternMux {
	return &patternMux{ServeMux: http.NewServeMux(), patterns: new([]string)}
}

// sub returns a new mux whose patterns join m's list.
func (m *patternMux) sub() *patternMux {
	return &patternMux{ServeMux: http.NewServeMux(), patterns: m.patterns}
}

// Handle registers h for pattern and records the pattern. A request it
// serves is logged and counted under the page's pattern (thttp.SetRoute),
// not under the "/" the server mounts every page on.
func (m *patternMux) Handle(pattern string, h http.Handler) {
	*m.patterns = append(*m.patterns, pattern)
	m.ServeMux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		thttp.SetRoute(r, r.Pattern)
		h.ServeHTTP(w, r)
	}))
}

// HandleFunc registers f for pattern and records the pattern.
func (m *patternMux) HandleFunc(pattern string, f func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(f))
}

// Patterns returns the patterns of every page, the workbench's included,
// in the order they were registered.
func (h *Handler) Patterns() []string { return append([]string(nil), *h.mux.patterns...) }
