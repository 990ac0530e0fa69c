package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"trustmark"
	au "trustmark/audit"
	"trustmark/sqlstore"
)

// AuditStore is a Store that keeps audit plans, check-ins, anomalies and
// the matters they open.
type AuditStore interface {
	trustmark.Store
	ReportAudit(ctx context.Context, body, actor string, p au.Plan) (au.Decision, error)
	Audit(ctx context.Context, id string) (*au.Audit, error)
	AuditRevisions(ctx context.Context, id string) ([]au.Event, error)
	ChangeAudit(ctx context.Context, id string, p au.Plan, actor string, allow func(*au.Audit) error) (au.Decision, error)
	CheckIn(ctx context.Context, auditID, requestKey string, req au.CheckInRequest, photos [][]byte) (au.CheckInResult, error)
	AuditCheckIns(ctx context.Context, auditID string) ([]au.CheckIn, error)
	AuditAnomalies(ctx context.Context, auditID string) ([]au.AnomalyRecord, error)
	CheckInBatch(ctx context.Context, items []au.CheckInItem) ([]au.CheckInResult, []error, error)
}

// Audit fixture: the site of org1 in WGS-84, the leader P-0001 of bodyA.
const (
	siteLat, siteLng = 39.98, 116.31
	leader           = "P-0001"
)

// AuditPlan returns a surveillance plan of qmsNo whose opening meeting
// started ago before the suite's clock; it lasts a day.
func AuditPlan(ago time.Duration) au.Plan {
	open := Now.Add(-ago)
	return au.Plan{Certificate: qmsNo, Kind: au.Surveillance,
		Site:      au.Site{Address: "北京市海淀区中关村大街1号", Lat: siteLat, Lng: siteLng, Datum: au.WGS84},
		OpeningAt: open, ClosingAt: open.Add(7 * time.Hour), Team: []au.Member{{RegistrationNo: leader, Role: au.Leader}},
		AuditorDays: 5, EffectivePersonnel: 230}
}

// NorthOf returns the latitude m metres north of the site.
func NorthOf(m float64) float64 { return siteLat + m/6371008.8*180/math.Pi }

// CheckInAt is an opening check-in by the leader at a position m metres
// north of the site, with one photo.
func CheckInAt(m, accuracy float64) au.CheckInRequest {
	return au.CheckInRequest{Person: leader, Kind: "open", Lat: NorthOf(m), Lng: siteLng, AccuracyM: accuracy,
		Datum: "wgs84", DeviceTime: Now, Device: "IMEI-861234567890123"}
}

// RunAudits runs the audit conformance suite.
func RunAudits(t *testing.T, open func(t *testing.T) AuditStore) {
	fresh := func(t *testing.T) AuditStore {
		t.Helper()
		s := open(t)
		t.Cleanup(func() { s.Close() })
		seed(t, s)
		return s
	}
	t.Run("a plan is stored with its revision and its event", func(t *testing.T) { testAuditPlan(t, fresh(t)) })
	t.Run("a plan below the MD 5 minimum stores nothing", func(t *testing.T) { testAuditRefused(t, fresh(t)) })
	t.Run("changes", func(t *testing.T) { runAuditChanges(t, fresh) })
	t.Run("check-ins raise anomalies at the rules' edges", func(t *testing.T) { testCheckInEdges(t, fresh) })
	t.Run("a retried check-in is stored once", func(t *testing.T) { testCheckInRetry(t, fresh(t)) })
	t.Run("only the team checks in", func(t *testing.T) { testCheckInTeam(t, fresh(t)) })
	t.Run("the log holds no device and no photo", func(t *testing.T) { testCheckInLog(t, fresh(t)) })
	t.Run("a batch stores each check-in and refuses in place", func(t *testing.T) { testCheckInBatch(t, fresh(t)) })
	t.Run("a check-in's photos are read back, each of them", func(t *testing.T) { testCheckInPhotos(t, fresh(t)) })
	t.Run("a plan of several sites measures from the nearest", func(t *testing.T) { testAuditSites(t, fresh(t)) })
}

func reportAudit(t *testing.T, s AuditStore, p au.Plan) au.Audit {
	t.Helper()
	d, err := s.ReportAudit(ctx, bodyA, "body:"+bodyA, p)
	if err != nil {
		t.Fatalf("ReportAudit: %v", err)
	}
	return d.Audit
}

func testAuditPlan(t *testing.T, s AuditStore) {
	a := reportAudit(t, s, AuditPlan(-24*time.Hour))
	got, err := s.Audit(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Body != bodyA || got.Revision != 1 || got.Plan.Site.WGS84.Lat != siteLat {
		t.Errorf("Audit(%s) = body %s revision %d site %v, want %s 1 %v", a.ID, got.Body, got.Revision, got.Plan.Site.WGS84, bodyA, siteLat)
	}
	revs, err := s.AuditRevisions(ctx, a.ID)
	if err != nil || len(revs) != 1 || revs[0].Action != au.Planned {
		t.Errorf("AuditRevisions = %v, %v; want one planned", revs, err)
	}
	evs, err := s.Events(ctx, trustmark.EventFilter{Entity: sqlstore.EntityAudit, Key: a.ID, After: -1})
	if err != nil || len(evs) != 1 || evs[0].Action != au.Planned {
		t.Errorf("events of audit %s = %v, %v; want one planned", a.ID, evs, err)
	}
	anoms, err := s.AuditAnomalies(ctx, a.ID)
	if err != nil || len(anoms) != 0 {
		t.Errorf("anomalies of a plan reported in time = %v, %v; want none", anoms, err)
	}
}

func testAuditRefused(t *testing.T, s AuditStore) {
	p := AuditPlan(-24 * time.Hour)
	p.AuditorDays = 0.5
	_, err := s.ReportAudit(ctx, bodyA, "body:"+bodyA, p)
	wantCode(t, "ReportAudit(0.5 days)", err, trustmark.EConflict, "auditor_days")
	evs, _ := s.Events(ctx, trustmark.EventFilter{Entity: sqlstore.EntityAudit, After: -1})
	if len(evs) != 0 {
		t.Errorf("a refused plan recorded %d events", len(evs))
	}
}

func testCheckInEdges(t *testing.T, fresh func(t *testing.T) AuditStore) {
	for _, tc := range []struct {
		name       string
		ago        time.Duration // opening meeting before the check-in
		north, acc float64
		want       []au.Rule
	}{
		{"exactly two hours late on site is in time", 2 * time.Hour, 0, 10, nil},
		{"a second more than two hours is late", 2*time.Hour + time.Second, 0, 10, []au.Rule{au.LateOpen}},
		{"4.9 km from the site is on site", time.Hour, 4900, 0, nil},
		{"5.1 km from the site is far", time.Hour, 5100, 0, []au.Rule{au.FarFromSite}},
		{"5.1 km with a 200 m accuracy circle is on site", time.Hour, 5100, 200, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := fresh(t)
			a := reportAudit(t, s, AuditPlan(tc.ago))
			res, err := s.CheckIn(ctx, a.ID, "r1", CheckInAt(tc.north, tc.acc), [][]byte{[]byte("photo")})
			if err != nil {
				t.Fatalf("CheckIn: %v", err)
			}
			anoms, err := s.AuditAnomalies(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got []au.Rule
			for _, an := range anoms {
				if an.Rule == au.LateReport {
					continue // the plan was reported after its opening meeting
				}
				got = append(got, an.Rule)
				if an.Matter.ID != an.Key || an.Matter.Due.Date.IsZero() || an.Matter.Party.ID != bodyA {
					t.Errorf("matter of %s = %+v, want one for %s with a due date", an.Key, an.Matter, bodyA)
				}
			}
			if strings.Join(rules(got), ",") != strings.Join(rules(tc.want), ",") {
				t.Errorf("anomalies = %v, want %v", got, tc.want)
			}
			if len(res.Anomalies) != len(got) {
				t.Errorf("CheckIn returned %d anomalies, stored %d", len(res.Anomalies), len(got))
			}
		})
	}
}

func rules(rs []au.Rule) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

func testCheckInRetry(t *testing.T, s AuditStore) {
	a := reportAudit(t, s, AuditPlan(3*time.Hour))
	first, err := s.CheckIn(ctx, a.ID, "retry-1", CheckInAt(0, 10), [][]byte{[]byte("p")})
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.CheckIn(ctx, a.ID, "retry-1", CheckInAt(0, 10), [][]byte{[]byte("p")})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Replayed || again.CheckIn.ID != first.CheckIn.ID || len(again.Anomalies) != len(first.Anomalies) {
		t.Errorf("retry = replayed %v id %s %d anomalies, want replayed %s %d", again.Replayed, again.CheckIn.ID, len(again.Anomalies), first.CheckIn.ID, len(first.Anomalies))
	}
	cs, err := s.AuditCheckIns(ctx, a.ID)
	if err != nil || len(cs) != 1 {
		t.Errorf("AuditCheckIns = %d, %v; want 1", len(cs), err)
	}
}

func testCheckInTeam(t *testing.T, s AuditStore) {
	a := reportAudit(t, s, AuditPlan(time.Hour))
	req := CheckInAt(0, 10)
	req.Person = "P-9999"
	_, err := s.CheckIn(ctx, a.ID, "", req, [][]byte{[]byte("p")})
	wantCode(t, "CheckIn(not on the team)", err, trustmark.EForbidden, "")
	_, err = s.CheckIn(ctx, "A-none", "", CheckInAt(0, 10), [][]byte{[]byte("p")})
	wantCode(t, "CheckIn(no audit)", err, trustmark.ENotFound, "")
	_, err = s.CheckIn(ctx, a.ID, "", CheckInAt(0, 10), [][]byte{make([]byte, au.MaxPhotoBytes+1)})
	wantCode(t, "CheckIn(photo too large)", err, trustmark.ETooLarge, "photos")
}

func testCheckInLog(t *testing.T, s AuditStore) {
	a := reportAudit(t, s, AuditPlan(time.Hour))
	res, err := s.CheckIn(ctx, a.ID, "", CheckInAt(0, 10), [][]byte{[]byte("the team at the gate")})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := s.Events(ctx, trustmark.EventFilter{Entity: sqlstore.EntityCheckIn, Key: res.CheckIn.ID, After: -1})
	if err != nil || len(evs) != 1 {
		t.Fatalf("events of check-in = %v, %v; want 1", evs, err)
	}
	data := string(evs[0].Data)
	for _, secret := range []string{"IMEI", "the team at the gate", res.CheckIn.Device} {
		if strings.Contains(data, secret) {
			t.Errorf("check-in event %s holds %q", data, secret)
		}
	}
	var pub au.PublicCheckIn
	if err := json.Unmarshal(evs[0].Data, &pub); err != nil || len(pub.Photos) != 1 || len(pub.Photos[0].SHA256) != 64 {
		t.Errorf("check-in event photos = %+v (%v), want one content hash", pub.Photos, err)
	}
	// Where the person stood is personal: the log commits to it by salted
	// hash only, and says how far from the site.
	var fields map[string]any
	json.Unmarshal(evs[0].Data, &fields)
	for _, k := range []string{"lat", "lng", "wgs84", "accuracy_m", "datum", "device_time", "device"} {
		if _, ok := fields[k]; ok {
			t.Errorf("check-in event %s has field %s", data, k)
		}
	}
	c := res.CheckIn
	for _, v := range []float64{c.Lat, c.Lng, c.Position.Lat, c.Position.Lng} {
		if s := strconv.FormatFloat(v, 'f', -1, 64); strings.Contains(data, s) || strings.Contains(data, strconv.FormatFloat(v, 'f', 4, 64)) {
			t.Errorf("check-in event %s holds the coordinate %s", data, s)
		}
	}
	if fields["distance_m"] != 0.0 || fields["at"] == nil || fields["kind"] != "open" {
		t.Errorf("check-in event %s, want the distance from the site, the time and the kind", data)
	}
	p := evs[0].Personal
	if p["lat"] != strconv.FormatFloat(c.Lat, 'f', -1, 64) || p["lng"] == "" || p["accuracy_m"] != "10" || p["device"] != c.Device || len(evs[0].Salt) < 16 {
		t.Errorf("check-in event personal fields = %v (salt %d bytes), want the position, accuracy and device committed by salted hash", p, len(evs[0].Salt))
	}
}

// testCheckInPhotos: a check-in with three photos is read back with the
// three, in the order sent.
func testCheckInPhotos(t *testing.T, s AuditStore) {
	a := reportAudit(t, s, AuditPlan(time.Hour))
	photos := [][]byte{[]byte("the team at the gate"), []byte("the team in the hall"), []byte("the team at the line")}
	res, err := s.CheckIn(ctx, a.ID, "three", CheckInAt(0, 10), photos)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.AuditCheckIns(ctx, a.ID)
	if err != nil || len(cs) != 1 {
		t.Fatalf("AuditCheckIns = %v, %v; want one", cs, err)
	}
	if len(cs[0].Photos) != 3 {
		t.Fatalf("check-in read back with %d photos %+v, want 3", len(cs[0].Photos), cs[0].Photos)
	}
	for i, p := range photos {
		sum := sha256.Sum256(p)
		if h := hex.EncodeToString(sum[:]); cs[0].Photos[i].SHA256 != h || res.CheckIn.Photos[i].SHA256 != h {
			t.Errorf("photo %d read back as %s, want %s", i+1, cs[0].Photos[i].SHA256, h)
		}
	}
}

func testCheckInBatch(t *testing.T, s AuditStore) {
	a := reportAudit(t, s, AuditPlan(time.Hour))
	stranger := CheckInAt(0, 10)
	stranger.Person = "P-9999"
	far := CheckInAt(20000, 10)
	photo := [][]byte{[]byte("p")}
	res, errs, err := s.CheckInBatch(ctx, []au.CheckInItem{
		{Audit: a.ID, RequestKey: "b1", Request: CheckInAt(0, 10), Photos: photo},
		{Audit: a.ID, RequestKey: "b2", Request: stranger, Photos: photo},
		{Audit: a.ID, RequestKey: "b1", Request: CheckInAt(0, 10), Photos: photo},
		{Audit: a.ID, RequestKey: "b3", Request: far, Photos: [][]byte{[]byte("q")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || errs[2] != nil || errs[3] != nil {
		t.Errorf("batch errors = %v, want only the second refused", errs)
	}
	wantCode(t, "batch item of a stranger", errs[1], trustmark.EForbidden, "")
	if !res[2].Replayed || res[2].CheckIn.ID != res[0].CheckIn.ID {
		t.Errorf("a repeated request key in one batch was not replayed: %+v", res[2])
	}
	if len(res[3].Anomalies) != 1 || res[3].Anomalies[0].Rule != au.FarFromSite {
		t.Errorf("the far check-in raised %+v, want far_from_site", res[3].Anomalies)
	}
	cs, err := s.AuditCheckIns(ctx, a.ID)
	if err != nil || len(cs) != 2 {
		t.Errorf("AuditCheckIns after the batch = %d, %v; want 2", len(cs), err)
	}
}

// AuditBody is the body of the audit fixture's plans (AuditPlan).
const AuditBody = bodyA

// SeedAudits loads the audit fixture into s: the bodies, organisations,
// persons and certificates that AuditPlan's plans name.
func SeedAudits(t *testing.T, s trustmark.Store) {
	t.Helper()
	seed(t, s)
}
