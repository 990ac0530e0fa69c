package http

import (
	nethttp "net/http"
	"net/url"
	"strings"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	"trustmark/internal/jsonw"
)

// CertificateJSON is a certificate as the API shows it (CONTRACT.md). Status
// and StatusSince are the effective ones on the day of the answer: a
// certificate past its expiry date is expired whatever its stored row says.
type CertificateJSON struct {
	Number      string               `json:"number"`
	Type        trustmark.CertType   `json:"type"`
	Status      trustmark.CertStatus `json:"status"`
	Holder      HolderJSON           `json:"holder"`
	Body        BodyRefJSON          `json:"body"`
	Scope       string               `json:"scope"`
	Standard    string               `json:"standard"`
	Product     string               `json:"product,omitempty"`
	CCCCategory string               `json:"ccc_category,omitempty"`
	IssuedOn    trustmark.Date       `json:"issued_on"`
	ExpiresOn   trustmark.Date       `json:"expires_on"`
	StatusSince trustmark.Date       `json:"status_since"`
}

// HolderJSON names a certificate's holder.
type HolderJSON struct {
	USCC trustmark.USCC `json:"uscc"`
	Name string         `json:"name"`
}

// BodyRefJSON names a certificate's issuing body and gives its standing
// (CONTRACT.md version 2): a certificate of a suspended or revoked body is
// never answered without saying so.
type BodyRefJSON struct {
	ApprovalNo  string                `json:"approval_no"`
	Name        string                `json:"name"`
	Status      trustmark.PartyStatus `json:"status"`
	StatusSince trustmark.Date        `json:"status_since"`
}

// NewCertificateJSON returns the API form of c on the day today, with its
// body's standing as read with it.
func NewCertificateJSON(c *trustmark.Certificate, today trustmark.Date) CertificateJSON {
	status, since := c.EffectiveStatus(today)
	return CertificateJSON{
		Number:      c.Number,
		Type:        c.Type,
		Status:      status,
		Holder:      HolderJSON{USCC: c.HolderUSCC, Name: c.HolderName},
		Body:        BodyRefJSON{ApprovalNo: c.BodyApprovalNo, Name: c.BodyName, Status: c.BodyStatus, StatusSince: c.BodyStatusSince},
		Scope:       c.Scope,
		Standard:    c.Standard,
		Product:     c.Product,
		CCCCategory: c.CCCCategory,
		IssuedOn:    c.IssuedOn,
		ExpiresOn:   c.ExpiresOn,
		StatusSince: since,
	}
}

// listJSON is one page of a listing.
type listJSON[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// pathValue returns a path value, or an invalid error.
func pathValue(r *nethttp.Request, name string) (string, error) {
	v := strings.TrimSpace(r.PathValue(name))
	if v == "" {
		return "", trustmark.Invalidf("path.empty", name, "%s is empty", name)
	}
	if len(v) > 256 {
		return "", trustmark.Invalidf("path.length", name, "%s is %d bytes long, want at most 256", name, len(v))
	}
	return v, nil
}

func (s *Server) getCertificate(w nethttp.ResponseWriter, r *nethttp.Request) {
	number, err := pathValue(r, "number")
	if err != nil {
		Error(w, r, err)
		return
	}
	today := s.today()
	load := func() ([]byte, error) {
		c, err := s.cfg.Store.Certificate(r.Context(), number)
		if err != nil {
			return nil, err
		}
		cj := NewCertificateJSON(c, today)
		return cj.AppendJSON(make([]byte, 0, 1024)), nil
	}
	var body []byte
	if n, perr := trustmark.ParseCertNumber(number); perr == nil {
		body, err = s.lookups.answer(string(n), today, load)
	} else {
		body, err = load() // the store answers not found
	}
	if err != nil {
		Error(w, r, err)
		return
	}
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["X-Content-Type-Options"] = nosniff
	w.WriteHeader(nethttp.StatusOK)
	w.Write(body)
}

var (
	jsonContentType = []string{"application/json; charset=utf-8"}
	nosniff         = []string{"nosniff"}
)

// AppendJSON appends c as WriteJSON writes it (encoding/json without HTML
// escaping, then a newline), without reflection: the lookup is the
// registry's most frequent answer, and encoding/json took a sixth of its
// time (TestCertificateAppendJSON holds the two to the same bytes).
func (c *CertificateJSON) AppendJSON(b []byte) []byte {
	b = append(b, `{"number":`...)
	b = jsonw.AppendString(b, c.Number, false)
	b = append(b, `,"type":`...)
	b = jsonw.AppendString(b, string(c.Type), false)
	b = append(b, `,"status":`...)
	b = jsonw.AppendString(b, string(c.Status), false)
	b = append(b, `,"holder":{"uscc":`...)
	b = jsonw.AppendString(b, string(c.Holder.USCC), false)
	b = append(b, `,"name":`...)
	b = jsonw.AppendString(b, c.Holder.Name, false)
	b = append(b, `},"body":{"approval_no":`...)
	b = jsonw.AppendString(b, c.Body.ApprovalNo, false)
	b = append(b, `,"name":`...)
	b = jsonw.AppendString(b, c.Body.Name, false)
	b = append(b, `,"status":`...)
	b = jsonw.AppendString(b, string(c.Body.Status), false)
	b = append(b, `,"status_since":`...)
	b = jsonw.AppendDate(b, c.Body.StatusSince)
	b = append(b, `},"scope":`...)
	b = jsonw.AppendString(b, c.Scope, false)
	b = append(b, `,"standard":`...)
	b = jsonw.AppendString(b, c.Standard, false)
	if c.Product != "" {
		b = append(b, `,"product":`...)
		b = jsonw.AppendString(b, c.Product, false)
	}
	if c.CCCCategory != "" {
		b = append(b, `,"ccc_category":`...)
		b = jsonw.AppendString(b, c.CCCCategory, false)
	}
	b = append(b, `,"issued_on":`...)
	b = jsonw.AppendDate(b, c.IssuedOn)
	b = append(b, `,"expires_on":`...)
	b = jsonw.AppendDate(b, c.ExpiresOn)
	b = append(b, `,"status_since":`...)
	b = jsonw.AppendDate(b, c.StatusSince)
	return append(b, "}\n"...)
}

func (s *Server) listCertificates(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := parseQuery(r, "holder_uscc", "body_approval_no", "q", "type", "status", "region", "changed_since", "limit", "cursor")
	f := trustmark.CertificateFilter{
		HolderUSCC:     q.uscc("holder_uscc"),
		BodyApprovalNo: q.approvalNo("body_approval_no"),
		Q:              q.str("q"),
		Type:           q.certType("type"),
		Status:         q.certStatus("status"),
		Region:         q.region("region"),
		ChangedSince:   q.date("changed_since"),
		Limit:          q.limit(),
		Cursor:         q.str("cursor"),
	}
	if q.err != nil {
		Error(w, r, q.err)
		return
	}
	page, err := s.cfg.Store.Certificates(r.Context(), f)
	if err != nil {
		Error(w, r, listError(err))
		return
	}
	today := s.today()
	out := listJSON[CertificateJSON]{Items: make([]CertificateJSON, 0, len(page.Items)), NextCursor: page.NextCursor}
	for _, c := range page.Items {
		out.Items = append(out.Items, NewCertificateJSON(c, today))
	}
	WriteJSON(w, nethttp.StatusOK, out)
}

// issueRequest is the body of POST /api/v1/certificates: the columns of a
// certificate import row, as JSON. Every field is a string so that a
// malformed one is reported with its field's name; typed turns it into the
// domain's request.
type issueRequest struct {
	Number         string `json:"number"`
	Type           string `json:"type"`
	BodyApprovalNo string `json:"body_approval_no"`
	HolderUSCC     string `json:"holder_uscc"`
	Scope          string `json:"scope"`
	Standard       string `json:"standard"`
	Product        string `json:"product"`
	CCCCategory    string `json:"ccc_category"`
	IssuedOn       string `json:"issued_on"`
	ExpiresOn      string `json:"expires_on"`
}

// typed parses each field of req with the domain's parser for it. What
// needs more than the field itself (required fields, the dates' order and
// the policy, the body, the holder) is trustmark.DecideIssue's to decide,
// inside the store's transaction.
func (req *issueRequest) typed() (trustmark.IssueRequest, error) {
	var out trustmark.IssueRequest
	for _, f := range []struct{ name, value string }{
		{"number", req.Number}, {"type", req.Type}, {"body_approval_no", req.BodyApprovalNo}, {"holder_uscc", req.HolderUSCC},
		{"scope", req.Scope}, {"standard", req.Standard}, {"product", req.Product}, {"ccc_category", req.CCCCategory},
		{"issued_on", req.IssuedOn}, {"expires_on", req.ExpiresOn},
	} {
		if err := checkText(f.name, f.value); err != nil {
			return out, err
		}
	}
	var err error
	if v := strings.TrimSpace(req.Number); v != "" {
		if out.Number, err = trustmark.ParseCertNumber(v); err != nil {
			return out, fieldError("number", err)
		}
	}
	if out.Type, err = trustmark.ParseCertType(req.Type); err != nil {
		return out, fieldError("type", err)
	}
	if v := strings.TrimSpace(req.BodyApprovalNo); v != "" {
		no, err := trustmark.ParseApprovalNo(v)
		if err != nil {
			return out, fieldError("body_approval_no", err)
		}
		out.BodyApprovalNo = string(no)
	}
	if v := strings.TrimSpace(req.HolderUSCC); v != "" {
		if out.HolderUSCC, err = trustmark.ParseUSCC(v); err != nil {
			return out, fieldError("holder_uscc", err)
		}
	}
	if v := strings.TrimSpace(req.CCCCategory); v != "" {
		if out.CCCCategory, err = trustmark.ParseCCCCategory(v, "ccc_category"); err != nil {
			return out, err
		}
	}
	out.Scope, out.Standard, out.Product = strings.TrimSpace(req.Scope), strings.TrimSpace(req.Standard), strings.TrimSpace(req.Product)
	for _, d := range []struct {
		name, value string
		to          *trustmark.Date
	}{{"issued_on", req.IssuedOn, &out.IssuedOn}, {"expires_on", req.ExpiresOn, &out.ExpiresOn}} {
		if v := strings.TrimSpace(d.value); v != "" {
			if *d.to, err = trustmark.ParseDate(v); err != nil {
				return out, trustmark.Invalidf("field.date", d.name, "%s %q is not a real date of the form YYYY-MM-DD", d.name, d.value)
			}
		}
	}
	return out, nil
}

func (s *Server) issueCertificate(w nethttp.ResponseWriter, r *nethttp.Request) {
	caller, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	if err := caller.mayWriteCertificates(); err != nil {
		Error(w, r, err)
		return
	}
	var body issueRequest
	if err := DecodeJSON(r, &body); err != nil {
		Error(w, r, err)
		return
	}
	req, err := body.typed()
	if err != nil {
		Error(w, r, err)
		return
	}
	issuer, err := req.IssuerFor(caller.Party, caller.IssuingBodies())
	if err != nil {
		Error(w, r, err)
		return
	}
	req.BodyApprovalNo = issuer
	actor, err := caller.actingParty(access.CertificateIssue, func() (access.Target, error) {
		return access.Target{Owner: account.Unit{Kind: account.Body, ID: issuer}}, nil
	})
	if err != nil {
		Error(w, r, err)
		return
	}
	c, err := s.cfg.Store.IssueCertificate(r.Context(), actor, req)
	if err != nil {
		Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/certificates/"+url.PathEscape(c.Number))
	WriteJSON(w, nethttp.StatusCreated, NewCertificateJSON(c, s.today()))
}

// checkText bounds a text field of a request as a cell of an import is
// bounded: at most trustmark.MaxCellBytes, no NUL or other control
// characters but tab and newline.
func checkText(field, v string) error {
	if len(v) > trustmark.MaxCellBytes {
		return trustmark.Invalidf("field.length", field, "%s is %d bytes long, want at most %d", field, len(v), trustmark.MaxCellBytes)
	}
	for _, r := range v {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return trustmark.Invalidf("field.control", field, "%s contains the control character %U", field, r)
		}
	}
	return nil
}

// transitionRequest is the body of POST .../transitions.
type transitionRequest struct {
	To          string `json:"to"`
	Reason      string `json:"reason"`
	EffectiveOn string `json:"effective_on"`
}

func (s *Server) transitionCertificate(w nethttp.ResponseWriter, r *nethttp.Request) {
	caller, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	if err := caller.mayWriteCertificates(); err != nil {
		Error(w, r, err)
		return
	}
	number, err := pathValue(r, "number")
	if err != nil {
		Error(w, r, err)
		return
	}
	var req transitionRequest
	if err := DecodeJSON(r, &req); err != nil {
		Error(w, r, err)
		return
	}
	if strings.TrimSpace(req.To) == "" {
		Error(w, r, trustmark.Invalidf("transition.to", "to", "to is required: the status to change to (valid, suspended, revoked, withdrawn)"))
		return
	}
	to, err := trustmark.ParseCertStatus(req.To)
	if err != nil {
		Error(w, r, fieldError("to", err))
		return
	}
	t := trustmark.Transition{To: to, Reason: strings.TrimSpace(req.Reason)}
	if err := checkText("reason", t.Reason); err != nil {
		Error(w, r, err)
		return
	}
	if e := strings.TrimSpace(req.EffectiveOn); e != "" {
		if t.EffectiveOn, err = trustmark.ParseDate(e); err != nil {
			Error(w, r, trustmark.Invalidf("field.date", "effective_on", "%s %q is not a real date of the form YYYY-MM-DD", "effective_on", req.EffectiveOn))
			return
		}
	}
	actor, err := caller.actingParty(access.CertificateTransition, func() (access.Target, error) {
		return s.certificateTarget(r.Context(), number)
	})
	if err != nil {
		Error(w, r, err)
		return
	}
	c, err := s.cfg.Store.TransitionCertificate(r.Context(), actor, number, t)
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, NewCertificateJSON(c, s.today()))
}

// HistoryJSON is a certificate's recorded events, oldest first.
type HistoryJSON struct {
	Number string      `json:"number"`
	Type   string      `json:"type"`
	Items  []EventJSON `json:"items"`
}

// EventJSON is one event of a certificate's history. LogIndex is the
// event's index in the traceability log (its Seq).
type EventJSON struct {
	LogIndex int64 `json:"log_index"`
	trustmark.Event
}

// maxHistory bounds a history answer; no real certificate comes near it.
const maxHistory = 10000

// certificateHistory answers from the store's events, without proofs; the
// log engine replaces it (Mount on the same pattern) with one that adds
// inclusion proofs.
func (s *Server) certificateHistory(w nethttp.ResponseWriter, r *nethttp.Request) {
	number, err := pathValue(r, "number")
	if err != nil {
		Error(w, r, err)
		return
	}
	c, err := s.cfg.Store.Certificate(r.Context(), number)
	if err != nil {
		Error(w, r, err)
		return
	}
	events, err := s.cfg.Store.Events(r.Context(), trustmark.EventFilter{Entity: trustmark.EntityCertificate, Key: c.Key(), After: -1, Limit: maxHistory})
	if err != nil {
		Error(w, r, err)
		return
	}
	out := HistoryJSON{Number: c.Number, Type: string(c.Type), Items: make([]EventJSON, 0, len(events))}
	for _, e := range events {
		out.Items = append(out.Items, EventJSON{LogIndex: e.Seq, Event: e})
	}
	WriteJSON(w, nethttp.StatusOK, out)
}
