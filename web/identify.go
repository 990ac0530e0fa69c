package web

import (
	"context"
	"net/http"

	"trustmark"
)

// lookupIdentifier answers a search box entry that has the shape of an
// identifier: a redirect to the record's page when it exists, an honest
// "not found" page when it does not. It reports false when the entry should
// be searched as text after all (a number-like name).
func (h *Handler) lookupIdentifier(ctx context.Context, w http.ResponseWriter, r *http.Request, p *Page, c Classified) (bool, error) {
	st := h.cfg.Store
	nf := func(idKind string) *NotFoundPage {
		n := h.newNotFound(r, c.Value, idKind)
		n.Query = p.Query
		return n
	}
	malformed := func(idKind string) (bool, error) {
		n := nf(idKind)
		n.Malformed = n.T.Reason(c.Err)
		h.notFound(w, r, n)
		return true, nil
	}
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
	certificate := func(number string) (bool, error) {
		c, err := st.Certificate(ctx, number)
		if err != nil {
			return found(err, "")
		}
		return found(nil, certURL(c.Number))
	}
	unknownCert := func() (bool, error) {
		n := nf("certificate")
		if err := h.explainCertificate(ctx, n, c.Value); err != nil {
			return true, err
		}
		h.notFound(w, r, n)
		return true, nil
	}

	switch c.Kind {
	case QueryUSCC:
		if c.Err != nil {
			return malformed("uscc")
		}
		_, err := st.Org(ctx, trustmark.USCC(c.Value))
		if done, err := found(err, orgURL(trustmark.USCC(c.Value))); done || err != nil {
			return done, err
		}
		n := nf("uscc")
		n.Unknown = true
		h.notFound(w, r, n)
		return true, nil
	case QueryApprovalNo:
		if c.Err != nil {
			return malformed("approval_no")
		}
		_, err := st.Body(ctx, c.Value)
		if done, err := found(err, bodyURL(c.Value)); done || err != nil {
			return done, err
		}
		n := nf("approval_no")
		n.Unknown = true
		h.notFound(w, r, n)
		return true, nil
	case QueryCMANo:
		if c.Err == nil {
			_, err := st.Lab(ctx, c.Value)
			if done, err := found(err, labURL(c.Value)); done || err != nil {
				return done, err
			}
		}
		// Some old certificates have 12-digit numbers too.
		if done, err := certificate(c.Value); done || err != nil {
			return done, err
		}
		if c.Err != nil {
			return malformed("cma_no")
		}
		n := nf("cma_no")
		n.Unknown = true
		h.notFound(w, r, n)
		return true, nil
	case QueryCCC, QueryOrganicCode, QueryOrganicCert:
		if done, err := certificate(c.Value); done || err != nil {
			return done, err
		}
		return unknownCert()
	case QueryReport:
		if c.Err != nil {
			return malformed("report")
		}
		_, err := st.Report(ctx, c.Value, c.Report)
		if done, err := found(err, reportURL(c.Value, c.Report)); done || err != nil {
			return done, err
		}
		n := nf("report")
		n.Input = c.Value + "/" + c.Report
		if err := h.explainReport(ctx, n, c.Value, c.Report); err != nil {
			return true, err
		}
		h.notFound(w, r, n)
		return true, nil
	case QueryNumber:
		if done, err := certificate(c.Value); done || err != nil {
			return done, err
		}
		for _, reg := range []string{c.Value, p.Query} {
			_, err := st.Person(ctx, reg)
			if done, err := found(err, personURL(reg)); done || err != nil {
				return done, err
			}
		}
		return false, nil // perhaps a name with digits: search it
	}
	return false, nil
}
