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
	st := h.cfg.Store
	found := func(err error, path string) (bool, error) {
		if err == nil {
			h.redirect(w, r, p, path)
			return true, nil
		}
		if code := trustmark.ErrorCode(err); code == trustmark.ENotFound || code == trustmark.EInvalid {
			return false, nil
		}
		return true, err
	}
	var (
		done bool
		err  error
	)
	if id.Err == nil {
		switch id.Kind {
		case trustmark.IDUSCC:
			_, err = st.Org(ctx, id.USCC)
			done, err = found(err, orgURL(id.USCC))
		case trustmark.IDApprovalNo:
			_, err = st.Body(ctx, string(id.ApprovalNo))
			done, err = found(err, bodyURL(string(id.ApprovalNo)))
		case trustmark.IDCMANo:
			_, err = st.Lab(ctx, string(id.CMANo))
			done, err = found(err, labURL(string(id.CMANo)))
		case trustmark.IDReport:
			_, err = st.Report(ctx, string(id.Report.Lab), id.Report.Number)
			done, err = found(err, reportURL(string(id.Report.Lab), id.Report.Number))
		case trustmark.IDCertKey:
			var c *trustmark.Certificate
			if c, err = st.CertificateByKey(ctx, id.Key); err == nil {
				return found(nil, certKeyURL(c))
			}
			done, err = found(err, "")
		}
		if done || err != nil {
			return done, err
		}
	}
	if id.CertNumber != "" {
		c, err := st.Certificate(ctx, string(id.CertNumber))
		if err == nil {
			return found(nil, certURL(c.Number))
		}
		if done, err := found(err, ""); done || err != nil {
			return done, err
		}
	}
	if id.Kind == trustmark.IDCertificate && id.CertType == "" {
		// Perhaps a person's registration number, or a name with digits.
		for _, reg := range []string{id.Norm, p.Query} {
			_, err := st.Person(ctx, reg)
			if done, err := found(err, personURL(reg)); done || err != nil {
				return done, err
			}
		}
		return false, nil
	}
	n, err := h.explain(ctx, r, id)
	if err != nil {
		return true, err
	}
	n.Query = p.Query
	h.notFound(w, r, n)
	return true, nil
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
