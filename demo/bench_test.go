package demo_test

import (
	"context"
	"testing"

	"trustmark/demo"
)

// BenchmarkGenerateSmall generates the small data set into a new SQLite
// store: the wait a user has on `serve --demo`.
func BenchmarkGenerateSmall(b *testing.B) {
	for b.Loop() {
		db := openStore(b)
		sum, err := demo.Generate(context.Background(), db, demo.Options{Scale: demo.ScaleSmall, Seed: 1, Today: today})
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range sum.Phases {
			b.Logf("%-15s %7d records in %s", p.Name, p.Records, p.Duration)
		}
	}
}
