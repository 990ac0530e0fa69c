package stateaudit

import (
	"context"

	"trustmark"
)

// pass walks one table in one order, a chunk at a time: its records'
// events (replayed and compared with the rows they name), or its rows
// (probed for an event). after is the key of the last record or row
// checked, "" at the start.
type pass struct {
	table Table
	rows  bool
	after string
}

// passes returns the two passes of each table, in table order.
func passes(tables []Table) []*pass {
	out := make([]*pass, 0, 2*len(tables))
	for _, t := range tables {
		out = append(out, &pass{table: t}, &pass{table: t, rows: true})
	}
	return out
}

func (p *pass) name() string {
	if p.rows {
		return "rows"
	}
	return "events"
}

// result is what one step of a pass checked and found.
type result struct {
	checked int
	keys    []string // the keys of the records or rows checked
	found   []Difference
	end     bool // the pass reached the end of its table and starts again
}

// step checks the next chunk of at most n records or rows, in one snapshot.
func (p *pass) step(ctx context.Context, src trustmark.StateSource, n int) (result, error) {
	var res result
	var last string
	err := src.ReadSnapshot(ctx, func(s trustmark.StateSnapshot) error {
		var err error
		if p.table.Entity == CampaignTable.Entity {
			if !p.rows { // one pass checks both ways
				res, last, err = auditCampaigns(ctx, s, p.table, p.after)
			} else {
				res.end = true
			}
		} else if p.rows {
			res, last, err = probeRows(ctx, s, p.table, p.after, n)
		} else {
			res, last, err = replayEvents(ctx, s, p.table, p.after, n)
		}
		return err
	})
	if err != nil {
		return result{}, err
	}
	p.after = last
	if res.end {
		p.after = ""
	}
	return res, nil
}

// replayEvents replays the events of the next records of t, about n
// events' worth, and compares the state they imply with the stored rows. It
// returns the last event key read.
func replayEvents(ctx context.Context, s trustmark.StateSnapshot, t Table, after string, n int) (result, string, error) {
	evs, more, err := s.RecordEvents(ctx, t.Entity, after, n)
	if err != nil {
		return result{}, "", err
	}
	res := result{end: !more}
	implied := make([]trustmark.Change, 0, n)
	for len(evs) > 0 {
		k := 1
		for k < len(evs) && evs[k].Key == evs[0].Key {
			k++
		}
		changes := make([]trustmark.Change, k)
		for i, e := range evs[:k] {
			changes[i] = trustmark.NewChange(e)
		}
		after, evs = evs[0].Key, evs[k:]
		res.checked++
		st, err := trustmark.Replay(changes)
		if err != nil {
			res.keys = append(res.keys, after)
			res.found = append(res.found, Difference{Table: t.Name, Key: after, Kind: Unreadable, Seq: changes[k-1].Seq, Detail: err.Error()})
			continue
		}
		implied = append(implied, st)
		res.keys = append(res.keys, st.State().RecordKey())
	}
	if len(implied) == 0 {
		return res, after, nil
	}
	recs, err := s.Records(ctx, t.Entity, res.keys)
	if err != nil {
		return result{}, "", err
	}
	stored := make(map[string]trustmark.Record, len(recs))
	for _, r := range recs {
		stored[r.RecordKey()] = r
	}
	for _, st := range implied {
		rec := st.State()
		key := rec.RecordKey()
		row := stored[key]
		if row == nil {
			res.found = append(res.found, Difference{Table: t.Name, Key: key, Kind: Missing, Seq: st.Seq})
			continue
		}
		diffs, err := trustmark.CompareState(t.Entity, row, rec)
		if err != nil {
			return result{}, "", err
		}
		for _, d := range diffs {
			res.found = append(res.found, Difference{Table: t.Name, Key: key, Kind: Changed, Field: d.Field,
				Stored: d.Stored, Implied: d.Implied, Personal: d.Personal, Seq: st.Seq})
		}
	}
	return res, after, nil
}

// probeRows checks that an event names each of the next n rows of t. It
// returns the key of the last row read.
func probeRows(ctx context.Context, s trustmark.StateSnapshot, t Table, after string, n int) (result, string, error) {
	rows, err := s.Rows(ctx, t.Entity, after, n)
	if err != nil {
		return result{}, "", err
	}
	res := result{checked: len(rows), end: len(rows) < n}
	for _, r := range rows {
		res.keys = append(res.keys, r.Key)
		if !r.HasEvents {
			res.found = append(res.found, Difference{Table: t.Name, Key: r.Key, Kind: Unexplained, Seq: -1})
		}
		after = r.Key
	}
	return res, after, nil
}
