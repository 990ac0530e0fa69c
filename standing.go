package trustmark

// Tone is how an answer about a certificate or a test report reads at a
// glance, and so the colour a page gives it.
type Tone string

// Tones, from reassuring to alarming.
const (
	ToneGood    Tone = "good"    // in force, from an issuer in good standing
	ToneCaution Tone = "caution" // look closer: suspended, or an issuer under sanction
	ToneBad     Tone = "bad"     // not in force, or a failing report
)

// Tone returns the tone of a certificate's effective status on its own:
// valid is good, suspended calls for caution, every other status is bad.
func (s CertStatus) Tone() Tone {
	switch s {
	case StatusValid:
		return ToneGood
	case StatusSuspended:
		return ToneCaution
	}
	return ToneBad
}

// Tone returns the tone of a report's conclusion on its own.
func (c Conclusion) Tone() Tone {
	if c == ConclusionPass {
		return ToneGood
	}
	return ToneBad
}

// Standing is what every answer about a certificate or a test report shows
// beside the record's own status or conclusion: the issuer's standing, and
// the tone of the whole answer.
type Standing struct {
	Tone Tone
	// IssuerStatus and IssuerSince are the status of the issuing body or
	// laboratory and the day it took effect.
	IssuerStatus PartyStatus
	IssuerSince  Date
	// IssuerWarning is set when the issuer is not in good standing (its
	// approval or accreditation is suspended or revoked): the answer must say
	// so in words next to the record's own status, and may not read as good.
	IssuerWarning bool
}

// IssuerStanding decides what an answer shows of a record whose own tone is
// own and whose issuer has status issuer since the day since. It is the one
// rule for the certificate and report pages, their JSON and bulk
// verification: a sanctioned issuer is never hidden. A record in force from
// a suspended or revoked issuer reads as caution, not good: the registry
// does not change the record's own status, which only its issuer or a
// regulator may, but it never lets the reader take it as sound. An empty
// issuer status means the answer was read without it, and adds nothing.
func IssuerStanding(own Tone, issuer PartyStatus, since Date) Standing {
	s := Standing{Tone: own, IssuerStatus: issuer, IssuerSince: since}
	if issuer == PartyActive || issuer == "" {
		return s
	}
	s.IssuerWarning = true
	if s.Tone == ToneGood {
		s.Tone = ToneCaution
	}
	return s
}

// Standing returns what an answer shows of c on the day today: its
// effective status's tone and its issuing body's standing (BodyStatus, as
// read with it).
func (c *Certificate) Standing(today Date) Standing {
	status, _ := c.EffectiveStatus(today)
	return IssuerStanding(status.Tone(), c.BodyStatus, c.BodyStatusSince)
}

// Standing returns what an answer shows of r: its conclusion's tone and its
// laboratory's standing (LabStatus, as read with it).
func (r *Report) Standing() Standing {
	return IssuerStanding(r.Conclusion.Tone(), r.LabStatus, r.LabStatusSince)
}
