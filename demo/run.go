package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"trustmark"
)

// Phase seeds: each phase draws from its own stream.
const (
	seedBodies uint64 = iota + 1
	seedLabs
	seedOrgs
	seedPersons
	seedCerts
	seedReports
	seedChanges
	seedSanctionDays
)

func (g *gen) run(ctx context.Context, s sink) (Summary, error) {
	start := time.Now()
	g.pr = newProgress(g.opts.Progress)
	g.planBodies(g.rng(seedBodies))
	g.planLabs(g.rng(seedLabs))

	steps := []struct {
		name  string
		kind  trustmark.Kind
		total int
		fn    func(ctx context.Context, emit func(trustmark.Record) error) error
	}{
		{"organisations", trustmark.KindOrgs, g.sizes.Orgs + len(g.bodies) + len(g.labs), g.produceOrgs},
		{"bodies", trustmark.KindBodies, len(g.bodies), g.produceBodies},
		{"laboratories", trustmark.KindLabs, len(g.labs), g.produceLabs},
		{"auditors", trustmark.KindPersons, g.sizes.Persons, g.producePersons},
		{"certificates", trustmark.KindCertificates, g.sizes.Certificates, g.produceCerts},
		{"reports", trustmark.KindReports, g.sizes.Reports, g.produceReports},
	}
	for _, st := range steps {
		t0 := time.Now()
		n, err := g.stream(ctx, s, st.name, st.kind, importer, st.total, st.fn)
		if err != nil {
			return g.sum, err
		}
		g.sum.Counts[st.kind] = n
		g.sum.Phases = append(g.sum.Phases, Phase{Name: st.name, Records: n, Duration: time.Since(t0)})
	}
	t0 := time.Now()
	if err := g.changeStatuses(ctx, s); err != nil {
		return g.sum, err
	}
	g.sum.Phases = append(g.sum.Phases, Phase{Name: "status changes", Records: g.sum.Changes, Duration: time.Since(t0)})
	t0 = time.Now()
	n, err := s.expire(ctx, g.today)
	if err != nil {
		return g.sum, fmt.Errorf("demo: recording expiries: %w", err)
	}
	g.sum.Phases = append(g.sum.Phases, Phase{Name: "expiries", Records: n, Duration: time.Since(t0)})
	if ss, ok := s.(*storeSink); ok {
		if ms, ok := ss.store.(MatterStore); ok {
			t0 = time.Now()
			n, err := openDemoMatters(ctx, ss.store, ms, g.today)
			if err != nil {
				return g.sum, err
			}
			g.sum.Phases = append(g.sum.Phases, Phase{Name: "matters", Records: n, Duration: time.Since(t0)})
		}
		t0 = time.Now()
		n, suspended, err := addCampaigns(ctx, ss.store)
		if err != nil {
			return g.sum, err
		}
		g.sum.Certificates[trustmark.StatusValid] -= suspended
		g.sum.Certificates[trustmark.StatusSuspended] += suspended
		g.sum.Changes += suspended
		g.sum.Phases = append(g.sum.Phases, Phase{Name: "campaigns", Records: n, Duration: time.Since(t0)})
		as, aok := ss.store.(AuditStore)
		ms, mok := ss.store.(MatterStore)
		if aok && mok {
			t0 = time.Now()
			n, err := addAudits(ctx, ss.store, as, ms, g.today)
			if err != nil {
				return g.sum, err
			}
			g.sum.Phases = append(g.sum.Phases, Phase{Name: "audits", Records: n, Duration: time.Since(t0)})
		}
		if rs, ok := ss.store.(riskReportStore); ok {
			t0 = time.Now()
			n, err := g.addRiskReports(ctx, ss.store, rs)
			if err != nil {
				return g.sum, err
			}
			g.sum.Phases = append(g.sum.Phases, Phase{Name: "risk reports", Records: n, Duration: time.Since(t0)})
		}
	}
	g.sum.Duration = time.Since(start)
	g.pr.log("demo data set loaded", "duration", g.sum.Duration.Round(time.Millisecond).String())
	return g.sum, nil
}

// stream loads what produce emits in batches of BatchSize, generating the
// next batch while the store imports the last one.
func (g *gen) stream(ctx context.Context, s sink, name string, kind trustmark.Kind, actor trustmark.Party, total int,
	produce func(ctx context.Context, emit func(trustmark.Record) error) error) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	size := g.opts.BatchSize
	batches := make(chan []trustmark.Record, 2)
	produced := make(chan error, 1)
	go func() {
		defer close(batches)
		batch := make([]trustmark.Record, 0, size)
		send := func() error {
			select {
			case batches <- batch:
				batch = make([]trustmark.Record, 0, size)
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		err := produce(ctx, func(r trustmark.Record) error {
			batch = append(batch, r)
			if len(batch) == size {
				return send()
			}
			return nil
		})
		if (err == nil || errors.Is(err, errBudget)) && len(batch) > 0 {
			if e := send(); e != nil {
				err = e
			}
		}
		produced <- err
	}()
	g.pr.start(name, total)
	n := 0
	var loadErr error
	for b := range batches {
		if loadErr != nil {
			continue
		}
		if err := s.load(ctx, actor, kind, b); err != nil {
			loadErr = err
			cancel()
			continue
		}
		n += len(b)
		g.pr.add(len(b))
	}
	err := <-produced
	g.pr.finish()
	switch {
	case loadErr != nil:
		return n, loadErr
	case errors.Is(err, errBudget):
		g.pr.log("report budget spent", "reports", n)
	case err != nil:
		return n, err
	}
	return n, nil
}

func (g *gen) produceOrgs(ctx context.Context, emit func(trustmark.Record) error) error {
	for _, b := range g.bodies {
		if err := emit(partyOrg(b.body.USCC, b.body.Name, b.body.NameEn, b.body.RegionCode)); err != nil {
			return err
		}
	}
	for _, l := range g.labs {
		if err := emit(partyOrg(l.lab.USCC, l.lab.Name, "", l.lab.RegionCode)); err != nil {
			return err
		}
	}
	r := g.rng(seedOrgs)
	g.orgs = make([]orgInfo, 0, g.sizes.Orgs)
	nf := min(len(famousOrgs), g.sizes.Orgs/20)
	for i := 0; i < nf; i++ {
		o, info := g.famousOrg(famousOrgs[i], r)
		g.orgs = append(g.orgs, info)
		if err := emit(o); err != nil {
			return err
		}
	}
	for len(g.orgs) < g.sizes.Orgs {
		o, info := g.newOrg(r)
		g.orgs = append(g.orgs, info)
		if err := emit(o); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) produceBodies(ctx context.Context, emit func(trustmark.Record) error) error {
	for _, b := range g.bodies {
		cp := *b.body
		if err := emit(&cp); err != nil {
			return err
		}
	}
	g.sum.Examples.BodyApprovalNo = g.bodies[0].body.ApprovalNo
	return nil
}

func (g *gen) produceLabs(ctx context.Context, emit func(trustmark.Record) error) error {
	for _, l := range g.labs {
		cp := *l.lab
		if err := emit(&cp); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) producePersons(ctx context.Context, emit func(trustmark.Record) error) error {
	r := g.rng(seedPersons)
	for i := 0; i < g.sizes.Persons; i++ {
		p := g.newPerson(i, r)
		// A few auditors are later suspended, struck off or banned for life
		// (CCAA sanctions for falsified audit records).
		switch x := r.IntN(1000); {
		case x < 4:
			g.changePerson(p, trustmark.PartyBanned)
		case x < 14:
			g.changePerson(p, trustmark.PartySuspended)
		case x < 19:
			g.changePerson(p, trustmark.PartyRevoked)
		}
		if i == 0 {
			g.sum.Examples.PersonRegNo = p.RegistrationNo
		}
		if err := emit(p); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) changePerson(p *trustmark.Person, s trustmark.PartyStatus) {
	cp := *p
	cp.Status = s
	g.changed.persons = append(g.changed.persons, &cp)
}

func (g *gen) produceCerts(ctx context.Context, emit func(trustmark.Record) error) error {
	r := g.rng(seedCerts)
	remaining := g.sizes.Certificates
	ex := &g.sum.Examples
	var err error
	best, bestN := 0, -1
	for i := range g.orgs {
		o := &g.orgs[i]
		n := certsPerOrg(r, remaining, len(g.orgs)-i)
		if o.famous {
			n = min(4+r.IntN(5), remaining)
		}
		before := remaining
		g.certsFor(o, n, r, func(c *trustmark.Certificate, final trustmark.CertStatus) {
			if err != nil {
				return
			}
			remaining--
			g.sum.Types[c.Type]++
			g.sum.Certificates[final]++
			g.example(c, final, o)
			err = emit(c)
		})
		if err != nil {
			return err
		}
		// The example organisation: a famous one if any, else the one with
		// the most certificates.
		if got := before - remaining; got > bestN && (o.famous || !g.orgs[best].famous || bestN < 0) {
			best, bestN = i, got
		}
	}
	if bestN >= 0 {
		ex.OrgUSCC = g.orgs[best].uscc
		if g.orgs[best].famous {
			ex.OrgName = famousOrgs[best].name
		}
	}
	return nil
}

// example remembers the first certificate of each kind worth showing.
func (g *gen) example(c *trustmark.Certificate, final trustmark.CertStatus, o *orgInfo) {
	ex := &g.sum.Examples
	set := func(p *string) {
		if *p == "" {
			*p = c.Number
		}
	}
	switch final {
	case trustmark.StatusValid:
		switch c.Type {
		case ccc:
			if o.famous || ex.ValidCCC == "" {
				if ex.ValidCCC == "" || !g.famousCCC {
					ex.ValidCCC = c.Number
					g.famousCCC = o.famous
				}
			}
		case qms:
			set(&ex.ValidQMS)
		case organic:
			set(&ex.Organic)
		}
	case trustmark.StatusSuspended:
		set(&ex.Suspended)
	case trustmark.StatusRevoked:
		set(&ex.Revoked)
	case trustmark.StatusWithdrawn:
		set(&ex.Withdrawn)
	case trustmark.StatusExpired:
		set(&ex.Expired)
	}
}

func (g *gen) produceReports(ctx context.Context, emit func(trustmark.Record) error) error {
	r := g.rng(seedReports)
	g.indexClients()
	deadline := time.Now().Add(g.opts.ReportBudget)
	for i := 0; i < g.sizes.Reports; i++ {
		if i%g.opts.BatchSize == 0 && i > 0 && time.Now().After(deadline) {
			return errBudget
		}
		rep := g.newReport(r)
		if i == 0 {
			g.sum.Examples.LabCMANo, g.sum.Examples.ReportNo = rep.LabCMANo, rep.Number
		}
		if err := emit(rep); err != nil {
			return err
		}
	}
	return nil
}

// changeStatuses tells the registry's story after the loads: certificates
// suspended, restored, revoked and withdrawn by their bodies (and a few
// revoked by the regulator) on the dates planned, then bodies, laboratories
// and auditors sanctioned by the regulator, by re-importing them with their
// new status.
func (g *gen) changeStatuses(ctx context.Context, s sink) error {
	type stepRef struct {
		plan, step int
	}
	var refs []stepRef
	for i, p := range g.plans {
		for j := range p.steps {
			refs = append(refs, stepRef{i, j})
		}
	}
	slices.SortStableFunc(refs, func(a, b stepRef) int {
		return g.plans[a.plan].steps[a.step].on.Time().Compare(g.plans[b.plan].steps[b.step].on.Time())
	})
	limit := g.transitionLimit()
	g.pr.start("status changes", min(len(refs), limit))
	var viaImport []*trustmark.Certificate
	for k, ref := range refs {
		p := &g.plans[ref.plan]
		st := p.steps[ref.step]
		if k >= limit {
			// Beyond the limit the remaining changes are reported in bulk,
			// as a body's system would: the final status by re-import.
			if ref.step == len(p.steps)-1 {
				cp := *p.cert
				cp.Status = st.to
				viaImport = append(viaImport, &cp)
			}
			continue
		}
		err := s.transition(ctx, st.actor, p.cert.Number, trustmark.Transition{To: st.to, Reason: st.reason, EffectiveOn: st.on})
		if err != nil {
			return fmt.Errorf("demo: %s certificate %s → %s on %s: %w", p.cert.Type, p.cert.Number, st.to, st.on, err)
		}
		g.sum.Changes++
		g.pr.add(1)
	}
	g.pr.finish()
	if len(viaImport) > 0 {
		// In key order, so that each batch updates neighbouring rows.
		slices.SortFunc(viaImport, func(a, b *trustmark.Certificate) int { return strings.Compare(a.Number, b.Number) })
		g.pr.start("status reports", len(viaImport))
		for len(viaImport) > 0 {
			n := min(len(viaImport), g.opts.BatchSize)
			recs := make([]trustmark.Record, n)
			for i := range n {
				recs[i] = viaImport[i]
			}
			if err := s.load(ctx, importer, trustmark.KindCertificates, recs); err != nil {
				return err
			}
			g.sum.Changes += n
			g.pr.add(n)
			viaImport = viaImport[n:]
		}
		g.pr.finish()
	}

	r := g.rng(seedChanges)
	var bodies, labs []trustmark.Record
	for i, b := range g.bodies {
		if i < len(famousBodies) {
			continue // real names keep a clean record
		}
		switch x := r.IntN(100); {
		case x < 3:
			bodies = append(bodies, withBodyStatus(b.body, trustmark.PartySuspended))
		case x < 6:
			bodies = append(bodies, withBodyStatus(b.body, trustmark.PartyRevoked))
		}
	}
	for _, l := range g.labs {
		switch x := r.IntN(100); {
		case x < 2:
			labs = append(labs, withLabStatus(l.lab, trustmark.PartySuspended))
		case x < 3:
			labs = append(labs, withLabStatus(l.lab, trustmark.PartyRevoked))
		}
	}
	persons := make([]trustmark.Record, len(g.changed.persons))
	for i, p := range g.changed.persons {
		persons[i] = p
	}
	g.dateSanctions(bodies, labs, persons)
	g.pr.start("sanctions", len(bodies)+len(labs)+len(persons))
	for _, set := range []struct {
		kind trustmark.Kind
		recs []trustmark.Record
	}{{trustmark.KindBodies, bodies}, {trustmark.KindLabs, labs}, {trustmark.KindPersons, persons}} {
		for len(set.recs) > 0 {
			n := min(len(set.recs), g.opts.BatchSize)
			if err := s.load(ctx, regulator, set.kind, set.recs[:n]); err != nil {
				return err
			}
			g.sum.Changes += n
			g.pr.add(n)
			set.recs = set.recs[n:]
		}
	}
	g.pr.finish()
	return nil
}

// transitionLimit is how many certificate status changes go one by one
// through Store.TransitionCertificate, with their own dates and reasons; at
// national scale the rest go by re-import to keep the run bounded.
func (g *gen) transitionLimit() int {
	if g.sizes.Certificates > 500_000 {
		return 40_000
	}
	return 1 << 30
}

// dateSanctions gives each sanction of a body, laboratory or auditor its
// day (the store keeps a given day: trustmark.ChangedStatusSince), drawn
// from a stream of its own so that which parties are sanctioned is as before.
func (g *gen) dateSanctions(sets ...[]trustmark.Record) {
	r := g.rng(seedSanctionDays)
	for _, recs := range sets {
		for _, rec := range recs {
			switch x := rec.(type) {
			case *trustmark.Body:
				x.StatusSince = g.sanctionDay(r, x.ApprovedOn)
			case *trustmark.Lab:
				x.StatusSince = g.sanctionDay(r, x.StatusSince)
			case *trustmark.Person:
				x.StatusSince = g.sanctionDay(r, x.StatusSince)
			}
		}
	}
}

// sanctionDay is the day a sanction of a party whose status began on since
// took effect: in the last three years, at least 30 days after since, and
// before today; today when there is no such day.
func (g *gen) sanctionDay(r *rand.Rand, since trustmark.Date) trustmark.Date {
	from := g.today.AddDate(-3, 0, 0)
	if after := since.AddDate(0, 0, 30); !since.IsZero() && after.After(from) {
		from = after
	}
	span := int(g.today.Time().Sub(from.Time()).Hours() / 24)
	if span < 1 {
		return g.today
	}
	return from.AddDate(0, 0, r.IntN(span))
}

func withBodyStatus(b *trustmark.Body, s trustmark.PartyStatus) *trustmark.Body {
	cp := *b
	cp.Status = s
	return &cp
}

func withLabStatus(l *trustmark.Lab, s trustmark.PartyStatus) *trustmark.Lab {
	cp := *l
	cp.Status = s
	return &cp
}
