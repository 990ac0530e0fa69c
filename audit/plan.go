// Package audit is on-site audit supervision as pure functions: a body's
// audit plan decided against the registry and the IAF MD 5 minimum audit
// time, auditors' check-ins from their phones, and the anomalies a body must
// explain, each with its rule code, evidence, severity and the matter it
// opens. It reads the rules of China's check-in system (国认监〔2021〕3号 and
// its FAQ, in data/reference/supervision_rules.json) at their exact edges,
// and adds what that system misses: overlapping audits, impossible travel,
// short on-site time, auditors lent between bodies, clock skew, reused
// photos and shared devices, overdue surveillance.
//
// Nothing here stores, serves or renders: the adapters load the state and
// the registry facts, call these functions with the time of the
// transaction, and persist the audit, its events, its anomalies and their
// matters.
package audit

import (
	"math"
	"slices"
	"strconv"
	"time"

	"trustmark"
)

// Kind is the kind of an audit, as CONTRACT.md names it.
type Kind string

// Kinds of audit.
const (
	Initial         Kind = "initial" // Stage 1 and Stage 2 together
	Stage1          Kind = "stage1"
	Stage2          Kind = "stage2"
	Surveillance    Kind = "surveillance"
	Recertification Kind = "recertification"
	Special         Kind = "special" // special or short-notice
	Remote          Kind = "remote"
)

// Bounds of a plan: beyond them a number is a typing error, not an audit.
const (
	maxAuditorDays   = 1000
	maxTeam          = 50
	maxAuditDuration = 60 * 24 * time.Hour
)

// Kinds lists the kinds of audit.
var Kinds = []Kind{Initial, Stage1, Stage2, Surveillance, Recertification, Special, Remote}

// initialKinds are the kinds reported before there is a certificate: they
// name the holder and the type instead.
var initialKinds = []Kind{Initial, Stage1, Stage2}

// Role is a team member's role.
type Role string

// Roles on an audit team.
const (
	Leader   Role = "leader"
	Auditor  Role = "auditor"
	Expert   Role = "expert" // technical expert
	Observer Role = "observer"
	Trainee  Role = "trainee"
)

// Roles lists the roles.
var Roles = []Role{Leader, Auditor, Expert, Observer, Trainee}

// Audits reports whether members of role r audit: only they must be
// qualified for the certificate type, and only they count in auditor-days
// (IAF MD 5 counts neither technical experts nor trainees).
func (r Role) Audits() bool { return r == Leader || r == Auditor }

// Site is where an audit takes place: its address and position as the body
// reported them (Lat, Lng in Datum), and the position in WGS-84 on which
// every distance is computed.
type Site struct {
	Address string  `json:"address"`
	Lat     float64 `json:"lat"`
	Lng     float64 `json:"lng"`
	Datum   Datum   `json:"datum"`
	WGS84   Point   `json:"wgs84"`
}

// Member is one person on an audit team, by registration number.
type Member struct {
	RegistrationNo string `json:"registration_no"`
	Role           Role   `json:"role"`
}

// Plan is an audit plan as a body reports it (CONTRACT.md, POST
// /api/v1/audits). ClosingAt is when the closing meeting starts;
// ClosingEndsAt, an extension, when it ends (zero: Rules.ClosingLen after
// it starts). Complexity is the IAF MD 5 category of an EMS or OH&SMS
// audit (empty: the lowest column). Sites are every site the audit
// visits (IAF MD 1: a multi-site organisation's head office and the
// sampled sites), the principal one first; Site is that principal site,
// kept for clients that know only one (normalizeSites).
type Plan struct {
	Certificate        string             `json:"certificate,omitempty"`
	HolderUSCC         trustmark.USCC     `json:"holder_uscc"`
	Type               trustmark.CertType `json:"type"`
	Kind               Kind               `json:"kind"`
	Complexity         Complexity         `json:"complexity,omitempty"`
	Site               Site               `json:"site"`
	Sites              []Site             `json:"sites,omitempty"`
	OpeningAt          time.Time          `json:"opening_at"`
	ClosingAt          time.Time          `json:"closing_at"`
	ClosingEndsAt      time.Time          `json:"closing_ends_at"`
	Team               []Member           `json:"team"`
	AuditorDays        float64            `json:"auditor_days"`
	EffectivePersonnel int                `json:"effective_personnel"`
}

// Audit is a decided plan: its id, the reporting body, the region whose
// regulators see it, and the plans of the same holder in the same half day
// it is linked with.
type Audit struct {
	ID         string    `json:"id"`
	Body       string    `json:"body"` // approval number
	Region     string    `json:"region"`
	Plan       Plan      `json:"plan"`
	ReportedAt time.Time `json:"reported_at"`
	Revision   int       `json:"revision"` // 1 when reported, +1 for each change
	Links      []string  `json:"links,omitempty"`
	Minimum    *Minimum  `json:"md5_minimum,omitempty"`
}

// Start is when the opening meeting is planned to start.
func (a *Audit) Start() time.Time { return a.Plan.OpeningAt }

// End is when the closing meeting is planned to end.
func (a *Audit) End() time.Time { return a.Plan.ClosingEndsAt }

// LastDay is the audit's last day in China: the day an explanation's
// period runs from, and after which a missing check-in is flagged.
func (a *Audit) LastDay() trustmark.Date { return trustmark.DateOf(a.End()) }

// Auditors is the number of team members who audit.
func (a *Audit) Auditors() int {
	n := 0
	for _, m := range a.Plan.Team {
		if m.Role.Audits() {
			n++
		}
	}
	return n
}

// OnTeam reports whether the person is on the audit's team.
func (a *Audit) OnTeam(regNo string) bool {
	return slices.ContainsFunc(a.Plan.Team, func(m Member) bool { return m.RegistrationNo == regNo })
}

// Facts are what the registry says that a plan is decided on, loaded by
// the adapter in the deciding transaction.
type Facts struct {
	Body        trustmark.Body
	Holder      trustmark.Org
	Certificate *trustmark.Certificate // nil for an initial audit
	// Persons are the team members the registry knows, by registration
	// number; one it does not know is not registered with any body.
	Persons map[string]trustmark.Person
	// SameHolder are the holder's other audits that may share a half day
	// with this one.
	SameHolder []Audit
	// PriorStageDays are the auditor-days of the Stage 1 already planned,
	// for a Stage 2 plan: the minimum is on the two together.
	PriorStageDays float64
}

// Request is a body's report of a plan, or of a change to one: the id the
// adapter gives a new audit, and who acts.
type Request struct {
	ID    string
	Actor string
	Plan  Plan
}

// Event actions of an audit.
const (
	Planned = "planned" // reported
	Amended = "amended" // changed before the audit started
	Changed = "changed" // changed after it started: a change, never an overwrite
)

// Event is one step of an audit for the public log. Previous is the plan
// before an amendment or change, so that nothing reported is lost.
type Event struct {
	Audit    string    `json:"audit"`
	Action   string    `json:"action"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Revision int       `json:"revision"`
	Fields   []string  `json:"fields,omitempty"` // what changed
	Previous *Plan     `json:"previous,omitempty"`
	Plan     Plan      `json:"plan"`
	Links    []string  `json:"links,omitempty"`
}

// Decision is a plan accepted: the audit, its event, and the anomalies it
// raised (a plan reported after its opening meeting). Replayed is set when
// the report repeated a request id that already reported this plan
// (ReplayPlan): nothing was decided or stored again, and there is no
// event.
type Decision struct {
	Audit     Audit
	Event     Event
	Anomalies []Anomaly
	Replayed  bool
}

// DecidePlan decides a body's report of a plan (state nil) or a change to
// an audit (state the audit as it stands), at now. It refuses at once,
// naming the field: a malformed plan; a certificate of another body; a
// person not registered with the body, suspended, revoked or banned, or
// auditing without the qualification; a team without exactly one qualified
// leader; planned auditor-days below the IAF MD 5 minimum (conflict, field
// auditor_days); a body that is not active, or not approved for the type
// (forbidden). A plan reported after its opening meeting is accepted and
// raises late_report. The certificate, holder, type and kind of an audit
// never change: a different audit is a new plan.
func (r *Rules) DecidePlan(state *Audit, req Request, f Facts, now time.Time) (Decision, error) {
	p := req.Plan
	if err := r.normalize(&p, f); err != nil {
		return Decision{}, err
	}
	if err := checkTeam(p, f); err != nil {
		return Decision{}, err
	}
	minimum, err := r.checkDays(p, f)
	if err != nil {
		return Decision{}, err
	}
	a := Audit{ID: req.ID, Body: f.Body.ApprovalNo, Region: f.Holder.RegionCode, Plan: p, ReportedAt: now, Revision: 1, Minimum: minimum}
	ev := Event{Audit: a.ID, Action: Planned, At: now, Actor: req.Actor, Revision: 1, Plan: p}
	if state != nil {
		if a, ev, err = change(*state, p, now, req.Actor); err != nil {
			return Decision{}, err
		}
		a.Minimum = minimum
	}
	if a.ID == "" {
		return Decision{}, trustmark.Invalidf("audit.id", "id", "an audit needs an id")
	}
	a.Links = r.links(a, f.SameHolder)
	ev.Links = a.Links
	d := Decision{Audit: a, Event: ev}
	if state == nil && now.After(p.OpeningAt) {
		d.Anomalies = append(d.Anomalies, r.anomaly(&a, LateReport, Major, "", Evidence{
			"reported_at": now.UTC().Format(time.RFC3339), "opening_at": p.OpeningAt.UTC().Format(time.RFC3339),
			"late_by": now.Sub(p.OpeningAt).Round(time.Minute).String()}, now))
	}
	return d, nil
}

// change records a new plan for an audit that stands. Before the opening
// meeting it is an amendment; after, a change. Either way the event keeps
// the previous plan.
func change(old Audit, p Plan, now time.Time, actor string) (Audit, Event, error) {
	o := old.Plan
	switch {
	case p.Certificate != o.Certificate || p.HolderUSCC != o.HolderUSCC || p.Type != o.Type:
		return Audit{}, Event{}, trustmark.Reasonf(trustmark.EConflict, "audit.change_subject", "certificate", "audit %s is of %s %s; a plan for another certificate or holder is a new audit", old.ID, o.HolderUSCC, o.Certificate)
	case p.Kind != o.Kind:
		return Audit{}, Event{}, trustmark.Reasonf(trustmark.EConflict, "audit.change_kind", "kind", "audit %s is a %s audit; a %s audit is a new plan", old.ID, o.Kind, p.Kind)
	}
	fields := changedFields(o, p)
	if len(fields) == 0 {
		return Audit{}, Event{}, trustmark.Reasonf(trustmark.EConflict, "audit.change_none", "", "the plan of audit %s is unchanged", old.ID)
	}
	action := Amended
	if !now.Before(o.OpeningAt) {
		action = Changed
	}
	a := old
	a.Plan, a.Revision = p, old.Revision+1
	prev := o
	return a, Event{Audit: a.ID, Action: action, At: now, Actor: actor, Revision: a.Revision, Fields: fields, Previous: &prev, Plan: p}, nil
}

func changedFields(a, b Plan) []string {
	var out []string
	add := func(name string, same bool) {
		if !same {
			out = append(out, name)
		}
	}
	add("sites", sameSites(&a, &b))
	add("opening_at", a.OpeningAt.Equal(b.OpeningAt))
	add("closing_at", a.ClosingAt.Equal(b.ClosingAt) && a.ClosingEndsAt.Equal(b.ClosingEndsAt))
	add("team", slices.Equal(a.Team, b.Team))
	add("auditor_days", a.AuditorDays == b.AuditorDays)
	add("effective_personnel", a.EffectivePersonnel == b.EffectivePersonnel)
	add("complexity", a.Complexity == b.Complexity)
	return out
}

// links returns the ids of the holder's audits whose opening meeting is on
// the same day and in the same half day as a's: the real system binds them
// for one check-in (cnca-checkin-upgrade-2022-01). A link is mutual: the
// adapter adds a's id to each linked audit's Links.
func (r *Rules) links(a Audit, others []Audit) []string {
	var out []string
	for _, o := range others {
		if o.ID != a.ID && o.Plan.HolderUSCC == a.Plan.HolderUSCC && r.sameHalfDay(o.Start(), a.Start()) {
			out = append(out, o.ID)
		}
	}
	slices.Sort(out)
	return out
}

func (r *Rules) sameHalfDay(s, t time.Time) bool {
	s, t = s.In(chinaTime), t.In(chinaTime)
	return trustmark.DateOf(s) == trustmark.DateOf(t) && (s.Hour() < r.HalfDaySplit) == (t.Hour() < r.HalfDaySplit)
}

var chinaTime = time.FixedZone("CST", 8*3600)

// normalize checks the plan's own fields and fills what the registry
// gives: the type and holder of a certificate, the holder's employees,
// the sites in WGS-84, the closing meeting's end.
func (r *Rules) normalize(p *Plan, f Facts) error {
	if st := f.Body.Status; st != trustmark.PartyActive && st != "" {
		return trustmark.Reasonf(trustmark.EForbidden, "audit.body_status", "body", "%s is %s and may not audit", f.Body.ApprovalNo, st)
	}
	if !slices.Contains(Kinds, p.Kind) {
		return trustmark.Invalidf("audit.kind", "kind", "kind %q is not one of initial, stage1, stage2, surveillance, recertification, special, remote", p.Kind)
	}
	if p.Certificate != "" {
		c := f.Certificate
		if c == nil {
			return trustmark.Errorf(trustmark.ENotFound, "certificate", "certificate %s is not in the registry", p.Certificate)
		}
		if c.BodyApprovalNo != f.Body.ApprovalNo {
			return trustmark.Reasonf(trustmark.EForbidden, "audit.certificate_body", "certificate", "certificate %s was issued by %s, not by %s", c.Number, c.BodyApprovalNo, f.Body.ApprovalNo)
		}
		p.Certificate, p.Type, p.HolderUSCC = c.Number, c.Type, c.HolderUSCC
	} else if !slices.Contains(initialKinds, p.Kind) {
		return trustmark.Invalidf("audit.certificate_required", "certificate", "a %s audit names its certificate", p.Kind)
	}
	if p.HolderUSCC == "" || p.HolderUSCC != f.Holder.USCC {
		return trustmark.Invalidf("audit.holder", "holder_uscc", "an initial audit names the holder's USCC and the certificate type")
	}
	if _, err := trustmark.ParseCertType(string(p.Type)); err != nil {
		return err
	}
	if !slices.Contains(f.Body.Scopes, p.Type) {
		return trustmark.Reasonf(trustmark.EForbidden, "audit.body_scope", "type", "%s is not approved to certify %s", f.Body.ApprovalNo, p.Type)
	}
	switch p.Complexity {
	case "", High, Medium, Low, Limited:
	default:
		return trustmark.Invalidf("audit.complexity", "complexity", "complexity %q is not high, medium, low or limited", p.Complexity)
	}
	if err := normalizeSites(p); err != nil {
		return err
	}
	if p.ClosingEndsAt.IsZero() {
		p.ClosingEndsAt = p.ClosingAt.Add(r.ClosingLen)
	}
	switch {
	case p.OpeningAt.IsZero() || p.ClosingAt.IsZero():
		return trustmark.Invalidf("audit.meetings", "opening_at", "the plan gives the opening and closing meetings")
	case !p.ClosingAt.After(p.OpeningAt) || p.ClosingEndsAt.Before(p.ClosingAt):
		return trustmark.Invalidf("audit.meeting_order", "closing_at", "the closing meeting (%s) must come after the opening meeting (%s)", p.ClosingAt.Format(time.RFC3339), p.OpeningAt.Format(time.RFC3339))
	case p.ClosingEndsAt.Sub(p.OpeningAt) > maxAuditDuration:
		return trustmark.Invalidf("audit.duration", "closing_at", "an audit lasts at most %d days", int(maxAuditDuration.Hours()/24))
	case math.IsNaN(p.AuditorDays) || p.AuditorDays <= 0 || p.AuditorDays > maxAuditorDays || p.AuditorDays*2 != math.Trunc(p.AuditorDays*2):
		return trustmark.Invalidf("audit.auditor_days", "auditor_days", "auditor-days %v must be a positive number of half days, at most %d", p.AuditorDays, maxAuditorDays)
	case p.EffectivePersonnel < 0:
		return trustmark.Invalidf("audit.personnel", "effective_personnel", "effective personnel cannot be negative")
	}
	if p.EffectivePersonnel == 0 {
		p.EffectivePersonnel = f.Holder.Employees
	}
	return nil
}

// checkTeam refuses a team with a person the body may not send.
func checkTeam(p Plan, f Facts) error {
	if len(p.Team) == 0 || len(p.Team) > maxTeam {
		return trustmark.Invalidf("audit.team_size", "team", "a team has 1 to %d members, not %d", maxTeam, len(p.Team))
	}
	leaders, seen := 0, map[string]bool{}
	for i, m := range p.Team {
		field := "team[" + strconv.Itoa(i) + "]"
		if !slices.Contains(Roles, m.Role) {
			return trustmark.Invalidf("audit.role", field+".role", "role %q is not leader, auditor, expert, observer or trainee", m.Role)
		}
		if seen[m.RegistrationNo] {
			return trustmark.Invalidf("audit.member_twice", field+".registration_no", "%s is on the team twice", m.RegistrationNo)
		}
		seen[m.RegistrationNo] = true
		field += ".registration_no"
		pr, ok := f.Persons[m.RegistrationNo]
		switch {
		case !ok || pr.BodyApprovalNo != f.Body.ApprovalNo:
			return trustmark.Invalidf("audit.person_not_registered", field, "%s is not registered with %s", m.RegistrationNo, f.Body.ApprovalNo)
		case pr.Status != trustmark.PartyActive && pr.Status != "":
			return trustmark.Invalidf("audit.person_status", field, "%s is %s and may not audit", m.RegistrationNo, pr.Status)
		case m.Role.Audits() && !slices.Contains(pr.Qualifications, p.Type):
			return trustmark.Invalidf("audit.person_qualification", field, "%s is not qualified for %s audits", m.RegistrationNo, p.Type)
		}
		if m.Role == Leader {
			leaders++
		}
	}
	if leaders != 1 {
		return trustmark.Invalidf("audit.leader", "team", "a team has exactly one qualified leader, not %d", leaders)
	}
	return nil
}

// checkDays refuses planned auditor-days below the IAF MD 5 minimum, and
// returns the minimum it checked against (nil when MD 5 sets none).
func (r *Rules) checkDays(p Plan, f Facts) (*Minimum, error) {
	kind, days := p.Kind, p.AuditorDays
	if kind == Stage2 {
		kind, days = Initial, days+f.PriorStageDays
	}
	if p.EffectivePersonnel < 1 {
		if _, ok := column(p.Type, p.Complexity); ok && kind != Special && kind != Remote && kind != Stage1 {
			return nil, trustmark.Invalidf("audit.personnel_required", "effective_personnel", "the holder's effective personnel are needed to check the IAF MD 5 minimum")
		}
		return nil, nil
	}
	m, ok := r.MinimumDays(p.Type, p.Complexity, kind, p.EffectivePersonnel)
	if !ok {
		return nil, nil
	}
	if days < m.Days {
		e := trustmark.Reasonf(trustmark.EConflict, "audit.below_md5", "auditor_days",
			"%v auditor-days are below the IAF MD 5 minimum of %v for a %s %s audit of %d effective personnel (table %v, share %s, less %d%%)",
			days, m.Days, p.Type, kind, p.EffectivePersonnel, m.InitialDays, m.Share, m.Reduction)
		return nil, e
	}
	return &m, nil
}
