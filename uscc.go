package trustmark

import (
	"fmt"
	"strings"
)

// USCC is a unified social credit code (统一社会信用代码), GB 32100-2015: the
// national identifier of every legal person and other organisation.
//
// Layout (1-based positions):
//
//	1     registration authority (登记管理部门代码)
//	2     organisation type (机构类别代码), valid only in certain pairs with 1
//	3-8   region of the registering authority (GB/T 2260)
//	9-17  organisation code (组织机构代码, GB 11714: 8 characters and a check character)
//	18    check character (GB/T 17710 MOD 31-3 over positions 1-17)
type USCC string

// usccCharset is the 31-character set of GB 32100-2015 §4.2: digits and
// upper-case letters without I, O, Z, S and V. A character's value is its index.
const usccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are W_i = 3^(i-1) mod 31 (GB 32100-2015 §5.1).
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// usccPairs lists the registration-authority and organisation-type pairs of
// GB 32100-2015 Annex A (see data/reference/gb32100_uscc_spec.json).
var usccPairs = map[string]bool{
	"11": true, "12": true, "13": true, "19": true, "21": true, "29": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "39": true,
	"41": true, "49": true, "51": true, "52": true, "53": true, "59": true,
	"61": true, "62": true, "69": true, "71": true, "72": true, "79": true,
	"81": true, "89": true, "91": true, "92": true, "93": true, "A1": true,
	"A9": true, "N1": true, "N2": true, "N3": true, "N9": true, "Y1": true,
}

// gb11714Weights are the organisation-code weights of GB 11714-1997.
var gb11714Weights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// ParseUSCC validates s as a unified social credit code. Lower-case letters
// and surrounding spaces are accepted and normalised, since people type them.
// The error names the position at fault and the character wanted.
func ParseUSCC(s string) (USCC, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	const field = "uscc"
	if n := len([]rune(s)); n != 18 {
		return "", Invalidf("uscc.length", field, "unified social credit code %q has %d characters, want 18", s, n)
	}
	var vals [18]int
	for i := 0; i < 17; i++ { // position 18 is judged by the check below
		v := strings.IndexByte(usccCharset, s[i])
		if v < 0 {
			return "", Invalidf("uscc.charset", field, "unified social credit code %q has %q at position %d, not in the GB 32100 character set", s, s[i], i+1)
		}
		vals[i] = v
	}
	if !usccPairs[s[:2]] {
		return "", Invalidf("uscc.prefix", field, "unified social credit code %q starts with %q, not a registration-authority and organisation-type pair of GB 32100", s, s[:2])
	}
	for i := 2; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", Invalidf("uscc.region", field, "unified social credit code %q has %q at position %d, want a digit of the region code", s, s[i], i+1)
		}
	}
	if want := gb11714Check(s[8:16]); s[16] != want {
		return "", Invalidf("uscc.org_checksum", field, "unified social credit code %q has organisation-code check character %c, want %c", s, s[16], want)
	}
	if want := usccCheck(vals); s[17] != want {
		return "", Invalidf("uscc.checksum", field, "unified social credit code %q has check character %c, want %c", s, s[17], want)
	}
	return USCC(s), nil
}

// usccCheck returns the check character for the first 17 values.
func usccCheck(vals [18]int) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += vals[i] * usccWeights[i]
	}
	return usccCharset[(31-sum%31)%31]
}

// gb11714Check returns the check character of an 8-character organisation
// code body: 11 - (Σ c·w mod 11), 10 written X and 11 written 0.
func gb11714Check(body string) byte {
	sum := 0
	for i := 0; i < 8; i++ {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		sum += v * gb11714Weights[i]
	}
	switch r := 11 - sum%11; r {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + r)
	}
}

// MakeUSCC completes a 16-character prefix (authority, type, region code and
// the 8-character organisation-code body) with both check characters. It is
// for generating test and demo data; it panics on characters outside the set.
func MakeUSCC(prefix16 string) USCC {
	if len(prefix16) != 16 {
		panic(fmt.Sprintf("MakeUSCC: prefix %q is not 16 characters", prefix16))
	}
	s := prefix16 + string(gb11714Check(prefix16[8:16]))
	var vals [18]int
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccCharset, s[i])
		if v < 0 {
			panic(fmt.Sprintf("MakeUSCC: %q is not in the character set", s[i]))
		}
		vals[i] = v
	}
	return USCC(s + string(usccCheck(vals)))
}

// RegionCode returns the 6-digit region code of the registering authority.
func (u USCC) RegionCode() string { return string(u[2:8]) }
