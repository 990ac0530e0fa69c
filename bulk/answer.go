package bulk

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"trustmark"
	"trustmark/locale"
)

// answerer writes the found/status/reason of results in one language.
type answerer struct {
	m      *locale.Messages
	b      *locale.BulkMessages // &m.Bulk
	today  trustmark.Date
	bodies *bodyIndex
}

// f fills one of the catalogue's formats.
func (a answerer) f(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func (a answerer) partyWord(s trustmark.PartyStatus) string {
	if w := a.m.PartyStatusNames[s]; w != "" {
		return w
	}
	return string(s)
}

func (a answerer) certWord(s trustmark.CertStatus) string {
	if w := a.m.CertStatusNames[s]; w != "" {
		return w
	}
	return string(s)
}

func (a answerer) certificate(r *Result, cs []*trustmark.Certificate) {
	c := cs[0]
	st, since := c.EffectiveStatus(a.today)
	r.Found, r.Status, r.Type = true, string(st), c.Type
	r.Name, r.ExpiresOn = c.HolderName, c.ExpiresOn.String()
	r.URL = "/certificates/" + url.PathEscape(c.Number)
	b := a.b
	var why string
	switch st {
	case trustmark.StatusValid: // r.ExpiresOn: the date written once
		why = a.f(b.CertValid, r.ExpiresOn)
	case trustmark.StatusSuspended:
		why = a.f(b.CertSuspended, since, r.ExpiresOn)
	case trustmark.StatusRevoked:
		why = a.f(b.CertRevoked, since)
	case trustmark.StatusWithdrawn:
		why = a.f(b.CertWithdrawn, since)
	case trustmark.StatusExpired:
		why = a.f(b.CertExpired, since)
	}
	who := c.HolderName
	if who == "" {
		who = string(c.HolderUSCC)
	}
	by := c.BodyName
	if by == "" {
		by = c.BodyApprovalNo
	}
	why += a.f(b.CertOf, a.m.CertTypeName(c.Type), who, by)
	if bd := a.bodies.byNo[c.BodyApprovalNo]; c.BodyStatus == "" && bd != nil {
		c.BodyStatus, c.BodyStatusSince = bd.Status, bd.StatusSince // a finder that reads certificates without their body's standing
	}
	if standing := c.Standing(a.today); standing.IssuerWarning {
		why += a.f(b.CertIssuerSanctioned, a.partyWord(standing.IssuerStatus), standing.IssuerSince)
	}
	if len(cs) > 1 {
		why += a.f(b.CertOtherTypes, len(cs)-1)
	}
	r.Reason = why
}

func (a answerer) org(r *Result, o *trustmark.Org, counts map[trustmark.CertStatus]int) {
	r.Found, r.Name = true, o.Name
	r.URL = "/orgs/" + url.PathEscape(string(o.USCC))
	total := 0
	var parts []string
	for _, st := range trustmark.CertStatuses {
		if n := counts[st]; n > 0 {
			if r.Certificates == nil {
				r.Certificates = map[string]int{}
			}
			r.Certificates[string(st)] = n
			total += n
			parts = append(parts, a.f(a.b.OrgCount, n, a.certWord(st)))
		}
	}
	if total == 0 {
		r.Reason = a.f(a.b.OrgNone, o.Name)
		return
	}
	r.Reason = a.f(a.b.OrgHolds, o.Name, total, strings.Join(parts, a.b.ListSep))
}

func (a answerer) lab(r *Result, l *trustmark.Lab) {
	r.Found, r.Name, r.Status = true, l.Name, string(l.Status)
	r.URL = "/labs/" + url.PathEscape(l.CMANo)
	r.ExpiresOn = l.ValidUntil.String()
	switch {
	case l.Status == trustmark.PartyActive && !l.ValidUntil.IsZero() && !a.today.Before(l.ValidUntil):
		r.Status = string(trustmark.StatusExpired)
		r.Reason = a.f(a.b.LabExpired, l.Name, l.ValidUntil)
	case l.Status == trustmark.PartyActive && !l.ValidUntil.IsZero():
		r.Reason = a.f(a.b.LabValidUntil, l.Name, l.ValidUntil)
	case l.Status == trustmark.PartyActive:
		r.Reason = a.f(a.b.LabActive, l.Name)
	default:
		r.Reason = a.f(a.b.LabStatus, l.Name, a.partyWord(l.Status), l.StatusSince)
	}
}

func (a answerer) report(r *Result, rep *trustmark.Report, lab *trustmark.Lab) {
	r.Found, r.Status = true, string(rep.Conclusion)
	r.URL = "/reports/" + url.PathEscape(rep.LabCMANo) + "/" + url.PathEscape(rep.Number)
	labName := rep.LabName
	if labName == "" && lab != nil {
		labName = lab.Name
	}
	r.Name = labName
	concl := a.b.Pass
	if rep.Conclusion == trustmark.ConclusionFail {
		concl = a.b.Fail
	}
	r.Reason = a.f(a.b.Report, rep.Product, labName, rep.IssuedOn, concl)
	if rep.LabStatus == "" && lab != nil {
		rep.LabStatus, rep.LabStatusSince = lab.Status, lab.StatusSince
	}
	if standing := rep.Standing(); standing.IssuerWarning {
		r.Reason += a.f(a.b.ReportLabSanctioned, a.partyWord(standing.IssuerStatus))
	}
}

func (a answerer) body(r *Result, bd *trustmark.Body) {
	r.Found, r.Name, r.Status = true, bd.Name, string(bd.Status)
	r.URL = "/bodies/" + url.PathEscape(bd.ApprovalNo)
	if bd.Status == trustmark.PartyActive {
		scopes := make([]string, len(bd.Scopes))
		for i, t := range bd.Scopes {
			scopes[i] = a.m.CertTypeName(t)
		}
		r.Reason = a.f(a.b.BodyActive, bd.Name, strings.Join(scopes, a.b.TypeSep))
		return
	}
	r.Reason = a.f(a.b.BodyStatus, bd.Name, a.partyWord(bd.Status), bd.StatusSince)
}

// notFound says why an item matched nothing, as trustmark.Explain
// decided: malformed (which rule), no issuer that could have issued it, or
// well-formed but not in the registry.
func (a answerer) notFound(r *Result, id trustmark.Identity, e trustmark.Explanation) {
	b := a.b
	r.Verdict = e.Verdict
	switch e.Verdict {
	case trustmark.VerdictText:
		r.Reason = a.m.Reason(e.Err)
		if id.Err == nil {
			r.Reason += b.SearchNames
		}
		return
	case trustmark.VerdictMalformed:
		r.Reason = a.f(b.Malformed, a.m.Reason(e.Err))
		return
	}
	switch id.Kind {
	case trustmark.IDUSCC:
		r.Reason = b.UnknownUSCC
	case trustmark.IDCMANo:
		r.Reason = b.UnknownCMANo
	case trustmark.IDReport:
		if e.Lab == nil {
			r.Reason = a.f(b.NoLab, id.CMANo)
			return
		}
		r.Reason = a.f(b.NoReport, e.Lab.Name, e.Lab.CMANo, a.partyWord(e.Lab.Status), id.Report.Number) + a.lastSubmission(e.Lab.LastSubmission)
	case trustmark.IDApprovalNo:
		r.Reason = b.UnknownApprovalNo
	case trustmark.IDOrganicCode:
		r.Reason = a.organicCode(id, e)
	default:
		r.Reason = a.unknownCertificate(id, e)
	}
}

func (a answerer) organicCode(id trustmark.Identity, e trustmark.Explanation) string {
	b := a.b
	prefix := string(id.OrganicCode[:3])
	switch {
	case len(e.Bodies) > 0:
		return b.OrganicCode + a.f(b.OrganicPrefix, prefix, a.bodyList(e.Bodies, trustmark.TypeOrganic))
	case e.Foreign():
		return b.OrganicCode + a.f(b.OrganicForeign, prefix, e.BodyCode[1:])
	}
	return b.OrganicCode + a.f(b.OrganicNoPrefix, prefix)
}

func (a answerer) unknownCertificate(id trustmark.Identity, e trustmark.Explanation) string {
	b := a.b
	switch {
	case e.CCCCategory != "":
		if len(e.Bodies) == 0 {
			return b.CCCUnknown + a.f(b.CCCNoBody, e.CCCCategory, certNumberOf(id)[4:6])
		}
		return b.CCCUnknown + a.f(b.CCCBodies, e.CCCCategory, a.bodyList(e.Bodies, trustmark.TypeCCC))
	case e.BodyCode != "":
		if len(e.Bodies) == 0 {
			return b.OrganicCertUnknown + a.f(b.OrganicCertNoBody, e.BodyCode)
		}
		return b.OrganicCertUnknown + a.f(b.OrganicCertBodies, e.BodyCode, a.bodyList(e.Bodies, trustmark.TypeOrganic))
	}
	return b.CertUnknown
}

// bodyList names up to three bodies with when each last sent data, so a
// reader can tell "not yet reported" from "not genuine".
func (a answerer) bodyList(bs []*trustmark.Body, t trustmark.CertType) string {
	b := a.b
	var parts []string
	for i, bd := range bs {
		if i == 3 {
			parts = append(parts, a.f(b.BodyMore, len(bs)-3))
			break
		}
		p := a.f(b.BodyItem, bd.Name, bd.ApprovalNo)
		if bd.Status != trustmark.PartyActive {
			p += a.f(b.BodyItemStatus, a.partyWord(bd.Status))
		} else if !slices.Contains(bd.Scopes, t) {
			p += a.f(b.BodyNotApproved, a.m.CertTypeName(t))
		}
		if !bd.LastSubmission.IsZero() {
			p += a.f(b.BodySubmitted, trustmark.DateOf(bd.LastSubmission))
		} else {
			p += b.BodyNeverSubmitted
		}
		parts = append(parts, p+b.BodyItemEnd)
	}
	return strings.Join(parts, b.BodySep)
}

func (a answerer) lastSubmission(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return a.f(a.b.LastSubmission, trustmark.DateOf(t))
}

// StatusText is a result's status for people, in the language of m: the
// status word of a certificate, body or laboratory, "registered" for an
// organisation, a report's conclusion, "" when not found.
func StatusText(m *locale.Messages, r Result) string {
	a := answerer{m: m, b: &m.Bulk}
	switch {
	case !r.Found:
		return ""
	case r.Kind == KindCertificate || r.Status == string(trustmark.StatusExpired):
		return a.certWord(trustmark.CertStatus(r.Status))
	case r.Kind == KindBody || r.Kind == KindLab:
		return a.partyWord(trustmark.PartyStatus(r.Status))
	case r.Kind == KindOrg:
		return m.Bulk.Registered
	case r.Kind == KindReport && r.Status == string(trustmark.ConclusionFail):
		return m.Bulk.Fail
	case r.Kind == KindReport:
		return m.Bulk.Pass
	}
	return r.Status
}

// KindText names what an item was recognised as, in the language of m.
func KindText(m *locale.Messages, k Kind) string {
	if w := m.Bulk.Kinds[string(k)]; w != "" {
		return w
	}
	return m.Bulk.Kinds[string(KindUnknown)]
}
