package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"

	"trustmark"
)

// certKey is a certificate's natural key without the string Key builds.
type certKey struct {
	number string
	typ    trustmark.CertType
}

func keyOf(c *trustmark.Certificate) certKey { return certKey{c.Number, c.Type} }

// keyOrder returns the places of the records of recs (nil ones left out)
// in key order (type, then number: the order of their RecordKey, in which
// the importer sends them, so that this sort finds them sorted), records of
// one key in the order given.
func keyOrder(recs []*trustmark.Certificate) []int {
	type place struct {
		certKey
		i int
	}
	keys := make([]place, 0, len(recs))
	for i, r := range recs {
		if r != nil {
			keys = append(keys, place{keyOf(r), i})
		}
	}
	slices.SortFunc(keys, func(a, b place) int {
		return cmp.Or(strings.Compare(string(a.typ), string(b.typ)), strings.Compare(a.number, b.number), cmp.Compare(a.i, b.i))
	})
	order := make([]int, len(keys))
	for j, k := range keys {
		order[j] = k.i
	}
	return order
}

// importCertificates is the hot path of bulk loading. It loads what
// trustmark.DecideImport needs for the whole batch with a few IN (...)
// queries (the bodies, which holders are registered, the stored
// certificates of the batch's numbers), decides every record in memory and
// writes the changes with multi-row statements.
//
// The batch is decided and written in key order (type, then number), not in
// file order: the B-trees every row goes into (the primary key, the events
// by key, the body's certificates by number) then take their inserts in
// runs of ascending keys rather than all over, which at a million
// certificates saved the writer a fifth of its time before BulkLoad
// (docs/BENCHMARKS.md, "Import"). A key given twice in a batch is decided
// in file order, the second against the first; the outcomes stay in file
// order.
func (tx *Tx) importCertificates(ctx context.Context, actor trustmark.Party, items []trustmark.Record) ([]trustmark.Outcome, error) {
	recs, out := castAll[trustmark.Certificate](items)
	order := keyOrder(recs)
	in, err := tx.certImportState(ctx, recs, order)
	if err != nil {
		return nil, err
	}
	d, err := tx.decideCerts(actor, recs, order, in, out)
	if err != nil {
		return nil, err
	}
	// The events' Data is encoded on another core while the certificates
	// are written.
	encoded := tx.encodeCertEvents(d.base, d.pending)
	defer func() { <-encoded }()
	fresh := d.fresh
	if tx.db.dialect == sqlite {
		if err := tx.insertCerts(ctx, fresh); err != nil {
			return nil, err
		}
		fresh = nil
	}
	if err := tx.write(ctx, "certificates", certWriteCols, 2, rowsOf(fresh, tx.certRow), rowsOf(d.changed, tx.certRow)); err != nil {
		return nil, err
	}
	return out, tx.touchSubmission(ctx, "bodies", "approval_no", mapKeys(d.submitted))
}

// certDecisions is what deciding a batch of certificates gives, and the
// state of the key being decided.
type certDecisions struct {
	fresh, changed []*trustmark.Certificate // the rows to insert and to update
	base           int                      // tx.events[base:] are the events the batch recorded
	pending        []*trustmark.Certificate // pending[k] is the state of tx.events[base+k]
	submitted      map[string]bool          // the bodies (approval numbers) whose records were accepted

	// The records of one key are adjacent in key order: cur is the key's
	// state as the records before decided it, stored whether it was in the
	// database before the batch, and dirty whether the batch changed it.
	cur           *trustmark.Certificate
	stored, dirty bool
}

// startKey ends the key before and starts one whose stored state is cur
// (nil when it is not stored).
func (d *certDecisions) startKey(cur *trustmark.Certificate) {
	d.endKey()
	d.cur, d.dirty = cur, false
	d.stored = cur != nil
}

// endKey files the key's last state as a row to update or insert, when
// the batch changed it.
func (d *certDecisions) endKey() {
	switch {
	case !d.dirty:
	case d.stored:
		d.changed = append(d.changed, d.cur)
	default:
		d.fresh = append(d.fresh, d.cur)
	}
}

// decideCerts decides recs in key order (order), each against its key's
// state as the stored row and the records before it left it, records the
// events and puts each record's outcome in out. A record refused is an
// outcome; an error that is not a *trustmark.Error, or is internal, fails
// the batch.
func (tx *Tx) decideCerts(actor trustmark.Party, recs []*trustmark.Certificate, order []int, in *certImport, out []trustmark.Outcome) (*certDecisions, error) {
	d := &certDecisions{base: len(tx.events), submitted: map[string]bool{}}
	var run certKey
	for n, i := range order {
		r := recs[i]
		if k := keyOf(r); n == 0 || k != run {
			run = k
			d.startKey(in.existing[k])
		}
		body := in.bodies[r.BodyApprovalNo]
		next, ev, result, err := trustmark.DecideImport(d.cur, r, body, !in.unknownHolders[string(r.HolderUSCC)], tx.db.policy, tx.today, actor)
		if err != nil {
			if _, ok := err.(*trustmark.Error); !ok || trustmark.ErrorCode(err) == trustmark.EInternal {
				return nil, err
			}
			out[i] = trustmark.Outcome{Result: trustmark.Rejected, Err: err}
			continue
		}
		out[i] = trustmark.Outcome{Result: result}
		d.submitted[body.ApprovalNo] = true
		if result == trustmark.Unchanged {
			continue
		}
		tx.Record(ev)
		d.pending = append(d.pending, next)
		d.cur, d.dirty = next, true
	}
	d.endKey()
	if len(d.pending) != len(tx.events)-d.base {
		panic("sqlstore: certificate events and their states are out of step")
	}
	return d, nil
}

// encodeCertEvents sets the Data of the events from tx.events[base] on to
// the states in pending, on another goroutine; the channel it returns is
// closed when it is done.
func (tx *Tx) encodeCertEvents(base int, pending []*trustmark.Certificate) <-chan struct{} {
	encoded := make(chan struct{})
	go func() {
		defer close(encoded)
		for k, c := range pending {
			tx.events[base+k].Data = certJSON(c)
		}
	}()
	return encoded
}

// certImport is what trustmark.DecideImport needs to know of the registry
// for one batch.
type certImport struct {
	bodies         map[string]*trustmark.Body
	unknownHolders map[string]bool // holders the batch names that are not registered
	existing       map[certKey]*trustmark.Certificate
}

// certImportState reads the bodies and holders recs name and the stored
// certificates of their numbers; order lists recs in key order, so that
// the numbers are looked up in index order.
func (tx *Tx) certImportState(ctx context.Context, recs []*trustmark.Certificate, order []int) (*certImport, error) {
	in := &certImport{existing: make(map[certKey]*trustmark.Certificate, len(order)/8)}
	var err error
	in.bodies, err = tx.bodiesByKey(ctx, distinct(recs, func(c *trustmark.Certificate) string { return c.BodyApprovalNo }))
	if err != nil {
		return nil, internal("read bodies", err)
	}
	holders := distinct(recs, func(c *trustmark.Certificate) string { return string(c.HolderUSCC) })
	slices.Sort(holders)
	if in.unknownHolders, err = tx.missing(ctx, "orgs", "uscc", holders); err != nil {
		return nil, internal("read holders", err)
	}
	numbers := make([]string, 0, len(order))
	for _, i := range order {
		if n := recs[i].Number; len(numbers) == 0 || numbers[len(numbers)-1] != n {
			numbers = append(numbers, n)
		}
	}
	err = tx.forChunks(ctx, `SELECT `+certCols+` FROM certificates c WHERE c.number IN (%s)`, numbers, func(rows *sql.Rows) error {
		c, err := scanCert(rows, false)
		if err == nil {
			in.existing[keyOf(c)] = c
		}
		return err
	})
	if err != nil {
		return nil, internal("read certificates", err)
	}
	return in, nil
}

// certInsertRows is how many certificates one INSERT writes on SQLite.
const certInsertRows = 1000

// insertCerts writes new certificates on SQLite, their values straight
// into the statements' arguments. The transaction's instant, the same for
// every row, is bound once (?1).
func (tx *Tx) insertCerts(ctx context.Context, cs []*trustmark.Certificate) error {
	args := make([]any, 0, 1+min(len(cs), certInsertRows)*(len(certWriteCols)-1))
	for len(cs) > 0 {
		k := min(len(cs), certInsertRows)
		args = append(args[:0], micros(tx.now))
		for _, c := range cs[:k] {
			args = append(args, c.Number, string(c.Type), c.BodyApprovalNo, string(c.HolderUSCC), c.Scope, c.Standard, c.Product, c.CCCCategory,
				dateString(c.IssuedOn), dateString(c.ExpiresOn), string(c.Status), dateString(c.StatusSince))
		}
		st, err := tx.stmt(ctx, certsInsert(k))
		if err != nil {
			return internal("prepare certificates insert", err)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return internal("write certificates", err)
		}
		cs = cs[k:]
	}
	return nil
}

// certsInsert returns the INSERT of n certificates: certWriteCols, with
// updated_at the first parameter.
func certsInsert(n int) string {
	if n == certInsertRows {
		return fullCertsInsert()
	}
	return buildCertsInsert(n)
}

// fullCertsInsert is the statement of a full chunk, built once.
var fullCertsInsert = sync.OnceValue(func() string { return buildCertsInsert(certInsertRows) })

func buildCertsInsert(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO certificates (" + strings.Join(certWriteCols, ", ") + ") VALUES ")
	cols := len(certWriteCols) - 1 // all but updated_at, the last
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range cols {
			fmt.Fprintf(&b, "?%d, ", 2+i*cols+j)
		}
		b.WriteString("?1)")
	}
	return b.String()
}
