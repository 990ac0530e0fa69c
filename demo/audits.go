package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"slices"
	"time"

	"trustmark"
	"trustmark/audit"
	"trustmark/matter"
)

// AuditStore keeps audit plans and check-ins brought over with their
// history (sqlstore.DB): each decided by package audit, its anomalies
// raised with their matters, and all of it in the public log.
type AuditStore interface {
	ImportAudit(ctx context.Context, body, actor string, p audit.Plan, reportedAt time.Time) (audit.Decision, error)
	ChangeAudit(ctx context.Context, id string, p audit.Plan, actor string, allow func(*audit.Audit) error) (audit.Decision, error)
	ImportCheckIns(ctx context.Context, items []audit.CheckInItem) ([]audit.CheckInResult, []error, error)
}

// seasonDays is how far back the demo's audits go.
const seasonDays = 90

// twist is what goes wrong in one demo audit, so that each anomaly rule
// has something to show; most audits have none.
type twist int

const (
	clean twist = iota
	lateOpen
	earlyClose
	farAway
	noClose // the sweep raises missing_checkin once serve runs
	samePhoto
	resizedPhoto
	sharedPhone
	skewedClock
	lateReport
)

// twistOf spreads the twists over the season: about one audit in four.
func twistOf(k int) twist {
	switch {
	case k%17 == 3:
		return lateOpen
	case k%19 == 5:
		return earlyClose
	case k%23 == 7:
		return farAway
	case k%29 == 11:
		return noClose
	case k%31 == 13:
		return samePhoto
	case k%37 == 17:
		return resizedPhoto
	case k%41 == 19:
		return sharedPhone
	case k%43 == 23:
		return skewedClock
	case k%47 == 29:
		return lateReport
	}
	return clean
}

// addAudits reports a season of surveillance audits of the demo body's
// certificates, one on each working day and one today whatever the day,
// by teams of its auditors (the demo auditor leading every fourth and
// today's, which waits for their check-in), with their check-ins: a few
// per cent go wrong in each way, and the bodies' explanations of the older
// anomalies are answered, accepted or escalated. Missing check-ins are
// raised by serve's sweep.
func addAudits(ctx context.Context, store trustmark.Store, as AuditStore, ms MatterStore, today trustmark.Date) (int, error) {
	u, err := findUnits(ctx, store)
	if err != nil || u.body == "" {
		return 0, err
	}
	persons, err := store.Persons(ctx, trustmark.PartyFilter{BodyApprovalNo: u.body, Status: trustmark.PartyActive, Limit: 200})
	if err != nil {
		return 0, fmt.Errorf("demo: audits: %w", err)
	}
	last := today.AddDate(0, 0, 7)
	certs, err := auditedCerts(ctx, store, u, last)
	if err != nil || len(persons.Items) < 2 || len(certs) == 0 {
		return 0, err
	}
	s := &season{store: store, as: as, ms: ms, u: u, persons: persons.Items, certs: certs, photos: map[int][]byte{}}
	k := 0
	for d := today.AddDate(0, 0, -seasonDays); !d.After(last); d = d.AddDate(0, 0, 1) {
		if wd := d.Time().Weekday(); (wd == time.Saturday || wd == time.Sunday) && d != today {
			continue // a demo loaded at the weekend still has an audit to check in to
		}
		ok, err := s.audit(ctx, k, d, today)
		if err != nil {
			return s.n, fmt.Errorf("demo: audit of %s: %w", d, err)
		}
		if ok {
			k++
		}
	}
	return s.n, nil
}

// auditedCerts returns the demo body's valid certificates whose standard
// has an IAF MD 5 audit time and that are still valid on the season's last
// day, those of the demo county first, so that its regulators see audits
// too.
func auditedCerts(ctx context.Context, store trustmark.Store, u demoUnits, last trustmark.Date) ([]trustmark.Certificate, error) {
	var out []trustmark.Certificate
	for _, region := range []string{u.county, ""} {
		page, err := store.Certificates(ctx, trustmark.CertificateFilter{BodyApprovalNo: u.body, Status: trustmark.StatusValid, Region: region, Limit: 200})
		if err != nil {
			return nil, fmt.Errorf("demo: audits: %w", err)
		}
		for _, c := range page.Items {
			if hasAuditTime(c.Type) && !c.ExpiresOn.Before(last) &&
				!slices.ContainsFunc(out, func(o trustmark.Certificate) bool { return o.Number == c.Number }) {
				out = append(out, *c)
			}
		}
	}
	return out, nil
}

// hasAuditTime reports whether IAF MD 5 sets a minimum audit time for
// certificates of type t: the demo's audits are of those types.
func hasAuditTime(t trustmark.CertType) bool {
	_, ok := audit.DefaultRules().MinimumDays(t, "", audit.Surveillance, 40)
	return ok
}

type season struct {
	store   trustmark.Store
	as      AuditStore
	ms      MatterStore
	u       demoUnits
	persons []*trustmark.Person
	certs   []trustmark.Certificate
	photos  map[int][]byte // each audit's team photo
	n       int
	// demoAnomaly is set once one of the demo auditor's audits of the
	// fortnight before today is sure to raise an anomaly (twist).
	demoAnomaly bool
}

// chinaAt returns hh:mm China time on day d.
func chinaAt(d trustmark.Date, hh, mm int) time.Time {
	return d.Time().Add(time.Duration(hh-8)*time.Hour + time.Duration(mm)*time.Minute)
}

// pick chooses audit k's certificate and team: the season's certificates
// in turn, except on the demo auditor's turns (every fourth audit, and
// today's), which take the next certificate of a type they are qualified
// for, so that they lead it.
func (s *season) pick(k int, d, today trustmark.Date) (trustmark.Certificate, []audit.Member) {
	if k%4 == 0 || d == today {
		for i := range s.certs {
			c := s.certs[(k+i)%len(s.certs)]
			if team := s.team(k, c, true); team != nil && team[0].RegistrationNo == s.u.person {
				return c, team
			}
		}
	}
	c := s.certs[k%len(s.certs)]
	return c, s.team(k, c, false)
}

// team picks a leader and an auditor qualified for c among the body's
// auditors, the demo auditor leading when demoLeads and qualified.
func (s *season) team(k int, c trustmark.Certificate, demoLeads bool) []audit.Member {
	var q []string
	for _, p := range s.persons {
		if slices.Contains(p.Qualifications, c.Type) {
			q = append(q, p.RegistrationNo)
		}
	}
	if len(q) < 2 {
		return nil
	}
	lead, other := q[k%len(q)], q[(k+1)%len(q)]
	if demoLeads && slices.Contains(q, s.u.person) {
		lead = s.u.person
		if other == lead {
			other = q[(k+2)%len(q)]
		}
	} else if lead == s.u.person || other == s.u.person {
		lead, other = q[(k+2)%len(q)], q[(k+3)%len(q)]
	}
	if lead == other {
		return []audit.Member{{RegistrationNo: lead, Role: audit.Leader}}
	}
	return []audit.Member{{RegistrationNo: lead, Role: audit.Leader}, {RegistrationNo: other, Role: audit.Auditor}}
}

// audit reports audit k on day d and, when d is before today, its
// check-ins. ok is false when no certificate of the season has a team.
func (s *season) audit(ctx context.Context, k int, d, today trustmark.Date) (bool, error) {
	c, team := s.pick(k, d, today)
	if team == nil {
		return false, nil
	}
	tw := s.twist(k, team, d, today)
	holder, err := s.store.Org(ctx, c.HolderUSCC)
	if err != nil {
		return false, err
	}
	const personnel = 40
	minimum, _ := audit.DefaultRules().MinimumDays(c.Type, "", audit.Surveillance, personnel)
	site := demoSite(k)
	open := chinaAt(d, 9, 0)
	p := audit.Plan{Certificate: c.Number, Kind: audit.Surveillance,
		Site:      audit.Site{Address: holder.Address, Lat: site.Lat, Lng: site.Lng, Datum: audit.WGS84},
		OpeningAt: open, ClosingAt: chinaAt(d, 16, 0), ClosingEndsAt: chinaAt(d, 17, 0),
		Team: team, AuditorDays: max(minimum.Days, float64(len(team))), EffectivePersonnel: personnel}
	if p.Site.Address == "" {
		p.Site.Address = holder.Name
	}
	if f, ok := demoFactory(k); ok {
		p.Sites = []audit.Site{p.Site, f}
	}
	reported := open.AddDate(0, 0, -5)
	if tw == lateReport {
		reported = open.Add(3 * time.Hour)
	}
	if d.After(today.AddDate(0, 0, -1)) { // today's and the coming audits: reported the day before yesterday
		reported = chinaAt(today.AddDate(0, 0, -2), 10, 0)
	}
	dec, err := s.as.ImportAudit(ctx, s.u.body, "body:"+s.u.body, p, reported)
	if err != nil {
		return false, err
	}
	s.n++
	if d.After(today) {
		return true, s.amend(ctx, k, dec.Audit)
	}
	if d == today {
		return true, nil
	}
	return true, s.checkIns(ctx, k, tw, dec.Audit, d, today)
}

// twist is what goes wrong in audit k on day d (twistOf), except that the
// first of the demo auditor's audits of the fortnight before today that
// would go right, or wrong in a way sure to be caught, raises an anomaly
// (a clean one gets its opening check-in at 11:25, over two hours after
// the meeting began), so that the auditor's own list shows one to
// explain. A photo or phone twist may find nothing to match, so it leaves
// the turn to their next audit.
func (s *season) twist(k int, team []audit.Member, d, today trustmark.Date) twist {
	tw := twistOf(k)
	recent := d.Before(today) && !d.Before(today.AddDate(0, 0, -14))
	if s.demoAnomaly || !recent || team[0].RegistrationNo != s.u.person {
		return tw
	}
	switch tw {
	case clean:
		tw = lateOpen
	case lateOpen, earlyClose, farAway, skewedClock, lateReport:
	default:
		return tw
	}
	s.demoAnomaly = true
	return tw
}

// amend changes the plan of some coming audit k before its opening
// meeting, as bodies do when a holder asks for another hour or the team
// finds it needs more time: the opening and closing meetings half an hour
// later, or half an auditor-day more. Each is recorded as an amendment,
// the previous plan kept in the audit's revisions.
func (s *season) amend(ctx context.Context, k int, a audit.Audit) error {
	p := a.Plan
	switch k % 4 {
	case 1:
		p.OpeningAt, p.ClosingAt = p.OpeningAt.Add(30*time.Minute), p.ClosingAt.Add(30*time.Minute)
		p.ClosingEndsAt = p.ClosingEndsAt.Add(30 * time.Minute)
	case 3:
		p.AuditorDays += 0.5
	default:
		return nil
	}
	ownBody := func(*audit.Audit) error { return nil } // the demo body changes its own plan
	_, err := s.as.ChangeAudit(ctx, a.ID, p, "body:"+s.u.body, ownBody)
	return err
}

// demoSite is the site of audit k: around Qingdao's high-tech zone.
func demoSite(k int) audit.Point {
	return audit.Point{Lat: 36.30 + float64(k%9)*0.011, Lng: 120.38 + float64(k%7)*0.013}
}

// demoFactory is the second site of audit k when it has one (about one
// audit in thirteen): the holder's factory some 12 km south of its head
// office, as a Chinese web map gives it (GCJ-02).
func demoFactory(k int) (audit.Site, bool) {
	if k%13 != 6 {
		return audit.Site{}, false
	}
	g := audit.WGSToGCJ(factoryOf(k))
	return audit.Site{Address: fmt.Sprintf("青岛市李沧区九水东路%d号（生产厂区）", 10+k%50), Lat: g.Lat, Lng: g.Lng, Datum: audit.GCJ02}, true
}

// factoryOf is the WGS-84 position of audit k's factory.
func factoryOf(k int) audit.Point {
	p := demoSite(k)
	return audit.Point{Lat: p.Lat - 0.11, Lng: p.Lng}
}

// checkIns makes the opening and closing check-ins of audit a on day d,
// with its twist tw, and steps the matters of the anomalies they raise.
func (s *season) checkIns(ctx context.Context, k int, tw twist, a audit.Audit, d, today trustmark.Date) error {
	site := demoSite(k)
	person := a.Plan.Team[0].RegistrationNo
	device := "demo-phone-" + person
	if tw == sharedPhone && k > 0 {
		device = "demo-phone-" + s.persons[(k+5)%len(s.persons)].RegistrationNo
	}
	s.photos[k] = teamPhoto(k, 320, 240, 85)
	photo := s.photos[k]
	switch {
	case tw == samePhoto && s.photos[k-1] != nil:
		photo = s.photos[k-1]
	case tw == resizedPhoto && s.photos[k-2] != nil:
		photo = teamPhoto(k-2, 160, 120, 50)
	}
	closeSite := site
	if _, ok := demoFactory(k); ok {
		closeSite = factoryOf(k) // the team ends the audit at the factory
	}
	item := func(kind string, at time.Time, lat, lng float64) audit.CheckInItem {
		dt := at.Add(20 * time.Second)
		if tw == skewedClock {
			dt = at.Add(-40 * time.Minute)
		}
		return audit.CheckInItem{Audit: a.ID, RequestKey: fmt.Sprintf("demo-%d-%s", k, kind), At: at, Photos: [][]byte{photo},
			Request: audit.CheckInRequest{Person: person, Kind: kind, Lat: lat, Lng: lng + 0.0004, AccuracyM: 12 + float64(k%20),
				Datum: "wgs84", DeviceTime: dt, Device: device}}
	}
	openAt, closeAt, openLat := chinaAt(d, 8, 50+k%8), chinaAt(d, 16, 10+k%40), site.Lat+0.0003
	switch tw {
	case lateOpen:
		openAt = chinaAt(d, 11, 25)
	case earlyClose:
		closeAt = chinaAt(d, 14, 40)
	case farAway:
		openLat = site.Lat + 0.085 // about 9.4 km north
	}
	items := []audit.CheckInItem{item("open", openAt, openLat, site.Lng)}
	if tw != noClose {
		items = append(items, item("close", closeAt, closeSite.Lat+0.0002, closeSite.Lng))
	}
	res, errs, err := s.as.ImportCheckIns(ctx, items)
	if err != nil {
		return err
	}
	for i, e := range errs {
		if e != nil {
			return e
		}
		for _, an := range res[i].Anomalies {
			if err := s.explain(ctx, k, an, d, today); err != nil {
				return err
			}
		}
	}
	return nil
}

// explain takes the steps of the body's explanation of an anomaly raised
// on day d: older ones answered and then accepted, or escalated (every
// third); recent ones left for the body, some answered and waiting.
func (s *season) explain(ctx context.Context, k int, an audit.Anomaly, d, today trustmark.Date) error {
	age := int(today.Time().Sub(d.Time()).Hours() / 24)
	step := func(days int, reason string) matter.Step {
		return matter.Step{At: chinaAt(d.AddDate(0, 0, days), 10, 0), Actor: "demo", Reason: reason}
	}
	switch {
	case age > 20 && k%3 == 0:
		_, err := s.ms.StepMatter(ctx, an.Key, matter.Escalate, step(12, "逾期未作说明"), 0)
		return err
	case age > 10:
		if _, err := s.ms.AnswerMatter(ctx, an.Key, step(2, ""), explanationOf(an.Rule), "", nil); err != nil {
			return err
		}
		if age > 15 {
			_, err := s.ms.StepMatter(ctx, an.Key, matter.Accept, step(5, "说明合理，已核实"), 0)
			return err
		}
	case age > 3 && k%2 == 0:
		_, err := s.ms.AnswerMatter(ctx, an.Key, step(2, ""), explanationOf(an.Rule), "", nil)
		return err
	}
	return nil
}

// explanationOf is a body's usual explanation of an anomaly of rule r.
func explanationOf(r audit.Rule) string {
	switch r {
	case audit.LateOpen:
		return "受检组织临时调整首次会议时间，审核组到场后补签到，附受检组织情况说明。"
	case audit.EarlyClose, audit.ShortOnsite:
		return "末次会议提前召开，审核时间已在前一日延长补足，附审核日程记录。"
	case audit.FarFromSite:
		return "首次会议在受检组织另一厂区召开，附厂区地址及审核计划变更记录。"
	case audit.PhotoReuse:
		return "审核员误传了上一次审核的合影，已补传本次现场照片。"
	case audit.DeviceShared:
		return "审核员手机故障，借用同事手机签到，附情况说明。"
	case audit.ClockSkew:
		return "审核员手机时间设置有误，以服务器时间为准。"
	}
	return "已核实情况并附相关记录，详见附件。"
}

// teamPhoto draws audit k's team photo, w×h, as JPEG: blocks of colour on a
// gradient, placed in proportion to the size, so that the same k at
// another size is the same photo resized.
func teamPhoto(k, w, h, quality int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			c := color.RGBA{uint8(255 * fx), uint8(255 * fy), uint8(k * 47), 255}
			for i := range 5 {
				x0, y0 := float64((i*37*(k+1)+11)%70)/100, float64((i*53+(k+1)*31)%60)/100
				if fx >= x0 && fx < x0+0.2 && fy >= y0 && fy < y0+0.3 {
					c = color.RGBA{uint8(40*i + k), uint8(200 - 30*i), uint8(k * 90), 255}
				}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, &jpeg.Options{Quality: quality})
	return b.Bytes()
}
