package importer

import (
	"errors"
	"fmt"

	"trustmark"
)

// Limits bound what reading one file may cost, whatever the file says about
// itself. Every limit acts while the file streams past, before anything as
// large as the limit is built: a workbook of a few hundred kilobytes can
// decompress to gigabytes, and a reader that first builds the cell, the
// token or the table and then measures it has already paid. docs/SECURITY.md
// gives the memory each limit leaves at most.
type Limits struct {
	// CellBytes bounds the text of one cell. A longer cell rejects its row
	// (the text is counted, never kept).
	CellBytes int
	// RowBytes bounds the text of one row, all cells together; a longer row
	// is rejected. CSV and JSON Lines count the bytes of the line.
	RowBytes int
	// Columns bounds the cells of a row (Excel has 16,384 columns).
	Columns int
	// Rows bounds the rows of a sheet by number, empty ones included
	// (Excel has 1,048,576).
	Rows int
	// TokenBytes bounds one XML token of a workbook: a tag with its
	// attributes, a run of text or whitespace, a comment. The XML decoder
	// holds a whole token in memory, so this is what one token may cost.
	TokenBytes int
	// Depth bounds how many XML elements may be open inside one another.
	Depth int
	// SharedStrings bounds the entries of a workbook's shared strings table
	// and SharedStringBytes their text in all. Up to sharedMemBytes of the
	// table is kept in memory, the rest in a temporary file.
	SharedStrings     int
	SharedStringBytes int64
	// UnzipBytes bounds the bytes a workbook decompresses to, all parts
	// together: the sizes its zip directory declares and the bytes actually
	// read.
	UnzipBytes int64
	// ZipEntries bounds the parts of a workbook (its zip directory is held
	// in memory).
	ZipEntries int
}

// DefaultLimits are the limits of `trustmark import`: generous enough for a
// sheet of Excel's full 1,048,576 rows, and such that no file raises the
// command's memory by more than about 64 MB.
func DefaultLimits() Limits {
	return Limits{
		CellBytes:         trustmark.MaxCellBytes,
		RowBytes:          maxRowBytes,
		Columns:           16384,
		Rows:              maxSheetRows,
		TokenBytes:        maxRowBytes,
		Depth:             64,
		SharedStrings:     1 << 24,
		SharedStringBytes: 1 << 30,
		UnzipBytes:        4 << 30,
		ZipEntries:        10000,
	}
}

// orDefault fills the zero fields of l from DefaultLimits.
func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	pick := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	pick(&l.CellBytes, d.CellBytes)
	pick(&l.RowBytes, d.RowBytes)
	pick(&l.Columns, d.Columns)
	pick(&l.Rows, d.Rows)
	pick(&l.TokenBytes, d.TokenBytes)
	pick(&l.Depth, d.Depth)
	pick(&l.SharedStrings, d.SharedStrings)
	pick(&l.ZipEntries, d.ZipEntries)
	if l.SharedStringBytes <= 0 {
		l.SharedStringBytes = d.SharedStringBytes
	}
	if l.UnzipBytes <= 0 {
		l.UnzipBytes = d.UnzipBytes
	}
	return l
}

// Reasons of the too_large errors a file gets when it goes past one of its
// Limits. Each error's Args hold the limit alone, so that a front end can
// say the same in another language (verify does).
const (
	ReasonCellBytes         = "limit.cell_bytes"
	ReasonRowBytes          = "limit.row_bytes"
	ReasonColumns           = "limit.columns"
	ReasonRows              = "limit.rows"
	ReasonTokenBytes        = "limit.token_bytes"
	ReasonDepth             = "limit.depth"
	ReasonSharedStrings     = "limit.shared_strings"
	ReasonSharedStringBytes = "limit.shared_string_bytes"
	ReasonUnzipBytes        = "limit.unzip_bytes"
	ReasonZipEntries        = "limit.zip_entries"
)

// limitMessages are the English messages of the reasons; %d is the limit.
var limitMessages = map[string]string{
	ReasonCellBytes:         "a cell is longer than %d bytes",
	ReasonRowBytes:          "a row is longer than %d bytes",
	ReasonColumns:           "a row has more than %d columns",
	ReasonRows:              "the sheet has more than %d rows",
	ReasonTokenBytes:        "the workbook's XML has a tag or a run of text longer than %d bytes",
	ReasonDepth:             "the workbook's XML nests elements more than %d deep",
	ReasonSharedStrings:     "the workbook's shared strings table has more than %d entries",
	ReasonSharedStringBytes: "the workbook's shared strings add up to more than %d bytes",
	ReasonUnzipBytes:        "the workbook decompresses to more than %d bytes",
	ReasonZipEntries:        "the workbook has more than %d parts",
}

// tooLarge returns the too_large error of a file past the limit of reason.
func tooLarge(field, reason string, limit int64) *trustmark.Error {
	return &trustmark.Error{Code: trustmark.ETooLarge, Field: field, Message: fmt.Sprintf(limitMessages[reason], limit),
		Reason: reason, Args: []any{limit}}
}

// refusal is a file refused as a whole for a limit, as the import reports
// it: the limit's message alone, while errors.As still finds the
// *trustmark.Error with its code and reason.
type refusal struct{ e *trustmark.Error }

func (r refusal) Error() string { return r.e.Message }
func (r refusal) Unwrap() error { return r.e }

// asRefusal wraps a limit's error as a refusal; other errors are returned
// as they are.
func asRefusal(err error) error {
	var e *trustmark.Error
	if errors.As(err, &e) && e.Code == trustmark.ETooLarge {
		return refusal{e}
	}
	return err
}
