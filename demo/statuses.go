package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"trustmark"
)

// changeStatuses tells the registry's story after the loads: certificates
// suspended, restored, revoked and withdrawn by their bodies (and a few
// revoked by the regulator) on the dates planned, then bodies, laboratories
// and auditors sanctioned by the regulator, by re-importing them with their
// new status.
func (g *gen) changeStatuses(ctx context.Context, s sink) error {
	viaImport, err := g.transitionCertificates(ctx, s, g.plannedSteps())
	if err != nil {
		return err
	}
	if err := g.reportStatuses(ctx, s, viaImport); err != nil {
		return err
	}
	bodies, labs := g.drawSanctions()
	persons := make([]trustmark.Record, len(g.changed.persons))
	for i, p := range g.changed.persons {
		persons[i] = p
	}
	g.dateSanctions(bodies, labs, persons)
	return g.loadSanctions(ctx, s, bodies, labs, persons)
}

// stepRef names a step of a certificate's status plan.
type stepRef struct {
	plan, step int
}

// plannedSteps lists every planned step in date order, steps of one day in
// the order of their plans.
func (g *gen) plannedSteps() []stepRef {
	var refs []stepRef
	for i, p := range g.plans {
		for j := range p.steps {
			refs = append(refs, stepRef{i, j})
		}
	}
	slices.SortStableFunc(refs, func(a, b stepRef) int {
		return g.plans[a.plan].steps[a.step].on.Time().Compare(g.plans[b.plan].steps[b.step].on.Time())
	})
	return refs
}

// transitionCertificates takes the steps refs one by one through
// s.transition, up to the transition limit. It returns, for the
// certificates whose last step is beyond the limit, a copy with the final
// status to report by re-import.
func (g *gen) transitionCertificates(ctx context.Context, s sink, refs []stepRef) ([]*trustmark.Certificate, error) {
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
			return nil, fmt.Errorf("demo: %s certificate %s → %s on %s: %w", p.cert.Type, p.cert.Number, st.to, st.on, err)
		}
		g.sum.Changes++
		g.pr.add(1)
	}
	g.pr.finish()
	return viaImport, nil
}

// reportStatuses re-imports the certificates given with their final status,
// in batches.
func (g *gen) reportStatuses(ctx context.Context, s sink, viaImport []*trustmark.Certificate) error {
	if len(viaImport) == 0 {
		return nil
	}
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
	return nil
}

// drawSanctions picks the generated bodies and the laboratories the
// regulator suspends or revokes, as copies with their new status.
func (g *gen) drawSanctions() (bodies, labs []trustmark.Record) {
	r := g.rng(seedChanges)
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
	return bodies, labs
}

// loadSanctions re-imports the sanctioned bodies, laboratories and persons
// as the regulator, in batches.
func (g *gen) loadSanctions(ctx context.Context, s sink, bodies, labs, persons []trustmark.Record) error {
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
