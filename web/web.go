// Package web is Trustmark's public portal: server-rendered HTML pages at
// the addresses of the public contract (/, /search, /certificates/{number},
// /orgs/{uscc}, /bodies/{approval_no}, /labs/{cma_no},
// /persons/{registration_no}, /reports/{cma_no}/{number}) plus the report
// verification form (/reports) and the disclosure list (/disclosures).
//
// Pages are Chinese by default and English with ?lang=en or the browser's
// Accept-Language; they work without JavaScript, on a 360-pixel screen, and
// load no external assets. Templates are embedded and parsed once; every
// page is fed a typed struct.
package web

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"trustmark"
	"trustmark/search"
)

// History tells which events of a certificate are verified in the public
// traceability log. The portal shows its plain timeline from Store.Events
// when Config.History is nil.
type History interface {
	// CertificateHistory returns the log's view of the events of the
	// certificate with this number (the number of /certificates/{number}),
	// one entry per event it knows. It returns an error with code
	// ENotFound when it knows no such certificate.
	CertificateHistory(ctx context.Context, number string) ([]HistoryEntry, error)
}

// HistoryEntry is the log's view of one event.
type HistoryEntry struct {
	Seq      int64  // the event's Seq, which is its index in the log
	Verified bool   // included in the tree of a signed checkpoint
	ProofURL string // where the inclusion proof can be downloaded; "" when none
}

// Config is what the portal needs.
type Config struct {
	Store   trustmark.Store
	Search  *search.Index // nil: name search falls back to the store's name-fragment listing
	Clock   trustmark.Clock
	Logger  *slog.Logger
	History History // nil: plain timeline
	// BaseURL is the public address of the site (e.g. https://trustmark.example.cn),
	// used for the QR codes and printed links of certificate pages. Hosts
	// are further host names (host or host:port) the site answers to: a
	// request for one of them gets links to it. A request for any other
	// Host gets links to BaseURL, never to its Host (site.go). With no
	// BaseURL, the first of Hosts is the base, or http://localhost.
	BaseURL string
	Hosts   []string
}

// Handler serves the portal's pages.
type Handler struct {
	cfg   Config
	site  site
	mux   *http.ServeMux
	tmpl  map[string]*template.Template
	cache *registryCache
}

// NewHandler returns the portal's handler; mount it at "/".
func NewHandler(cfg Config) http.Handler {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	h := &Handler{cfg: cfg, site: newSite(cfg.BaseURL, cfg.Hosts), mux: http.NewServeMux(), tmpl: mustParseTemplates(), cache: &registryCache{}}
	h.mux.HandleFunc("GET /{$}", h.home)
	h.mux.HandleFunc("GET /search", h.search)
	h.mux.HandleFunc("GET /certificates/{number...}", h.certificate)
	h.mux.HandleFunc("GET /orgs/{uscc}", h.org)
	h.mux.HandleFunc("GET /bodies/{approval_no}", h.body)
	h.mux.HandleFunc("GET /labs/{cma_no}", h.lab)
	h.mux.HandleFunc("GET /persons/{registration_no}", h.person)
	h.mux.HandleFunc("GET /reports", h.reportForm)
	h.mux.HandleFunc("GET /reports/{cma_no}/{number}", h.report)
	h.mux.HandleFunc("GET /disclosures", h.disclosures)
	h.mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "User-agent: *\nDisallow: /search\n")
	})
	h.mux.HandleFunc("/", h.notFoundPage)
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Vary", "Accept-Language")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	w.Header().Set("Referrer-Policy", "same-origin")
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) today() trustmark.Date { return trustmark.DateOf(h.cfg.Clock()) }

//go:embed templates/*.html
var templateFS embed.FS

// pageTemplates lists the page templates; each is parsed with the layout.
var pageTemplates = []string{"home", "search", "certificate", "org", "body", "lab", "person", "report", "reportform", "disclosures", "notfound", "error"}

func mustParseTemplates() map[string]*template.Template {
	parsedOnce.Do(func() {
		funcs := template.FuncMap{
			"printf": fmt.Sprintf,
			"add":    func(a, b int) int { return a + b },
			"dict": func(kv ...any) map[string]any {
				m := map[string]any{}
				for i := 0; i+1 < len(kv); i += 2 {
					m[kv[i].(string)] = kv[i+1]
				}
				return m
			},
		}
		base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html"))
		parsed = map[string]*template.Template{}
		for _, name := range pageTemplates {
			parsed[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html"))
		}
	})
	return parsed
}

// The templates never change, so every handler shares one parsed set.
var (
	parsedOnce sync.Once
	parsed     map[string]*template.Template
)

// Page is what every page template gets: the language catalogue, the title,
// the search box's value and the links that keep the chosen language.
type Page struct {
	T         *Messages
	Title     string
	Query     string // the search box's value
	SwitchURL string // this page in the other language
	Path      string
	explicit  bool
	Robots    string // "noindex" for search and not-found pages
}

// Link returns path with the page's language kept when it was chosen
// explicitly (?lang=), so a reader who switched stays in that language.
func (p *Page) Link(path string) string {
	if !p.explicit {
		return path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "lang=" + p.T.Lang
}

// Lang returns the explicit language parameter for forms ("" when none).
func (p *Page) Lang() string {
	if p.explicit {
		return p.T.Lang
	}
	return ""
}

func (h *Handler) newPage(r *http.Request, title string) Page {
	m, explicit := pickLang(r)
	q := r.URL.Query()
	q.Set("lang", m.SwitchLang)
	sw := r.URL.EscapedPath() + "?" + q.Encode()
	return Page{T: m, Title: title, SwitchURL: sw, Path: r.URL.Path, explicit: explicit}
}

// render executes page template name into a buffer first, so that a
// template failure becomes a clean 500 rather than half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := h.tmpl[name].ExecuteTemplate(&buf, "layout.html", data); err != nil {
		h.cfg.Logger.Error("render page", "template", name, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// ErrorPage is the page of an unexpected failure.
type ErrorPage struct {
	Page
	Message string
}

// fail answers an error from the store: a client's mistake (invalid) is a
// 400 page with its message, an unreachable database a 503 page, anything
// else a 500 page; the details go only to the log.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := ErrorPage{Page: h.newPage(r, "")}
	p.Robots = "noindex"
	if trustmark.ErrorCode(err) == trustmark.EInvalid {
		p.Title = p.T.BadRequestTitle
		p.Message = p.T.Reason(err)
		h.render(w, r, http.StatusBadRequest, "error", &p)
		return
	}
	if r.Context().Err() != nil {
		return
	}
	h.cfg.Logger.Error("portal page failed", "path", r.URL.Path, "err", err)
	p.Title = p.T.ErrorTitle
	p.Message = p.T.ErrorText
	status := http.StatusInternalServerError
	if trustmark.ErrorCode(err) == trustmark.EUnavailable {
		// The database is down, not the product: come back (the API's
		// one table, http/error.go, answers the same).
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "5")
	}
	h.render(w, r, status, "error", &p)
}

func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, p *Page, path string) {
	http.Redirect(w, r, p.Link(path), http.StatusSeeOther)
}

// pathEscape escapes one path segment (certificate numbers may hold "/",
// which stays as is since the route takes the rest of the path).
func pathEscape(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "%2F", "/")
}

// Links to each kind of page.
func certURL(number string) string   { return "/certificates/" + pathEscape(number) }
func orgURL(u trustmark.USCC) string { return "/orgs/" + url.PathEscape(string(u)) }
func bodyURL(no string) string       { return "/bodies/" + url.PathEscape(no) }
func labURL(no string) string        { return "/labs/" + url.PathEscape(no) }
func personURL(no string) string     { return "/persons/" + url.PathEscape(no) }
func reportURL(cma, no string) string {
	return "/reports/" + url.PathEscape(cma) + "/" + url.PathEscape(no)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
