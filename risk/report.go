package risk

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"trustmark"
	"trustmark/credit"
)

// Risk reports (风险信息归集) are the signals no registry event gives: a
// complaint, a certified product that failed market sampling (产品质量监督
// 抽查), a laboratory that failed a proficiency test (能力验证). A regulator
// records each by hand; the report is an event of the public log, and the
// risk follower turns it into a signal on each party it bears on
// (Report.Signals).
//
// A report is public. It carries no personal data: the complainant is named
// by the complaint's reference in the regulator's own case system (12315),
// whose particulars stay there, and a text that looks like a phone or ID
// number, or an e-mail address, is refused.

// ReportKinds are the kinds of signal a risk report records.
var ReportKinds = []Kind{Complaint, SamplingFailed, ProficiencyFailed}

// What a report may be filed against: a certificate (its organisation and
// its body), a body, or a laboratory. The values are the registry's
// entity names.
const (
	OnCertificate = trustmark.EntityCertificate
	OnBody        = trustmark.EntityBody
	OnLab         = trustmark.EntityLab
)

// reportOn says what each kind of report may be filed against: a complaint
// against any of them; a failed sampling against the certificate of the
// product sampled; a failed proficiency test against a laboratory.
var reportOn = map[Kind][]string{
	Complaint:         {OnCertificate, OnBody, OnLab},
	SamplingFailed:    {OnCertificate},
	ProficiencyFailed: {OnLab},
}

// Bounds of a report's texts, in characters.
const (
	MaxReportSource  = 200
	MaxReportDetails = 1000
)

// BodyShare is the value of the signal a report against a certificate
// raises on the certificate's body (the organisation's is 1): the body
// vouched for the product or the management system, one step removed from
// the fault, so two such reports weigh on it as one on the organisation.
const BodyShare = 0.5

// ReportRequest is what a regulator files (POST /api/v1/risk/reports, the
// workbench's form).
type ReportRequest struct {
	Kind        Kind           `json:"kind"`
	SubjectKind string         `json:"subject_kind"` // certificate, body or lab
	SubjectID   string         `json:"subject_id"`   // certificate number, approval number or CMA number
	On          trustmark.Date `json:"on"`           // the day it happened: the complaint received, the sampling notice, the PT round's report
	Source      string         `json:"source"`       // the complaint's reference, the sampling notice's number, the PT scheme and round
	Details     string         `json:"details,omitempty"`
}

// personalRE finds what looks like personal contact data: a mainland mobile
// number, a resident ID number, a landline with its area code, an e-mail
// address. Digits that run on (a long case number) are not matched.
var personalRE = regexp.MustCompile(`(^|[^0-9])(1[3-9][0-9]{9}|[1-9][0-9]{16}[0-9Xx]|0[1-9][0-9]{1,2}-[0-9]{7,8})([^0-9]|$)|[^\s@]+@[^\s@]+\.[A-Za-z]{2,}`)

// Check returns req in canonical form (the subject's identifier parsed, the
// texts trimmed), or a refusal that names the field: a kind of report that
// does not exist or a subject it may not be filed against, a missing or
// future date (today is the day in China), a missing or overlong source,
// overlong details, or personal data in either text.
func (req ReportRequest) Check(today trustmark.Date) (ReportRequest, error) {
	on, ok := reportOn[req.Kind]
	if !ok {
		return req, trustmark.Invalidf("risk.report_kind", "kind", "%q is not a kind of risk report (complaint, sampling_failed, proficiency_failed)", req.Kind)
	}
	if !slices.Contains(on, req.SubjectKind) {
		return req, trustmark.Invalidf("risk.report_subject_kind", "subject_kind", "a %s report is filed against %s, not %q", req.Kind, strings.Join(on, " or "), req.SubjectKind)
	}
	id, err := parseSubjectID(req.SubjectKind, req.SubjectID)
	if err != nil {
		return req, trustmark.WithField(err, "subject_id")
	}
	req.SubjectID = id
	switch {
	case req.On.IsZero():
		return req, trustmark.Invalidf("risk.report_date", "on", "a risk report gives the day it happened")
	case req.On.After(today):
		return req, trustmark.Invalidf("risk.report_future", "on", "%s is after today, %s", req.On, today)
	}
	req.Source, req.Details = strings.TrimSpace(req.Source), strings.TrimSpace(req.Details)
	for _, t := range []struct {
		field, text string
		max         int
	}{{"source", req.Source, MaxReportSource}, {"details", req.Details, MaxReportDetails}} {
		switch {
		case !utf8.ValidString(t.text) || strings.ContainsFunc(t.text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }):
			return req, trustmark.Invalidf("risk.report_text", t.field, "%s holds characters that are not text", t.field)
		case utf8.RuneCountInString(t.text) > t.max:
			return req, trustmark.Invalidf("risk.report_length", t.field, "%s is %d characters long, at most %d", t.field, utf8.RuneCountInString(t.text), t.max)
		case personalRE.MatchString(t.text):
			return req, trustmark.Invalidf("risk.report_personal", t.field, "%s holds what looks like a phone or ID number or an e-mail address: a report is public and names no person", t.field)
		}
	}
	if req.Source == "" {
		return req, trustmark.Invalidf("risk.report_source", "source", "a risk report names its source: the complaint's reference, the sampling notice, the PT scheme and round")
	}
	return req, nil
}

// parseSubjectID returns the canonical identifier of a subject of kind k.
func parseSubjectID(k, id string) (string, error) {
	switch k {
	case OnCertificate:
		n, err := trustmark.ParseCertNumber(id)
		return string(n), err
	case OnBody:
		n, err := trustmark.ParseApprovalNo(id)
		return string(n), err
	default:
		n, err := trustmark.ParseCMANo(id)
		return string(n), err
	}
}

// ReportID is the identifier of the report req files: the same kind,
// subject and source give the same report, so that filing it twice is
// refused rather than counted twice.
func ReportID(req ReportRequest) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{string(req.Kind), req.SubjectKind, req.SubjectID, req.Source}, "\x00")))
	return "RR" + strings.ToUpper(hex.EncodeToString(sum[:8]))
}

// ReportFacts is what the registry holds about a report's subject, as the
// store reads it before the decision.
type ReportFacts struct {
	Found bool
	// Region is the region of the body or laboratory; of a certificate, its
	// organisation's (where the product is made and sampled).
	Region string
	// Org and Body are a certificate's organisation (USCC) and body
	// (approval number), and BodyRegion the body's region.
	Org, Body, BodyRegion string
	// Recorded says a report of the same ID (ReportID) is on record.
	Recorded bool
}

// Regions are the regions whose regulators may record a report on the
// subject (access rule risk.report): a body's or laboratory's own; for a
// certificate, its organisation's and its body's, since either may receive
// the complaint or run the sampling.
func (f ReportFacts) Regions() []string {
	var out []string
	for _, r := range []string{f.Region, f.BodyRegion} {
		if r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// Party is one subject a report bears on, with the value of its signal.
type Party struct {
	Subject credit.Subject `json:"subject"`
	Region  string         `json:"region"`
	Value   float64        `json:"value"`
}

// Report is a risk report as recorded and published in the log.
type Report struct {
	ID string `json:"id"`
	ReportRequest
	Parties    []Party   `json:"parties"`
	RecordedBy string    `json:"recorded_by"` // the regulator unit ("regulator:510000"), never a person
	RecordedAt time.Time `json:"recorded_at"`
}

// Subject names what the report was filed against, "kind:id".
func (r Report) Subject() string { return r.SubjectKind + ":" + r.SubjectID }

// CheckSubject refuses a report on a subject the registry does not hold.
func (f ReportFacts) CheckSubject(req ReportRequest) error {
	if !f.Found {
		return trustmark.Reasonf(trustmark.ENotFound, "risk.report_unknown", "subject_id", "the registry holds no %s %s", req.SubjectKind, req.SubjectID)
	}
	return nil
}

// DecideReport records req, filed by (the regulator unit that may, as
// access.Decide found) at instant at, on a subject of which the registry
// holds f. It refuses what Check refuses, a subject the registry does not
// hold, and a report already on record. The parties are the body or the
// laboratory filed against, with value 1; for a certificate its
// organisation (1) and its body (BodyShare).
func DecideReport(req ReportRequest, f ReportFacts, by string, at time.Time) (Report, error) {
	req, err := req.Check(trustmark.DateOf(at))
	if err != nil {
		return Report{}, err
	}
	if err := f.CheckSubject(req); err != nil {
		return Report{}, err
	}
	id := ReportID(req)
	if f.Recorded {
		return Report{}, trustmark.Reasonf(trustmark.EConflict, "risk.report_exists", "source", "report %s (%s on %s from %s) is already on record", id, req.Kind, req.SubjectID, req.Source)
	}
	if strings.TrimSpace(by) == "" {
		return Report{}, trustmark.Invalidf("risk.report_by", "", "a risk report names the regulator that recorded it")
	}
	r := Report{ID: id, ReportRequest: req, RecordedBy: by, RecordedAt: at.UTC()}
	switch req.SubjectKind {
	case OnCertificate:
		r.Parties = []Party{{Subject: credit.Subject{Kind: credit.Org, ID: f.Org}, Region: f.Region, Value: 1},
			{Subject: credit.Subject{Kind: credit.Body, ID: f.Body}, Region: f.BodyRegion, Value: BodyShare}}
	case OnBody:
		r.Parties = []Party{{Subject: credit.Subject{Kind: credit.Body, ID: req.SubjectID}, Region: f.Region, Value: 1}}
	case OnLab:
		r.Parties = []Party{{Subject: credit.Subject{Kind: credit.Lab, ID: req.SubjectID}, Region: f.Region, Value: 1}}
	}
	r.Parties = slices.DeleteFunc(r.Parties, func(p Party) bool { return p.Subject.ID == "" })
	return r, nil
}

// sourcePrefix names each kind's source in a signal, as the other signals'
// sources read ("penalty:…", "anomaly:…").
var sourcePrefix = map[Kind]string{Complaint: "complaint", SamplingFailed: "sampling", ProficiencyFailed: "pt"}

// Signals are the signals r raises, one per party, dated the day it
// happened. Their ids come from the report, so handing the follower the
// same event again changes nothing. Region is left to the follower, which
// takes each subject's region from the registry as for every signal.
func (r Report) Signals() []Signal {
	out := make([]Signal, 0, len(r.Parties))
	for _, p := range r.Parties {
		source := fmt.Sprintf("%s:%s", sourcePrefix[r.Kind], r.Source)
		if r.SubjectKind == OnCertificate {
			source += " (" + r.Subject() + ")"
		}
		v := p.Value
		if v == 1 {
			v = 0 // a single event: the default value
		}
		out = append(out, Signal{ID: "report:" + r.ID + "/" + p.Subject.String(), Subject: p.Subject, Kind: r.Kind, On: r.On, Source: source, Value: v})
	}
	return out
}

// OnOrg names an organisation in a query of the reports on a subject
// (reports are filed against its certificates, never against it).
const OnOrg = trustmark.EntityOrg

// ParseReportSubject reads "kind:id", the subject of a query of reports:
// a certificate (the reports filed against it), a body, laboratory or
// organisation (every report that bears on it). It returns the kind and
// the identifier in canonical form.
func ParseReportSubject(s string) (kind, id string, err error) {
	kind, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	switch {
	case !ok || id == "":
		return "", "", trustmark.Invalidf("risk.report_query", "subject", "subject %q is not of the form kind:id (certificate, body, lab or org)", s)
	case kind == OnOrg:
		u, err := trustmark.ParseUSCC(id)
		return kind, string(u), trustmark.WithField(err, "subject")
	case kind == OnCertificate || kind == OnBody || kind == OnLab:
		id, err := parseSubjectID(kind, id)
		return kind, id, trustmark.WithField(err, "subject")
	}
	return "", "", trustmark.Invalidf("risk.report_query", "subject", "subject %q is not of the form kind:id (certificate, body, lab or org)", s)
}
