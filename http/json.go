package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	nethttp "net/http"
	"strings"
	"sync"
	"unicode/utf8"

	"trustmark"
)

// WriteJSON writes v as a JSON answer with the given status. HTML characters
// are not escaped: answers are read by programs and by people with curl, and
// the content type rules out sniffing.
func WriteJSON(w nethttp.ResponseWriter, status int, v any) {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer putJSONBuffer(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only a programming error (an unencodable type) gets here.
		status = nethttp.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"code":"internal","message":"internal error; it has been logged","field":""}}` + "\n")
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// jsonBuffers recycles WriteJSON's buffers: most answers are a few
// kilobytes, written and forgotten.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putJSONBuffer(b *bytes.Buffer) {
	if b.Cap() > 64<<10 {
		return // a large listing: let it go rather than keep it forever
	}
	b.Reset()
	jsonBuffers.Put(b)
}

// DecodeJSON strictly decodes the request body, which must hold exactly one
// JSON value, into v. Every failure is a *trustmark.Error a client can act
// on: invalid (malformed JSON, unknown field, wrong type, trailing data, with
// the field named where there is one) or too_large (the body exceeds the
// server's limit).
func DecodeJSON(r *nethttp.Request, v any) error {
	if r.Body == nil {
		return trustmark.Invalidf("json.empty", "", "request body is empty; want a JSON object")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	// Exactly one value: anything after it but white space is an error.
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			if e := decodeError(err); trustmark.ErrorCode(e) == trustmark.ETooLarge {
				return e
			}
		}
		return trustmark.Invalidf("json.trailing", "", "request body has data after the JSON value; want exactly one JSON object")
	}
	return nil
}

// decodeValue strictly decodes data, which must hold exactly one JSON
// value, into v, failing as DecodeJSON does: for each line of a JSON Lines
// file or body.
func decodeValue(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return trustmark.Invalidf("json.trailing", "", "request body has data after the JSON value; want exactly one JSON object")
	}
	return nil
}

// decodeError turns an encoding/json or body-reading error into a client error.
func decodeError(err error) error {
	var (
		maxErr    *nethttp.MaxBytesError
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
		tmErr     *trustmark.Error
	)
	switch {
	case errors.As(err, &maxErr):
		return trustmark.Reasonf(trustmark.ETooLarge, "json.too_large", "", "request body is larger than the %d bytes allowed", maxErr.Limit)
	case errors.Is(err, io.EOF):
		return trustmark.Invalidf("json.empty", "", "request body is empty; want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return trustmark.Invalidf("json.truncated", "", "request body is not valid JSON: it ends in the middle of a value")
	case errors.As(err, &syntaxErr):
		return trustmark.Invalidf("json.syntax", "", "request body is not valid JSON: %s (at byte %d)", syntaxErr.Error(), syntaxErr.Offset)
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return trustmark.Invalidf("json.not_object", "", "request body is a JSON %s; want a JSON object", typeErr.Value)
		}
		return trustmark.Invalidf("json.type", field, "%s is a JSON %s; want %s", field, typeErr.Value, jsonKind(typeErr.Type.String()))
	case errors.As(err, &tmErr):
		return tmErr
	}
	// encoding/json reports unknown fields and some other problems only as text.
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, `json: unknown field "`); ok {
		name = strings.TrimSuffix(name, `"`)
		return trustmark.Invalidf("json.unknown_field", name, "unknown field %q", name)
	}
	if !utf8.ValidString(msg) {
		msg = strings.ToValidUTF8(msg, "?")
	}
	return trustmark.Invalidf("json.unacceptable", "", "request body is not acceptable JSON: %s", strings.TrimPrefix(msg, "json: "))
}

// jsonKind names a Go type the way a client of a JSON API thinks of it.
func jsonKind(goType string) string {
	switch {
	case goType == "string" || strings.HasSuffix(goType, "CertStatus") || strings.HasSuffix(goType, "CertType") || strings.HasSuffix(goType, "USCC"):
		return "a string"
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint"):
		return "an integer"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case strings.HasPrefix(goType, "map[") || strings.Contains(goType, "struct") || strings.Contains(goType, "."):
		return "an object"
	}
	return fmt.Sprintf("a %s", goType)
}
