package trustmark

// MergeCertificate decides what re-importing a certificate does to the stored
// one: fields other than the status are replaced; a different status must be
// a transition the lifecycle allows, taking effect today, or an expiry the
// dates justify, taking effect the day after the expiry date. It reports
// whether anything changed and whether the status did.
func MergeCertificate(old, in *Certificate, today Date) (merged Certificate, changed, statusChanged bool, err error) {
	if in.BodyApprovalNo != old.BodyApprovalNo {
		return *old, false, false, Errorf(EConflict, "body_approval_no", "certificate %s was issued by %s, not %s", old.Number, old.BodyApprovalNo, in.BodyApprovalNo)
	}
	merged = *old
	merged.HolderUSCC, merged.Scope, merged.Standard, merged.Product = in.HolderUSCC, in.Scope, in.Standard, in.Product
	merged.CCCCategory, merged.IssuedOn, merged.ExpiresOn = in.CCCCategory, in.IssuedOn, in.ExpiresOn
	if in.Status != old.Status {
		switch {
		case in.Status == StatusExpired && merged.LapsedOn(today):
			merged.Status, merged.StatusSince = StatusExpired, ExpiredFrom(merged.ExpiresOn)
		default:
			m, err := merged.Apply(Transition{To: in.Status, Reason: importStatusReason}, today)
			if err != nil {
				return *old, false, false, err
			}
			merged = m
		}
		statusChanged = true
	}
	changed = statusChanged || merged.HolderUSCC != old.HolderUSCC || merged.Scope != old.Scope ||
		merged.Standard != old.Standard || merged.Product != old.Product || merged.CCCCategory != old.CCCCategory ||
		merged.IssuedOn != old.IssuedOn || merged.ExpiresOn != old.ExpiresOn
	return merged, changed, statusChanged, nil
}
