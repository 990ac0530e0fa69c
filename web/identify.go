package web

import (
	"context"
	"net/http"

	"trustmark"
)

// lookupIdentifier answers a search box entry that trustmark.Identify reads
// as an identifier: a redirect to the record's page when it exists, an
// honest "not found" page when it does not. It reports false when the entry
// should be searched as text after all (a body-defined number may be part
// of a name).
func (h *Handler) lookupIdentifier(ctx context.Context, w http.ResponseWriter, r *http.Request, p *Page, id trustmark.Identity) (bool, error) {
	if id.Err == nil {
		if path, ok, err := h.identifiedRecord(ctx, id); ok {
			if done, err := h.foundAt(w, r, p, err, path); done || err != nil {
				return done, err
			}
		}
	}
	if id.CertNumber != "" {
		var path string
		c, err := h.cfg.Store.Certificate(ctx, string(id.CertNumber))
		if err == nil {
			path = certURL(c.Number)
		}
		if done, err := h.foundAt(w, r, p, err, path); done || err != nil {
			return done, err
		}
	}
	if id.Kind == trustmark.IDCertificate && id.CertType == "" {
		// Perhaps a person's registration number, or a name with digits.
		return h.lookupPerson(ctx, w, r, p, id)
	}
	n, err := h.explain(ctx, r, id)
	if err != nil {
		return true, err
	}
	n.Query = p.Query
	h.notFound(w, r, n)
	return true, nil
}

// foundAt redirects to path when the lookup that gave err found its
// record. A record that is missing, or an identifier the store refuses,
// is not an answer: the entry is searched further (false, nil).
func (h *Handler) foundAt(w http.ResponseWriter, r *http.Request, p *Page, err error, path string) (bool, error) {
	if err == nil {
		h.redirect(w, r, p, path)
		return true, nil
	}
	if code := trustmark.ErrorCode(err); code == trustmark.ENotFound || code == trustmark.EInvalid {
		return false, nil
	}
	return true, err
}

// identifiedRecord looks up the record a well-formed identifier of kind
// id.Kind names, with the page it would be shown on; ok is false for the
// kinds that name no record by themselves.
func (h *Handler) identifiedRecord(ctx context.Context, id trustmark.Identity) (path string, ok bool, err error) {
	st := h.cfg.Store
	switch id.Kind {
	case trustmark.IDUSCC:
		_, err = st.Org(ctx, id.USCC)
		return orgURL(id.USCC), true, err
	case trustmark.IDApprovalNo:
		_, err = st.Body(ctx, string(id.ApprovalNo))
		return bodyURL(string(id.ApprovalNo)), true, err
	case trustmark.IDCMANo:
		_, err = st.Lab(ctx, string(id.CMANo))
		return labURL(string(id.CMANo)), true, err
	case trustmark.IDReport:
		_, err = st.Report(ctx, string(id.Report.Lab), id.Report.Number)
		return reportURL(string(id.Report.Lab), id.Report.Number), true, err
	case trustmark.IDCertKey:
		c, err := st.CertificateByKey(ctx, id.Key)
		if err != nil {
			return "", true, err
		}
		return certKeyURL(c), true, nil
	}
	return "", false, nil
}

// lookupPerson tries a certificate-shaped entry of no known type as a
// person's registration number, normalised and then as typed.
func (h *Handler) lookupPerson(ctx context.Context, w http.ResponseWriter, r *http.Request, p *Page, id trustmark.Identity) (bool, error) {
	for _, reg := range []string{id.Norm, p.Query} {
		_, err := h.cfg.Store.Person(ctx, reg)
		if done, err := h.foundAt(w, r, p, err, personURL(reg)); done || err != nil {
			return done, err
		}
	}
	return false, nil
}

// certKeyURL is a certificate's page, naming its type when another type
// has a certificate with the same number.
func certKeyURL(c *trustmark.Certificate) string {
	return certURL(c.Number) + "?type=" + urlQueryEscape(string(c.Type))
}

// parseApprovalNo and parseCMANo read a page address's identifier as the
// domain does, as the string the store takes.
func parseApprovalNo(s string) (string, error) {
	no, err := trustmark.ParseApprovalNo(s)
	return string(no), err
}

func parseCMANo(s string) (string, error) {
	no, err := trustmark.ParseCMANo(s)
	return string(no), err
}
