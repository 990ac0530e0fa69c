package demo

import (
	"context"
	"encoding/json"
	"time"
	"fmt"
	"testing"

	"trustmark"
)

func TestDebugDump(t *testing.T) {
	rec, sum := record(t, Options{Scale: ScaleTiny, Seed: 1, Sizes: &Sizes{Orgs: 6000, Bodies: 120, Labs: 100, Persons: 600, Certificates: 15000, Reports: 4000}})
	show := func(k trustmark.Kind, from, n, step int) {
		for i := from; i < from+n*step && i < len(rec.loads[k]); i += step {
			b, _ := json.Marshal(rec.loads[k][i])
			fmt.Println(string(b))
		}
	}
	show(trustmark.KindOrgs, 0, 3, 1)
	show(trustmark.KindOrgs, 300, 25, 37)
	show(trustmark.KindBodies, 0, 3, 1)
	show(trustmark.KindBodies, 20, 10, 9)
	show(trustmark.KindLabs, 0, 12, 7)
	show(trustmark.KindPersons, 0, 8, 50)
	show(trustmark.KindCertificates, 0, 40, 311)
	show(trustmark.KindReports, 0, 10, 300)
	for i := 0; i < 10; i++ {
		fmt.Println(rec.transitions[i*37])
	}
	fmt.Println(sum.Types, sum.Certificates)
}

type counter struct{ n map[trustmark.Kind]int }

func (c *counter) load(_ context.Context, _ trustmark.Party, kind trustmark.Kind, recs []trustmark.Record) error {
	c.n[kind] += len(recs)
	return nil
}
func (c *counter) transition(context.Context, trustmark.Party, string, trustmark.Transition) error { return nil }
func (c *counter) expire(context.Context, trustmark.Date) (int, error)                           { return 0, nil }

func TestDebugNationalCounts(t *testing.T) {
	s, _ := ScaleSizes(ScaleNational)
	s.Reports = 0
	g, _ := newGen(Options{Scale: ScaleNational, Sizes: &s, Seed: 1, Today: testToday})
	c := &counter{n: map[trustmark.Kind]int{}}
	start := time.Now()
	sum, err := g.run(context.Background(), c)
	fmt.Println(c.n, err, time.Since(start), sum.Certificates, sum.Types)
}
