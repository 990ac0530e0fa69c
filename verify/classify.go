// Package verify answers bulk verification (联网核查): it tells, for each of
// up to a thousand identifiers at once, whether the registry knows it and in
// what status, and explains precisely why when it does not. It also keeps
// watchlists and delivers signed status-change webhooks.
package verify

import "trustmark"

// Kind is what an item was recognised as.
type Kind string

// Item kinds, as they appear in the "kind" field of a result.
const (
	KindCertificate Kind = "certificate"  // a certificate number of any type
	KindOrg         Kind = "org"          // a unified social credit code
	KindOrganicCode Kind = "organic_code" // a 17-digit organic label code (有机码)
	KindReport      Kind = "report"       // CMA_NO/REPORT_NO
	KindBody        Kind = "body"         // a certification-body approval number
	KindLab         Kind = "lab"          // a 12-digit laboratory CMA number
	KindUnknown     Kind = "unknown"      // not any identifier the registry uses
)

// MaxItemBytes bounds one item; nothing the registry holds is longer.
const MaxItemBytes = trustmark.MaxIdentifyBytes

// kinds names each of the domain's identifier kinds as results do
// (CONTRACT.md): what an item is, is trustmark.Identify's decision, the
// same the portal's search box makes.
var kinds = map[trustmark.IDKind]Kind{
	trustmark.IDText:        KindUnknown,
	trustmark.IDCertificate: KindCertificate,
	trustmark.IDCertKey:     KindCertificate,
	trustmark.IDUSCC:        KindOrg,
	trustmark.IDApprovalNo:  KindBody,
	trustmark.IDCMANo:       KindLab,
	trustmark.IDReport:      KindReport,
	trustmark.IDOrganicCode: KindOrganicCode,
}

// KindOf returns the result kind of an identity.
func KindOf(id trustmark.Identity) Kind {
	if k, ok := kinds[id.Kind]; ok {
		return k
	}
	return KindUnknown
}
