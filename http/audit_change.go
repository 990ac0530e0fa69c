package http

import (
	nethttp "net/http"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	"trustmark/audit"
)

// changeAudit answers PUT /api/v1/audits/{id}: a change to an audit's
// plan, by its body (a token, or its staff's session: access.AuditPlan on
// the audit). The body is the whole plan, as POST /api/v1/audits takes it;
// the store decides with audit.Rules.DecidePlan whether it is an
// amendment or a change, and keeps every revision.
func (s *Server) changeAudit(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	var req AuditRequest
	if err := DecodeJSON(r, &req); err != nil {
		Error(w, r, err)
		return
	}
	if req.RequestID != "" {
		// A new plan's report takes a request id (reportAudit); a change
		// is refused it as any field it does not take.
		Error(w, r, trustmark.Invalidf("json.unknown_field", "request_id", "unknown field %q", "request_id"))
		return
	}
	st, err := s.auditStore()
	if err != nil {
		Error(w, r, err)
		return
	}
	d, err := st.ChangeAudit(r.Context(), r.PathValue("id"), req.plan(), c.Party.String(), MayChangeAudit(c.Roles))
	if err != nil {
		Error(w, r, err)
		return
	}
	writeDecision(w, r, st, d, nethttp.StatusOK)
}

// MayChangeAudit is the rule every front end hands the store's
// ChangeAudit: the audit's body may change it (access.AuditPlan on the
// audit); one who may see it but not change it is forbidden; anyone else
// is told it does not exist, as visibleAudit tells them.
func MayChangeAudit(roles []account.Role) func(*audit.Audit) error {
	return func(a *audit.Audit) error {
		t := a.Target()
		_, _, err := access.DecideAny(roles, access.AuditPlan, t)
		if err == nil {
			return nil
		}
		for _, act := range []access.Action{access.AuditCheckin, access.MatterView} {
			if _, _, e := access.DecideAny(roles, act, t); e == nil {
				return err
			}
		}
		return trustmark.Errorf(trustmark.ENotFound, "id", "no audit %s", a.ID)
	}
}
