package risk

import "trustmark/credit"

// KindOfEntry says which signal an integrity-archive entry raises, with its
// value, and false for entries that raise none (commendations, commitments
// kept). A penalty and a revoked approval count as penalties; a listing and
// a lifetime ban as a listing; a finding of an inspection or audit as an
// inspection finding; a commitment under 告知承诺 whose keeping is not yet
// known as an approval by commitment, and one broken counts twice.
func KindOfEntry(e credit.Entry) (Kind, float64, bool) {
	switch e.Kind {
	case credit.Penalty, credit.Revocation:
		return PenaltySignal, 0, true
	case credit.SeriousViolation, credit.Ban:
		return ListingSignal, 0, true
	case credit.Finding:
		return InspectionFinding, 0, true
	case credit.Commitment:
		switch {
		case e.Kept == nil:
			return CommitmentApproval, 0, true
		case !*e.Kept:
			return CommitmentApproval, 2, true
		}
	}
	return "", 0, false
}
