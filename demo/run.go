package demo

import (
	"context"
	"errors"
	"fmt"
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

// run generates the data set into s: the registry's records, then their
// story (status changes, expiries), then, into a store, the supervision
// side.
func (g *gen) run(ctx context.Context, s sink) (Summary, error) {
	start := time.Now()
	g.pr = newProgress(g.opts.Progress)
	g.planBodies(g.rng(seedBodies))
	g.planLabs(g.rng(seedLabs))
	if err := g.loadRecords(ctx, s); err != nil {
		return g.sum, err
	}
	err := g.phase("status changes", func() (int, error) {
		err := g.changeStatuses(ctx, s)
		return g.sum.Changes, err
	})
	if err != nil {
		return g.sum, err
	}
	err = g.phase("expiries", func() (int, error) {
		n, err := s.expire(ctx, g.today)
		if err != nil {
			return n, fmt.Errorf("demo: recording expiries: %w", err)
		}
		return n, nil
	})
	if err != nil {
		return g.sum, err
	}
	if ss, ok := s.(*storeSink); ok {
		if err := g.addSupervision(ctx, ss.store); err != nil {
			return g.sum, err
		}
	}
	g.sum.Duration = time.Since(start)
	g.pr.log("demo data set loaded", "duration", g.sum.Duration.Round(time.Millisecond).String())
	return g.sum, nil
}

// phase runs one step of the generation, fn, which returns how many records
// it wrote, and records it among the summary's phases when it succeeds.
func (g *gen) phase(name string, fn func() (int, error)) error {
	t0 := time.Now()
	n, err := fn()
	if err != nil {
		return err
	}
	g.sum.Phases = append(g.sum.Phases, Phase{Name: name, Records: n, Duration: time.Since(t0)})
	return nil
}

// loadRecords streams the registry's records into s, kind after kind in the
// order their references need: organisations first (every body and
// laboratory is one), bodies before the auditors and certificates that name
// them, laboratories before their reports.
func (g *gen) loadRecords(ctx context.Context, s sink) error {
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
		err := g.phase(st.name, func() (int, error) {
			n, err := g.stream(ctx, s, st.name, st.kind, importer, st.total, st.fn)
			if err != nil {
				return n, err
			}
			g.sum.Counts[st.kind] = n
			return n, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// addSupervision adds, to a store that keeps them, the supervision side of
// the demo over the loaded registry: matters, campaigns, audits and risk
// reports.
func (g *gen) addSupervision(ctx context.Context, store trustmark.Store) error {
	if ms, ok := store.(MatterStore); ok {
		err := g.phase("matters", func() (int, error) { return openDemoMatters(ctx, store, ms, g.today) })
		if err != nil {
			return err
		}
	}
	err := g.phase("campaigns", func() (int, error) {
		n, suspended, err := addCampaigns(ctx, store)
		if err != nil {
			return n, err
		}
		g.sum.Certificates[trustmark.StatusValid] -= suspended
		g.sum.Certificates[trustmark.StatusSuspended] += suspended
		g.sum.Changes += suspended
		return n, nil
	})
	if err != nil {
		return err
	}
	as, aok := store.(AuditStore)
	ms, mok := store.(MatterStore)
	if aok && mok {
		err := g.phase("audits", func() (int, error) { return addAudits(ctx, store, as, ms, g.today) })
		if err != nil {
			return err
		}
	}
	if rs, ok := store.(riskReportStore); ok {
		err := g.phase("risk reports", func() (int, error) { return g.addRiskReports(ctx, store, rs) })
		if err != nil {
			return err
		}
	}
	return nil
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
			g.example(c, final, o) // of the statuses the seed made
			final = g.expire(c, final, o)
			g.sum.Types[c.Type]++
			g.sum.Certificates[final]++
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
