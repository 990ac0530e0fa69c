package http

import (
	"bytes"
	nethttp "net/http"

	"trustmark"
	"trustmark/bulk"
	"trustmark/locale"
)

// VerifyRequest is the body of POST /api/v1/verify.
type VerifyRequest struct {
	Items []string `json:"items"`
}

// VerifyResponse is its answer.
type VerifyResponse struct {
	Results []bulk.Result `json:"results"`
}

// ParseVerifyRequest decodes and checks the body of POST /api/v1/verify:
// strict JSON, 1 to bulk.MaxItems string items.
func ParseVerifyRequest(r *nethttp.Request) (VerifyRequest, error) {
	var req VerifyRequest
	if err := DecodeJSON(r, &req); err != nil {
		return req, err
	}
	switch n := len(req.Items); {
	case req.Items == nil:
		return req, trustmark.Invalidf("verify.items_missing", "items", "items is required: a list of 1 to %d certificate numbers, USCCs, organic codes or CMA_NO/REPORT_NO references", bulk.MaxItems)
	case n == 0:
		return req, trustmark.Invalidf("verify.items_empty", "items", "items is empty; send 1 to %d items", bulk.MaxItems)
	case n > bulk.MaxItems:
		return req, trustmark.Reasonf(trustmark.ETooLarge, "verify.items_many", "items", "items has %d entries; at most %d per call (split the list)", n, bulk.MaxItems)
	}
	return req, nil
}

// verify answers bulk verification, the reasons in the request's language
// (?lang=, else Accept-Language, else English).
func (s *Server) verify(w nethttp.ResponseWriter, r *nethttp.Request) {
	req, err := ParseVerifyRequest(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	res, err := s.cfg.Verify.Verify(r.Context(), req.Items, Messages(r))
	if err != nil {
		Error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	// As WriteJSON(w, 200, VerifyResponse{res}) writes it, without reflection.
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer putJSONBuffer(buf)
	buf.Write(bulk.AppendResultsJSON(buf.AvailableBuffer(), res))
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["X-Content-Type-Options"] = nosniff
	w.WriteHeader(nethttp.StatusOK)
	w.Write(buf.Bytes())
}

// Messages returns the catalogue of an API request's language: ?lang=,
// else the best match of Accept-Language, else English. Error messages
// and bulk verification's reasons are said in it.
func Messages(r *nethttp.Request) *locale.Messages {
	m, _ := locale.Negotiate(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"), locale.English)
	return m
}
