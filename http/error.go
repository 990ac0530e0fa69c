package http

import (
	"context"
	"errors"
	"log/slog"
	nethttp "net/http"

	"trustmark"
)

// codeStatus is the one table from error codes to HTTP status codes. Every
// error answer of the server, whatever package produced it, goes through it.
var codeStatus = map[string]int{
	trustmark.EInvalid:      nethttp.StatusBadRequest,
	trustmark.ENotFound:     nethttp.StatusNotFound,
	trustmark.EConflict:     nethttp.StatusConflict,
	trustmark.EUnauthorized: nethttp.StatusUnauthorized,
	trustmark.EForbidden:    nethttp.StatusForbidden,
	trustmark.ETooLarge:     nethttp.StatusRequestEntityTooLarge,
	trustmark.ERateLimited:  nethttp.StatusTooManyRequests,
	trustmark.EUnavailable:  nethttp.StatusServiceUnavailable,
	trustmark.EInternal:     nethttp.StatusInternalServerError,
}

// StatusCode returns the HTTP status of an error code; unknown codes are
// internal errors.
func StatusCode(code string) int {
	if s, ok := codeStatus[code]; ok {
		return s
	}
	return nethttp.StatusInternalServerError
}

// ErrorBody is the JSON body of every error answer (CONTRACT.md):
// {"error": {"code": "...", "message": "...", "field": "..."}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inside of ErrorBody. Field is always present, "" when
// the error is about no particular field.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field"`
}

// Error writes err as the JSON error answer with the status of its code.
// Errors that are not *trustmark.Error are internal: they are logged with
// their details and answered with a generic message. Other packages mounted
// on the server (the log, the portal, bulk verification) answer their errors
// with this function so that all errors have one shape and one table.
func Error(w nethttp.ResponseWriter, r *nethttp.Request, err error) {
	code := trustmark.ErrorCode(err)
	if code == "" {
		code = trustmark.EInternal
	}
	if r.Context().Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		// The client went away mid-request: nobody reads this answer, and
		// it is no server error. 499 (nginx's "client closed request")
		// keeps it apart from real 5xx in the logs and metrics.
		writeError(w, r, statusClientClosed, trustmark.EUnavailable, trustmark.Reasonf(trustmark.EUnavailable, "http.canceled", "", "the request was canceled"))
		return
	}
	writeError(w, r, StatusCode(code), code, err)
}

// retryAfterUnavailable is the Retry-After of an unavailable answer, in
// seconds: a PostgreSQL failover or restart takes about this long.
const retryAfterUnavailable = "5"

// statusClientClosed is the status logged for requests whose client left.
const statusClientClosed = 499

// writeError writes an error with an explicit status, for the few answers
// whose status is finer than the code's (405 Method Not Allowed).
func writeError(w nethttp.ResponseWriter, r *nethttp.Request, status int, code string, err error) {
	// The message in the request's language: a refusal with a reason key
	// is said by the catalogue, so a Chinese answer holds no English.
	m := Messages(r)
	detail := ErrorDetail{Code: code, Message: m.Reason(err), Field: trustmark.ErrorField(err)}
	if code == trustmark.EInternal {
		detail.Message, detail.Field = "internal error; it has been logged", ""
		if msg, ok := m.ErrorCodes[code]; ok {
			detail.Message = msg
		}
		logger(r).LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
	} else if e := (*trustmark.Error)(nil); errors.As(err, &e) && e.Err != nil {
		// A client-facing error with an internal cause: the cause is for the log.
		logger(r).LogAttrs(r.Context(), slog.LevelWarn, "request error with cause",
			slog.String("code", code), slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	switch code {
	case trustmark.EUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="trustmark"`)
	case trustmark.EUnavailable:
		if status == nethttp.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
			// The database or a dependency is down: clients (and proxies)
			// should come back, not give up.
			w.Header().Set("Retry-After", retryAfterUnavailable)
		}
	}
	if info := infoOf(r); info != nil {
		info.errCode = code
	}
	WriteJSON(w, status, ErrorBody{Error: detail})
}
