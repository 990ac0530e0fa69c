package campaign

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"time"

	"trustmark"
	"trustmark/account"
	"trustmark/draw"
)

// Event actions after the draw.
const (
	ActionFinding   = "finding_recorded"  // one subject's inspection (Result, the public part of a Finding)
	ActionPublished = "results_published" // a publication of results (PublishedData)
)

// Published is a campaign whose every drawn subject's results are published.
const Published Status = "published"

// Outcome is what an inspection concluded (检查结果).
type Outcome string

// Outcomes.
const (
	NoProblem     Outcome = "no_problem"    // 未发现问题
	Rectification Outcome = "rectification" // 发现问题，责令整改: opens a rectification matter for the subject
	Referred      Outcome = "referred"      // 移送立案查处: the case goes to the penalty procedure
)

// Outcomes lists the outcomes in order.
var Outcomes = []Outcome{NoProblem, Rectification, Referred}

// Limits of a finding.
const (
	MaxAttachments  = 50
	MaxCertActions  = 100
	MaxReasonLen    = 500
	PublicationKind = "inspection_publication" // the matter kind that keeps the publication deadline
	RectifyKind     = "rectification"          // the matter kind a rectification order opens
)

// ItemResult is the result of one checklist item: Item counts from 1 in
// the campaign's checklist.
type ItemResult struct {
	Item int  `json:"item"`
	Pass bool `json:"pass"`
}

// CertificateAction is a follow-up on a certificate: suspended or revoked
// through the certificate's own lifecycle (trustmark.DecideTransition).
type CertificateAction struct {
	Certificate string               `json:"certificate"`
	To          trustmark.CertStatus `json:"to"`
	Reason      string               `json:"reason"`
}

// Finding is one drawn subject's inspection, as its region's regulator
// records it. It holds no personal data: who inspected is the drawn team,
// and documents are attachments by hash.
type Finding struct {
	Campaign     string              `json:"campaign"`
	Subject      string              `json:"subject"`
	Class        draw.Class          `json:"class"`
	Region       string              `json:"region"` // the subject's region, whose regulators record it
	Method       string              `json:"method"`
	Items        []ItemResult        `json:"items"`
	Outcome      Outcome             `json:"outcome"`
	Attachments  []string            `json:"attachments"` // hex SHA-256 of each document
	Certificates []CertificateAction `json:"certificates"`
	RectifyDays  int                 `json:"rectify_days,omitempty"` // working days given to rectify; 0: the matter kind's
	ConcludedOn  trustmark.Date      `json:"concluded_on"`
	RecordedAt   time.Time           `json:"recorded_at"`
	RecordedBy   string              `json:"recorded_by"`
	DueOn        trustmark.Date      `json:"due_on"`                // results to be published by this day
	PublishedOn  trustmark.Date      `json:"published_on,omitzero"` // zero until published
	Publication  int                 `json:"publication,omitempty"` // the publication's number, from 1
	Matters      []string            `json:"matters"`               // matters it opened: publication, rectification
}

// Result is a finding as the public sees it once published: per subject,
// with no personal data and no internal matter.
type Result struct {
	Subject      string              `json:"subject"`
	Class        draw.Class          `json:"class"`
	Region       string              `json:"region"`
	Method       string              `json:"method"`
	Outcome      Outcome             `json:"outcome"`
	Items        []ItemResult        `json:"items"`
	Attachments  []string            `json:"attachments"`
	Certificates []CertificateAction `json:"certificates"`
	ConcludedOn  trustmark.Date      `json:"concluded_on"`
	DueOn        trustmark.Date      `json:"due_on"`
	PublishedOn  trustmark.Date      `json:"published_on,omitzero"`
	Publication  int                 `json:"publication,omitempty"`
}

// Public returns the public part of f.
func (f *Finding) Public() Result {
	return Result{Subject: f.Subject, Class: f.Class, Region: f.Region, Method: f.Method, Outcome: f.Outcome,
		Items: f.Items, Attachments: f.Attachments, Certificates: f.Certificates, ConcludedOn: f.ConcludedOn,
		DueOn: f.DueOn, PublishedOn: f.PublishedOn, Publication: f.Publication}
}

// Publication is one publication of results: the subjects whose results it
// made public, how many of them late, and the SHA-256 of the published
// results' JSON (ResultsSHA256), which the API serves.
type Publication struct {
	N             int            `json:"n"`
	PublishedOn   trustmark.Date `json:"published_on"`
	PublishedAt   time.Time      `json:"published_at"`
	PublishedBy   string         `json:"published_by"`
	Subjects      int            `json:"subjects"`
	Late          int            `json:"late"`
	ResultsSHA256 string         `json:"results_sha256"`
}

// PublishedData is the data of a publication's event: the publication and
// the number of subjects with a team (Inspectable), which the campaign is
// published at once every one of them has its result published. An event
// logged before subjects could lack a team has none: then every subject
// drawn has one.
type PublishedData struct {
	Publication
	Inspectable int `json:"inspectable,omitempty"`
}

// ResultsSHA256 is the hex SHA-256 of the JSON array of rs, in the order
// given (a publication's, by subject).
func ResultsSHA256(rs []Result) string {
	b, _ := json.Marshal(rs)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// DecideFinding checks f, the inspection of a subject drawn in c, and
// completes it: the subject's class and region from the draw (pick), the
// campaign's id, who recorded it and when. region is the region of the
// subject as the draw stored it. A finding is recorded once per subject.
func DecideFinding(c *Campaign, pick *draw.Pick, region string, existing bool, f Finding, today trustmark.Date, at time.Time, actor string) (Finding, error) {
	bad := func(field, format string, args ...any) error {
		return trustmark.Reasonf(trustmark.EInvalid, "campaign.finding", field, format, args...)
	}
	switch {
	case c.Status != Drawn && c.Status != Published || c.Result == nil:
		return f, trustmark.Reasonf(trustmark.EConflict, "campaign.not_drawn", "", "campaign %s is not drawn yet", c.ID)
	case pick == nil:
		return f, trustmark.Errorf(trustmark.ENotFound, "subject", "subject %q was not drawn in campaign %s", f.Subject, c.ID)
	case existing:
		return f, trustmark.Reasonf(trustmark.EConflict, "campaign.finding_exists", "subject", "the inspection of %s in campaign %s is recorded already", f.Subject, c.ID)
	case c.Result.CheckTeam(f.Subject) != nil:
		return f, c.Result.CheckTeam(f.Subject)
	case !slices.Contains(Methods, f.Method):
		return f, bad("method", "method %q is not one of onsite, file, certified_org, product_sampling", f.Method)
	case !slices.Contains(Outcomes, f.Outcome):
		return f, bad("outcome", "outcome %q is not no_problem, rectification or referred", f.Outcome)
	case f.ConcludedOn.IsZero() || f.ConcludedOn.After(today):
		return f, bad("concluded_on", "the inspection's conclusion day must be given and not after today %s", today)
	case len(c.Attempts) > 0 && f.ConcludedOn.Before(trustmark.DateOf(c.Attempts[0].At)):
		return f, bad("concluded_on", "the inspection concluded on %s, before the draw", f.ConcludedOn)
	case len(f.Attachments) > MaxAttachments:
		return f, bad("attachments", "at most %d attachments", MaxAttachments)
	case len(f.Certificates) > MaxCertActions:
		return f, bad("certificates", "at most %d certificates", MaxCertActions)
	case f.RectifyDays < 0 || f.RectifyDays > 120:
		return f, bad("rectify_days", "a rectification period of %d working days, want 1 to 120", f.RectifyDays)
	}
	if err := checkItems(c, f); err != nil {
		return f, err
	}
	for _, a := range f.Attachments {
		if b, err := hex.DecodeString(a); err != nil || len(b) != 32 || hex.EncodeToString(b) != a {
			return f, bad("attachments", "attachment %q is not a lower-case hex SHA-256", a)
		}
	}
	for _, ca := range f.Certificates {
		switch {
		case f.Outcome == NoProblem:
			return f, bad("certificates", "an inspection that found no problem suspends or revokes no certificate")
		case ca.Certificate == "":
			return f, bad("certificates", "a certificate action needs the certificate's number")
		case ca.To != trustmark.StatusSuspended && ca.To != trustmark.StatusRevoked:
			return f, bad("certificates", "certificate %s: an inspection suspends or revokes, not %q", ca.Certificate, ca.To)
		case ca.Reason == "" || len([]rune(ca.Reason)) > MaxReasonLen:
			return f, bad("certificates", "certificate %s: a reason of 1 to %d characters", ca.Certificate, MaxReasonLen)
		}
	}
	f.Campaign, f.Class, f.Region = c.ID, pick.Class, region
	f.RecordedAt, f.RecordedBy, f.PublishedOn = at, actor, trustmark.Date{}
	if f.Attachments == nil {
		f.Attachments = []string{}
	}
	if f.Certificates == nil {
		f.Certificates = []CertificateAction{}
	}
	f.Matters = []string{}
	return f, nil
}

// checkItems checks that f gives each checklist item of c exactly once, in
// order, and that the outcome agrees with them: no problem only when every
// item passed, a problem only when one failed.
func checkItems(c *Campaign, f Finding) error {
	bad := func(format string, args ...any) error {
		return trustmark.Reasonf(trustmark.EInvalid, "campaign.finding", "items", format, args...)
	}
	if len(f.Items) != len(c.Checklist) {
		return bad("%d item results for a checklist of %d items", len(f.Items), len(c.Checklist))
	}
	failed := false
	for i, it := range f.Items {
		if it.Item != i+1 {
			return bad("item result %d is for item %d: give the items in the checklist's order", i+1, it.Item)
		}
		failed = failed || !it.Pass
	}
	switch {
	case f.Outcome == NoProblem && failed:
		return bad("an item failed: the outcome cannot be no_problem")
	case f.Outcome != NoProblem && !failed:
		return bad("every item passed: the outcome is no_problem")
	}
	return nil
}

// PickOf returns the pick of subject in res, or nil.
func PickOf(res *draw.Result, subject string) *draw.Pick {
	if res == nil {
		return nil
	}
	for i := range res.Picks {
		if res.Picks[i].Subject == subject {
			return &res.Picks[i]
		}
	}
	return nil
}

// DecidePublish publishes the recorded findings of c not yet published
// (pending), on today: each gets its publication day, and the publication
// says how many were late (published after their due day). all is how many
// subjects were drawn and published counts those published before; the
// campaign is Published once every drawn subject's results are.
func DecidePublish(c *Campaign, pending []Finding, n, published int, today trustmark.Date, at time.Time, actor string) ([]Finding, Publication, Status, error) {
	if c.Status != Drawn || c.Result == nil {
		return nil, Publication{}, c.Status, trustmark.Reasonf(trustmark.EConflict, "campaign.not_drawn", "", "campaign %s is not drawn yet, or all its results are published", c.ID)
	}
	if len(pending) == 0 {
		return nil, Publication{}, c.Status, trustmark.Reasonf(trustmark.EConflict, "campaign.nothing_to_publish", "", "campaign %s has no recorded results left to publish", c.ID)
	}
	out := slices.Clone(pending)
	slices.SortFunc(out, func(a, b Finding) int { return cmpString(a.Subject, b.Subject) })
	p := Publication{N: n, PublishedOn: today, PublishedAt: at, PublishedBy: actor, Subjects: len(out)}
	rs := make([]Result, len(out))
	for i := range out {
		out[i].PublishedOn, out[i].Publication = today, n
		if today.After(out[i].DueOn) {
			p.Late++
		}
		rs[i] = out[i].Public()
	}
	p.ResultsSHA256 = ResultsSHA256(rs)
	status := c.Status
	if published+len(out) == Inspectable(c.Result) {
		status = Published
	}
	return out, p, status, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// FindingData is the data of a finding's event. The log holds it when the
// finding is recorded, before publication: the SHA-256 of the public result
// (Result's JSON, with published_on still empty) binds the regulator to it,
// and the result itself is public when it is published.
type FindingData struct {
	Subject      string         `json:"subject"`
	ConcludedOn  trustmark.Date `json:"concluded_on"`
	DueOn        trustmark.Date `json:"due_on"`
	ResultSHA256 string         `json:"result_sha256"`
	Matters      []string       `json:"matters"`
}

// FindingEvent is the data of f's event.
func FindingEvent(f *Finding) FindingData {
	r := f.Public()
	r.PublishedOn, r.Publication = trustmark.Date{}, 0
	b, _ := json.Marshal(r)
	h := sha256.Sum256(b)
	return FindingData{Subject: f.Subject, ConcludedOn: f.ConcludedOn, DueOn: f.DueOn, ResultSHA256: hex.EncodeToString(h[:]), Matters: f.Matters}
}

// CertificateOf reports whether an inspection of subject, of a campaign of
// kind, may act on certificate c: the certificate itself, one its
// organisation holds, or one its body issued.
func CertificateOf(kind, subject string, c *trustmark.Certificate) error {
	ok := false
	switch kind {
	case "certificate":
		ok = c.Number == subject
	case "org":
		ok = string(c.HolderUSCC) == subject
	case "body":
		ok = c.BodyApprovalNo == subject
	}
	if !ok {
		return trustmark.Reasonf(trustmark.EInvalid, "campaign.not_subjects_certificate", "certificates",
			"certificate %s is not one of the inspected %s %s", c.Number, kind, subject)
	}
	return nil
}

// RectifyParty is who must rectify after an inspection of subject in a
// campaign of kind: the body, laboratory or organisation inspected; for a
// certificate, its holder (holder, the USCC the caller looked up).
func RectifyParty(kind, subject, holder string) (account.Unit, error) {
	if kind == "certificate" {
		return account.ParseUnit(account.Org, holder)
	}
	k := map[string]account.Kind{"body": account.Body, "lab": account.Lab, "org": account.Org}[kind]
	if k == "" {
		return account.Unit{}, trustmark.Reasonf(trustmark.EInvalid, "campaign.rectify_party", "outcome", "no party to serve a rectification order on for a %s", kind)
	}
	return account.ParseUnit(k, subject)
}

// Inspectable is the number of subjects of a draw that have a team to
// inspect them, and so take a result (draw.Result.CheckTeam): a campaign
// is published once each of them has its result published. A subject the
// draw could not staff stays listed with the reason (draw.Shortfall).
func Inspectable(r *draw.Result) int {
	n := 0
	for _, p := range r.Picks {
		if r.CheckTeam(p.Subject) == nil {
			n++
		}
	}
	return n
}
