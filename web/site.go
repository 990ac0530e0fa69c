package web

import (
	"net/http"
	"net/url"
	"strings"
)

// site is where the portal's printed links and QR codes point. The Host
// header is the client's to choose: a page that echoed it into its QR code
// would send whoever scans a page cached by a proxy to the client's host.
// So links use the configured base URL, or one of the configured host
// names when the request is for it, and never any other host.
type site struct {
	base     string              // scheme://host[:port], no trailing slash
	baseHost string              // the base's host, when the base was configured
	hosts    map[string]struct{} // lower-case host[:port] the site answers to
}

// newSite returns the site of cfg. With no BaseURL the first of Hosts (on
// http) is the base, and with neither http://localhost: links then lead
// nowhere rather than anywhere a client says.
func newSite(base string, hosts []string) site {
	s := site{base: strings.TrimRight(base, "/"), hosts: map[string]struct{}{}}
	for _, h := range hosts {
		s.hosts[normalHost(h)] = struct{}{}
	}
	if s.base == "" {
		s.base = "http://localhost"
		if len(hosts) > 0 {
			s.base = "http://" + normalHost(hosts[0])
		}
	} else if u, err := url.Parse(s.base); err == nil {
		s.baseHost = normalHost(u.Host)
	}
	return s
}

// normalHost is a host[:port] as compared: lower case, without the
// trailing dot of a fully qualified name.
func normalHost(h string) string {
	h = strings.ToLower(h)
	if host, port, ok := strings.Cut(h, ":"); ok && !strings.Contains(port, ":") {
		return strings.TrimSuffix(host, ".") + ":" + port
	}
	return strings.TrimSuffix(h, ".")
}

// absolute returns the public address of path for request r: on r's host
// when it is one of the configured hosts (with r's scheme), else on the
// base (a configured base keeps its own scheme).
func (s site) absolute(r *http.Request, path string) string {
	host := normalHost(r.Host)
	if _, ok := s.hosts[host]; !ok || host == s.baseHost {
		return s.base + path
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + host + path
}
