package trustmark

import "regexp"

// cccBodyCodeRE is a body's code in CCC certificate numbers: two digits,
// 01-99 (positions 5-6 of the number, between the year and the product
// category: 2022 01 0701 000123).
var cccBodyCodeRE = regexp.MustCompile(`^(0[1-9]|[1-9]\d)$`)

// ParseCCCBodyCode validates a body's CCC code, the bodies column ccc_code.
// Empty means none is recorded.
func ParseCCCBodyCode(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if !cccBodyCodeRE.MatchString(s) {
		return "", Invalidf("ccc_code.format", "ccc_code", "CCC body code %q is not two digits 01-99 (positions 5-6 of the body's CCC certificate numbers)", s)
	}
	return s, nil
}

// CCCNumberBodyCode returns the body code a CCC certificate number carries
// in positions 5-6, or "" when the number is too short to carry one.
func CCCNumberBodyCode(number string) string {
	if len(number) < 6 {
		return ""
	}
	return number[4:6]
}

// CheckCCCBodyCode decides whether CCC certificate c may be issued or
// registered in the name of body: its number must carry the body's CCC code
// in positions 5-6. A body with no code recorded issues no CCC certificate
// until its code is recorded (bodies column ccc_code): without it the
// registry could not tell its numbers from another body's. Certificates of
// other types pass.
func CheckCCCBodyCode(c *Certificate, body *Body) error {
	if c.Type != TypeCCC {
		return nil
	}
	got := CCCNumberBodyCode(c.Number)
	if body.CCCCode == "" {
		return Errorf(EConflict, "body_approval_no", "certification body %s has no CCC body code recorded (bodies column ccc_code), so CCC certificate %s, whose number carries body code %s in positions 5-6, cannot be checked; record the body's code first", body.ApprovalNo, c.Number, got)
	}
	if got != body.CCCCode {
		return Invalidf("ccc.body_code", "number", "CCC certificate number %s carries body code %s in positions 5-6, but certification body %s has CCC code %s", c.Number, got, body.ApprovalNo, body.CCCCode)
	}
	return nil
}
