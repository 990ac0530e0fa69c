package http

import (
	"context"
	nethttp "net/http"
	"time"

	"trustmark"
	"trustmark/access"
	"trustmark/account"
	"trustmark/audit"
)

// AuditStore keeps audit plans, check-ins and anomalies; sqlstore.DB
// implements it. The store decides with package audit; these handlers only
// authorize and translate.
type AuditStore interface {
	// ReportAuditOnce decides and stores a body's plan; a request key
	// ("" for none) that already reported the same plan of the body
	// answers that audit again (Decision.Replayed), another plan under it
	// is a conflict naming request_id.
	ReportAuditOnce(ctx context.Context, body, actor, requestKey string, p audit.Plan) (audit.Decision, error)
	// ChangeAudit decides a change to audit id's plan in one transaction
	// with allow, which refuses a caller who may not change it.
	ChangeAudit(ctx context.Context, id string, p audit.Plan, actor string, allow func(*audit.Audit) error) (audit.Decision, error)
	AuditRevisions(ctx context.Context, id string) ([]audit.Event, error)
	Audit(ctx context.Context, id string) (*audit.Audit, error)
	CheckIn(ctx context.Context, auditID, requestKey string, req audit.CheckInRequest, photos [][]byte) (audit.CheckInResult, error)
	AuditCheckIns(ctx context.Context, auditID string) ([]audit.CheckIn, error)
	AuditAnomalies(ctx context.Context, auditID string) ([]audit.AnomalyRecord, error)
}

// AuditRequest is the body of POST /api/v1/audits (CONTRACT.md v2). A
// plan gives its site, its sites (the principal one first), or both when
// site is sites[0]; package audit decides which. RequestID (or the
// Idempotency-Key header), an extension, makes a retry safe: the same id
// never reports a plan twice for a body.
type AuditRequest struct {
	Certificate        string             `json:"certificate"`
	HolderUSCC         string             `json:"holder_uscc"`
	Type               trustmark.CertType `json:"type"`
	Kind               audit.Kind         `json:"kind"`
	Complexity         audit.Complexity   `json:"complexity"`
	Site               SiteJSON           `json:"site"`
	Sites              []SiteJSON         `json:"sites,omitempty"`
	OpeningAt          time.Time          `json:"opening_at"`
	ClosingAt          time.Time          `json:"closing_at"`
	ClosingEndsAt      time.Time          `json:"closing_ends_at"`
	Team               []audit.Member     `json:"team"`
	AuditorDays        float64            `json:"auditor_days"`
	EffectivePersonnel int                `json:"effective_personnel"`
	RequestID          string             `json:"request_id,omitempty"`
}

// SiteJSON is an audit's site as a body reports it.
type SiteJSON struct {
	Address string  `json:"address"`
	Lat     float64 `json:"lat"`
	Lng     float64 `json:"lng"`
	Datum   string  `json:"datum"`
}

// AuditJSON is an audit as the API answers it: the plan as it stands, and
// for GET its check-ins, its anomalies and its revisions (every plan,
// amendment and change as reported, first to last, each keeping the plan
// it replaced).
type AuditJSON struct {
	ID         string         `json:"id"`
	Body       string         `json:"body"`
	Region     string         `json:"region"`
	ReportedAt time.Time      `json:"reported_at"`
	Revision   int            `json:"revision"`
	Links      []string       `json:"links,omitempty"`
	Minimum    *audit.Minimum `json:"md5_minimum,omitempty"`
	Plan       audit.Plan     `json:"plan"`
	CheckIns   []CheckInJSON  `json:"checkins"`
	Anomalies  []AnomalyJSON  `json:"anomalies"`
	Revisions  []audit.Event  `json:"revisions,omitempty"`
}

// CheckInJSON is a check-in as the API answers it: photos by content hash
// only, and no device. The position, its accuracy and the device time are
// personal data: only for a caller CheckInPersonalView lets see them;
// everyone else gets the distance from the site, rounded to 100 m, as the
// public log has it.
type CheckInJSON struct {
	ID         string          `json:"id"`
	Audit      string          `json:"audit"`
	Person     string          `json:"person"`
	Kind       audit.CheckKind `json:"kind"`
	At         time.Time       `json:"at"`
	DistanceM  float64         `json:"distance_m"`
	DeviceTime *time.Time      `json:"device_time,omitempty"`
	Lat        *float64        `json:"lat,omitempty"`
	Lng        *float64        `json:"lng,omitempty"`
	Datum      audit.Datum     `json:"datum,omitempty"`
	AccuracyM  *float64        `json:"accuracy_m,omitempty"`
	Photos     []string        `json:"photos"`
	Anomalies  []AnomalyJSON   `json:"anomalies,omitempty"`
}

// AnomalyJSON is one anomaly (CONTRACT.md v2) with the matter it opened.
type AnomalyJSON struct {
	Rule     audit.Rule     `json:"rule"`
	Severity audit.Severity `json:"severity"`
	Evidence audit.Evidence `json:"evidence"`
	Matter   MatterRefJSON  `json:"matter"`
}

// MatterRefJSON names an anomaly's matter: its id, due date and state.
type MatterRefJSON struct {
	ID    string         `json:"id"`
	DueOn trustmark.Date `json:"due_on"`
	State string         `json:"state"`
}

// listJSON of anomalies.
type anomaliesJSON struct {
	Items []AnomalyJSON `json:"items"`
}

func (s *Server) auditStore() (AuditStore, error) {
	return storeFor[AuditStore](s, "audits")
}

// reportAudit answers POST /api/v1/audits: a body's plan, by its token,
// 201 with the audit. A retry with the same request id (the
// Idempotency-Key header, or request_id) and the same plan answers the
// same audit again, as a check-in's retry is answered: 201, with
// Idempotent-Replayed.
func (s *Server) reportAudit(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	body, err := actingBody(c.Roles)
	if err != nil {
		Error(w, r, err)
		return
	}
	var req AuditRequest
	if err := DecodeJSON(r, &req); err != nil {
		Error(w, r, err)
		return
	}
	st, err := s.auditStore()
	if err != nil {
		Error(w, r, err)
		return
	}
	key := firstNonEmpty(r.Header.Get("Idempotency-Key"), req.RequestID)
	d, err := st.ReportAuditOnce(r.Context(), body, c.Party.String(), key, req.plan())
	if err != nil {
		Error(w, r, err)
		return
	}
	if d.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeDecision(w, r, st, d, nethttp.StatusCreated)
}

// writeDecision answers a plan decided (reported or changed): the audit
// with the anomalies it has, those the decision raised (a late report)
// with the matters they opened among them.
func writeDecision(w nethttp.ResponseWriter, r *nethttp.Request, st AuditStore, d audit.Decision, status int) {
	as, err := st.AuditAnomalies(r.Context(), d.Audit.ID)
	if err != nil {
		Error(w, r, err)
		return
	}
	out := auditJSON(d.Audit)
	out.Anomalies = anomalyItems(as)
	WriteJSON(w, status, out)
}

// actingBody returns the body a caller reports plans for: the unit of its
// first role that access.Decide lets plan audits for its own body.
func actingBody(roles []account.Role) (string, error) {
	var err error = trustmark.Errorf(trustmark.EForbidden, "", "only a certification body reports audit plans")
	for _, role := range roles {
		e := access.Decide(role, access.AuditPlan, access.Target{Owner: role.Unit})
		if e == nil {
			return role.Unit.ID, nil
		}
		err = e
	}
	return "", err
}

func (q AuditRequest) plan() audit.Plan {
	p := audit.Plan{Certificate: q.Certificate, HolderUSCC: trustmark.USCC(q.HolderUSCC), Type: q.Type, Kind: q.Kind,
		Complexity: q.Complexity, Site: q.Site.site(),
		OpeningAt: q.OpeningAt, ClosingAt: q.ClosingAt, ClosingEndsAt: q.ClosingEndsAt, Team: q.Team,
		AuditorDays: q.AuditorDays, EffectivePersonnel: q.EffectivePersonnel}
	if len(q.Sites) > 0 {
		// Bounded by audit.MaxSites when decided; the request's size by
		// DecodeJSON.
		p.Sites = make([]audit.Site, len(q.Sites))
		for i, s := range q.Sites {
			p.Sites[i] = s.site()
		}
	}
	return p
}

// DecodeAuditPlan decodes one plan as POST /api/v1/audits takes it, from
// a line of a plan file (trustmark plans import), with the line's request
// id ("" for none), failing as the API does: a client error naming the
// field where there is one.
func DecodeAuditPlan(data []byte) (p audit.Plan, requestID string, err error) {
	var req AuditRequest
	if err := decodeValue(data, &req); err != nil {
		return audit.Plan{}, "", err
	}
	return req.plan(), req.RequestID, nil
}

func (s SiteJSON) site() audit.Site {
	return audit.Site{Address: s.Address, Lat: s.Lat, Lng: s.Lng, Datum: audit.Datum(s.Datum)}
}

func auditJSON(a audit.Audit) AuditJSON {
	a.Plan.Sites = a.Plan.AllSites() // a plan decided before plans had several sites has site alone
	return AuditJSON{ID: a.ID, Body: a.Body, Region: a.Region, ReportedAt: a.ReportedAt, Revision: a.Revision,
		Links: a.Links, Minimum: a.Minimum, Plan: a.Plan, CheckIns: []CheckInJSON{}, Anomalies: []AnomalyJSON{}}
}

// visibleAudit loads an audit the caller may see: its body's staff (the
// rule of planning it), a member of its team (the rule of checking in to
// it) and regulators of its region (the rule of seeing its matters).
// Anyone else is told it does not exist, so that ids are not probed.
func (s *Server) visibleAudit(r *nethttp.Request) (AuditStore, *audit.Audit, error) {
	c, err := s.auth.Resolve(r)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.auditStore()
	if err != nil {
		return nil, nil, err
	}
	a, err := st.Audit(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	t := a.Target()
	for _, role := range c.Roles {
		for _, act := range []access.Action{access.AuditPlan, access.AuditCheckin, access.MatterView} {
			if access.Decide(role, act, t) == nil {
				return st, a, nil
			}
		}
	}
	return nil, nil, trustmark.Errorf(trustmark.ENotFound, "id", "no audit %s", a.ID)
}

// getAudit answers GET /api/v1/audits/{id}: the audit, its check-ins,
// its anomalies and its revisions.
func (s *Server) getAudit(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, a, err := s.visibleAudit(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	cs, err := st.AuditCheckIns(r.Context(), a.ID)
	if err != nil {
		Error(w, r, err)
		return
	}
	as, err := st.AuditAnomalies(r.Context(), a.ID)
	if err != nil {
		Error(w, r, err)
		return
	}
	caller, err := s.auth.Resolve(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	out := auditJSON(*a)
	var persons []string
	for _, c := range cs {
		personal := CheckInPersonalView(caller.Roles, a, c.Person)
		out.CheckIns = append(out.CheckIns, checkInJSON(c, a.SiteOf(c), personal))
		if personal {
			persons = append(persons, c.Person)
		}
	}
	// Check-in positions are personal data: the view is recorded in the
	// access log first (personal.go).
	if err := RecordPersonalAccess(s.personalLog(), r, caller, s.cfg.Clock(), auditViews(a.ID, a.Region, persons)...); err != nil {
		Error(w, r, err)
		return
	}
	out.Anomalies = anomalyItems(as)
	if out.Revisions, err = st.AuditRevisions(r.Context(), a.ID); err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, out)
}

// auditAnomalies answers GET /api/v1/audits/{id}/anomalies.
func (s *Server) auditAnomalies(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, a, err := s.visibleAudit(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	as, err := st.AuditAnomalies(r.Context(), a.ID)
	if err != nil {
		Error(w, r, err)
		return
	}
	WriteJSON(w, nethttp.StatusOK, anomaliesJSON{Items: anomalyItems(as)})
}

func anomalyItems(rs []audit.AnomalyRecord) []AnomalyJSON {
	out := make([]AnomalyJSON, len(rs))
	for i, r := range rs {
		out[i] = AnomalyJSON{Rule: r.Rule, Severity: r.Severity, Evidence: r.Evidence,
			Matter: MatterRefJSON{ID: r.Matter.ID, DueOn: r.Matter.Due.Date, State: string(r.Matter.State)}}
	}
	return out
}

// CheckInPersonalView reports whether a caller with roles may see the
// personal data of person's check-in to a (position, accuracy, device
// time, photos): the person themself, the audit's body and the region's
// regulators, by the rule of the audit page (access.PersonalView on the
// person, employed by the body, in the audit's region).
func CheckInPersonalView(roles []account.Role, a *audit.Audit, person string) bool {
	_, _, err := access.DecideAny(roles, access.PersonalView, a.PersonalTarget(person))
	return err == nil
}

// checkInJSON answers c, made to an audit at site (the nearest of its
// sites, audit.Audit.SiteOf), with its personal
// fields only when personal is set.
func checkInJSON(c audit.CheckIn, site audit.Point, personal bool) CheckInJSON {
	pub := c.Public(site)
	out := CheckInJSON{ID: c.ID, Audit: c.Audit, Person: c.Person, Kind: c.Kind, At: c.At, DistanceM: pub.DistanceM, Photos: []string{}}
	for _, p := range pub.Photos {
		out.Photos = append(out.Photos, p.SHA256)
	}
	if !personal {
		return out
	}
	out.Lat, out.Lng, out.AccuracyM, out.Datum = &c.Lat, &c.Lng, &c.AccuracyM, c.Datum
	if !c.DeviceTime.IsZero() {
		out.DeviceTime = &c.DeviceTime
	}
	return out
}
