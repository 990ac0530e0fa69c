// Package stateaudit checks that the registry's stored state is the state
// its events imply. Every change of state is an event, written in the same
// transaction as the state, so each table the public sees (certificates,
// bodies, laboratories, persons, organisations, reports) must hold exactly
// what the events of its records, replayed (trustmark.Replay), say: a row
// that differs, is missing or that no event explains was written behind
// the application's back, and the answers drawn from it (a certificate
// page, the API, bulk verification) no longer agree with the certificate's
// history and the public log.
//
// The audit reads each table twice, a chunk at a time, each chunk from one
// snapshot of the database (trustmark.StateSource): the events in order of
// record key, replayed and compared with the rows they name (a changed
// field, a missing row), and the rows in order of their primary key, each
// probed for an event (a row no event explains). Memory is bounded by the
// chunk at any scale; `trustmark audit` runs it through (Audit) and `serve`
// runs it slowly and for ever in the background (Checker).
//
// It is its own package, not a part of translog: the log's audit checks the
// events against the signed log, this one the tables against the events,
// and neither needs the other's code. (It is not called audit either: that
// name belongs to the certification audits of the supervision side.)
package stateaudit

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"trustmark"
)

// Table is a table the public sees: its name, and the entity its records'
// events carry.
type Table struct {
	Name   string
	Entity string
}

// Tables returns the tables the audit compares, in the order it does. The
// supervision side's tables (audits, check-ins, matters, credit listings,
// campaigns) are added here as they arrive: each needs its entity's state
// decoded by trustmark.NewChange (and folded by trustmark.Replay) and its
// rows read by the store's trustmark.StateSnapshot.
func Tables() []Table {
	return []Table{
		{"bodies", trustmark.EntityBody},
		{"laboratories", trustmark.EntityLab},
		{"persons", trustmark.EntityPerson},
		{"organisations", trustmark.EntityOrg},
		{"certificates", trustmark.EntityCertificate},
		{"reports", trustmark.EntityReport},
		CampaignTable,
	}
}

// Kinds of difference.
const (
	// Changed: a field of a row is not what the record's events imply.
	Changed = "changed"
	// Missing: the events imply a record that has no row.
	Missing = "missing"
	// Unexplained: a row that no event names (inserted behind the
	// application's back).
	Unexplained = "unexplained"
	// Unreadable: the record's events do not give a state (Replay refused
	// them); the log's audit says whether the events themselves were
	// changed.
	Unreadable = "unreadable"
)

// Difference is one way in which the stored state is not what the events
// imply.
type Difference struct {
	Table string
	Key   string // the record's key, as its events name it
	Kind  string // Changed, Missing, Unexplained or Unreadable
	// Field, Stored and Implied name a changed field, with its stored value
	// and the value the events imply; Personal hides both values.
	Field    string
	Stored   string
	Implied  string
	Personal bool
	Seq      int64  // the record's last event, or -1 when it has none
	Detail   string // why the events are unreadable
}

// String describes d on one line, for people.
func (d Difference) String() string {
	at := ""
	if d.Seq >= 0 {
		at = fmt.Sprintf(" (last event %d)", d.Seq)
	}
	switch d.Kind {
	case Changed:
		if d.Personal {
			return fmt.Sprintf("%s %s: %s is not what the events imply (personal data: values not shown)%s", d.Table, d.Key, d.Field, at)
		}
		return fmt.Sprintf("%s %s: %s is %q, the events imply %q%s", d.Table, d.Key, d.Field, d.Stored, d.Implied, at)
	case Missing:
		return fmt.Sprintf("%s %s: no row, but the events imply one%s", d.Table, d.Key, at)
	case Unexplained:
		return fmt.Sprintf("%s %s: a row no event explains", d.Table, d.Key)
	}
	return fmt.Sprintf("%s %s: the events give no state: %s", d.Table, d.Key, d.Detail)
}

// Attrs returns d as log attributes.
func (d Difference) Attrs() []any {
	attrs := []any{"table", d.Table, "key", d.Key, "kind", d.Kind}
	if d.Field != "" {
		attrs = append(attrs, "field", d.Field)
		if !d.Personal {
			attrs = append(attrs, "stored", d.Stored, "implied", d.Implied)
		}
	}
	if d.Seq >= 0 {
		attrs = append(attrs, "last_event", d.Seq)
	}
	if d.Detail != "" {
		attrs = append(attrs, "detail", d.Detail)
	}
	return attrs
}

// DefaultChunk is about how many events (when replaying) or rows (when
// probing) one snapshot reads.
const DefaultChunk = 1000

// MaxDifferences bounds the differences a Report lists.
const MaxDifferences = 1000

// Options are the optional inputs of Audit.
type Options struct {
	Tables []Table // default Tables()
	Chunk  int     // default DefaultChunk
	// Workers is how many passes run at once, each on its own snapshots;
	// default GOMAXPROCS.
	Workers int
	// Progress, when set, is called after each chunk, from one goroutine
	// at a time.
	Progress func(Progress)
}

// Progress is how far an audit is.
type Progress struct {
	Table   string // the table of the chunk just checked
	Pass    string // "events" (replaying the events) or "rows" (probing the rows)
	Checked int64  // records and rows checked so far, in all tables
	Elapsed time.Duration
}

// Report is the outcome of Audit.
type Report struct {
	Records     int64 // records whose events were replayed and compared
	Rows        int64 // rows probed for an event
	Differences []Difference
	Truncated   int // differences beyond MaxDifferences, not listed
	Elapsed     time.Duration
}

// OK reports whether the audit found no difference.
func (r *Report) OK() bool { return len(r.Differences) == 0 }

// Audit replays the events of every record of every table and compares
// them with the stored rows, and probes every row for an event; it returns
// every difference, by table (in the order of opts.Tables), key, field.
// Each table's two passes run as separate jobs, Workers at a time.
func Audit(ctx context.Context, src trustmark.StateSource, opts Options) (*Report, error) {
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a := &auditRun{opts: opts, cancel: cancel, start: time.Now(), r: &Report{}}
	var wg sync.WaitGroup
	jobs := make(chan *pass)
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.work(ctx, src, jobs)
		}()
	}
	for _, p := range passes(opts.Tables) {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	if a.firstErr != nil {
		return nil, a.firstErr
	}
	sortDifferences(a.r.Differences, opts.Tables)
	a.r.Elapsed = time.Since(a.start)
	return a.r, nil
}

// withDefaults returns opts with its unset fields set to their defaults.
func (opts Options) withDefaults() Options {
	if opts.Tables == nil {
		opts.Tables = Tables()
	}
	if opts.Chunk <= 0 {
		opts.Chunk = DefaultChunk
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	return opts
}

// auditRun is what the workers of one Audit share: the report they add
// to, and the first error, which cancels the audit's context and stops
// them all.
type auditRun struct {
	opts   Options
	cancel context.CancelFunc
	start  time.Time

	mu       sync.Mutex // guards r and firstErr while workers run
	r        *Report
	firstErr error
}

// work runs the passes it is given, a chunk at a time, until jobs is
// closed or the audit stops.
func (a *auditRun) work(ctx context.Context, src trustmark.StateSource, jobs <-chan *pass) {
	for p := range jobs {
		for {
			res, err := p.step(ctx, src, a.opts.Chunk)
			if !a.done(p, res, err) || res.end {
				break
			}
		}
	}
}

// done records a chunk's outcome; it returns false when the audit stops.
// Differences beyond MaxDifferences are counted, not kept, and Progress is
// called under the lock, so from one goroutine at a time.
func (a *auditRun) done(p *pass, res result, err error) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err != nil {
		if a.firstErr == nil {
			a.firstErr = fmt.Errorf("%s (%s): %w", p.table.Name, p.name(), err)
			a.cancel()
		}
		return false
	}
	r := a.r
	if p.rows {
		r.Rows += int64(res.checked)
	} else {
		r.Records += int64(res.checked)
	}
	for _, d := range res.found {
		if len(r.Differences) >= MaxDifferences {
			r.Truncated++
			continue
		}
		r.Differences = append(r.Differences, d)
	}
	if a.opts.Progress != nil {
		a.opts.Progress(Progress{Table: p.table.Name, Pass: p.name(), Checked: r.Records + r.Rows, Elapsed: time.Since(a.start)})
	}
	return a.firstErr == nil
}

// sortDifferences sorts ds by table (in the order of tables), key, field
// and kind.
func sortDifferences(ds []Difference, tables []Table) {
	order := map[string]int{}
	for i, t := range tables {
		order[t.Name] = i
	}
	slices.SortFunc(ds, func(a, b Difference) int {
		return cmp.Or(cmp.Compare(order[a.Table], order[b.Table]), cmp.Compare(a.Key, b.Key), cmp.Compare(a.Field, b.Field), cmp.Compare(a.Kind, b.Kind))
	})
}
