package campaign

import (
	"encoding/hex"
	"io"
	"maps"
	"slices"
	"strings"

	"trustmark"
	"trustmark/draw"
)

// Limits of a campaign's definition.
const (
	MaxNameLen      = 200
	MaxChecklist    = 200
	MaxChecklistLen = 500
	MaxFilters      = 20
)

// CheckNew reports the first reason c and its commitment cannot be created:
// a field missing or malformed, or a commitment that disagrees with the
// campaign it freezes (another id, team size or rates). It fills c's
// commitment hash and length (streamed: the bytes are never held), and sets
// its status to Committed.
func CheckNew(c *Campaign, com *draw.Commitment) error {
	bad := func(field, format string, args ...any) error {
		return trustmark.Errorf(trustmark.EInvalid, field, format, args...)
	}
	switch {
	case strings.TrimSpace(c.Name) == "" || len([]rune(c.Name)) > MaxNameLen:
		return bad("name", "a campaign needs a name of at most %d characters", MaxNameLen)
	case !slices.Contains(SubjectKinds, c.SubjectKind):
		return bad("subject_kind", "subject kind %q is not one of %s", c.SubjectKind, strings.Join(SubjectKinds, ", "))
	case !slices.Contains(Methods, c.Method):
		return bad("method", "method %q is not one of %s", c.Method, strings.Join(Methods, ", "))
	case c.TeamSize < 1 || c.TeamSize > 20:
		return bad("team_size", "team size %d is not between 1 and 20", c.TeamSize)
	case c.Deadline.IsZero():
		return bad("deadline", "a campaign needs a deadline")
	case len(c.Checklist) == 0 || len(c.Checklist) > MaxChecklist:
		return bad("checklist", "a campaign needs between 1 and %d inspection items", MaxChecklist)
	case len(c.Filters) > MaxFilters:
		return bad("filters", "at most %d filters", MaxFilters)
	}
	if _, err := trustmark.ParseRegionCode(c.Region); err != nil && c.Region != trustmark.NationalRegion {
		return bad("region", "region %q: %v", c.Region, err)
	}
	for i, item := range c.Checklist {
		if strings.TrimSpace(item) == "" || len([]rune(item)) > MaxChecklistLen {
			return bad("checklist", "inspection item %d is empty or longer than %d characters", i+1, MaxChecklistLen)
		}
	}
	switch {
	case com.Campaign != c.ID:
		return bad("commitment.campaign", "the commitment names campaign %q, not %q", com.Campaign, c.ID)
	case com.TeamSize != c.TeamSize:
		return bad("commitment.team_size", "the commitment's team size %d is not the campaign's %d", com.TeamSize, c.TeamSize)
	case !maps.Equal(com.Rates, c.Rates):
		return bad("commitment.rates", "the commitment's rates are not the campaign's")
	}
	com.Sort()
	if err := com.Check(); err != nil {
		return err
	}
	h, err := com.Hash()
	if err != nil {
		return err
	}
	size, err := com.WriteTo(io.Discard)
	if err != nil {
		return err
	}
	c.Commitment, c.CommitmentSHA256, c.CommitmentBytes, c.Status = nil, hex.EncodeToString(h[:]), size, Committed
	return nil
}

// RandomOf recomputes the random value rd records from its public source:
// the drand beacon, verified offline with quicknet's key, or the lottery
// results. The recorded value itself is never trusted.
func RandomOf(rd RandomData) (draw.Random, error) {
	switch rd.Kind {
	case draw.SeedDrand:
		b, err := draw.ParseBeacon(rd.Beacon)
		if err != nil {
			return draw.Random{}, trustmark.Errorf(trustmark.EInvalid, "beacon", "%v", err)
		}
		r, err := draw.FromBeacon(draw.Quicknet(), b)
		if err != nil {
			return draw.Random{}, trustmark.Errorf(trustmark.EInvalid, "beacon", "%v", err)
		}
		return r, nil
	case draw.SeedLottery:
		if len(rd.Lottery) == 0 || len(rd.Lottery) > draw.MaxSources {
			return draw.Random{}, trustmark.Errorf(trustmark.EInvalid, "lottery", "between 1 and %d lottery sources", draw.MaxSources)
		}
		sources := make([]draw.Source, len(rd.Lottery))
		for i, s := range rd.Lottery {
			if len(s) == 0 || len(s) > draw.MaxSourceNumbers {
				return draw.Random{}, trustmark.Errorf(trustmark.EInvalid, "lottery", "source %d has %d numbers, want 1 to %d", i+1, len(s), draw.MaxSourceNumbers)
			}
			sources[i] = draw.Source(s)
		}
		return draw.FromLottery(sources), nil
	}
	return draw.Random{}, trustmark.Errorf(trustmark.EInvalid, "kind", "random kind %q is not drand or lottery", rd.Kind)
}

// DecideRandom checks that the random value rd may be recorded for c,
// committed as com: c waits for it, and it is the value com names. It
// returns rd completed with what is recomputed from its source.
func DecideRandom(c *Campaign, com *draw.Commitment, rd RandomData) (RandomData, error) {
	if c.Status != Committed {
		return rd, trustmark.Reasonf(trustmark.EConflict, "campaign.random_recorded", "", "campaign %s already has its random value", c.ID)
	}
	r, err := RandomOf(rd)
	if err != nil {
		return rd, err
	}
	if _, err := draw.Draw(com, r); err != nil { // the value com names, or a refusal
		return rd, err
	}
	out := RandomData{Kind: r.Kind, Chain: r.Chain, Round: r.Round, Key: r.Key, Value: hex.EncodeToString(r.Value[:])}
	if r.Kind == draw.SeedDrand {
		out.Beacon = rd.Beacon
	} else {
		out.Lottery = rd.Lottery
	}
	return out, nil
}

// DecideDraw draws c: the result and whether it is the first draw. A
// campaign already drawn is drawn again (the same result, since the draw is
// deterministic) so that the further attempt is recorded; one without its
// random value cannot be drawn.
func DecideDraw(c *Campaign, com *draw.Commitment) (*draw.Result, bool, error) {
	if c.Status == Committed || c.Random == nil {
		return nil, false, trustmark.Reasonf(trustmark.EConflict, "campaign.not_seeded", "", "campaign %s has no random value yet", c.ID)
	}
	r, err := RandomOf(*c.Random)
	if err != nil {
		return nil, false, err
	}
	res, err := draw.Draw(com, r)
	if err != nil {
		return nil, false, err
	}
	if c.Status == Drawn && c.Result != nil {
		res.Recusals = c.Result.Recusals
	}
	return res, c.Status == Seeded, nil
}

// DecideRecuse records inspector's recusal from subject in c's draw and
// draws the replacement: the new result and the recusal added.
func DecideRecuse(c *Campaign, com *draw.Commitment, subject, inspector, reason string) (*draw.Result, draw.Recusal, error) {
	if c.Status != Drawn || c.Result == nil {
		return nil, draw.Recusal{}, trustmark.Reasonf(trustmark.EConflict, "campaign.not_drawn", "", "campaign %s is not drawn yet", c.ID)
	}
	if strings.TrimSpace(reason) == "" {
		return nil, draw.Recusal{}, trustmark.Errorf(trustmark.EInvalid, "reason", "a recusal needs its reason")
	}
	res, err := draw.Recuse(com, c.Result, subject, inspector, reason)
	if err != nil {
		return nil, draw.Recusal{}, err
	}
	return res, res.Recusals[len(res.Recusals)-1], nil
}
