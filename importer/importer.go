// Package importer loads registry records into a trustmark.Store from the
// files certification bodies and laboratories produce: CSV (UTF-8 with or
// without BOM, GBK/GB18030 as Excel in China saves it, UTF-16 "Unicode
// text"), JSON Lines and XLSX.
//
// Rows are read and validated by the domain (trustmark.ParseRecord) in one
// goroutine while the previous batch is written in another; each batch is
// one Store.Import call and so one transaction, so an import that is killed
// leaves the store as it was after some whole batch. A rejected row never
// blocks the others: each is reported with its row number, field and reason.
package importer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"trustmark"
)

// firstBatchSize is the size of an import's first batch; each next one is
// twice the last, up to the batch size.
const firstBatchSize = 10000

// DefaultBatchSize is the number of valid records written per transaction.
// Each transaction writes again the index pages its rows touch, which with
// keys in random order are most of them: larger batches write them less
// often, at the price of memory (about 900 MB at most for a file of a
// million certificates; docs/BENCHMARKS.md, "Import").
const DefaultBatchSize = 100000

// Importer loads files of one kind into a store.
type Importer struct {
	Store     trustmark.Store
	Kind      trustmark.Kind
	Policy    *trustmark.Policy // nil is trustmark.DefaultPolicy()
	BatchSize int               // valid records per transaction, at most; 0 is DefaultBatchSize
	Format    Format            // "" detects each file's format
	Sheet     string            // XLSX sheet to read; "" is the first
	Limits    Limits            // bounds on what a file may cost; zero fields are DefaultLimits'
	Log       *slog.Logger      // nil is slog.Default()

	// Reject is called for each rejected row, in row order, from the
	// goroutine that called ImportFile.
	Reject func(Rejection)
	// Progress is called now and then from the reading goroutine with how far
	// the file has been read (bytes, or rows for XLSX; total -1 if unknown)
	// and how many rows have been read.
	Progress func(p Progress)
}

// Progress is how far the import of one file has got.
type Progress struct {
	File        string
	Done, Total int64 // in Unit; Total is -1 when unknown
	Unit        string
	Rows        int // data rows read so far
}

// Rejection is a row that was not imported, and why.
type Rejection struct {
	File    string
	Row     int    // data row, from 1 (JSON Lines: line)
	Field   string // the column at fault, or "row" for the row as a whole
	Message string
}

// String formats r as the line reported for it: FILE:ROW: FIELD: message.
func (r Rejection) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", r.File, r.Row, r.Field, r.Message)
}

// Counts are what an import did.
type Counts struct {
	Created, Updated, Unchanged, Rejected int
}

// Imported is the number of records created or changed.
func (c Counts) Imported() int { return c.Created + c.Updated }

// Add returns the sum of c and d.
func (c Counts) Add(d Counts) Counts {
	return Counts{c.Created + d.Created, c.Updated + d.Updated, c.Unchanged + d.Unchanged, c.Rejected + d.Rejected}
}

// String formats c as the summary line of the import command.
func (c Counts) String() string {
	return fmt.Sprintf("imported %d, unchanged %d, rejected %d", c.Imported(), c.Unchanged, c.Rejected)
}

// FileError is an error that stopped the import of a file: the file could
// not be opened or read, its header does not fit the kind, or the store
// failed. Rows of earlier batches stay committed.
type FileError struct {
	File string
	Err  error
}

// Error returns "FILE: reason".
func (e *FileError) Error() string { return e.File + ": " + e.Err.Error() }

// Unwrap returns the reason.
func (e *FileError) Unwrap() error { return e.Err }

// ImportFile imports the file at path. The party recorded on the events is
// the import with the file's base name.
func (im *Importer) ImportFile(ctx context.Context, path string) (Counts, error) {
	f, err := os.Open(path)
	if err != nil {
		return Counts{}, &FileError{path, err}
	}
	defer f.Close()
	return im.Import(ctx, path, f)
}

// Import imports one file read from r; name is used in messages and to
// detect the format.
func (im *Importer) Import(ctx context.Context, name string, r io.ReadSeeker) (Counts, error) {
	log := im.Log
	if log == nil {
		log = slog.Default()
	}
	src, err := Open(name, r, im.Kind, OpenOptions{Format: im.Format, Sheet: im.Sheet, Log: log, Limits: im.Limits})
	if err != nil {
		return Counts{}, &FileError{name, err}
	}
	defer src.Close()
	bl, ok := im.Store.(trustmark.BulkLoader)
	if !ok {
		return im.load(ctx, name, src)
	}
	var c Counts
	err = bl.BulkLoad(ctx, im.Kind, estimateRows(src), func(ctx context.Context) error {
		c, err = im.load(ctx, name, src)
		return err
	})
	var fe *FileError
	if err != nil && !errors.As(err, &fe) {
		err = &FileError{name, err}
	}
	return c, err
}

// bytesPerRow is about what a row of an import file takes: the estimate
// of a file's rows that tells the store how large a load is coming.
const bytesPerRow = 150

// estimateRows guesses how many rows src holds from its size.
func estimateRows(src Source) int {
	_, total := src.Progress()
	if total <= 0 {
		return 0
	}
	if src.Format() == FormatXLSX {
		return int(total) // counted in rows
	}
	return int(total / bytesPerRow)
}

// load reads src in one goroutine and imports its batches in this one.
func (im *Importer) load(ctx context.Context, name string, src Source) (Counts, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *batch, 1) // one read ahead: enough to keep the writer busy
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- im.read(ctx, name, src, batches)
	}()

	actor := trustmark.Party{Kind: trustmark.PartyImport, ID: filepath.Base(name)}
	var c Counts
	for b := range batches {
		outcomes, err := im.write(ctx, actor, b)
		if err != nil {
			cancel()
			for range batches {
			}
			<-readErr
			return c, &FileError{name, fmt.Errorf("rows %d to %d: %w", b.first, b.last, err)}
		}
		im.report(&c, name, b, outcomes)
	}
	if err := <-readErr; err != nil {
		return c, &FileError{name, err}
	}
	return c, ctx.Err()
}

// write imports the records of b in one transaction and returns the
// store's outcome for each, in their order.
func (im *Importer) write(ctx context.Context, actor trustmark.Party, b *batch) ([]trustmark.Outcome, error) {
	if len(b.records) == 0 {
		return nil, nil
	}
	outcomes, err := im.Store.Import(ctx, actor, im.Kind, b.records)
	if err == nil && len(outcomes) != len(b.records) {
		err = fmt.Errorf("store answered %d outcomes for %d records", len(outcomes), len(b.records))
	}
	return outcomes, err
}

// report adds the outcomes of b's records to c and passes b's rejections,
// the reader's and the store's together, to Reject in row order.
func (im *Importer) report(c *Counts, name string, b *batch, outcomes []trustmark.Outcome) {
	for i, o := range outcomes {
		switch o.Result {
		case trustmark.Created:
			c.Created++
		case trustmark.Updated:
			c.Updated++
		case trustmark.Unchanged:
			c.Unchanged++
		case trustmark.Rejected:
			b.rejected = append(b.rejected, rejection(name, b.rows[i], o.Err))
		}
	}
	slices.SortStableFunc(b.rejected, func(x, y Rejection) int { return cmp.Compare(x.Row, y.Row) })
	c.Rejected += len(b.rejected)
	if im.Reject != nil {
		for _, r := range b.rejected {
			im.Reject(r)
		}
	}
}

// batch is a run of consecutive rows: the valid records to write and the
// rows already rejected.
type batch struct {
	first, last int
	records     []trustmark.Record
	rows        []int    // row of each record
	keys        []string // natural key of each record, until sortByKey
	rejected    []Rejection
}

// read reads and validates src, sending batches of at most BatchSize
// records. A record whose key an earlier row of the file already gave is
// rejected: a file says one thing about each record.
func (im *Importer) read(ctx context.Context, name string, src Source, out chan<- *batch) error {
	limit := im.BatchSize
	if limit <= 0 {
		limit = DefaultBatchSize
	}
	// The first batch is small and each next one twice the last, up to the
	// limit: the store starts writing while the rest is read, and a large
	// file still goes in large transactions.
	size := min(limit, firstBatchSize)
	r := im.newFileReader(ctx, name, src, out)
	for {
		it, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			// Rows read so far are still imported; the error stops the rest.
			if err := r.flush(); err != nil {
				return err
			}
			return fmt.Errorf("after row %d: %w", r.rows, err)
		}
		r.add(it)
		// A batch is full with size records, or size rejections, so that a
		// file of bad rows is reported as it is read.
		if len(r.b.records) >= size || len(r.b.rejected) >= size {
			if err := r.send(); err != nil {
				return err
			}
			size = min(limit, 2*size)
		}
	}
	if err := r.flush(); err != nil {
		return err
	}
	r.progress()
	return nil
}

// fileReader is what read keeps while it reads a file: the batch being
// filled, the keys seen so far and how many rows have been read.
type fileReader struct {
	im     *Importer
	ctx    context.Context
	name   string
	src    Source
	out    chan<- *batch
	policy *trustmark.Policy
	seed   maphash.Seed
	seen   map[uint64]int32 // the row that gave each key, by the key's hash
	unit   string           // of Progress: "bytes", or "rows" for XLSX
	rows   int              // data rows read
	b      *batch
}

// newFileReader starts reading src with an empty batch and no keys seen.
func (im *Importer) newFileReader(ctx context.Context, name string, src Source, out chan<- *batch) *fileReader {
	policy := im.Policy
	if policy == nil {
		policy = trustmark.DefaultPolicy()
	}
	unit := "bytes"
	if src.Format() == FormatXLSX {
		unit = "rows"
	}
	return &fileReader{
		im: im, ctx: ctx, name: name, src: src, out: out,
		policy: policy, seed: maphash.MakeSeed(), seen: map[uint64]int32{},
		unit: unit, b: &batch{},
	}
}

// add takes one item into the batch: its record, or its rejection.
func (r *fileReader) add(it Item) {
	r.rows++
	b := r.b
	if b.first == 0 {
		b.first = it.Row
	}
	b.last = it.Row
	if err := r.im.take(b, r.name, it, r.policy, r.seen, r.seed); err != nil {
		b.rejected = append(b.rejected, rejection(r.name, it.Row, err))
	}
}

// send passes the batch to the writer, unless the import was stopped, and
// starts the next one.
func (r *fileReader) send() error {
	r.b.sortByKey()
	select {
	case r.out <- r.b:
	case <-r.ctx.Done():
		return r.ctx.Err()
	}
	r.progress()
	r.b = &batch{}
	return nil
}

// flush sends the batch unless it has no rows.
func (r *fileReader) flush() error {
	if len(r.b.records)+len(r.b.rejected) > 0 {
		return r.send()
	}
	return nil
}

// progress tells Progress how far the file has been read.
func (r *fileReader) progress() {
	if r.im.Progress != nil {
		done, total := r.src.Progress()
		r.im.Progress(Progress{File: r.name, Done: done, Total: total, Unit: r.unit, Rows: r.rows})
	}
}

// take validates one item and adds its record to b, or returns why it is
// rejected.
func (im *Importer) take(b *batch, name string, it Item, policy *trustmark.Policy, seen map[uint64]int32, seed maphash.Seed) error {
	if it.Err != nil {
		return it.Err
	}
	rec, err := trustmark.ParseRecord(im.Kind, it.Cells, policy)
	if err != nil {
		return err
	}
	key := rec.RecordKey()
	h := maphash.String(seed, key)
	if first, dup := seen[h]; dup {
		return trustmark.Errorf(trustmark.EInvalid, KeyColumn(im.Kind), "row %d has the same %s; a file may give each record once", first, describeKey(im.Kind, rec))
	}
	seen[h] = int32(it.Row)
	b.records = append(b.records, rec)
	b.rows = append(b.rows, it.Row)
	b.keys = append(b.keys, key)
	return nil
}

// sortByKey puts b's records in the order of their natural keys, the order
// of the stores' primary keys: a store then writes its B-trees in order,
// and the sort is done here, beside the writes, not in the store's
// transaction.
func (b *batch) sortByKey() {
	type keyed struct {
		key string
		rec trustmark.Record
		row int
	}
	all := make([]keyed, len(b.records))
	for i := range all {
		all[i] = keyed{b.keys[i], b.records[i], b.rows[i]}
	}
	slices.SortFunc(all, func(x, y keyed) int { return strings.Compare(x.key, y.key) })
	for i, k := range all {
		b.records[i], b.rows[i] = k.rec, k.row
	}
	b.keys = nil
}

func rejection(file string, row int, err error) Rejection {
	field := trustmark.ErrorField(err)
	if field == "" {
		field = rowField
	}
	return Rejection{File: file, Row: row, Field: field, Message: trustmark.ErrorMessage(err)}
}

// KeyColumn returns the column holding the natural key of a kind.
func KeyColumn(k trustmark.Kind) string {
	switch k {
	case trustmark.KindOrgs:
		return "uscc"
	case trustmark.KindBodies:
		return "approval_no"
	case trustmark.KindLabs:
		return "cma_no"
	case trustmark.KindPersons:
		return "registration_no"
	}
	return "number"
}

func describeKey(k trustmark.Kind, rec trustmark.Record) string {
	switch r := rec.(type) {
	case *trustmark.Certificate:
		return fmt.Sprintf("%s certificate number %s", r.Type, r.Number)
	case *trustmark.Report:
		return fmt.Sprintf("laboratory %s and report number %s", r.LabCMANo, r.Number)
	}
	return fmt.Sprintf("%s %s", KeyColumn(k), rec.RecordKey())
}
