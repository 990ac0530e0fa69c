package stateaudit

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"trustmark"
)

// CheckerConfig configures a Checker.
type CheckerConfig struct {
	// Rate is how many records and rows a second the checker reads, on
	// average: the bound on its cost. It must be more than 0.
	Rate   float64
	Chunk  int     // events or rows a step reads, about; default DefaultCheckerChunk
	Tables []Table // default Tables()
	Logger *slog.Logger
}

// DefaultCheckerChunk is a background step's chunk: small, so that a
// step's snapshot is short.
const DefaultCheckerChunk = 500

// DefaultRate is the background checker's default rate, in records and
// rows a second: about 4% of one core (docs/BENCHMARKS.md, "State audit").
const DefaultRate = 2000

// Checker runs the state audit in the background of a server, at a bounded
// cost and for ever: each step checks one chunk of one pass of one table,
// the passes taken in turn (round robin), with a pause after each step that
// keeps the average at Rate. A difference found is logged once and kept
// until a later look at the same record finds it gone (or a whole cycle of
// its pass does not find it again); while any is kept, Health reports the
// server degraded. It is safe for concurrent use.
type Checker struct {
	src trustmark.StateSource
	cfg CheckerConfig

	stepMu sync.Mutex // one step at a time
	passes []*pass
	next   int

	mu sync.Mutex // guards known and current
	// Per pass: the differences of its last complete cycle that have not
	// been looked at again since (known), and those of its current cycle
	// (current).
	known, current []map[string]Difference

	checked atomic.Int64
}

// NewChecker returns a checker of the registry read through src.
func NewChecker(src trustmark.StateSource, cfg CheckerConfig) *Checker {
	if cfg.Chunk <= 0 {
		cfg.Chunk = DefaultCheckerChunk
	}
	if cfg.Tables == nil {
		cfg.Tables = Tables()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	c := &Checker{src: src, cfg: cfg, passes: passes(cfg.Tables)}
	for range c.passes {
		c.known = append(c.known, map[string]Difference{})
		c.current = append(c.current, map[string]Difference{})
	}
	return c
}

// id names a difference so that finding it again is recognised.
func (d Difference) id() string { return d.Table + "\x00" + d.Key + "\x00" + d.Kind + "\x00" + d.Field }

// Step checks the next chunk of the next pass and returns how many
// records or rows it read.
func (c *Checker) Step(ctx context.Context) (int, error) {
	c.stepMu.Lock()
	defer c.stepMu.Unlock()
	i := c.next
	c.next = (c.next + 1) % len(c.passes)
	res, err := c.passes[i].step(ctx, c.src, c.cfg.Chunk)
	if err != nil {
		return 0, err
	}
	c.checked.Add(int64(res.checked))
	c.mu.Lock()
	defer c.mu.Unlock()
	before := c.count()
	known, current := c.known[i], c.current[i]
	for _, d := range res.found {
		id := d.id()
		_, wasKnown := known[id]
		_, wasCurrent := current[id]
		if !wasKnown && !wasCurrent && len(current) < MaxDifferences {
			c.cfg.Logger.Error("state check: the registry's stored state differs from its events; run trustmark audit", d.Attrs()...)
		}
	}
	// A record looked at again is as this look found it.
	looked := make(map[string]bool, len(res.keys))
	for _, k := range res.keys {
		looked[k] = true
	}
	maps.DeleteFunc(known, func(_ string, d Difference) bool { return looked[d.Key] })
	for _, d := range res.found {
		if len(current) < MaxDifferences { // a bound on memory, whatever was done to the tables
			current[d.id()] = d
		}
	}
	if res.end {
		c.known[i], c.current[i] = current, map[string]Difference{}
	}
	if before > 0 && c.count() == 0 {
		c.cfg.Logger.Info("state check: the registry's stored state agrees with its events again")
	}
	return res.checked, nil
}

// count returns how many differences are kept; c.mu is held.
func (c *Checker) count() int {
	n := 0
	for i := range c.passes {
		n += len(c.known[i]) + len(c.current[i])
	}
	return n
}

// Differences returns the differences found and not since found gone, by
// table (in the order of Tables), key, field: at most MaxDifferences of each
// pass.
func (c *Checker) Differences() []Difference {
	c.mu.Lock()
	seen := map[string]Difference{}
	for i := range c.passes {
		maps.Copy(seen, c.known[i])
		maps.Copy(seen, c.current[i])
	}
	c.mu.Unlock()
	out := slices.Collect(maps.Values(seen))
	sortDifferences(out, c.cfg.Tables)
	return out
}

// Checked returns how many records and rows the checker has read.
func (c *Checker) Checked() int64 { return c.checked.Load() }

// Health returns nil while the checker knows of no difference, and
// otherwise an EUnavailable error that says the server is degraded and
// names the first difference.
func (c *Checker) Health() error {
	ds := c.Differences()
	if len(ds) == 0 {
		return nil
	}
	return trustmark.Errorf(trustmark.EUnavailable, "", "degraded: the registry's stored state differs from its events in %d places (first: %s); run trustmark audit",
		len(ds), ds[0])
}

// Run steps until ctx is done, each step followed by a pause so that it
// and the pause together last as long as the records and rows it read take
// at Rate (at least a quarter of a chunk's worth, so that an empty registry
// is not read in a tight loop). A failed step is logged and tried again a
// minute later.
func (c *Checker) Run(ctx context.Context) {
	for {
		start := time.Now()
		n, err := c.Step(ctx)
		if ctx.Err() != nil {
			return
		}
		budget := time.Duration(float64(max(n, c.cfg.Chunk/4, 1)) / c.cfg.Rate * float64(time.Second))
		if err != nil {
			c.cfg.Logger.Error("state check: a step failed; trying again later", "err", err)
			budget = max(budget, time.Minute)
		}
		t := time.NewTimer(max(budget-time.Since(start), time.Millisecond))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
