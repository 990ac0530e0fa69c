package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"trustmark"
)

// MaxRequestKey bounds a client's request id (field request_id, or the
// Idempotency-Key header): a UUID or a line's key in a body's own system
// is far shorter.
const MaxRequestKey = 128

// CheckRequestKey refuses a request id longer than MaxRequestKey, naming
// request_id, as a check-in's is refused.
func CheckRequestKey(key string) error {
	if len(key) > MaxRequestKey {
		return trustmark.Invalidf("audit.request_key", "request_id", "a request id has at most %d characters", MaxRequestKey)
	}
	return nil
}

// PlanDigest returns the digest of plan p as a client reported it, before
// it is decided: the SHA-256 of its JSON with every instant in UTC and an
// empty list as none, so that a retry of the same plan has the same digest
// whatever offset its times were written in. It is what "the same plan"
// means when a request id is repeated (ReplayPlan). A plan JSON cannot
// encode (a number that is not finite, which no decoder of outside input
// gives) is refused.
func PlanDigest(p Plan) (string, error) {
	p.OpeningAt, p.ClosingAt, p.ClosingEndsAt = p.OpeningAt.UTC(), p.ClosingAt.UTC(), p.ClosingEndsAt.UTC()
	if len(p.Sites) == 0 {
		p.Sites = nil
	}
	if len(p.Team) == 0 {
		p.Team = nil
	}
	b, err := json.Marshal(p)
	if err != nil {
		return "", trustmark.Errorf(trustmark.EInvalid, "", "the plan cannot be encoded: %v", err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), nil
}

// ReplayPlan decides a body's report repeating request id key, which
// already reported audit a with a plan of digest digest (PlanDigest). The
// same plan is answered with a as it stands, replayed: no event, and of
// anomalies (a's, as stored) only those a report raises, as the first
// answer had them. Another plan under the same key is a conflict naming
// request_id: a new plan needs a new request id.
func ReplayPlan(a Audit, digest, key string, p Plan, anomalies []Anomaly) (Decision, error) {
	d, err := PlanDigest(p)
	if err != nil {
		return Decision{}, err
	}
	if d != digest {
		return Decision{}, trustmark.Reasonf(trustmark.EConflict, "audit.request_key_reused", "request_id",
			"request_id %q already reported another plan (audit %s); a new plan needs a new request_id", key, a.ID)
	}
	out := Decision{Audit: a, Replayed: true}
	for _, an := range anomalies {
		if an.Rule == LateReport {
			out.Anomalies = append(out.Anomalies, an)
		}
	}
	return out, nil
}
