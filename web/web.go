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
	"trustmark/bulk"
	"trustmark/calendar"
	thttp "trustmark/http"
	"trustmark/locale"
	"trustmark/matter"
	"trustmark/statistics"
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
	Store trustmark.Store
	// Search finds records by name: the full-text index (search.Index),
	// or search.Fragments over the store without one. With none, name
	// searches answer unavailable.
	Search  trustmark.NameSearch
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

	// Verify answers the bulk verification page (/verify); default a
	// bulk.Service over Store.
	Verify *bulk.Service
	// MaxUploadItems bounds the items of one upload to /verify (default
	// DefaultMaxUploadItems). MaxUploads and MaxUploadsPerClient bound the
	// uploads read at once, in all and from one client (defaults
	// DefaultUploads and DefaultUploadsPerClient); ClientKey names a
	// request's client (default its connection's address; serve passes the
	// rate limiter's, which believes trusted proxies).
	MaxUploadItems      int
	MaxUploads          int
	MaxUploadsPerClient int
	ClientKey           func(*http.Request) string

	// Auth is the server's one authentication path; with accounts it
	// serves the sign-in pages and the workbench (/signin, /work/). Inbox
	// lists the matters waiting for the signed-in person (nil until the
	// matter store exists); Matters counts their working days (default
	// matter.Official()). See work.go.
	Auth    *thttp.Auth
	Inbox   Inbox
	Matters *matter.Rules
	// Calendar is the server's official calendar, on which the national
	// administrator's load of a later year's notice (/work/calendar) is
	// installed; default Matters' calendar (calendarpage.go).
	Calendar *calendar.Calendar

	// Statistics counts the plan's indicators (/statistics); default Store
	// when it is a statistics.Source.
	Statistics statistics.Source
}

// Handler serves the portal's pages.
type Handler struct {
	cfg     Config
	site    site
	mux     *patternMux
	tmpl    map[string]*template.Template
	cache   *registryCache
	uploads *uploadGate

	examplesCache exampleCache // the front page's examples (examples.go)

	refusedOnce sync.Once // the import page's refused rows on disk (importrefused.go)
	refused     *refusedStore
}

// NewHandler returns the portal's handler; mount it at "/" (the server's
// MountPages).
func NewHandler(cfg Config) *Handler {
	cfg = cfg.withDefaults()
	h := &Handler{cfg: cfg, site: newSite(cfg.BaseURL, cfg.Hosts), mux: newPatternMux(), tmpl: mustParseTemplates(), cache: &registryCache{},
		uploads: &uploadGate{perClient: cfg.MaxUploadsPerClient, total: cfg.MaxUploads}}
	h.registerPublic()
	if cfg.Auth != nil && cfg.Auth.Accounts() {
		h.registerAccounts()
	}
	h.mux.HandleFunc("/", h.notFoundPage)
	return h
}

// withDefaults is cfg with the defaults its fields document filled in.
func (cfg Config) withDefaults() Config {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Search == nil {
		cfg.Search = noSearch{}
	}
	if cfg.Verify == nil {
		cfg.Verify = bulk.New(bulk.Config{Store: cfg.Store, Clock: cfg.Clock, Logger: cfg.Logger})
	}
	if cfg.MaxUploadItems <= 0 {
		cfg.MaxUploadItems = DefaultMaxUploadItems
	}
	if cfg.MaxUploads <= 0 {
		cfg.MaxUploads = DefaultUploads
	}
	if cfg.MaxUploadsPerClient <= 0 {
		cfg.MaxUploadsPerClient = DefaultUploadsPerClient
	}
	if cfg.ClientKey == nil {
		cfg.ClientKey = remoteHost
	}
	if src, ok := cfg.Store.(statistics.Source); ok && cfg.Statistics == nil {
		cfg.Statistics = src
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return cfg
}

// registerPublic adds the pages anyone may open.
func (h *Handler) registerPublic() {
	h.mux.HandleFunc("GET /{$}", h.home)
	h.mux.HandleFunc("GET /search", h.search)
	h.mux.HandleFunc("GET /certificates/{number...}", h.certificate)
	h.mux.HandleFunc("GET /orgs/{uscc}", h.org)
	h.mux.HandleFunc("GET /bodies/{approval_no}", h.body)
	h.mux.HandleFunc("GET /labs", h.labs)
	h.mux.HandleFunc("GET /labs/{cma_no}", h.lab)
	h.mux.HandleFunc("GET /persons/{registration_no}", h.person)
	h.mux.HandleFunc("GET /reports", h.reportForm)
	h.mux.HandleFunc("GET /reports/{cma_no}/{number}", h.report)
	h.mux.HandleFunc("GET /disclosures", h.disclosures)
	h.mux.HandleFunc("GET /verify", h.verifyPage)
	h.mux.HandleFunc("POST /verify", h.verifyUpload)
	h.mux.HandleFunc("GET /statistics", h.statisticsPage)
	h.mux.HandleFunc("GET /statistics/{file}", h.statisticsFile)
	h.mux.HandleFunc("GET /credit", h.creditPage)
	h.mux.HandleFunc("GET /campaigns", h.campaignsPage)
	h.mux.HandleFunc("GET /campaigns/{id}", h.campaignPage)
	h.mux.HandleFunc("GET /campaigns/{id}/results.csv", h.campaignResultsCSV)
	h.mux.HandleFunc("GET /credit/serious-violations.csv", h.creditDownload)
	h.mux.HandleFunc("GET /robots.txt", robots)
}

// robots answers /robots.txt: crawlers may read every page but the
// search's answers.
func robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, "User-agent: *\nDisallow: /search\n")
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.setHeaders(w)
	h.mux.ServeHTTP(w, r)
}

// setHeaders sets the headers of every page.
func (h *Handler) setHeaders(w http.ResponseWriter) {
	w.Header().Set("Vary", "Accept-Language")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	w.Header().Set("Referrer-Policy", "same-origin")
}

func (h *Handler) today() trustmark.Date { return trustmark.DateOf(h.cfg.Clock()) }

//go:embed templates/*.html
var templateFS embed.FS

// pageTemplates lists the page templates; each is parsed with the layout.
var pageTemplates = []string{"home", "search", "certificate", "org", "body", "lab", "labs", "person", "report", "reportform", "disclosures", "notfound", "error", "verify", "statistics", "credit", "campaign",
	"signin", "signin_code", "signin_link", "work", "matter", "staff", "certform", "certtransition", "importpage"}

func mustParseTemplates() map[string]*template.Template {
	parsedOnce.Do(func() {
		funcs := template.FuncMap{
			"printf":      fmt.Sprintf,
			"add":         func(a, b int) int { return a + b },
			"statusLabel": locale.StatusLabel,
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
		chromes = buildChromes(parsed["home"])
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
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	if err := h.tmpl[name].ExecuteTemplate(buf, "layout.html", data); err != nil {
		h.cfg.Logger.Error("render page", "template", name, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// refuse answers a refusal of a form on its page name: data again, the
// refusal put on it by show, at the refusal's status. A failure of the
// server (5xx) is the error page instead: nothing the person sent is
// wrong.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, err error, name string, data any, show func()) {
	status := thttp.StatusCode(trustmark.ErrorCode(err))
	if status >= 500 {
		h.fail(w, r, err)
		return
	}
	show()
	h.render(w, r, status, name, data)
}

// refuseRebuilt is refuse for a page built again to show the refusal on,
// its lists read afresh after the step that was refused: build runs only
// for a refusal the person can act on, and its own failure is the error
// page.
func refuseRebuilt[P any](h *Handler, w http.ResponseWriter, r *http.Request, err error, name string, build func(*http.Request) (P, error), show func(P)) {
	if thttp.StatusCode(trustmark.ErrorCode(err)) >= 500 {
		h.fail(w, r, err)
		return
	}
	p, perr := build(r)
	if perr != nil {
		h.fail(w, r, perr)
		return
	}
	h.refuse(w, r, err, name, p, func() { show(p) })
}

// renderBuffers recycles render's buffers: a page is 10-60 kB, grown
// from nothing for every page before.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putRenderBuffer(b *bytes.Buffer) {
	if b.Cap() > 256<<10 {
		return // a very long listing: let it go rather than keep it
	}
	b.Reset()
	renderBuffers.Put(b)
}

// ErrorPage is the page of an unexpected failure.
type ErrorPage struct {
	Page
	Message string
}

// fail answers an error from the store with the status of its code (the
// one table, http/error.go): a client's mistake is a page with its message
// in the page's language, an unreachable database a 503 page, anything
// else a 500 page; the details go only to the log.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := ErrorPage{Page: h.newPage(r, "")}
	p.Robots = "noindex"
	status := thttp.StatusCode(trustmark.ErrorCode(err))
	if status < 500 {
		p.Title = p.T.BadRequestTitle
		if status == http.StatusNotFound {
			p.Title = p.T.NotFoundTitle
		}
		p.Message = p.T.Reason(err)
		h.render(w, r, status, "error", &p)
		return
	}
	if r.Context().Err() != nil {
		return
	}
	h.cfg.Logger.Error("portal page failed", "path", r.URL.Path, "err", err)
	p.Title = p.T.ErrorTitle
	p.Message = p.T.ErrorText
	if status == http.StatusServiceUnavailable {
		// The database is down, not the product: come back.
		w.Header().Set("Retry-After", "5")
	}
	h.render(w, r, status, "error", &p)
}

// ServeError answers err, a refusal the server made of a page request
// before it reached a page (too many requests), as a page in the page's
// language with the status of err's code (http.Pages).
func (h *Handler) ServeError(w http.ResponseWriter, r *http.Request, err error) {
	h.setHeaders(w)
	p := ErrorPage{Page: h.newPage(r, "")}
	p.Robots = "noindex"
	switch trustmark.ErrorCode(err) {
	case trustmark.ERateLimited:
		p.Title = p.T.RateLimitedTitle
	case trustmark.EUnavailable:
		p.Title = p.T.BusyTitle
	default:
		p.Title = p.T.ErrorTitle
	}
	p.Message = p.T.Reason(err)
	h.render(w, r, thttp.StatusCode(trustmark.ErrorCode(err)), "error", &p)
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

// noSearch is the name search of a portal configured without one.
type noSearch struct{}

func (noSearch) Search(context.Context, trustmark.SearchQuery) (*trustmark.SearchResult, error) {
	return nil, trustmark.Errorf(trustmark.EUnavailable, "", "name search is not configured on this server")
}
