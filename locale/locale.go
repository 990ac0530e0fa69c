// Package locale is Trustmark's one translation catalogue: every string
// the portal's pages, the JSON API's error messages and bulk verification's
// answers show, in Chinese and in English, and the one negotiation of the
// language a request wants (golang.org/x/text/language). The domain's
// refusals carry a reason key and the values they quote
// (trustmark.Error.Reason, Args); Messages.Reason says them in a language,
// so no English reaches a Chinese answer.
//
// Each language is one value of Messages, so a string missing from a
// language is an empty field that the catalogue's tests catch, never a
// silent fallback.
package locale

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"trustmark"
)

// Messages is every string Trustmark shows in one language.
type Messages struct {
	Lang, HTMLLang, SwitchLabel, SwitchLang string

	SiteName, SiteTagline, SkipToContent                     string
	SearchLabel, SearchPlaceholder, SearchButton, SearchHint string
	NavHome, NavDisclosures, NavReports, NavBulk, NavAPI     string

	HomeIntro, HomeExamples, HomeStats                             string
	ChinaTime                                                      string // a time of day in China, with its zone
	CheckedAt                                                      string // when this page was looked up, for a printed copy
	NotFoundReportLab, NotFoundReportHint                          string // the not-found page of a test report
	SearchTooShort                                                 string // a name search of one character
	StatOrgs, StatBodies, StatLabs, StatCertificates, StatValid    string
	StatsAsOf                                                      string
	ResultsTitle, ResultsCount, ResultsNone, ResultsNoneHint       string
	FilterKind, FilterType, FilterStatus, FilterRegion, FilterCity string
	FilterAny, FilterApply, PrevPage, NextPage, SearchUnavailable  string
	KindOrg, KindBody, KindLab, KindCertificate                    string

	CertTitle, CertNumber, CertType, CertHolder, CertBody, CertScope                                string
	CertStandard, CertProduct, CertCCCCategory, CertIssued, CertExpires                             string
	CertValidity, CertStatusSince, CertQR, CertQRAlt, CertBodyLastSubmit                            string
	CertFormerValidity                                                                              string // the validity of a revoked or withdrawn certificate
	ListSep, Colon                                                                                  string // between items of a list; after a label in running text
	Timeline, TimelineEmpty, EventAt, EventActor, EventWhat, EventReason                            string
	LogVerified, LogPending, LogProof, LogNone                                                      string
	StatusValid, StatusSuspended, StatusRevoked, StatusWithdrawn, StatusExpired                     string
	StatusValidNote, StatusSuspendedNote, StatusRevokedNote, StatusWithdrawnNote, StatusExpiredNote string

	OrgTitle, OrgUSCC, OrgName, OrgNameEn, OrgRegion, OrgAddress           string
	OrgCertificates, OrgNoCertificates, OrgReports, OrgNoReports, OrgMore  string
	BodyTitle, BodyApprovalNo, BodyScopes, BodyCCC, BodyApprovedOn         string
	BodyLastSubmission, BodyNeverSubmitted, BodyCertificates, PartyStatus  string
	LabTitle, LabCMANo, LabValidUntil, LabVerifyReport                     string
	PersonTitle, PersonRegNo, PersonName, PersonBody, PersonQualifications string
	PersonGrade, PersonPrivacy                                             string
	// Grades name an auditor's grade as the registry records it (CCAA's
	// grades, in Chinese) in the page's language; a grade not listed is
	// shown as recorded.
	Grades map[string]string

	ReportTitle, ReportNumber, ReportLab, ReportProduct, ReportConclusion string
	ReportIssued, ReportPass, ReportFail, ReportScopeNote                 string

	// IssuerBodyNotes and IssuerLabNotes say that a certificate's body or a
	// report's laboratory is not in good standing, by its status, over the
	// day the status began; the "" entry is for any other status, over its
	// name and the day.
	IssuerBodyNotes, IssuerLabNotes                                   map[trustmark.PartyStatus]string
	ReportFormTitle, ReportFormIntro, ReportFormNumber, ReportFormLab string
	ReportFormLabHint, ReportFormSubmit                               string
	// IssuerBodyBadges say IssuerBodyNotes as briefly as a badge beside a
	// certificate's status in a list of results, over the same values.
	IssuerBodyBadges map[trustmark.PartyStatus]string

	DiscTitle, DiscIntro, DiscCSV, DiscNone, DiscStatusOn, DiscCount string

	NotFoundTitle, NotFoundMalformed, NotFoundNoIssuer, NotFoundUnknown string
	NotFoundUnknownHint, NotFoundIssuers, NotFoundLastSubmission        string
	NotFoundOrganicCode, NotFoundBack, NotFoundPageTitle, NotFoundPage  string
	ErrorTitle, ErrorText, BadRequestTitle                              string
	// Titles of a page refused before it was served: too many requests
	// from one client, the server too busy to take more.
	RateLimitedTitle, BusyTitle string

	FooterNote, DataNote string

	// CertStatusNames and PartyStatusNames are the status words of running
	// text ("approval suspended since …"); as a label (a badge, a headline,
	// a field) a page shows them through StatusLabel.
	CertStatusNames  map[trustmark.CertStatus]string
	PartyStatusNames map[trustmark.PartyStatus]string
	CertTypeNames    map[trustmark.CertType]string
	ActionNames      map[string]string
	// IDNames names each kind of identifier ("uscc", "approval_no", "cma_no",
	// "ccc", "organic_code", "organic_cert", "report", "certificate",
	// "person") and, with "body" and "lab", the kind of issuer.
	IDNames map[string]string
	// ActorNames names the kinds of party that act (trustmark.Party kinds).
	ActorNames     map[string]string
	EventEffective string
	// NotFoundCCCDetail explains how a CCC number names its issuers.
	NotFoundCCCDetail string
	DiscShown         string
	// Reasons says why an identifier was rejected, by the domain's reason
	// keys (trustmark.Error.Reason): each entry is a format over the
	// error's Args, in their order (%[1]s is the input). Reason uses it.
	// English needs none: the domain's own messages are English.
	Reasons map[string]string
	// Bulk is what bulk verification says.
	Bulk BulkMessages
	// Accounts is what the sign-in pages and the workbench's home say.
	Accounts AccountMessages
	// Statistics is what the plan's indicator page says.
	Statistics StatisticsMessages
	// Credit is what the public serious-violation list says.
	Credit CreditMessages
	// Campaign is what a published inspection campaign's page says.
	Campaign CampaignMessages
	// Risk is what the regulators' risk pages say.
	Risk RiskMessages
	// RiskReport is what the regulators' form for risk information says.
	RiskReport RiskReportMessages
	// Region is what a regulator's registry pages say (region.go).
	Region RegionMessages
	// Work is what the workbench's matter and staff pages say.
	Work WorkMessages
	// Portal is what the certificate timeline, the record pages' lists
	// and the downloads of bulk verification say (portal.go).
	Portal PortalMessages
	// Audit is what the workbench's audit and check-in pages say.
	Audit AuditMessages
	// AccessLog is what the workbench's access log of personal data says.
	AccessLog AccessLogMessages
	// Calendar is what the national administrator's calendar page says;
	// Auditors what a body's auditors page says (workbench_more.go).
	Calendar CalendarMessages
	Auditors AuditorMessages
	// UnitLists is what a unit's own lists on the workbench say: a
	// laboratory's reports and accreditation, a body's certificates.
	UnitLists UnitListMessages
	// AuditPlan is what the workbench's audit plan form says (auditplan.go).
	AuditPlan AuditPlanMessages
	// ErrorCodes says, for each error code, what went wrong in general: the
	// message of a refusal that carries no reason key, where the language
	// is not English (an English answer has the refusal's own message).
	ErrorCodes map[string]string
}

// Reason says err in this language: the catalogue's entry for the error's
// reason key filled with its values; else, where the catalogue has a
// message for the error's code (every language but English), that
// message; else the error's own message, which the domain writes in
// English. An entry without verbs is said as it is: it leaves out every
// value (an English detail, or values that differ between the places that
// give the key), and fmt would otherwise append them as EXTRA.
func (m *Messages) Reason(err error) string {
	var e *trustmark.Error
	if errors.As(err, &e) && e.Reason != "" {
		if f, ok := m.Reasons[e.Reason]; ok {
			if !strings.Contains(f, "%") {
				return f
			}
			return fmt.Sprintf(f, e.Args...)
		}
	}
	if msg, ok := m.ErrorCodes[trustmark.ErrorCode(err)]; ok {
		return msg
	}
	return trustmark.ErrorMessage(err)
}

// CertTypeName returns the name of a certificate type.
func (m *Messages) CertTypeName(t trustmark.CertType) string {
	if n := m.CertTypeNames[t]; n != "" {
		return n
	}
	return string(t)
}

// StatusLabel is a status word of the glossary as a label: capitalised,
// so that English labels read "Valid", "Suspended", "Active" on every page
// (Chinese has no case).
func StatusLabel(word string) string {
	r, n := utf8.DecodeRuneInString(word)
	return string(unicode.ToUpper(r)) + word[n:]
}
