package draw

import (
	"fmt"
	"slices"
)

// MismatchError is a published draw that differs from its recomputation:
// the first difference, named so that a person can look it up.
type MismatchError struct {
	What      string // "commitment", "pick 17 subject", "pick 17 team", ...
	Published string
	Computed  string
}

// Error implements the error interface.
func (e *MismatchError) Error() string {
	return fmt.Sprintf("draw does not match: %s is %q, recomputed %q", e.What, e.Published, e.Computed)
}

// Verify recomputes the draw of c with r, replays the published recusals
// in order (each replacement drawn again by the rule), and compares the
// whole with published. It returns a *MismatchError naming the first
// difference, or another error when the draw could not be recomputed (a
// malformed commitment, a random value that is not the one committed to).
func Verify(c *Commitment, r Random, published *Result) error {
	want, err := Draw(c, r)
	if err != nil {
		return err
	}
	return VerifyDrawn(c, want, published)
}

// VerifyDrawn is Verify with the draw of c already recomputed (drawn, by
// Draw, without recusals), for a verifier that compares several published
// copies of one draw and draws once. drawn is not changed.
func VerifyDrawn(c *Commitment, drawn *Result, published *Result) error {
	want := drawn
	for _, rc := range published.Recusals {
		next, err := Recuse(c, want, rc.Subject, rc.Inspector, rc.Reason)
		if err != nil {
			return &MismatchError{What: fmt.Sprintf("recusal %d", len(want.Recusals)+1), Published: rc.Subject + " " + rc.Inspector, Computed: err.Error()}
		}
		want = next
	}
	return compare(published, want)
}

func compare(got, want *Result) error {
	mismatch := func(what, g, w string) error { return &MismatchError{What: what, Published: g, Computed: w} }
	for _, f := range []struct{ what, got, want string }{
		{"algorithm", got.Algorithm, want.Algorithm},
		{"commitment", got.Commitment, want.Commitment},
		{"random value", got.Random, want.Random},
		{"seed", got.Seed, want.Seed},
	} {
		if f.got != f.want {
			return mismatch(f.what, f.got, f.want)
		}
	}
	for i := range max(len(got.Strata), len(want.Strata)) {
		g, w := at(got.Strata, i), at(want.Strata, i)
		if g != w {
			return mismatch(fmt.Sprintf("stratum %d", i+1), fmt.Sprint(g), fmt.Sprint(w))
		}
	}
	for i := range max(len(got.Picks), len(want.Picks)) {
		g, w := at(got.Picks, i), at(want.Picks, i)
		if g.Subject != w.Subject || g.Class != w.Class {
			return mismatch(fmt.Sprintf("pick %d subject", i+1), g.Subject+" "+string(g.Class), w.Subject+" "+string(w.Class))
		}
		if !slices.Equal(g.Team, w.Team) {
			return mismatch(fmt.Sprintf("pick %d (%s) team", i+1, w.Subject), fmt.Sprint(g.Team), fmt.Sprint(w.Team))
		}
		// A result drawn before picks said why a team is short records no
		// reason, and still verifies: the team, compared above, is the
		// draw; the reason explains it, and one published must be right.
		if g.Shortfall != nil && !equalShortfall(g.Shortfall, w.Shortfall) {
			return mismatch(fmt.Sprintf("pick %d (%s) shortfall", i+1, w.Subject), g.Shortfall.String(), w.Shortfall.String())
		}
	}
	for i := range max(len(got.Recusals), len(want.Recusals)) {
		g, w := at(got.Recusals, i), at(want.Recusals, i)
		if g != w {
			return mismatch(fmt.Sprintf("recusal %d", i+1), fmt.Sprint(g), fmt.Sprint(w))
		}
	}
	return nil
}

// equalShortfall reports whether a and b say the same, nil for none.
func equalShortfall(a, b *Shortfall) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// at is s[i], or the zero value past the end, so that a missing element is
// reported as a difference like any other.
func at[T any](s []T, i int) T {
	var zero T
	if i < len(s) {
		return s[i]
	}
	return zero
}
