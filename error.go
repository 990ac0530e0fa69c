package trustmark

import (
	"errors"
	"fmt"
)

// Error codes are the small set of kinds every failure is reported as. The
// HTTP adapter maps each to a status code in one table; the command line maps
// them to exit codes. The strings are part of the public contract
// (../shared/CONTRACT.md) and never change.
const (
	EInvalid      = "invalid"
	ENotFound     = "not_found"
	EConflict     = "conflict"
	EUnauthorized = "unauthorized"
	EForbidden    = "forbidden"
	ETooLarge     = "too_large"
	ERateLimited  = "rate_limited"
	EUnavailable  = "unavailable"
	EInternal     = "internal"
)

// Error is a failure a person can act on: a kind, the field at fault (when
// there is one) and a message that says what was wrong and what was wanted.
// Messages are shown to clients; internal details belong in a wrapped Err,
// which is logged but never shown.
type Error struct {
	Code    string
	Field   string
	Message string
	// Reason is a stable key for why an input was rejected ("uscc.checksum")
	// and Args the values Message quotes, in order, so that a front end can
	// say the same in another language. Both are empty for most errors.
	Reason string
	Args   []any
	Err    error // internal cause, never shown to clients
}

// Error implements the error interface.
func (e *Error) Error() string {
	s := e.Code
	if e.Field != "" {
		s += ": " + e.Field
	}
	s += ": " + e.Message
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given code about field.
func Errorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Invalidf returns an EInvalid *Error about field with a reason key; its
// Message is format filled with args, as Errorf makes it.
func Invalidf(reason, field, format string, args ...any) *Error {
	e := Errorf(EInvalid, field, format, args...)
	e.Reason, e.Args = reason, args
	return e
}

// Reasonf returns an *Error of any code about field with a reason key, as
// Invalidf does for invalid input: refusals that are too large, rate
// limited or unauthorized are said in the reader's language too.
func Reasonf(code, reason, field, format string, args ...any) *Error {
	e := Errorf(code, field, format, args...)
	e.Reason, e.Args = reason, args
	return e
}

// WithField returns err about field instead: a copy of its *Error with
// Field set, reason and values kept, so that a front end can name the
// value as its client called it. Other errors are returned as they are.
func WithField(err error, field string) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Field = field
	return &c
}

// ErrorCode returns the code of err: the code of the first *Error in its
// chain, or EInternal for any other non-nil error, or "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// IsClientError reports whether err is a refusal the client caused (a
// code that is neither internal nor unavailable): one that a batch reports
// in its item's place and goes on, where the product's own failure or the
// database's stops it.
func IsClientError(err error) bool {
	code := ErrorCode(err)
	return code != "" && code != EInternal && code != EUnavailable
}

// ErrorMessage returns the client-safe message of err. Errors that are not
// *Error are internal and get a generic message.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the field named by err, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// IsNotFound reports whether err is a not_found error.
func IsNotFound(err error) bool { return ErrorCode(err) == ENotFound }
