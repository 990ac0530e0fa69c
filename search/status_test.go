package search

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"trustmark"
)

// TestStatusFilterAgreesWithTheDomain holds the index's status filter to
// trustmark.Certificate.EffectiveStatus: for every stored status and an
// expiry date of yesterday, today and tomorrow, a certificate is found under
// the status the domain gives it, and only under that one.
func TestStatusFilterAgreesWithTheDomain(t *testing.T) {
	var docs []Doc
	want := map[trustmark.CertStatus][]string{}
	for i, st := range trustmark.CertStatuses {
		for j, expires := range []trustmark.Date{today.AddDate(0, 0, -1), today, today.AddDate(0, 0, 1)} {
			d := Doc{Kind: KindCertificate, Number: fmt.Sprintf("00126Q%d%dR0M", i, j), Type: trustmark.TypeQMS,
				Name: "青岛海尔电器有限公司", Status: string(st), Region: "370212", ExpiresOn: expires}
			docs = append(docs, d)
			c := trustmark.Certificate{Status: st, ExpiresOn: expires}
			eff, _ := c.EffectiveStatus(today)
			want[eff] = append(want[eff], d.Number)
			if got := d.EffectiveStatus(today); got != string(eff) {
				t.Errorf("Doc.EffectiveStatus(%s, expires %s) = %s, want %s", st, expires, got, eff)
			}
		}
	}
	ix := memIndex(t, docs)
	for _, st := range trustmark.CertStatuses {
		t.Run(string(st), func(t *testing.T) {
			r, err := ix.Search(context.Background(), Query{Text: "海尔", Kinds: []Kind{KindCertificate}, Status: string(st), Today: today, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			got := numbers(r)
			slices.Sort(got)
			w := slices.Clone(want[st])
			slices.Sort(w)
			if !slices.Equal(got, w) {
				t.Errorf("Search(status %s on %s) = %v, want %v", st, today, got, w)
			}
		})
	}
}
