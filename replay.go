package trustmark

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The registry's state is a function of its events: the public state of a
// record is what its events, folded in Seq order, say it is. Replay is that
// fold and CompareState names the fields in which a stored record differs
// from it. The state audit (package stateaudit, run by `trustmark audit`
// and in the background by `serve`) applies both to every table the public
// sees, reading the events and the rows through a StateSource.

// Replay returns the state of one record after all its changes, given in
// Seq order: the last change, with the record as the events imply it.
//
// A change that carries the record's state (Event.Data, decoded by
// NewChange: every creation, update, issue, status change and expiry the
// store writes) gives the state outright. A status change or expiry
// without it applies its To and EffectiveOn to the state before. A change
// whose Data does not hold the record, a status change that contradicts its
// own Data, or a first change that gives no state is refused: the events
// then do not say what the record is.
//
// Report numbers are compared in their canonical form (ParseReportNumber):
// events written before numbers were made canonical carry them as they were
// imported, and the store brought the rows to the canonical form without an
// event.
func Replay(changes []Change) (Change, error) {
	if len(changes) == 0 {
		return Change{}, fmt.Errorf("no events to replay")
	}
	var state Change
	for i, c := range changes {
		if i > 0 {
			if c.Entity != state.Entity || c.Key != state.Key {
				return Change{}, fmt.Errorf("event %d is about %s %s, not %s %s", c.Seq, c.Entity, c.Key, state.Entity, state.Key)
			}
			if c.Seq <= state.Seq {
				return Change{}, fmt.Errorf("event %d follows event %d: events must be in Seq order", c.Seq, state.Seq)
			}
		}
		next, err := fold(state, c, i == 0)
		if err != nil {
			return Change{}, err
		}
		state = next
	}
	if r := state.Report; r != nil && r.Number != strings.ToUpper(r.Number) {
		canon := *r
		canon.Number = strings.ToUpper(r.Number)
		state.Report = &canon
	}
	return state, nil
}

// fold applies change c to the state before it, prev (nothing when first).
func fold(prev, c Change, first bool) (Change, error) {
	statusEvent := c.Action == ActionStatusChanged || c.Action == ActionExpired
	if rec := c.State(); rec != nil {
		if st, ok := statusOf(rec); statusEvent && c.To != "" && ok && st != c.To {
			return Change{}, fmt.Errorf("event %d says %s %s became %s, but its data says %s", c.Seq, c.Entity, c.Key, c.To, st)
		}
		return c, nil
	}
	switch {
	case len(c.Data) > 0:
		return Change{}, fmt.Errorf("the data of event %d (%s) does not hold %s %s", c.Seq, c.Action, c.Entity, c.Key)
	case first || !statusEvent || c.To == "":
		return Change{}, fmt.Errorf("event %d (%s of %s %s) gives no state and follows none", c.Seq, c.Action, c.Entity, c.Key)
	}
	next := prev
	next.Event = c.Event
	switch {
	case prev.Certificate != nil:
		cp := *prev.Certificate
		cp.Status, cp.StatusSince = CertStatus(c.To), c.EffectiveOn
		next.Certificate = &cp
	case prev.Body != nil:
		cp := *prev.Body
		cp.Status, cp.StatusSince = PartyStatus(c.To), c.EffectiveOn
		next.Body = &cp
	case prev.Lab != nil:
		cp := *prev.Lab
		cp.Status, cp.StatusSince = PartyStatus(c.To), c.EffectiveOn
		next.Lab = &cp
	case prev.Person != nil:
		cp := *prev.Person
		cp.Status, cp.StatusSince = PartyStatus(c.To), c.EffectiveOn
		next.Person = &cp
	default:
		return Change{}, fmt.Errorf("event %d changes the status of %s %s, which has none", c.Seq, c.Entity, c.Key)
	}
	return next, nil
}

// statusOf returns the status of a record that has one.
func statusOf(r Record) (string, bool) {
	switch r := r.(type) {
	case *Certificate:
		return string(r.Status), true
	case *Body:
		return string(r.Status), true
	case *Lab:
		return string(r.Status), true
	case *Person:
		return string(r.Status), true
	}
	return "", false
}

// State returns the record c holds (one of Org, Body, Lab, Person,
// Certificate, Report), or nil when it holds none.
func (c Change) State() Record {
	switch {
	case c.Org != nil:
		return c.Org
	case c.Body != nil:
		return c.Body
	case c.Lab != nil:
		return c.Lab
	case c.Person != nil:
		return c.Person
	case c.Certificate != nil:
		return c.Certificate
	case c.Report != nil:
		return c.Report
	}
	return nil
}

// FieldDiff is a field of a record whose stored value is not the value its
// events imply. Values are shown as the record's public JSON has them
// (strings without their quotes; "" for a field the record leaves empty).
type FieldDiff struct {
	Field   string
	Stored  string
	Implied string
	// Personal marks personal data (PersonalFields): its values are left
	// out, so that a report or a log line does not spread them.
	Personal bool
}

// CompareState returns the public fields in which stored, a record of
// entity as its table holds it, differs from implied, the same record as
// its events imply it (Replay), in the order of the field names. The
// public fields are those of the record's JSON (the state events carry);
// fields filled only on reads (names of related parties, updated_at, last
// submission) are not part of it. An empty value, an empty list and an
// absent field are the same.
func CompareState(entity string, stored, implied Record) ([]FieldDiff, error) {
	a, err := json.Marshal(stored)
	if err != nil {
		return nil, fmt.Errorf("encode the stored %s: %w", entity, err)
	}
	b, err := json.Marshal(implied)
	if err != nil {
		return nil, fmt.Errorf("encode the replayed %s: %w", entity, err)
	}
	if bytes.Equal(a, b) {
		return nil, nil // the common case, at the cost of two encodings
	}
	var sf, imf map[string]json.RawMessage
	if err := json.Unmarshal(a, &sf); err != nil {
		return nil, fmt.Errorf("decode the stored %s: %w", entity, err)
	}
	if err := json.Unmarshal(b, &imf); err != nil {
		return nil, fmt.Errorf("decode the replayed %s: %w", entity, err)
	}
	names := make([]string, 0, len(sf)+len(imf))
	for k := range sf {
		names = append(names, k)
	}
	for k := range imf {
		if _, ok := sf[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	var out []FieldDiff
	for _, name := range names {
		s, im := jsonValue(sf[name]), jsonValue(imf[name])
		if s == im {
			continue
		}
		d := FieldDiff{Field: name, Stored: s, Implied: im}
		if slices.Contains(PersonalFields[entity], name) {
			d.Stored, d.Implied, d.Personal = "", "", true
		}
		out = append(out, d)
	}
	return out, nil
}

// jsonValue shows a JSON value: a string's text, "" for every kind of
// empty (null, "", [], {}, 0, false, absent), the JSON text otherwise.
func jsonValue(v json.RawMessage) string {
	switch string(v) {
	case "", "null", `""`, "[]", "{}", "0", "false":
		return ""
	}
	if v[0] == '"' {
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s
		}
	}
	return string(v)
}

// StateSource is the storage side of the state audit: each record's events
// and the rows of the tables the public sees, read a chunk at a time from
// consistent snapshots, so that an audit's memory does not grow with the
// registry. sqlstore.DB implements it; storetest.RunState is its
// conformance suite. It must be safe for concurrent use.
type StateSource interface {
	// ReadSnapshot runs fn on one consistent snapshot of the registry:
	// everything fn reads was committed together, so that events and rows
	// agree unless a row was written behind the application's back. fn
	// should read little (a chunk), as a snapshot held open keeps old row
	// versions alive for the writers' sake.
	ReadSnapshot(ctx context.Context, fn func(StateSnapshot) error) error
}

// StateSnapshot reads one snapshot of the registry. Entities are the
// events' (EntityCertificate, ...); keys are the events' keys (a
// certificate's "TYPE/NUMBER", a report's "CMA_NO/NUMBER", a USCC, ...). An
// entity the store keeps no table for is refused with EInvalid.
type StateSnapshot interface {
	// RecordEvents returns the events of the next records of entity, those
	// whose event keys come after after in the store's order of event keys
	// ("" for the first), ordered by key, then Seq: every event of each
	// record it returns (a record's events are never split between two
	// calls), at most max events unless the first record alone has more,
	// and at least one record while any remains. more reports whether
	// records remain after the last one returned.
	RecordEvents(ctx context.Context, entity, after string, max int) (evs []Event, more bool, err error)
	// Records returns the stored records of entity whose keys are among
	// keys, as the public reads them, in any order; a key with no row is
	// left out.
	Records(ctx context.Context, entity string, keys []string) ([]Record, error)
	// Rows returns up to max rows of entity's table that follow the row of
	// key after ("" for the first) in the table's own order, each with
	// whether an event names it.
	Rows(ctx context.Context, entity, after string, max int) ([]StoredRow, error)
}

// StoredRow is a stored row as StateSnapshot.Rows lists it: its key as
// events name it, and whether any event does.
type StoredRow struct {
	Key       string
	HasEvents bool
}
