package demo

import (
	"trustmark"
)

// expiringDays are the days, from the demo's day, on which its expiring
// certificates expire: a certificate is valid through its expiry date and
// expired from the day after, so the one of the day before is expired,
// the other two valid.
var expiringDays = []int{-1, 0, 1}

// expire makes c, about to be loaded with final status final, the next of
// the demo's expiring certificates (expiringDays) when it fits, and
// returns its final status. The first environmental-management
// certificates that the demo body (the first) issued more than two years
// before to an ordinary organisation (a famous one's certificates stay
// valid), valid and with no status change planned, have their validity
// cut short to end on those days. Nothing else changes and no random
// number is drawn, so every other record is the same for a seed; and they
// are not quality-management certificates, so the demo's campaign over
// those draws from the list it always had. Their numbers are the
// summary's examples.
func (g *gen) expire(c *trustmark.Certificate, final trustmark.CertStatus, o *orgInfo) trustmark.CertStatus {
	if g.expiring == len(expiringDays) || final != trustmark.StatusValid || o.famous || c.Type != ems ||
		c.BodyApprovalNo != g.bodies[0].body.ApprovalNo || c.IssuedOn.After(g.today.AddDate(-2, 0, 0)) ||
		len(g.plans) > 0 && g.plans[len(g.plans)-1].cert == c {
		return final
	}
	days := expiringDays[g.expiring]
	expires := g.today.AddDate(0, 0, days)
	if expires.After(c.IssuedOn.AddDate(g.policy.MaxValidity(c.Type), 0, 0)) {
		return final
	}
	c.ExpiresOn = expires
	ex := &g.sum.Examples
	named := []*string{&ex.ExpiredYesterday, &ex.ExpiresToday, &ex.ExpiresTomorrow}
	*named[g.expiring] = c.Number
	g.expiring++
	if days < 0 {
		return trustmark.StatusExpired
	}
	return final
}
