package http

import (
	nethttp "net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"trustmark"
)

// maxListLimit is the largest page a listing answers (Store's limit too).
const maxListLimit = 1000

// query reads a request's query parameters strictly: an unknown or repeated
// parameter, or a value of the wrong form, is an invalid error naming the
// parameter. The first error wins; check err once after reading them all.
type query struct {
	r   *nethttp.Request
	err error
}

// parseQuery checks the request's parameters against the allowed names.
func parseQuery(r *nethttp.Request, allowed ...string) *query {
	q := &query{r: r}
	values := r.URL.Query()
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "lang" && len(values[name]) == 1 {
			continue // the language of the answer's messages, on every route (Messages)
		}
		if !contains(allowed, name) {
			q.fail(trustmark.Invalidf("query.unknown", name, "unknown query parameter %q (known: %s)", name, strings.Join(allowed, ", ")))
			break
		}
		if len(values[name]) > 1 {
			q.fail(trustmark.Invalidf("query.repeated", name, "query parameter %q is given %d times; give it once", name, len(values[name])))
			break
		}
	}
	return q
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (q *query) fail(err error) {
	if q.err == nil {
		q.err = err
	}
}

// str returns a parameter's trimmed value.
func (q *query) str(name string) string {
	v := strings.TrimSpace(q.r.URL.Query().Get(name))
	if len(v) > 256 {
		q.fail(trustmark.Invalidf("query.length", name, "%s is %d bytes long, want at most 256", name, len(v)))
		return ""
	}
	if !utf8.ValidString(v) {
		q.fail(trustmark.Invalidf("query.utf8", name, "%s is not valid UTF-8 text", name))
		return ""
	}
	return v
}

// limit returns the page size: default 50, between 1 and maxListLimit.
func (q *query) limit() int {
	s := q.str("limit")
	if s == "" {
		return 50
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxListLimit {
		q.fail(trustmark.Invalidf("query.limit", "limit", "limit %q is not a whole number from 1 to %d", s, maxListLimit))
		return 0
	}
	return n
}

func (q *query) date(name string) trustmark.Date {
	s := q.str(name)
	if s == "" {
		return trustmark.Date{}
	}
	d, err := trustmark.ParseDate(s)
	if err != nil {
		q.fail(trustmark.Invalidf("query.date", name, "%s %q is not a date of the form YYYY-MM-DD", name, s))
	}
	return d
}

func (q *query) uscc(name string) trustmark.USCC {
	s := q.str(name)
	if s == "" {
		return ""
	}
	u, err := trustmark.ParseUSCC(s)
	if err != nil {
		q.fail(fieldError(name, err))
	}
	return u
}

func (q *query) approvalNo(name string) string {
	s := q.str(name)
	if s == "" {
		return ""
	}
	a, err := trustmark.ParseApprovalNo(s)
	if err != nil {
		q.fail(fieldError(name, err))
	}
	return string(a)
}

func (q *query) cmaNo(name string) string {
	s := q.str(name)
	if s == "" {
		return ""
	}
	c, err := trustmark.ParseCMANo(s)
	if err != nil {
		q.fail(fieldError(name, err))
	}
	return string(c)
}

func (q *query) certType(name string) trustmark.CertType {
	s := q.str(name)
	if s == "" {
		return ""
	}
	t, err := trustmark.ParseCertType(s)
	if err != nil {
		q.fail(fieldError(name, err))
	}
	return t
}

func (q *query) certStatus(name string) trustmark.CertStatus {
	s := q.str(name)
	if s == "" {
		return ""
	}
	st, err := trustmark.ParseCertStatus(s)
	if err != nil {
		q.fail(fieldError(name, err))
	}
	return st
}

func (q *query) partyStatus(name string, allowBanned bool) trustmark.PartyStatus {
	s := q.str(name)
	if s == "" {
		return ""
	}
	st, err := trustmark.ParsePartyStatus(s, allowBanned)
	if err != nil {
		q.fail(fieldError(name, err))
	}
	return st
}

func (q *query) region(name string) string {
	s := q.str(name)
	if s == "" {
		return ""
	}
	if n := len(s); (n != 2 && n != 4 && n != 6) || strings.Trim(s, "0123456789") != "" {
		q.fail(trustmark.Invalidf("query.region", name, "region %q is not a GB/T 2260 code prefix of 2, 4 or 6 digits", s))
		return ""
	}
	return s
}

// fieldError re-labels a domain validation error with the name the client
// used for the value.
func fieldError(field string, err error) error {
	if trustmark.ErrorCode(err) == trustmark.EInternal {
		return err
	}
	return trustmark.WithField(err, field)
}

// listError names the cursor in a listing's unlabelled invalid error: the
// filters are checked here, so what the store refuses is the cursor.
func listError(err error) error {
	if trustmark.ErrorCode(err) == trustmark.EInvalid && trustmark.ErrorField(err) == "" {
		return fieldError("cursor", err)
	}
	return err
}
