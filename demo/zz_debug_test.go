package demo

import (
	"encoding/json"
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
